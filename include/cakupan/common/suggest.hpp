// "Did you mean" for misspelt keys, field names, layer names and region codes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within a distance that scales with the word length, or none.
// Ties go to the candidate listed first, so the answer does not depend on hashing.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" (at most `limit` items, then ", ... (N more)").
std::string join_list(const std::vector<std::string>& items, std::size_t limit = 20);

} // namespace cakupan
