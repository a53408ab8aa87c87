// Reading the values to classify from any GDAL vector layer (CSV tables included).
#include "cakupan/classify.hpp"

#include "cakupan/error.hpp"
#include "cakupan/suggest.hpp"
#include "gdal_support.hpp"

#include <charconv>
#include <cmath>

namespace cakupan {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool parses(const std::string& text, double& v) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    return ec == std::errc() && ptr == end && std::isfinite(v);
}

// What the cell probably meant, for the error message.
std::string hint(const std::string& text) {
    double v = 0;
    std::string fixed = text;
    for (auto& c : fixed)
        if (c == ',') c = '.';
    if (fixed != text && parses(fixed, v)) return " (write decimals with a point: " + fixed + ")";
    if (!text.empty() && text.back() == '%' && parses(trim(text.substr(0, text.size() - 1)), v))
        return " (write the number without the % sign)";
    return " (expected a number; leave the cell empty for no data)";
}

} // namespace

std::vector<double> read_field_values(const std::string& path, const std::string& layer_name, const std::string& field,
                                      const std::string& noun) {
    gdal::DatasetPtr ds = gdal::open_vector(path);
    OGRLayer& layer = gdal::select_layer(*ds, path, layer_name);
    const auto names = gdal::field_names(layer);
    int index = -1;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == field) index = static_cast<int>(i);
    if (index < 0)
        throw InputError(path + ": no " + noun + " '" + field + "'" + did_you_mean(field, names) + "; " + noun + "s: " +
                         (names.empty() ? std::string("(none)") : join_list(names)));

    const OGRFieldType type = layer.GetLayerDefn()->GetFieldDefn(index)->GetType();
    const bool numeric = type == OFTReal || type == OFTInteger || type == OFTInteger64;
    std::vector<double> values;
    gdal::ErrorCapture capture;
    std::size_t row = 1; // the header is row 1, as a spreadsheet shows it
    layer.ResetReading();
    for (gdal::FeaturePtr f(layer.GetNextFeature()); f; f.reset(layer.GetNextFeature())) {
        ++row;
        if (!f->IsFieldSetAndNotNull(index)) {
            values.push_back(NAN);
            continue;
        }
        if (numeric) {
            values.push_back(f->GetFieldAsDouble(index));
            continue;
        }
        const std::string text = trim(f->GetFieldAsString(index));
        double v = 0;
        if (text.empty()) v = NAN;
        else if (!parses(text, v))
            throw InputError(path + ":" + std::to_string(row) + ":" + std::to_string(index + 1) + ": " + noun + " '" +
                             field + "' value '" + text + "' is not a number" + hint(text));
        values.push_back(v);
    }
    if (const auto failures = capture.take_failures(); !failures.empty())
        throw InputError(path + ": reading failed after row " + std::to_string(row) + ": " + failures.front());
    return values;
}

} // namespace cakupan
