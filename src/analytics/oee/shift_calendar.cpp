#include "analytics/oee/shift_calendar.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/time.h"

namespace fh::analytics::oee {
namespace {

const ShiftSpec& AroundTheClock() {
  static const ShiftSpec kDay = [] {
    ShiftSpec s;
    s.name = "day";
    s.days.fill(true);
    return s;
  }();
  return kDay;
}

int Weekday(int64_t day) {  // Monday 0; 1970-01-01 was a Thursday
  return static_cast<int>(((day % 7) + 7 + 3) % 7);
}

std::string DateLabel(int64_t day) {
  const CivilDate d = CivilFromDays(day);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

// Minutes after `from_minute` until `to_minute`, wrapping past midnight; equal is a day.
int MinutesAfter(int from_minute, int to_minute) {
  const int d = to_minute - from_minute;
  return d > 0 ? d : d + 24 * 60;
}

}  // namespace

std::string ShiftInstance::Label() const {
  return DateLabel(local_day) + " " + spec->name;
}

int64_t LocalDay(const OeeSettings& settings, TimestampNs ts) {
  const auto tp =
      std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>(std::chrono::seconds(
          ts >= 0 ? ts / kNanosPerSecond : (ts - kNanosPerSecond + 1) / kNanosPerSecond));
  const cctz::civil_day day(cctz::convert(tp, settings.zone));
  return DaysFromCivil(day.year(), day.month(), day.day());
}

TimestampNs LocalInstant(const OeeSettings& settings, int64_t local_day, int minute) {
  const CivilDate d = CivilFromDays(local_day);
  const cctz::civil_second cs(d.year, d.month, d.day, 0, minute, 0);  // normalises minutes
  const auto tp = cctz::convert(cs, settings.zone);
  return static_cast<TimestampNs>(tp.time_since_epoch().count()) * kNanosPerSecond;
}

ShiftPlan ExpandShifts(const OeeSettings& settings, TimeRange range) {
  ShiftPlan plan;
  if (range.from >= range.to) return plan;
  std::vector<const ShiftSpec*> specs;
  for (const ShiftSpec& s : settings.shifts)
    specs.push_back(&s);
  if (specs.empty()) specs.push_back(&AroundTheClock());

  // A shift starting the day before the range may reach into it.
  const int64_t first = LocalDay(settings, range.from) - 1;
  const int64_t last = LocalDay(settings, range.to - 1);
  for (int64_t day = first; day <= last; ++day) {
    if (std::binary_search(settings.holidays.begin(), settings.holidays.end(), day)) continue;
    for (const ShiftSpec* s : specs) {
      if (!s->days[Weekday(day)]) continue;
      ShiftInstance in;
      in.spec = s;
      in.local_day = day;
      in.start = LocalInstant(settings, day, s->start_minute);
      in.end = LocalInstant(settings, day,
                            s->start_minute + MinutesAfter(s->start_minute, s->end_minute));
      if (in.end > range.from && in.start < range.to) plan.shifts.push_back(in);
    }
  }
  std::stable_sort(
      plan.shifts.begin(), plan.shifts.end(),
      [](const ShiftInstance& a, const ShiftInstance& b) { return a.start < b.start; });
  TimestampNs planned_until = range.from;
  for (size_t i = 0; i < plan.shifts.size(); ++i) {
    const ShiftInstance& in = plan.shifts[i];
    // Breaks, as instants, inside the shift, in order.
    std::vector<std::pair<TimestampNs, TimestampNs>> breaks;
    for (const ShiftSpec::Break& b : in.spec->breaks) {
      const int offset = MinutesAfter(in.spec->start_minute, b.start_minute) % (24 * 60);
      const int start = in.spec->start_minute + offset;
      const TimestampNs bs = LocalInstant(settings, in.local_day, start);
      const TimestampNs be =
          LocalInstant(settings, in.local_day, start + MinutesAfter(b.start_minute, b.end_minute));
      breaks.emplace_back(std::max(bs, in.start), std::min(be, in.end));
    }
    std::sort(breaks.begin(), breaks.end());
    TimestampNs t = std::max(in.start, planned_until);
    const TimestampNs end = std::min(in.end, range.to);
    auto emit = [&](TimestampNs a, TimestampNs b, bool is_break) {
      a = std::max(a, t);
      b = std::min(b, end);
      if (a < b) {
        plan.spans.push_back({a, b, static_cast<int32_t>(i), is_break});
        t = b;
      }
    };
    for (const auto& [bs, be] : breaks) {
      emit(t, bs, false);
      emit(bs, be, true);
    }
    emit(t, end, false);
    planned_until = std::max(planned_until, std::min(in.end, range.to));
  }
  return plan;
}

std::vector<PeriodSlot> CalendarPeriods(const OeeSettings& settings, TimeRange range, Period by) {
  std::vector<PeriodSlot> out;
  if (range.from >= range.to) return out;
  if (by == Period::kWhole || by == Period::kShift) {
    out.push_back({range.from, range.to, "all"});
    return out;
  }
  int64_t day = LocalDay(settings, range.from);
  if (by == Period::kWeek) day -= Weekday(day);
  if (by == Period::kMonth) {
    const CivilDate d = CivilFromDays(day);
    day = DaysFromCivil(d.year, d.month, 1);
  }
  while (true) {
    const TimestampNs start = LocalInstant(settings, day, 0);
    if (start >= range.to) break;
    int64_t next = day + 1;
    std::string label;
    const CivilDate d = CivilFromDays(day);
    if (by == Period::kDay) {
      label = DateLabel(day);
    } else if (by == Period::kWeek) {
      next = day + 7;
      // ISO 8601: the week belongs to the year of its Thursday.
      const CivilDate thursday = CivilFromDays(day + 3);
      const int64_t jan1 = DaysFromCivil(thursday.year, 1, 1);
      label = fmt::format("{:04}-W{:02}", thursday.year, (day + 3 - jan1) / 7 + 1);
    } else {
      next =
          d.month == 12 ? DaysFromCivil(d.year + 1, 1, 1) : DaysFromCivil(d.year, d.month + 1, 1);
      label = fmt::format("{:04}-{:02}", d.year, d.month);
    }
    const TimestampNs end = LocalInstant(settings, next, 0);
    if (end > range.from) {
      out.push_back({std::max(start, range.from), std::min(end, range.to), std::move(label)});
    }
    day = next;
  }
  return out;
}

}  // namespace fh::analytics::oee
