#include "cakupan/study/checkpoint.hpp"

#include "cakupan/common/error.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace cakupan {

namespace {

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

bool parse_hex64(const std::string& s, std::uint64_t& out) {
    if (s.size() != 16) return false;
    out = 0;
    for (char c : s) {
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else return false;
        out = (out << 4) | static_cast<std::uint64_t>(d);
    }
    return true;
}

std::string header(const std::string& identity, std::size_t points, std::size_t outputs) {
    return "cakupan-checkpoint 1 " + identity + " " + std::to_string(points) + " " + std::to_string(outputs) + "\n";
}

} // namespace

std::string checkpoint_record(std::size_t index, std::span<const double> y) {
    std::string line = std::to_string(index);
    for (double v : y) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        line += " " + hex64(bits);
    }
    line += " " + hex64(fnv1a(line)) + "\n";
    return line;
}

CheckpointContents read_checkpoint(const std::string& path, const std::string& identity, std::size_t points,
                                   std::size_t outputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw OutputError(path + ": cannot read the checkpoint; run without --resume to start the study again");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const std::string want = header(identity, points, outputs);
    const auto eol = text.find('\n');
    if (eol == std::string::npos || text.compare(0, 21, "cakupan-checkpoint 1 ") != 0)
        throw OutputError(path + ": not a study checkpoint; remove it or choose another --out directory");
    if (text.compare(0, eol + 1, want) != 0)
        throw OutputError(path + ": the checkpoint belongs to another study or other inputs (the study file, scenario or data "
                                 "changed); run with --force to start again");

    CheckpointContents c;
    c.done.assign(points, 0);
    c.y.setConstant(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(outputs), 0.0);
    std::size_t pos = eol + 1, line_no = 1;
    c.valid_bytes = pos;
    while (pos < text.size()) {
        ++line_no;
        const auto end = text.find('\n', pos);
        const bool last = end == std::string::npos || end + 1 == text.size();
        const std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        bool ok = end != std::string::npos;
        std::size_t index = 0;
        std::vector<double> y(outputs);
        if (ok) {
            std::istringstream fields(line);
            std::vector<std::string> parts;
            for (std::string part; fields >> part;) parts.push_back(part);
            ok = parts.size() == outputs + 2;
            std::uint64_t check = 0;
            if (ok) {
                const std::string body = line.substr(0, line.rfind(' '));
                ok = parse_hex64(parts.back(), check) && check == fnv1a(body);
            }
            if (ok) {
                try {
                    std::size_t used = 0;
                    index = std::stoull(parts[0], &used);
                    ok = used == parts[0].size() && index < points;
                } catch (const std::exception&) {
                    ok = false;
                }
            }
            for (std::size_t k = 0; ok && k < outputs; ++k) {
                std::uint64_t bits = 0;
                ok = parse_hex64(parts[k + 1], bits);
                std::memcpy(&y[k], &bits, sizeof bits);
            }
        }
        if (!ok) {
            if (last) { // a write cut short by a kill: the point is simply evaluated again
                c.torn = true;
                break;
            }
            throw OutputError(path + ":" + std::to_string(line_no) + ": damaged checkpoint record; run with --force to start again");
        }
        if (!c.done[index]) {
            c.done[index] = 1;
            ++c.count;
            for (std::size_t k = 0; k < outputs; ++k) c.y(static_cast<Eigen::Index>(index), static_cast<Eigen::Index>(k)) = y[k];
        }
        pos = end + 1;
        c.valid_bytes = pos;
    }
    return c;
}

CheckpointWriter::CheckpointWriter(const std::string& path, const std::string& identity, std::size_t points,
                                   std::size_t outputs, std::size_t keep_bytes)
    : path_(path) {
    if (keep_bytes > 0) {
        if (::truncate(path.c_str(), static_cast<off_t>(keep_bytes)) != 0)
            throw OutputError(path + ": cannot trim the checkpoint: " + std::strerror(errno));
        file_ = std::fopen(path.c_str(), "ab");
    } else {
        file_ = std::fopen(path.c_str(), "wb");
    }
    if (file_ == nullptr) throw OutputError(path + ": cannot write the checkpoint: " + std::strerror(errno));
    if (keep_bytes == 0) {
        const std::string h = header(identity, points, outputs);
        std::fwrite(h.data(), 1, h.size(), file_);
        sync();
    }
}

CheckpointWriter::~CheckpointWriter() {
    if (file_ != nullptr) std::fclose(file_);
}

void CheckpointWriter::append(std::size_t index, std::span<const double> y) {
    const std::string line = checkpoint_record(index, y);
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size())
        throw OutputError(path_ + ": cannot write the checkpoint: " + std::strerror(errno));
}

void CheckpointWriter::sync() {
    if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)
        throw OutputError(path_ + ": cannot write the checkpoint: " + std::strerror(errno));
}

} // namespace cakupan
