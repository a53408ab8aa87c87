#include "calibrate/observation_model.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "io/toml_support.hpp"

#include <algorithm>

namespace cakupan::calibration {

std::size_t ObservationModel::find(const std::string& indicator) const {
    for (std::size_t i = 0; i < measures.size(); ++i)
        if (measures[i].indicator == indicator) return i;
    return measures.size();
}

namespace {

std::vector<Eigen::Index> segment_columns(const Model& model, const std::vector<std::string>& names,
                                          const std::vector<std::string>& where, const std::string& path) {
    std::vector<std::string> ids;
    for (const auto& s : model.segments) ids.push_back(s.id);
    std::vector<Eigen::Index> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::ptrdiff_t k = model.segment_index(names[i]);
        if (k < 0)
            throw ScenarioError(where[i] + ": " + path + ": '" + names[i] + "' is not a segment of model " + model.path +
                                did_you_mean(names[i], ids) + "; segments: " + join_list(ids));
        out.push_back(static_cast<Eigen::Index>(k));
    }
    return out;
}

ScaleRef scale_ref(const ObservationScale& s, const std::vector<CalibrationParameter>& parameters, double lo, double hi,
                   const std::string& path) {
    ScaleRef r;
    r.constant = s.constant;
    r.complement = s.complement;
    if (s.parameter.empty()) return r;
    for (std::size_t j = 0; j < parameters.size(); ++j)
        if (parameters[j].key == s.parameter) r.parameter = static_cast<std::ptrdiff_t>(j);
    if (r.parameter < 0) throw Error(s.where + ": " + path + ": '" + s.parameter + "' is not declared"); // load_calibration checks
    const auto& p = parameters[static_cast<std::size_t>(r.parameter)];
    if (p.low < lo || p.high > hi)
        throw ScenarioError(p.where + ": parameter '" + p.key + "': the bounds [" + format_number(p.low) + ", " +
                            format_number(p.high) + "] leave " + format_number(lo) + " to " + format_number(hi) + ", the range of " +
                            path + " (" + s.where + ")");
    return r;
}

} // namespace

ObservationModel resolve_observation_model(const Calibration& c, const Model& model, const RegionTable& regions,
                                           const std::vector<CalibrationParameter>& parameters) {
    ObservationModel om;
    for (std::size_t i = 0; i < c.measures.size(); ++i) {
        const Measure& m = c.measures[i];
        const std::string path = "measure[" + std::to_string(i) + "]";
        MeasureRef r;
        r.indicator = m.indicator;
        r.where = m.where;
        r.unit = m.unit;
        r.segments = segment_columns(model, m.segments, m.segment_where, path + ".segments");
        if (m.segments.empty())
            for (std::size_t k = 0; k < model.segments.size(); ++k) r.segments.push_back(static_cast<Eigen::Index>(k));
        r.all_segments = r.segments.size() == model.segments.size();
        r.scale = scale_ref(m.scale, parameters, 0, 1e308, path + ".scale");
        om.measures.push_back(std::move(r));
    }
    if (c.workplace) {
        const Workplace& w = *c.workplace;
        WorkplaceRef r;
        r.segments = segment_columns(model, w.segments, w.segment_where, "workplace.segments");
        r.share = scale_ref(w.share, parameters, 0, 1, "workplace.share");
        // The hub: the regions with its code or within it; on a coarser layer, the region it lies within.
        r.in_hub.assign(regions.size(), false);
        bool any = false;
        for (std::size_t i = 0; i < regions.size(); ++i)
            if (regions.ids[i] == w.hub || regions.codes.is_within(regions.ids[i], w.hub)) r.in_hub[i] = any = true;
        for (std::size_t i = 0; i < regions.size() && !any; ++i)
            if (regions.codes.is_within(w.hub, regions.ids[i])) r.in_hub[i] = any = true;
        if (!any)
            throw ScenarioError(w.hub_where + ": workplace.hub: '" + w.hub + "': no region of " + regions.source +
                                " has this code, lies within it or contains it");
        om.workplace = std::move(r);
    }
    return om;
}

ObservedState::ObservedState(const ObservationModel& om, const Eigen::ArrayXXd& workers, const Eigen::ArrayXXd& never,
                             const Eigen::ArrayXXd& active, const Eigen::ArrayXXd& funded, const Eigen::ArrayXXd& lapsed,
                             const std::vector<double>& x)
    : om_(om), members_(active + funded), labour_(never + active + funded + lapsed) {
    for (const auto& m : om.measures) scales_.push_back(m.scale.value(x));
    // Every segment's members exactly as the engine's coverage x workers gives them (same
    // expressions, so the same bits as a RunResult's mean x workers).
    const Eigen::ArrayXd covered = (active + funded).rowwise().sum();
    const Eigen::ArrayXd w = workers.rowwise().sum();
    const Eigen::ArrayXd coverage = (w > 0).select(covered / w, 0.0);
    everyone_ = coverage * w;
    counted_ = members_;
    if (!om.workplace) return;
    const WorkplaceRef& wp = *om.workplace;
    const double share = wp.share.value(x);
    const Eigen::Index R = members_.rows();
    for (Eigen::Index s : wp.segments) {
        double outside = 0, hub = 0, hub_regions = 0;
        for (Eigen::Index r = 0; r < R; ++r)
            (wp.in_hub[static_cast<std::size_t>(r)] ? hub : outside) += members_(r, s),
                hub_regions += wp.in_hub[static_cast<std::size_t>(r)] ? 1 : 0;
        const double inflow = share * outside;
        for (Eigen::Index r = 0; r < R; ++r) {
            const double own = members_(r, s);
            if (!wp.in_hub[static_cast<std::size_t>(r)]) counted_(r, s) = own - share * own;
            else counted_(r, s) = own + (hub > 0 ? inflow * (own / hub) : inflow / hub_regions);
        }
    }
}

double ObservedState::value(std::size_t m, const std::vector<Eigen::Index>& regions) const {
    const MeasureRef& me = om_.measures[m];
    const double scale = scales_[m];
    double sum = 0;
    if (me.unit == ObservationUnit::percent) {
        double workers = 0;
        for (Eigen::Index r : regions)
            for (Eigen::Index s : me.segments) sum += members_(r, s), workers += labour_(r, s);
        return workers > 0 ? sum * scale / workers * 100 : 0.0;
    }
    if (me.all_segments && !om_.workplace) {
        for (Eigen::Index r : regions) sum += everyone_(r);
    } else {
        for (Eigen::Index r : regions)
            for (Eigen::Index s : me.segments) sum += counted_(r, s);
    }
    return sum * scale;
}

} // namespace cakupan::calibration
