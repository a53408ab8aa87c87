// The checkpoint of a sensitivity study: one line per finished design point, appended as points
// finish and synced to disk in batches, so a killed study resumes without redoing or losing a
// finished point. The header names the study (a hash of the study file and its inputs), the
// number of points and of outputs; a checkpoint of another study is refused.
//
// Format (text):  "cakupan-checkpoint 1 IDENTITY POINTS OUTPUTS\n", then per point
// "INDEX Y1 ... YM CHECK\n" with each value as the 16 hex digits of its IEEE-754 bits (exact) and
// CHECK the FNV-1a hash of the line before it. A last line without its newline or with a wrong
// CHECK is a torn write and is dropped.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

namespace cakupan {

struct CheckpointContents {
    std::vector<char> done;   // per point: read from the checkpoint
    Eigen::MatrixXd y;        // points x outputs; rows of points not done are unset
    std::size_t count = 0;    // points read
    std::size_t valid_bytes = 0; // length of the file up to the last whole record
    bool torn = false;        // a torn last record was dropped
};

// Reads a checkpoint. OutputError (one line) when it belongs to another study or another design
// size, or when a record other than the last is damaged.
CheckpointContents read_checkpoint(const std::string& path, const std::string& identity, std::size_t points,
                                   std::size_t outputs);

class CheckpointWriter {
public:
    // Creates the file with its header, or (keep_bytes > 0) cuts an existing one to keep_bytes (the
    // whole records read before) and appends after them.
    CheckpointWriter(const std::string& path, const std::string& identity, std::size_t points, std::size_t outputs,
                     std::size_t keep_bytes = 0);
    ~CheckpointWriter();
    CheckpointWriter(const CheckpointWriter&) = delete;
    CheckpointWriter& operator=(const CheckpointWriter&) = delete;

    void append(std::size_t index, std::span<const double> y);
    void sync(); // flush and fsync: every appended record survives a crash after this returns

private:
    std::string path_;
    std::FILE* file_ = nullptr;
};

// The record line for one point (without reading a file), exposed for tests.
std::string checkpoint_record(std::size_t index, std::span<const double> y);

} // namespace cakupan
