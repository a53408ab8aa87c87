#include "cakupan/render/classify.hpp"

#include "cakupan/common/error.hpp"
#include "cakupan/common/suggest.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace cakupan {

namespace {

struct SchemeName {
    const char* name;
    Scheme scheme;
};

constexpr SchemeName kSchemeNames[] = {
    {"quantile", Scheme::quantile}, {"equal", Scheme::equal_interval}, {"natural", Scheme::natural_breaks},
    {"jenks", Scheme::natural_breaks}, {"manual", Scheme::manual},     {"unclassed", Scheme::unclassed},
};

// Distinct values of a sorted sequence with their multiplicities; non-finite values are skipped.
struct Distinct {
    std::vector<double> values;
    std::vector<double> weights;
};

Distinct distinct_of(const std::vector<double>& sorted) {
    Distinct d;
    for (const double v : sorted) {
        if (!std::isfinite(v)) continue;
        if (!d.values.empty() && d.values.back() == v) {
            d.weights.back() += 1;
        } else {
            d.values.push_back(v);
            d.weights.push_back(1);
        }
    }
    return d;
}

// One class per distinct value: the inner breaks are every distinct value but the last.
std::vector<double> all_but_last(const std::vector<double>& distinct) {
    return distinct.empty() ? std::vector<double>{} : std::vector<double>(distinct.begin(), distinct.end() - 1);
}

// Within-class sums of squares of the distinct values, weighted by multiplicity, in O(1) per
// segment from prefix sums. The values are centred on their mean and the sums accumulated in long
// double, then each prefix rounded once to double: every cost is then off by at most a few ulps of
// the total sum of squares, while the inner loop runs in double (three times faster than long
// double on x86-64).
class SegmentCost {
public:
    explicit SegmentCost(const Distinct& d) : w_(d.values.size() + 1, 0), s_(w_.size(), 0), q_(w_.size(), 0) {
        long double total_w = 0, total_s = 0;
        for (std::size_t i = 0; i < d.values.size(); ++i) {
            total_w += d.weights[i];
            total_s += static_cast<long double>(d.weights[i]) * d.values[i];
        }
        const long double centre = total_w > 0 ? total_s / total_w : 0;
        long double w = 0, s = 0, q = 0;
        for (std::size_t i = 0; i < d.values.size(); ++i) {
            const long double y = static_cast<long double>(d.values[i]) - centre;
            w += d.weights[i];
            s += d.weights[i] * y;
            q += d.weights[i] * y * y;
            w_[i + 1] = static_cast<double>(w);
            s_[i + 1] = static_cast<double>(s);
            q_[i + 1] = static_cast<double>(q);
        }
    }
    // Cost of the segment of distinct values [a, b), a < b.
    double operator()(std::size_t a, std::size_t b) const {
        const double w = w_[b] - w_[a];
        const double s = s_[b] - s_[a];
        const double c = q_[b] - q_[a] - s * s / w;
        return c > 0 ? c : 0;
    }

private:
    std::vector<double> w_, s_, q_;
};

// One layer of the dynamic programme: cur[i] = min over m of prev[m] + cost(m, i), the last class
// being [m, i). The best m is non-decreasing in i (the cost has the Monge property), so the middle
// i of a range is solved by a scan and bounds the split of both halves: O(n log n) per layer.
class LayerSolver {
public:
    LayerSolver(const SegmentCost& cost, const std::vector<double>& prev, std::vector<double>& cur,
                std::vector<int>& split, std::size_t min_split)
        : cost_(cost), prev_(prev), cur_(cur), split_(split), min_split_(min_split) {}

