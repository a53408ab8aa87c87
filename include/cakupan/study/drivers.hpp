// The parameter that drives each region of a per-region study (coverage_end_by_region), with its
// summary by parent region for layers too large for a table of every region in the report.
#pragma once

#include "cakupan/render/lang.hpp"
#include "cakupan/study/study_runner.hpp"

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace cakupan {

struct RegionDriver {
    int parameter = -1; // position in study.parameters; -1 when the region has no finite index
    double value = NAN; // that parameter's main index for the region, signed as in indices.csv
};

// Per region (model.region_codes() order): the parameter with the largest |main index| of the
// region's coverage_end (ties: the earlier parameter) and its index. One pass over the rows.
std::vector<RegionDriver> region_driver_values(const Study& study, const StudyModel& model, const std::vector<IndexRow>& rows);

// Above this many regions the report sums the driver table up by parent region and leaves the
// table of every region to drivers.csv; the run report's region tables cut at the same count.
constexpr std::size_t kDriverTableMaxRegions = 200;

// The regions under one parent and the parameters that drive most of them.
struct DriverGroup {
    std::string code;            // parent code
    std::string name;            // the layer's region of that code, else the parents' name, else its level: "kab/kota 35.01"
    std::size_t regions = 0;     // regions of the layer under it
    std::size_t no_result = 0;   // of which without a driver
    int first = -1, second = -1; // parameters driving most and second most (ties: the earlier)
    std::size_t first_regions = 0, second_regions = 0;
};

// Regions grouped by parent at the lowest level above the layer that gives at most `max_groups`
// groups (codes nest as CodeStructure::detect finds), groups in code order; empty when the codes
// do not nest or no region has a parent. `drivers` as region_drivers; `parameters` their count;
// `parents` (StudyModel::region_parents) names the groups the layer does not hold.
std::vector<DriverGroup> drivers_by_parent(const std::vector<std::string>& codes, const std::vector<std::string>& names,
                                           const std::vector<int>& drivers, std::size_t parameters, std::size_t max_groups,
                                           render::Lang lang, const ParentRegions* parents = nullptr);

// drivers.csv: code,name,parameter,index,value per region in layer order; parameter is the
// driver's label (as in indices.csv), index the method's main index; both empty without a result.
std::string drivers_csv(const Study& study, const StudyModel& model, const std::vector<IndexRow>& rows);

} // namespace cakupan
