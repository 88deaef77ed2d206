#include "analytics/alarms/alarm_report.h"

#include <algorithm>
#include <deque>
#include <map>

namespace fh::analytics::alarms {
namespace {

bool Annunciation(const JournalEntry& e) {
  return e.event.annunciated &&
         (e.event.kind == AlarmEventKind::kActivated || e.event.kind == AlarmEventKind::kReAlarmed);
}

std::vector<AlarmCount> Ranked(const std::map<std::string_view, int64_t>& counts, int64_t total,
                               size_t top) {
  std::vector<AlarmCount> out;
  for (const auto& [alarm, count] : counts)
    out.push_back({std::string(alarm), count, total > 0 ? double(count) / double(total) : 0});
  std::stable_sort(out.begin(), out.end(),
                   [](const AlarmCount& a, const AlarmCount& b) { return a.count > b.count; });
  if (out.size() > top) out.resize(top);
  return out;
}

}  // namespace

AlarmReport ReportAlarms(std::span<const JournalEntry> journal, TimeRange range,
                         const AlarmReportOptions& o) {
  AlarmReport r;
  r.range = range;
  r.operators = std::max(1, o.operators);
  const double operators = r.operators;
  const int64_t length = std::max<int64_t>(1, range.to - range.from);
  const int64_t period = std::max<int64_t>(1, o.period_ns);
  r.periods = (length + period - 1) / period;
  std::vector<int64_t> per_period(static_cast<size_t>(r.periods), 0);

  std::map<std::string_view, int64_t> by_alarm, chattering;
  std::map<std::string_view, std::deque<TimestampNs>> recent;  // activations in the window
  std::map<std::string_view, TimestampNs> active_since;
  std::map<std::string_view, bool> stale;
  for (const JournalEntry& e : journal) {
    const TimestampNs ts = e.event.ts;
    if (!range.Contains(ts)) continue;
    const AlarmEventKind kind = e.event.kind;
    if (kind == AlarmEventKind::kActivated) {
      active_since[e.alarm] = ts;
      if (!e.event.annunciated) ++r.suppressed_activations;
    }
    if (kind == AlarmEventKind::kCleared) {
      auto it = active_since.find(e.alarm);
      if (it != active_since.end()) {
        const int64_t lasted = ts - it->second;
        if (lasted < o.fleeting_ns) ++r.fleeting;
        if (lasted > o.stale_ns) stale[e.alarm] = true;
        active_since.erase(it);
      }
    }
    if (!Annunciation(e)) continue;
    ++r.annunciated;
    ++by_alarm[e.alarm];
    ++r.by_priority[static_cast<size_t>(e.priority)];
    ++per_period[static_cast<size_t>((ts - range.from) / period)];
    if (kind != AlarmEventKind::kActivated) continue;
    // Chattering: this activation is the chatter_count-th within the window.
    std::deque<TimestampNs>& window = recent[e.alarm];
    window.push_back(ts);
    while (window.front() <= ts - o.chatter_window_ns)
      window.pop_front();
    if (static_cast<int64_t>(window.size()) >= o.chatter_count && !chattering.count(e.alarm)) {
      chattering[e.alarm] = 0;
    }
  }
  // Still active at the end of the range.
  for (const auto& [alarm, since] : active_since) {
    if (range.to - since > o.stale_ns) stale[alarm] = true;
  }
  for (auto& [alarm, count] : chattering)
    count = by_alarm[alarm];

  const double total = static_cast<double>(r.annunciated);
  r.per_operator_per_10_minutes =
      total / operators / (static_cast<double>(length) / static_cast<double>(10 * kNanosPerMinute));
  r.per_operator_per_hour = total / operators / (static_cast<double>(length) / kNanosPerHour);
  r.per_operator_per_day = total / operators / (static_cast<double>(length) / kNanosPerDay);
  for (size_t p = 0; p < per_period.size(); ++p) {
    const double each = static_cast<double>(per_period[p]) / operators;
    if (each > static_cast<double>(o.flood_above)) ++r.periods_in_flood;
    if (each > r.peak_in_period) {
      r.peak_in_period = each;
      r.peak_at = range.from + static_cast<int64_t>(p) * period;
    }
  }
  r.flood_percent = r.periods > 0 ? 100.0 * double(r.periods_in_flood) / double(r.periods) : 0;
  r.bad_actors = Ranked(by_alarm, r.annunciated, o.top);
  for (const AlarmCount& a : r.bad_actors)
    r.bad_actors_share += a.share;
  r.chattering = Ranked(chattering, r.annunciated, SIZE_MAX);
  for (const auto& [alarm, is] : stale)
    r.stale.emplace_back(alarm);
  return r;
}

}  // namespace fh::analytics::alarms
