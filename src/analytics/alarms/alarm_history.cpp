#include "analytics/alarms/alarm_history.h"

#include <algorithm>
#include <tuple>

#include "analytics/alarms/alarm_condition.h"
#include "store/event_session.h"
#include "store/models/spc_event_store.h"

namespace fh::analytics::alarms {
namespace {

// What happens at one time to one alarm: its suppressing tag, its set-point or its own tag
// has a value (in that order, so that a value is judged against what held at its time).
enum class Input : uint8_t { kSuppressor, kSetpoint, kValue };

struct Item {
  TimestampNs ts;
  Input input;
  double value;
};

class Evaluation {
 public:
  Evaluation(const AlarmDefinition& d, std::vector<JournalEntry>& out)
      : d_(d), condition_(d), state_(d.latched, d.re_alarm_ns), out_(out) {}

  void Feed(const Item& item) {
    Advance(item.ts);
    switch (item.input) {
      case Input::kSuppressor: {
        const std::vector<double>& states = d_.suppressed_when->states;
        const bool suppressed = std::find(states.begin(), states.end(), item.value) != states.end();
        if (auto e = state_.Suppress(suppressed, item.ts)) Journal(*e);
        break;
      }
      case Input::kSetpoint:
        condition_.Setpoint(item.value);
        break;
      case Input::kValue:
        if (auto c = condition_.Add(item.ts, item.value)) Apply(*c);
        break;
    }
  }

  // Delays that elapse, a tag that goes stale, by `now`.
  void Advance(TimestampNs now) {
    while (auto c = condition_.Advance(now))
      Apply(*c);
  }

  // The SPC characteristic's condition, from its episodes.
  void Condition(bool active, TimestampNs ts, double value) {
    Apply(ConditionChange{active, ts, value});
  }

 private:
  void Apply(const ConditionChange& c) {
    if (auto e = state_.Condition(c.active, c.ts)) Journal(*e, c.value);
  }
  void Journal(const AlarmEvent& e, double value = std::numeric_limits<double>::quiet_NaN()) {
    out_.push_back({d_.name, d_.equipment, d_.priority, e, value});
  }

  const AlarmDefinition& d_;
  AlarmCondition condition_;
  AlarmState state_;
  std::vector<JournalEntry>& out_;
};

Status ReadInto(Hub& hub, const std::string& tag, TimeRange range, Input input,
                std::vector<Item>& items) {
  Status s = hub.storage().Scan(
      tag, range,
      [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
        for (size_t i = 0; i < ts.size(); ++i)
          items.push_back({ts[i], input, v[i]});
        return true;
      });
  if (s.code() == StatusCode::kNotFound) return Status::Ok();  // no value yet
  return s;
}

Status EvaluateTag(Hub& hub, const AlarmDefinition& d, TimeRange range, int64_t window,
                   std::vector<JournalEntry>& out) {
  Evaluation evaluation(d, out);
  std::vector<Item> items;
  // Values before the range say what held when it begins: the last set-point and the
  // suppressing tag's last state (not the alarm's own: its alarms are the range's).
  auto last_before = [&](const std::string& tag, Input input) -> Status {
    std::optional<Item> last;
    Status s = hub.storage().Scan(
        tag, TimeRange{range.from - kNanosPerDay, range.from},
        [&](std::span<const TimestampNs> ts, std::span<const double> v, std::span<const uint32_t>) {
          if (!ts.empty()) last = Item{range.from, input, v.back()};
          return true;
        });
    if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
    if (last) evaluation.Feed(*last);
    return Status::Ok();
  };
  if (d.suppressed_when)
    FH_RETURN_IF_ERROR(last_before(d.suppressed_when->tag, Input::kSuppressor));
  if (d.type == AlarmType::kDeviation)
    FH_RETURN_IF_ERROR(last_before(d.setpoint, Input::kSetpoint));
  for (TimestampNs from = range.from; from < range.to;) {
    const TimestampNs to = range.to - from > window ? from + window : range.to;
    items.clear();
    const TimeRange part{from, to};
    FH_RETURN_IF_ERROR(ReadInto(hub, d.tag, part, Input::kValue, items));
    if (d.type == AlarmType::kDeviation) {
      FH_RETURN_IF_ERROR(ReadInto(hub, d.setpoint, part, Input::kSetpoint, items));
    }
    if (d.suppressed_when) {
      FH_RETURN_IF_ERROR(ReadInto(hub, d.suppressed_when->tag, part, Input::kSuppressor, items));
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::tie(a.ts, a.input) < std::tie(b.ts, b.input);
    });
    for (const Item& item : items)
      evaluation.Feed(item);
    from = to;
  }
  evaluation.Advance(range.to - 1);
  return Status::Ok();
}

// An SPC alarm is active while any episode of its characteristic is: from the point that
// completed a pattern (ts) to the last that fired it, or on when the episode is still
// open.
Status EvaluateSpc(Hub& hub, const AlarmDefinition& d, TimeRange range,
                   std::vector<JournalEntry>& out) {
  SpcEventFilter f;
  f.characteristic = d.characteristic;
  f.from = range.from;
  f.to = range.to;
  f.limit = std::numeric_limits<int32_t>::max();
  Result<std::vector<StoredSpcEvent>> episodes = [&] {
    EventSession session = hub.OpenEvents();
    return session.spc_events().List(f);
  }();
  if (!episodes.ok()) return episodes.status();
  struct Edge {
    TimestampNs ts;
    int delta;  // +1 opens (first at a time), -1 closes
    double value;
  };
  std::vector<Edge> edges;
  for (const StoredSpcEvent& e : *episodes) {
    edges.push_back({e.ts, +1, e.value});
    if (!e.active && e.last_ts < range.to) edges.push_back({e.last_ts, -1, e.value});
  }
  std::stable_sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    if (a.ts != b.ts) return a.ts < b.ts;
    return a.delta > b.delta;  // an episode that opens as another closes: no gap
  });
  Evaluation evaluation(d, out);
  int open = 0;
  for (const Edge& e : edges) {
    const bool was = open > 0;
    open += e.delta;
    if ((open > 0) != was) evaluation.Condition(open > 0, e.ts, e.value);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<JournalEntry>> EvaluateHistory(Hub& hub, const AlarmConfig& config,
                                                  TimeRange range, HistoryOptions options) {
  if (range.from == std::numeric_limits<TimestampNs>::min() ||
      range.to == std::numeric_limits<TimestampNs>::max()) {
    return InvalidArgument("the range needs a start and an end");
  }
  if (range.from >= range.to)
    return InvalidArgument("the range is empty: its start is not before its end");
  std::vector<JournalEntry> out;
  for (const AlarmDefinition& d : config.alarms) {
    Status s = d.type == AlarmType::kSpc
                   ? EvaluateSpc(hub, d, range, out)
                   : EvaluateTag(hub, d, range, std::max<int64_t>(1, options.window_ns), out);
    if (!s.ok()) return s.WithContext("evaluating alarm " + d.name);
  }
  std::stable_sort(out.begin(), out.end(), [](const JournalEntry& a, const JournalEntry& b) {
    return a.event.ts < b.event.ts;
  });
  return out;
}

}  // namespace fh::analytics::alarms
