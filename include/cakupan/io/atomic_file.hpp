// Writing outputs safely: to a temporary file beside the target, renamed into place, so a reader
// never sees half a file and a failure leaves what was there before.
#pragma once

#include <string>
#include <string_view>

namespace cakupan {

// Throws OutputError if `path` exists and `overwrite` is false, or if writing fails.
void write_file_atomically(const std::string& path, std::string_view content, bool overwrite);

} // namespace cakupan
