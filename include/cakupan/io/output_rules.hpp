// What an output may replace. Cakupan replaces only what it wrote: a single-file output replaces
// a regular file (never a directory, device, FIFO or socket, never an input of the command), and
// --force on a directory replaces an earlier run or study recognised by its manifest, never one
// holding an input, the working directory or something the earlier run did not write.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cakupan {

enum class OutputKind { run, study, calibration };

// The path as given, without trailing separators: "hasil/" names the directory "hasil".
std::filesystem::path output_path(const std::string& arg);

// Throws OutputError unless a file may be written at `path`: absent (in an existing directory),
// or a regular file that is not one of `inputs` (nor a sidecar of an input Shapefile) and
// `force` is set. UsageError when `path` is empty.
void check_output_file(const std::string& path, bool force, const std::vector<std::string>& inputs);

// Throws OutputError unless a run or study may be written in `dir`: absent (its parent exists),
// empty, or with `force` a directory holding only what an earlier run or study of that kind
// wrote (temporaries of dead processes included), none of `inputs`, and neither the working
// directory nor one containing it.
void check_output_directory(const std::string& dir, OutputKind kind, bool force, const std::vector<std::string>& inputs);

// The files of a run directory that commands reading a run open (map, report).
std::vector<std::string> run_directory_inputs(const std::string& dir);

} // namespace cakupan
