#!/usr/bin/env python3
"""Regenerates the broken copies of models/minimal.toml and scenarios/small.toml (see README.md).

Each copy changes one thing of its hand-written base; the tests check the file:line:column the
error names, so the changes keep every other line where it is (except missing_parameter.toml,
which deletes a line below the place it reports). The outputs are committed; tests never run this.
"""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def derive(base, name, old, new, count=1):
    text = (HERE / base).read_text()
    if text.count(old) != count:
        raise SystemExit(f"{base}: expected {count} x {old!r}, found {text.count(old)}")
    (HERE / base).with_name(name).write_text(text.replace(old, new))


# ---- models ------------------------------------------------------------------------------------
M = "models/minimal.toml"
derive(M, "misspelt_parameter.toml", "\nlapse.informal = {", "\nlapse.informl = {")
derive(M, "value_outside_range.toml", "bass_q = { value = 0.015,", "bass_q = { value = 0.05,")
derive(M, "range_outside_limits.toml", "crowd_in = { value = 0.01, range = [0.0, 0.02],",
       "crowd_in = { value = 0.01, range = [0.0, 2],")
derive(M, "unknown_evidence.toml", 'unit = "share", evidence = "estimate", source = "test" }\ninitial',
       'unit = "share", evidence = "estimated", source = "test" }\ninitial')
text = (HERE / M).read_text()
lines = [l for l in text.splitlines(keepends=True) if not l.startswith("initial_lapsed_share =")]
(HERE / "models/missing_parameter.toml").write_text("".join(lines))
derive(M, "duplicate_segment.toml", 'id = "informal"', 'id = "formal"')
derive(M, "syntax_error.toml", 'title = "two-segment test model"', 'title = "two-segment test model')

# ---- scenarios ---------------------------------------------------------------------------------
S = "scenarios/small.toml"
derive(S, "misspelt_top_key.toml", "[period]", "[peroid]")
derive(S, "misspelt_nested_key.toml", "start = 2025-06-01\nend", "strat = 2025-06-01\nend")
derive(S, "wrong_type.toml", "draws = 20", 'draws = "twenty"')
derive(S, "quoted_number.toml", "draws = 20", 'draws = "20"')
derive(S, "bad_date.toml", "start = 2025-06-01\nend", 'start = "2025-06-01"\nend')
derive(S, "campaign_end_and_months.toml", 'type = "regulation"\nstart = 2025-06-01\n',
       'type = "regulation"\nstart = 2025-06-01\nend = 2025-09-30\nmonths = 3\n')
derive(S, "end_before_start.toml", "end = 2025-12-31\n\n[target]", "end = 2025-01-31\n\n[target]")
derive(S, "target_percent.toml", "coverage = 0.5717", "coverage = 57.17")
derive(S, "unknown_intervention_type.toml", 'type = "subsidy"', 'type = "subsidi"')
derive(S, "unknown_segment.toml", 'segment = "vulnerable"', 'segment = "vulnerabel"')
derive(S, "funded_with_end.toml", "months = 6\n", "months = 6\nend = 2025-12-31\n")
derive(S, "months_not_whole.toml", "months = 6\n", "months = 6.5\n")
derive(S, "variant_unknown_intervention.toml", 'interventions = ["pergub", "apbd", "agents"]',
       'interventions = ["pergub", "apdb", "agents"]')
derive(S, "variant_undefined_intervention.toml", 'interventions = ["pergub", "apbd", "agents"]\n',
       'interventions = ["pergub", "apbd", "agents"]\n\n[variant.combined.intervention.apdb]\nbudget = 1_000_000_000\n')
derive(S, "sweep_non_parameter.toml", 'interventions = ["pergub", "apbd", "agents"]\n',
       'interventions = ["pergub", "apbd", "agents"]\n\n[sweep]\n"run.seed" = [1, 2]\n')
derive(S, "sweep_unknown_parameter.toml", 'interventions = ["pergub", "apbd", "agents"]\n',
       'interventions = ["pergub", "apbd", "agents"]\n\n[sweep]\n"parameters.lapse.informl" = [0.02, 0.04]\n')
derive(S, "region_no_match.toml", 'regions = "19.03"', 'regions = "19.7"')
derive(S, "parameter_out_of_limits.toml", "[intervention.pergub]",
       "[parameters]\nlapse.informal = 1.5\n\n[intervention.pergub]")
derive(S, "statistics_missing.toml", "babel_kabkota_2025-06.csv", "babel_kabkota_2099-01.csv")
derive(S, "too_many_steps.toml", "end = 2025-12-31\n\n[target]", 'end = 2125-12-31\nstep = "week"\n\n[target]')
