#include "commands.hpp"

namespace cakupan::cli {

const std::vector<CommandEntry>& commands() {
    static const std::vector<CommandEntry> table = {
        {"info", "describe a vector file: layers, fields, CRS, extent, geometry problems", "FILE [--layer L] [--json] [--encoding E]",
         &make_info_command},
        {"validate", "check a scenario, or boundaries and statistics and their join",
         "SCENARIO | --boundaries FILE [--stats FILE] [options]", &make_validate_command},
        {"adjacency", "contiguity of a boundary layer, written as GAL weights", "FILE --out W.gal [options]",
         &make_adjacency_command},
        {"run", "project coverage to the deadline for every variant of a scenario", "SCENARIO --out DIR [options]",
         &make_run_command},
        {"report", "one self-contained HTML report of a run directory (maps, charts, tables), to e-mail",
         "RUN_DIR [--lang id|en] [--out FILE] [--force]", &make_report_command},
        {"classify", "class breaks of a column or field (quantile, equal, natural, manual) as JSON",
         "FILE (--column C | --field F) [--scheme S] [--classes K] [options]", &make_classify_command},
        {"map", "a choropleth map (PNG, SVG, PDF) of a run or of any numeric field of a layer",
         "FILE|RUN_DIR [--field F | --kind K [--variant V]] --out MAP.png|svg|pdf [options]", &make_map_command},
        {"sensitivity", "which assumptions drive a forecast: tornado, LHS, Morris or Sobol study",
         "STUDY --out DIR [--lang id|en] [options]", &make_sensitivity_command},
        {"calibrate", "estimate model parameters from observed series, with their uncertainty and backtests",
         "CALIBRATION --out DIR [--holdout TABLE] [options]", &make_calibrate_command},
        {"plan", "the least spend that reaches a target, or the best use of a budget, across levers and regions",
         "PLAN --out DIR [--lang id|en] [options]", &make_plan_command},
    };
    return table;
}

} // namespace cakupan::cli
