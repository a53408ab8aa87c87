// Streaming estimates of the 5th, 50th and 95th percentiles (P-square, Jain & Chlamtac 1985):
// a few markers instead of every draw, so results reduce as draws stream in. The first 16 values
// are kept exactly (quantiles of up to 16 draws are exact); the markers then start from them.
// Fed in draw order, the sketch gives the same answer for any thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>

namespace cakupan {

inline constexpr std::array<double, 3> kSketchProbabilities = {0.05, 0.5, 0.95};

// Type-7 quantile (linear interpolation) of sorted values.
inline double sorted_quantile(const double* v, int n, double p) {
    if (n == 0) return NAN;
    const double h = (n - 1) * p;
    const int lo = static_cast<int>(std::floor(h));
    const int hi = std::min(lo + 1, n - 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

class QuantileSketch {
public:
    static constexpr int kExact = 16;

    void add(double x) {
        if (count_ < kExact) {
            buffer_[count_++] = x;
            return;
        }
        if (count_ == kExact) start_markers();
        for (int j = 0; j < 3; ++j) update(markers_[j], x, kSketchProbabilities[j]);
        ++count_;
    }

    // j indexes kSketchProbabilities.
    double quantile(int j) const {
        if (count_ > kExact) return markers_[j].q[2];
        double v[kExact];
        std::copy(buffer_, buffer_ + count_, v);
        std::sort(v, v + count_);
        return sorted_quantile(v, count_, kSketchProbabilities[j]);
    }

    int count() const { return count_; }

private:
    struct Markers {
        double q[5], n[5], np[5];
    };

    void start_markers() {
        double v[kExact];
        std::copy(buffer_, buffer_ + kExact, v);
        std::sort(v, v + kExact);
        for (int j = 0; j < 3; ++j) {
            const double p = kSketchProbabilities[j];
            const double at[5] = {0, p / 2, p, (1 + p) / 2, 1};
            Markers& m = markers_[j];
            for (int i = 0; i < 5; ++i) {
                m.np[i] = 1 + (kExact - 1) * at[i];
                m.n[i] = std::round(m.np[i]);
            }
            // Markers need distinct positions for the parabolic step, and the outer ones sit on the
            // smallest and largest value: positions 1 < n1 < n2 < n3 < kExact. For p = 0.95 the
            // upper three round to 15, 16, 16 and are pushed down, never past the buffer's end.
            m.n[0] = 1;
            m.n[4] = kExact;
            for (int i = 1; i < 4; ++i) m.n[i] = std::max(m.n[i], m.n[i - 1] + 1);
            for (int i = 3; i >= 1; --i) m.n[i] = std::min(m.n[i], m.n[i + 1] - 1);
            for (int i = 0; i < 5; ++i) m.q[i] = v[static_cast<int>(m.n[i]) - 1];
        }
    }

    static void update(Markers& m, double x, double p) {
        int k;
        if (x < m.q[0]) m.q[0] = x, k = 0;
        else if (x >= m.q[4]) m.q[4] = x, k = 3;
        else for (k = 0; k < 3 && !(x < m.q[k + 1]); ++k) {}
        for (int i = k + 1; i < 5; ++i) m.n[i] += 1;
        const double dn[5] = {0, p / 2, p, (1 + p) / 2, 1};
        for (int i = 0; i < 5; ++i) m.np[i] += dn[i];
        for (int i = 1; i < 4; ++i) {
            const double d = m.np[i] - m.n[i];
            if ((d >= 1 && m.n[i + 1] - m.n[i] > 1) || (d <= -1 && m.n[i - 1] - m.n[i] < -1)) {
                const double s = d > 0 ? 1 : -1;
                const double qp = m.q[i] + s / (m.n[i + 1] - m.n[i - 1]) *
                                               ((m.n[i] - m.n[i - 1] + s) * (m.q[i + 1] - m.q[i]) / (m.n[i + 1] - m.n[i]) +
                                                (m.n[i + 1] - m.n[i] - s) * (m.q[i] - m.q[i - 1]) / (m.n[i] - m.n[i - 1]));
                if (m.q[i - 1] < qp && qp < m.q[i + 1]) m.q[i] = qp;
                else {
                    const int j = i + static_cast<int>(s);
                    m.q[i] += s * (m.q[j] - m.q[i]) / (m.n[j] - m.n[i]);
                }
                m.n[i] += s;
            }
        }
    }

    double buffer_[kExact] = {};
    Markers markers_[3] = {};
    int count_ = 0;
};

} // namespace cakupan
