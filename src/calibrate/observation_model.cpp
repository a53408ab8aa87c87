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
    std::vector<std::ptrdiff_t> hub_of(regions.size(), -1); // the workplace whose hub holds each region
    for (std::size_t h = 0; h < c.workplaces.size(); ++h) {
        const Workplace& w = c.workplaces[h];
        WorkplaceRef r;
        r.segments = segment_columns(model, w.segments, w.segment_where, w.path + ".segments");
        r.share = scale_ref(w.share, parameters, 0, 1, w.path + ".share");
        // The hub: the regions with its code or within it; on a coarser layer, the region it lies within.
        r.in_hub.assign(regions.size(), false);
        bool any = false;
        for (std::size_t i = 0; i < regions.size(); ++i)
            if (regions.ids[i] == w.hub || regions.codes.is_within(regions.ids[i], w.hub)) r.in_hub[i] = any = true;
        for (std::size_t i = 0; i < regions.size() && !any; ++i)
            if (regions.codes.is_within(w.hub, regions.ids[i])) r.in_hub[i] = any = true;
        if (!any)
            throw ScenarioError(w.hub_where + ": " + w.path + ".hub: '" + w.hub + "': no region of " + regions.source +
                                " has this code, lies within it or contains it");
        for (std::size_t i = 0; i < regions.size(); ++i) {
            if (!r.in_hub[i]) continue;
            if (hub_of[i] >= 0) {
                const Workplace& o = c.workplaces[static_cast<std::size_t>(hub_of[i])];
                throw ScenarioError(w.hub_where + ": " + w.path + ".hub: '" + w.hub + "' shares region " + regions.ids[i] +
                                    " with hub '" + o.hub + "' (" + o.hub_where + "): hubs must not overlap");
            }
            hub_of[i] = static_cast<std::ptrdiff_t>(h);
        }
        om.workplaces.push_back(std::move(r));
    }
    om.discrepancy.constant = c.discrepancy;
    if (c.estimate_discrepancy) {
        ObservationScale d;
        d.parameter = kDiscrepancyKey;
        d.where = c.discrepancy_where;
        om.discrepancy = scale_ref(d, parameters, 0, 1, "calibration.discrepancy");
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
    if (om.workplaces.empty()) return;
    // Per segment: each hub counting it takes its share of the members living outside every hub,
    // split among its regions in proportion to their own members; those regions keep the rest.
    const Eigen::Index R = members_.rows();
    std::vector<bool> in_any(static_cast<std::size_t>(R), false);
    for (const auto& wp : om.workplaces)
        for (std::size_t r = 0; r < in_any.size(); ++r) in_any[r] = in_any[r] || wp.in_hub[r];
    std::vector<double> shares;
    for (const auto& wp : om.workplaces) shares.push_back(wp.share.value(x));
    std::vector<Eigen::Index> done;
    for (const auto& first : om.workplaces)
        for (Eigen::Index s : first.segments) {
            if (std::find(done.begin(), done.end(), s) != done.end()) continue;
            done.push_back(s);
            double outside = 0, total = 0;
            for (Eigen::Index r = 0; r < R; ++r)
                if (!in_any[static_cast<std::size_t>(r)]) outside += members_(r, s);
            for (std::size_t h = 0; h < om.workplaces.size(); ++h) {
                const WorkplaceRef& wp = om.workplaces[h];
                if (std::find(wp.segments.begin(), wp.segments.end(), s) == wp.segments.end()) continue;
                total += shares[h];
                double hub = 0, hub_regions = 0;
                for (Eigen::Index r = 0; r < R; ++r)
                    if (wp.in_hub[static_cast<std::size_t>(r)]) hub += members_(r, s), hub_regions += 1;
                const double inflow = shares[h] * outside;
                for (Eigen::Index r = 0; r < R; ++r)
                    if (wp.in_hub[static_cast<std::size_t>(r)])
                        counted_(r, s) = members_(r, s) + (hub > 0 ? inflow * (members_(r, s) / hub) : inflow / hub_regions);
            }
            for (Eigen::Index r = 0; r < R; ++r)
                if (!in_any[static_cast<std::size_t>(r)]) counted_(r, s) = members_(r, s) - total * members_(r, s);
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
    if (me.all_segments && om_.workplaces.empty()) {
        for (Eigen::Index r : regions) sum += everyone_(r);
    } else {
        for (Eigen::Index r : regions)
            for (Eigen::Index s : me.segments) sum += counted_(r, s);
    }
    return sum * scale;
}

} // namespace cakupan::calibration
