#include "io/gdal_support.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"
#include "cakupan/io/utf8.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <strings.h>

namespace cakupan::gdal {

void register_drivers() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

ErrorCapture::ErrorCapture() { CPLPushErrorHandlerEx(&ErrorCapture::handler, this); }
ErrorCapture::~ErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL ErrorCapture::handler(CPLErr level, CPLErrorNum, const char* message) {
    if (level < CE_Warning) return;
    auto* self = static_cast<ErrorCapture*>(CPLGetErrorHandlerUserData());
    if (self == nullptr) return;
    self->messages_.emplace_back(message ? message : "");
    if (level >= CE_Failure) self->failures_.emplace_back(message ? message : "");
}

std::vector<std::string> ErrorCapture::take_failures() {
    std::vector<std::string> out;
    out.swap(failures_);
    return out;
}

namespace {
bool is_virtual(const std::string& path) { return path.rfind("/vsi", 0) == 0; }

std::string missing_sidecar(const std::string& path) {
    // A shapefile without its .dbf opens in GDAL with no attributes at all; say so plainly.
    const std::filesystem::path p(path);
    auto ext = p.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != ".shp") return {};
    for (const char* side : {".dbf", ".DBF"}) {
        auto q = p;
        q.replace_extension(side);
        if (std::filesystem::exists(q)) return {};
    }
    auto q = p;
    q.replace_extension(".dbf");
    return q.filename().string();
}
} // namespace

void DatasetCloser::operator()(GDALDataset* ds) const {
    GDALClose(ds);
    if (!memory_copy.empty()) VSIUnlink(memory_copy.c_str());
}

namespace {

std::string lower_extension(const std::string& path) {
    auto ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::string first_line(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    std::getline(in, line);
    return line;
}

// The header's separators outside quotes.
std::string separators(const std::string& line) {
    std::string found;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == ',' || c == ';' || c == '\t' || c == '|')) found += c;
    }
    return found;
}

// A CSV of one column (a header, then one value a line) with every line quoted and followed by ',',
// in memory: GDAL's CSV driver then reads it as the one-column table it is. "" when `path` is not such a file.
std::string one_column_copy(const std::string& path) {
    if (lower_extension(path) != ".csv" || !separators(first_line(path)).empty()) return {};
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    std::string copy;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        const bool last = end == std::string::npos;
        if (last) end = text.size();
        std::size_t content_end = end;
        if (content_end > start && text[content_end - 1] == '\r') --content_end;
        // The whole line is the value, commas included (27,24): quote it unless it is quoted already.
        const std::string_view line(text.data() + start, content_end - start);
        if (line.empty() || line.front() == '"') {
            copy.append(line);
        } else {
            copy += '"';
            for (const char c : line) copy.append(c == '"' ? 2 : 1, c);
            copy += '"';
        }
        copy += ',';
        copy.append(text, content_end, end - content_end);
        if (!last) copy += '\n';
        start = end + 1;
    }
    const std::string dir = std::string("/vsimem/") + CPLGetFilename(CPLGenerateTempFilename("cakupan_csv"));
    const std::string name = dir + "/" + std::filesystem::path(path).filename().string();
    auto* bytes = static_cast<GByte*>(CPLMalloc(copy.size() + 1));
    std::copy(copy.begin(), copy.end(), bytes);
    VSIFCloseL(VSIFileFromMemBuffer(name.c_str(), bytes, static_cast<vsi_l_offset>(copy.size()), TRUE));
    return name;
}

GDALDataset* open_with(const std::string& path, const char* const* options) {
    return GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr,
                             options, nullptr);
}

} // namespace

