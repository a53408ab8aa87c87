#include "cakupan/geo/region_table.hpp"

namespace cakupan {

std::optional<std::size_t> RegionTable::find(std::string_view id) const {
    const auto it = index_.find(std::string(id));
    if (it == index_.end()) return std::nullopt;
    return it->second;
}

void RegionTable::build_index() {
    index_.clear();
    index_.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) index_.emplace(ids[i], i);
}

} // namespace cakupan
