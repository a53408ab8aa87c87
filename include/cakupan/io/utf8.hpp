// UTF-8 checks for text read from input files: every name that reaches an output (JSON, GeoPackage,
// HTML, maps) must be valid UTF-8, so text is checked where it is read and refused with its place.
#pragma once

#include <string>
#include <string_view>

namespace cakupan {

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points
// above U+10FFFF).
bool is_utf8(std::string_view text);

// `text` for an error message: valid UTF-8 sequences kept, every other byte written as \xNN.
std::string printable(std::string_view text);

// Whether text can be recoded from the encoding `name` (as GDAL's CPLRecode and iconv name them:
// latin1, cp1252, ISO-8859-15, ...).
bool encoding_known(const std::string& name);

} // namespace cakupan