DatasetPtr open_vector(const std::string& path, const TextEncoding& encoding) {
    register_drivers();
    if (!is_virtual(path)) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) throw InputError(path + ": file not found");
        if (std::filesystem::is_directory(path, ec) && std::filesystem::is_empty(path, ec))
            throw InputError(path + ": directory is empty");
        const auto dbf = missing_sidecar(path);
        if (!dbf.empty())
            throw InputError(path + ": shapefile is missing its attribute table " + dbf +
                             " (a shapefile needs .shp, .shx and .dbf side by side)");
    }
    ErrorCapture capture;
    GDALDataset* ds = open_with(path, nullptr);
    std::string memory_copy;
    if (ds == nullptr && !is_virtual(path)) {
        memory_copy = one_column_copy(path);
        if (!memory_copy.empty()) {
            ds = open_with(memory_copy, nullptr);
            if (ds == nullptr) VSIUnlink(memory_copy.c_str()), memory_copy.clear();
        }
    }
    if (ds == nullptr) {
        std::string why = capture.last();
        if (why.empty() || why.find("not recognized as a supported file format") != std::string::npos)
            why = "not a vector format GDAL can read";
        throw InputError(path + ": cannot open: " + why);
    }
    // GDAL recodes a Shapefile's attributes itself when told the code page; other drivers' text is
    // recoded by TextDecoder.
    if (!encoding.name.empty() && ds->GetDriver() && EQUAL(ds->GetDriver()->GetDescription(), "ESRI Shapefile")) {
        GDALClose(ds);
        const CPLStringList options(CSLSetNameValue(nullptr, "ENCODING", encoding.name.c_str()));
        ds = open_with(path, options.List());
        if (ds == nullptr) throw InputError(path + ": cannot open with encoding " + encoding.name + ": " + capture.last());
    }
    return DatasetPtr(ds, DatasetCloser{memory_copy});
}

bool semicolon_separated(GDALDataset& ds, const std::string& path) {
    if (ds.GetDriver() == nullptr || !EQUAL(ds.GetDriver()->GetDescription(), "CSV") || is_virtual(path)) return false;
    const std::string seps = separators(first_line(path));
    return seps.find(';') != std::string::npos && seps.find(',') == std::string::npos;
}

TextDecoder::TextDecoder(GDALDataset& ds, OGRLayer& layer, std::string where, TextEncoding encoding)
    : where_(std::move(where)), encoding_(std::move(encoding)) {
    shapefile_ = ds.GetDriver() && EQUAL(ds.GetDriver()->GetDescription(), "ESRI Shapefile");
    recode_ = !encoding_.name.empty() && !shapefile_;
    for (const auto& name : field_names(layer)) fields_.push_back(decode(name, "field name"));
}

std::string TextDecoder::text(OGRFeature& feature, int index) const {
    const char* raw = feature.GetFieldAsString(index);
    return decode(raw ? raw : "", "field " + fields_[static_cast<std::size_t>(index)] + ", feature " +
                                      std::to_string(feature.GetFID()));
}

std::string TextDecoder::decode(const std::string& raw, const std::string& place, bool file_in_place) const {
    if (is_utf8(raw)) return raw;
    if (recode_) {
        ErrorCapture quiet; // iconv complains about bytes the encoding lacks; the check below says it
        char* recoded = CPLRecode(raw.c_str(), encoding_.name.c_str(), CPL_ENC_UTF8);
        std::string out = recoded ? recoded : "";
        CPLFree(recoded);
        if (is_utf8(out) && quiet.messages().empty()) return out;
    }
    std::string fix;
    // "--encoding latin1" on the command line; "encoding = "latin1" in the scenario's [data]" for data.encoding.
    const bool scenario_key = encoding_.option.rfind("data.", 0) == 0;
    const std::string example = scenario_key ? encoding_.option.substr(5) + " = \"latin1\" in the scenario's [data]"
                                             : encoding_.option + " latin1";
    if (!encoding_.name.empty())
        fix = "it is not " + encoding_.name + " either; name the file's encoding with " + encoding_.option;
    else
        fix = "name its encoding with " + example + (shapefile_ ? " (or put it in a .cpg file beside the .shp)" : "");
    throw InputError((file_in_place ? place : where_ + ": " + place) + ": text is not UTF-8 ('" + printable(raw) + "'); " + fix);
}