    void solve(std::size_t lo, std::size_t hi, std::size_t opt_lo, std::size_t opt_hi) {
        while (lo <= hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            const std::size_t first = std::max({opt_lo, min_split_});
            const std::size_t last = std::min(opt_hi, mid - 1);
            double best = std::numeric_limits<double>::infinity();
            std::size_t best_m = first;
            for (std::size_t m = first; m <= last; ++m) {
                const double c = prev_[m] + cost_(m, mid);
                if (c < best) {
                    best = c;
                    best_m = m;
                }
            }
            cur_[mid] = best;
            split_[mid] = static_cast<int>(best_m);
            // Recurse into the smaller half, loop over the larger: the stack stays O(log n).
            if (mid - lo < hi - mid) {
                if (mid > lo) solve(lo, mid - 1, opt_lo, best_m);
                lo = mid + 1;
                opt_lo = best_m;
            } else {
                if (hi > mid) solve(mid + 1, hi, best_m, opt_hi);
                if (mid == lo) break;
                hi = mid - 1;
                opt_hi = best_m;
            }
        }
    }

private:
    const SegmentCost& cost_;
    const std::vector<double>& prev_;
    std::vector<double>& cur_;
    std::vector<int>& split_;
    std::size_t min_split_;
};

void check_classes(int k) {
    if (k < 1) throw UsageError("number of classes " + std::to_string(k) + " is not allowed (expected at least 1)");
}

std::vector<double> finite_sorted(std::vector<double> values, std::size_t& no_data) {
    const auto end = std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
    no_data = static_cast<std::size_t>(values.end() - end);
    values.erase(end, values.end());
    std::sort(values.begin(), values.end());
    return values;
}

std::vector<double> quantile_inner(const std::vector<double>& sorted, int k) {
    // Class i ends at the value of rank ceil(i n / k): classes as equal in size as ties allow.
    const std::size_t n = sorted.size();
    std::vector<double> inner;
    for (std::size_t i = 1; i < static_cast<std::size_t>(k); ++i) {
        const double b = sorted[(i * n + static_cast<std::size_t>(k) - 1) / static_cast<std::size_t>(k) - 1];
        // Ties make repeated breaks (empty classes): keep each break once, below the maximum.
        if (b < sorted.back() && (inner.empty() || b > inner.back())) inner.push_back(b);
    }
    return inner;
}

std::vector<double> equal_inner(double lo, double hi, int k) {
    std::vector<double> inner;
    for (int i = 1; i < k; ++i) inner.push_back(lo + (hi - lo) * i / k);
    return inner;
}

std::string shortest(double v) {
    char buf[32];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("?");
}

void check_manual(const std::vector<double>& manual) {
    for (std::size_t i = 0; i < manual.size(); ++i) {
        if (!std::isfinite(manual[i]))
            throw UsageError("manual break " + std::to_string(i + 1) + " is not a finite number");
        if (i > 0 && !(manual[i] > manual[i - 1]))
            throw UsageError("manual breaks must increase: break " + std::to_string(i + 1) + " (" + shortest(manual[i]) +
                             ") is not above break " + std::to_string(i) + " (" + shortest(manual[i - 1]) + ")");
    }
}

} // namespace

Scheme parse_scheme(std::string_view s) {
    std::vector<std::string> names;
    for (const auto& entry : kSchemeNames) {
        if (s == entry.name) return entry.scheme;
        names.emplace_back(entry.name);
    }
    throw UsageError("unknown classification scheme '" + std::string(s) + "'" + did_you_mean(s, names) +
                     "; expected quantile, equal, natural, manual or unclassed");
}

std::vector<double> parse_breaks(std::string_view list) {
    std::vector<double> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = list.find(',', start);
        std::string_view t = list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        double v = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v))
            throw UsageError("--breaks: '" + std::string(t) + "' is not a number (expected inner breaks such as 0.3,0.5717)");
        out.push_back(v);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    try {
        check_manual(out);
    } catch (const UsageError& e) {
        throw UsageError(std::string("--breaks: ") + e.what());
    }
    return out;
}

const char* to_string(Scheme scheme) {
    switch (scheme) {
    case Scheme::quantile: return "quantile";
    case Scheme::equal_interval: return "equal";
    case Scheme::natural_breaks: return "natural";
    case Scheme::manual: return "manual";
    case Scheme::unclassed: return "unclassed";
    }
    return "unknown";
}

