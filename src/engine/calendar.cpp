// The time axis: calendar-month (or 7-day) steps from the start date, a partial last step scaled
// by its length, and which step an intervention's dates fall in.
#include "engine/plan.hpp"

#include "cakupan/common/error.hpp"
#include "engine/random.hpp"

#include <algorithm>

namespace cakupan {

using std::chrono::days;
using std::chrono::sys_days;

double day_count(Date a, Date b) { return static_cast<double>((sys_days(b) - sys_days(a)).count()); }

double overlap(const Calendar& c, std::size_t k, Date start, Date end) {
    const sys_days s0 = sys_days(c.boundaries[k]), s1 = sys_days(c.boundaries[k + 1]);
    const sys_days a = std::max(s0, sys_days(start)), b = std::min(s1, sys_days(end) + days(1));
    if (b <= a) return 0;
    return static_cast<double>((b - a).count()) / static_cast<double>((s1 - s0).count());
}

std::size_t step_of(const Calendar& c, Date d) {
    for (std::size_t k = 0; k < c.steps(); ++k)
        if (sys_days(d) < sys_days(c.boundaries[k + 1])) return k;
    return c.steps();
}

std::vector<char> january_steps(const Calendar& c) {
    std::vector<char> january(c.steps(), 0);
    for (std::size_t k = 1; k < c.steps(); ++k) {
        const auto y = Date(sys_days(c.boundaries[k + 1]) - days(1)).year();
        const Date jan1(y, std::chrono::January, std::chrono::day(1));
        if (sys_days(c.boundaries[k]) <= sys_days(jan1) && sys_days(jan1) < sys_days(c.boundaries[k + 1])) january[k] = 1;
    }
    return january;
}

Date Calendar::report_date(std::size_t k) const {
    if (k == 0) return boundaries.front();
    return Date(sys_days(boundaries[k]) - days(1));
}

Calendar make_calendar(const Period& period) {
    Calendar c;
    const Date stop(sys_days(period.end) + days(1)); // the day after the last day
    c.boundaries.push_back(period.start);
    for (int k = 1;; ++k) {
        const Date next =
            period.step == StepUnit::month ? add_months(period.start, k) : Date(sys_days(period.start) + days(7 * k));
        const Date prev = c.boundaries.back();
        const double full = period.step == StepUnit::month ? day_count(prev, next) : 7.0;
        const double unit = period.step == StepUnit::month ? 1.0 : 7.0 / 30.436875; // a week in months
        if (sys_days(next) >= sys_days(stop)) {
            c.boundaries.push_back(stop);
            c.months.push_back(unit * day_count(prev, stop) / full);
            break;
        }
        c.boundaries.push_back(next);
        c.months.push_back(unit);
        if (c.months.size() > rng::Stream::kMaxStep)
            throw ScenarioError("period: more than " + std::to_string(rng::Stream::kMaxStep) +
                                " steps; shorten the period or use monthly steps");
    }
    return c;
}

} // namespace cakupan