OGRLayer& select_layer(GDALDataset& ds, const std::string& path, const std::string& name) {
    std::vector<std::string> names;
    for (int i = 0; i < ds.GetLayerCount(); ++i) names.emplace_back(ds.GetLayer(i)->GetName());
    if (names.empty()) throw InputError(path + ": holds no vector layer");
    if (name.empty()) {
        if (names.size() == 1) return *ds.GetLayer(0);
        throw InputError(path + ": holds " + std::to_string(names.size()) + " layers, choose one with --layer: " +
                         join_list(names));
    }
    for (int i = 0; i < ds.GetLayerCount(); ++i)
        if (names[static_cast<std::size_t>(i)] == name) return *ds.GetLayer(i);
    throw InputError(path + ": no layer '" + name + "'" + did_you_mean(name, names) + "; layers: " +
                     join_list(names));
}

std::string describe_crs(const OGRSpatialReference& srs) {
    std::string out = srs.GetName() ? srs.GetName() : "unnamed CRS";
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    if (auth && code) out += std::string(" (") + auth + ":" + code + ")";
    return out;
}

std::vector<std::string> field_names(OGRLayer& layer) {
    std::vector<std::string> names;
    const OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    return names;
}

int find_field(OGRLayer& layer, const std::string& where, const std::string& requested,
               const std::vector<std::string>& candidates, const std::string& role, bool required) {
    const auto names = field_names(layer);
    if (!requested.empty()) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == requested) return static_cast<int>(i);
        throw InputError(where + ": no " + role + " field '" + requested + "'" + did_you_mean(requested, names) +
                         "; fields: " + (names.empty() ? std::string("(none)") : join_list(names)));
    }
    std::vector<int> hits;
    for (const auto& candidate : candidates) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (strcasecmp(names[i].c_str(), candidate.c_str()) == 0) hits.push_back(static_cast<int>(i));
        if (!hits.empty()) break; // candidates are in order of preference
    }
    if (hits.size() == 1) return hits.front();
    if (hits.size() > 1)
        throw InputError(where + ": several fields could be the " + role + " field; choose one with --" + role +
                         "-field: " + join_list(names));
    if (!required) return -1;
    throw InputError(where + ": cannot tell which field holds the " + role + "; choose one with --" + role +
                     "-field; fields: " + (names.empty() ? std::string("(none)") : join_list(names)));
}

OGRPolygon part_polygon(const ShapeSet& shapes, std::size_t part) {
    OGRPolygon poly;
    for (std::size_t ring = shapes.part_start[part]; ring < shapes.part_start[part + 1]; ++ring) {
        OGRLinearRing lr;
        const std::size_t a = shapes.ring_start[ring], b = shapes.ring_start[ring + 1];
        lr.setPoints(static_cast<int>(b - a), shapes.x.data() + a, shapes.y.data() + a);
        poly.addRing(&lr);
    }
    return poly;
}

void append_polygons(const OGRGeometry* g, ShapeSet& out, double min_hole) {
    if (g == nullptr) return;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        out.begin_part();
        std::vector<double> xs, ys;
        const OGRPolygon* poly = g->toPolygon();
        const double shell = min_hole > 0 && poly->getExteriorRing() != nullptr ? poly->getExteriorRing()->get_Area() : 0;
        for (const OGRLinearRing* ring : *poly) {
            if (min_hole > 0 && ring != poly->getExteriorRing() && ring->get_Area() < min_hole * shell) continue;
            xs.resize(static_cast<std::size_t>(ring->getNumPoints()));
            ys.resize(xs.size());
            ring->getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
            out.add_ring(xs, ys);
        }
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const OGRGeometry* part : *g->toGeometryCollection()) append_polygons(part, out, min_hole);
    }
}

} // namespace cakupan::gdal