int Classification::class_of(double v) const {
    if (std::isnan(v) || breaks.size() < 2) return -1;
    // The first inner break >= v closes v's class; above every inner break is the last class.
    const auto inner_begin = breaks.begin() + 1;
    const auto inner_end = breaks.end() - 1;
    return static_cast<int>(std::lower_bound(inner_begin, inner_end, v) - inner_begin);
}

Classification classify(std::vector<double> values, Scheme scheme, int classes, const std::vector<double>& manual_breaks) {
    if (scheme == Scheme::manual) check_manual(manual_breaks);
    else if (scheme != Scheme::unclassed) check_classes(classes);

    Classification c;
    c.scheme = scheme;
    const std::vector<double> sorted = finite_sorted(std::move(values), c.no_data);
    if (sorted.empty()) return c;
    const double lo = sorted.front(), hi = sorted.back();

    std::vector<double> inner;
    if (scheme == Scheme::manual) {
        inner = manual_breaks;
    } else if (scheme == Scheme::unclassed) {
        // One class spanning the data; maps colour each value on the continuous ramp.
    } else {
        const Distinct d = distinct_of(sorted);
        if (d.values.size() < static_cast<std::size_t>(classes)) inner = all_but_last(d.values);
        else if (scheme == Scheme::quantile) inner = quantile_inner(sorted, classes);
        else if (scheme == Scheme::equal_interval) inner = equal_inner(lo, hi, classes);
        else inner = natural_breaks(sorted, classes);
    }

    c.breaks.reserve(inner.size() + 2);
    // Manual breaks outside the data stay: the outer breaks widen to keep them in order.
    c.breaks.push_back(inner.empty() ? lo : std::min(lo, inner.front()));
    c.breaks.insert(c.breaks.end(), inner.begin(), inner.end());
    c.breaks.push_back(inner.empty() ? hi : std::max(hi, inner.back()));
    c.counts.assign(c.classes(), 0);
    for (const double v : sorted) ++c.counts[static_cast<std::size_t>(c.class_of(v))];
    return c;
}

Classification reclassify(const Classification& fixed, const std::vector<double>& values) {
    Classification c;
    c.scheme = fixed.scheme;
    c.breaks = fixed.breaks;
    c.counts.assign(c.classes(), 0);
    for (const double v : values) {
        if (!std::isfinite(v)) ++c.no_data;
        else if (const int k = c.class_of(v); k >= 0) ++c.counts[static_cast<std::size_t>(k)];
    }
    return c;
}

std::vector<double> natural_breaks(const std::vector<double>& sorted, int k) {
    check_classes(k);
    const Distinct d = distinct_of(sorted);
    const std::size_t n = d.values.size();
    const auto kk = static_cast<std::size_t>(k);
    if (kk >= n) return all_but_last(d.values);
    if (kk == 1) return {};

    // Dynamic programme over the distinct values weighted by their counts: classes never split a
    // run of equal values (an optimum that does not exists, and the breaks could not express it).
    const SegmentCost cost(d);
    std::vector<double> prev(n + 1), cur(n + 1, 0);
    for (std::size_t i = 1; i <= n; ++i) prev[i] = cost(0, i);
    // split[j][i]: start of the last class when the first i values form j + 2 classes.
    std::vector<std::vector<int>> split(kk - 1);
    for (std::size_t j = 2; j < kk; ++j) {
        auto& s = split[j - 2];
        s.assign(n + 1, 0);
        // j classes need at least j values, and leave at least k - j for the classes after them.
        LayerSolver(cost, prev, cur, s, j - 1).solve(j, n - (kk - j), j - 1, n - (kk - j) - 1);
        std::swap(prev, cur);
    }
    // The last layer is needed only for all n values: one scan.
    auto& last = split[kk - 2];
    last.assign(n + 1, 0);
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t m = kk - 1; m < n; ++m) {
        const double c = prev[m] + cost(m, n);
        if (c < best) {
            best = c;
            last[n] = static_cast<int>(m);
        }
    }

    std::vector<double> inner(kk - 1);
    std::size_t end = n;
    for (std::size_t j = kk; j >= 2; --j) {
        const auto start = static_cast<std::size_t>(split[j - 2][end]);
        inner[j - 2] = d.values[start - 1];
        end = start;
    }
    return inner;
}

