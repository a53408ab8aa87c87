// Classifying values into map classes: quantile, equal interval, exact natural breaks
// (Fisher-Jenks: optimal one-dimensional k-means), manual breaks, or unclassed. NaN values are
// no-data: they take no part in the breaks and are counted apart.
#pragma once

#include "cakupan/io/number_text.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cakupan {

enum class Scheme { quantile, equal_interval, natural_breaks, manual, unclassed };

// "quantile", "equal", "natural" (alias "jenks"), "manual", "unclassed"; UsageError otherwise,
// with the nearest name suggested.
Scheme parse_scheme(std::string_view s);
const char* to_string(Scheme scheme);

// Inner breaks of the manual scheme from a comma-separated list ("0.3, 0.5717"), as given to
// --breaks: UsageError starting "--breaks: " for an item that is not a finite number, an empty
// list, or breaks that do not increase.
std::vector<double> parse_breaks(std::string_view list);

// Class i holds the values v with breaks[i] <= v <= breaks[i+1] (the first class closed at both
// ends, later classes open below: (breaks[i], breaks[i+1]]). breaks has classes + 1 entries,
// breaks.front() = min and breaks.back() = max of the finite values.
struct Classification {
    Scheme scheme = Scheme::quantile;
    std::vector<double> breaks;
    std::vector<std::size_t> counts; // values per class
    std::size_t no_data = 0;         // NaN values
    std::size_t classes() const { return breaks.empty() ? 0 : breaks.size() - 1; }
    // Class of v (0-based), or -1 for NaN. Values outside [front, back] go to the end classes,
    // so breaks fixed from one variant still classify another.
    int class_of(double v) const;
};

// Fewer distinct finite values than `classes` gives one class per distinct value; no finite
// values gives zero classes. Manual: `manual_breaks` are the inner breaks (e.g. {0.5717}) and
// are kept as given, min and max of the data added outside them (a break outside the data
// widens that end instead, so breaks stay in order); `classes` is then ignored. Unclassed: one
// class from min to max (colour by palette_ramp). Quantile breaks are data values (class i ends at
// the value of rank ceil(i n / k)); ties that repeat a break drop it, leaving fewer classes.
// Infinite values count as no-data like NaN. UsageError for classes < 1 or manual breaks that are
// not finite and increasing.
Classification classify(std::vector<double> values, Scheme scheme, int classes,
                        const std::vector<double>& manual_breaks = {});

// `values` classified with the breaks of `fixed` (e.g. from another variant): same scheme and
// breaks, new counts and no-data. Values outside the breaks go to the end classes.
Classification reclassify(const Classification& fixed, const std::vector<double>& values);

// Exact natural breaks of sorted finite values into k classes: the k-1 inner break values
// (each the last value of a class) minimising the total within-class sum of squares. Classes
// never split equal values; with k or fewer distinct values, each distinct value is a class.
std::vector<double> natural_breaks(const std::vector<double>& sorted, int k);

// Same optimum by the plain O(k n^2) dynamic programme (for tests and small n).
std::vector<double> natural_breaks_reference(const std::vector<double>& sorted, int k);

// Total within-class sum of squared deviations for the given inner breaks.
double within_class_ss(const std::vector<double>& sorted, const std::vector<double>& inner_breaks);

// Goodness of variance fit: 1 - within-class SS / total SS (1 when all values are equal).
double goodness_of_variance_fit(const std::vector<double>& sorted, const std::vector<double>& inner_breaks);

// The values of one field of a vector layer (a CSV column, a GeoPackage field, ...), in feature
// order: numeric fields as stored, text fields read by the rule of number_text.hpp (0.45 or 0,45,
// 1.234.567 or 1,234,567) with `decimal` as decimal mark, or the one the column (or a ';'
// separator) shows; empty cells and NULL are NaN (no-data); empty rows at the end are dropped.
// InputError for a missing field (with "did you mean") and for a cell that is not a finite number
// or reads two ways (file:row:column, the value, what is expected). `noun` is how messages name the
// field ("column" for CSV). `layer` may be empty when the file has one layer. Text that is not
// UTF-8 is recoded from `encoding` ("cp1252": 1\xA0234 with a no-break space) or refused.
std::vector<double> read_field_values(const std::string& path, const std::string& layer, const std::string& field,
                                      const std::string& noun = "field",
                                      std::optional<DecimalMark> decimal = std::nullopt, const std::string& encoding = "");

} // namespace cakupan
