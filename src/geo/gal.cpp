// Reading GAL weights (the format to_gal in contiguity.cpp writes).
#include "cakupan/geo/contiguity.hpp"

#include "cakupan/common/error.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

namespace cakupan {

namespace {

struct Token {
    std::string text;
    std::size_t column; // 1-based
};

std::vector<Token> tokens_of(const std::string& line) {
    std::vector<Token> out;
    std::size_t i = 0;
    // Any C whitespace separates, as in to_gal and in the readers of GeoDa and PySAL (str.split).
    auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (i < line.size()) {
        while (i < line.size() && space(line[i])) ++i;
        const std::size_t b = i;
        while (i < line.size() && !space(line[i])) ++i;
        if (i > b) out.push_back({line.substr(b, i - b), b + 1});
    }
    return out;
}

class GalReader {
public:
    GalReader(const std::string& text, const std::string& source) : source_(source) {
        std::size_t b = 0;
        while (b < text.size()) {
            const auto e = text.find('\n', b);
            lines_.push_back(text.substr(b, e == std::string::npos ? std::string::npos : e - b));
            if (e == std::string::npos) break;
            b = e + 1;
        }
    }

    GalWeights read() {
        GalWeights gal;
        const auto header = line_tokens(0, "a header \"0 N layer id_field\"");
        if (header.size() != 4 || header[0].text != "0")
            fail(1, header.empty() ? 1 : header[0].column, "expected the header \"0 N layer id_field\"");
        const std::size_t n = count(header[1], 1);
        // Two lines per region after the header: a count beyond that is a broken header, not a reason to allocate.
        if (n > (lines_.size() - 1) / 2)
            fail(1, header[1].column, "the header says " + header[1].text + " regions but the file has lines for " +
                                          std::to_string((lines_.size() - 1) / 2) + " (two per region)");
        gal.layer = header[2].text;
        gal.id_field = header[3].text;

        std::unordered_map<std::string, std::uint32_t> index;
        std::vector<std::vector<Token>> listed(n);
        std::vector<std::size_t> listed_line(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t at = 1 + 2 * i;
            const auto head = line_tokens(at, "\"id k\"");
            if (head.size() != 2) fail(at + 1, head.empty() ? 1 : head[0].column, "expected \"id k\" (a region id and its number of neighbours)");
            if (!index.emplace(head[0].text, static_cast<std::uint32_t>(i)).second)
                fail(at + 1, head[0].column, "region '" + head[0].text + "' is listed twice");
            gal.ids.push_back(head[0].text);
            const std::size_t k = count(head[1], at + 1);
            listed[i] = line_tokens(at + 1, std::to_string(k) + " neighbour ids");
            listed_line[i] = at + 2;
            if (listed[i].size() != k)
                fail(at + 2, 1, "expected " + std::to_string(k) + " neighbour ids of '" + head[0].text + "', found " +
                                    std::to_string(listed[i].size()));
        }
        for (std::size_t l = 1 + 2 * n; l < lines_.size(); ++l)
            if (!tokens_of(lines_[l]).empty()) fail(l + 1, 1, "text after the " + std::to_string(n) + " regions of the header");

        auto& adj = gal.adjacency;
        adj.offsets.assign(1, 0);
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<std::uint32_t> row;
            for (const auto& t : listed[i]) {
                const auto it = index.find(t.text);
                if (it == index.end()) fail(listed_line[i], t.column, "neighbour '" + t.text + "' is not a region of the file");
                if (it->second == i) fail(listed_line[i], t.column, "region '" + t.text + "' is its own neighbour");
                row.push_back(it->second);
            }
            std::sort(row.begin(), row.end());
            if (const auto d = std::adjacent_find(row.begin(), row.end()); d != row.end())
                fail(listed_line[i], 1, "neighbour '" + gal.ids[*d] + "' of '" + gal.ids[i] + "' is listed twice");
            adj.neighbours.insert(adj.neighbours.end(), row.begin(), row.end());
            adj.offsets.push_back(adj.neighbours.size());
        }
        for (std::size_t i = 0; i < n; ++i)
            for (const auto j : adj.of(i)) {
                const auto back = adj.of(j);
                if (!std::binary_search(back.begin(), back.end(), static_cast<std::uint32_t>(i)))
                    fail(listed_line[i], 1, "'" + gal.ids[i] + "' lists '" + gal.ids[j] + "' as a neighbour but '" + gal.ids[j] +
                                                "' does not list '" + gal.ids[i] + "'");
            }
        return gal;
    }

private:
    std::vector<Token> line_tokens(std::size_t line, const std::string& expected) const {
        if (line >= lines_.size()) fail(line + 1, 1, "the file ends here; expected " + expected);
        return tokens_of(lines_[line]);
    }

    std::size_t count(const Token& t, std::size_t line) const {
        std::size_t v = 0;
        const char* end = t.text.data() + t.text.size();
        const auto [ptr, ec] = std::from_chars(t.text.data(), end, v);
        if (ec != std::errc() || ptr != end) fail(line, t.column, "'" + t.text + "' is not a count (a whole number >= 0)");
        return v;
    }

    [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& what) const {
        throw InputError(source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
    }

    std::string source_;
    std::vector<std::string> lines_;
};

} // namespace

GalWeights parse_gal(const std::string& text, const std::string& source) { return GalReader(text, source).read(); }

} // namespace cakupan