std::vector<double> natural_breaks_reference(const std::vector<double>& sorted, int k) {
    check_classes(k);
    std::vector<double> x;
    for (const double v : sorted)
        if (std::isfinite(v)) x.push_back(v);
    const Distinct d = distinct_of(x);
    const auto kk = static_cast<std::size_t>(k);
    if (kk >= d.values.size()) return all_but_last(d.values);
    if (kk == 1) return {};

    // Plain O(k n^2) programme over the raw values; classes may start only where the value
    // changes. Segment costs by Welford's update while the segment grows leftwards, independent
    // of the prefix sums of the fast version.
    const std::size_t n = x.size();
    const long double inf = std::numeric_limits<long double>::infinity();
    std::vector<std::vector<long double>> best(kk + 1, std::vector<long double>(n + 1, inf));
    std::vector<std::vector<std::size_t>> from(kk + 1, std::vector<std::size_t>(n + 1, 0));
    best[0][0] = 0;
    for (std::size_t i = 1; i <= n; ++i) {
        if (i < n && x[i - 1] == x[i]) continue; // a class cannot end inside a run of ties
        long double mean = 0, ss = 0;
        for (std::size_t m = i; m-- > 0;) {
            const long double count = static_cast<long double>(i - m);
            const long double delta = x[m] - mean;
            mean += delta / count;
            ss += delta * (x[m] - mean);
            if (m > 0 && x[m - 1] == x[m]) continue; // nor start inside one
            for (std::size_t j = 1; j <= kk; ++j) {
                if (best[j - 1][m] == inf) continue;
                const long double c = best[j - 1][m] + ss;
                if (c < best[j][i]) {
                    best[j][i] = c;
                    from[j][i] = m;
                }
            }
        }
    }
    std::vector<double> inner(kk - 1);
    std::size_t end = n;
    for (std::size_t j = kk; j >= 2; --j) {
        const std::size_t start = from[j][end];
        inner[j - 2] = x[start - 1];
        end = start;
    }
    return inner;
}

double within_class_ss(const std::vector<double>& sorted, const std::vector<double>& inner_breaks) {
    // Two passes per class (means, then squared deviations) so that the result does not depend
    // on how the classes were found.
    const std::size_t k = inner_breaks.size() + 1;
    auto class_of = [&](double v) {
        return static_cast<std::size_t>(std::lower_bound(inner_breaks.begin(), inner_breaks.end(), v) -
                                        inner_breaks.begin());
    };
    std::vector<long double> sum(k, 0), count(k, 0);
    for (const double v : sorted) {
        if (!std::isfinite(v)) continue;
        const auto c = class_of(v);
        sum[c] += v;
        count[c] += 1;
    }
    std::vector<long double> mean(k, 0);
    for (std::size_t c = 0; c < k; ++c) mean[c] = count[c] > 0 ? sum[c] / count[c] : 0;
    long double ss = 0;
    for (const double v : sorted) {
        if (!std::isfinite(v)) continue;
        const long double dev = v - mean[class_of(v)];
        ss += dev * dev;
    }
    return static_cast<double>(ss);
}

double goodness_of_variance_fit(const std::vector<double>& sorted, const std::vector<double>& inner_breaks) {
    const double total = within_class_ss(sorted, {});
    return total > 0 ? 1.0 - within_class_ss(sorted, inner_breaks) / total : 1.0;
}

} // namespace cakupan
