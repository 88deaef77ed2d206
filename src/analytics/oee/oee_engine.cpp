#include "analytics/oee/oee_engine.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/time.h"

namespace fh::analytics::oee {
namespace {

struct Segment {
  TimestampNs start = 0;
  TimestampNs end = 0;
  EquipmentState state = EquipmentState::kRunning;
  std::optional<int64_t> reason_id;
};

struct OrderSpan {
  TimestampNs start = 0;
  TimestampNs end = 0;
  const OeeOrder* order = nullptr;
  double weight_ns = 0;     // what its counts are spread over
  bool by_running = false;  // over running time (else evenly over the span)
};

// States as disjoint segments by start: open ones end at as_of, and where two overlap the
// later one wins. The overlapping stretches are returned in `cuts`.
std::vector<Segment> Segments(const std::vector<StateSpan>& states, TimestampNs as_of,
                              std::vector<std::pair<TimestampNs, TimestampNs>>* cuts) {
  std::vector<const StateSpan*> sorted;
  sorted.reserve(states.size());
  for (const StateSpan& s : states)
    sorted.push_back(&s);
  if (!std::is_sorted(sorted.begin(), sorted.end(),
                      [](auto* a, auto* b) { return a->start_ts < b->start_ts; })) {
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](auto* a, auto* b) { return a->start_ts < b->start_ts; });
  }
  std::vector<Segment> out;
  out.reserve(sorted.size());
  for (const StateSpan* s : sorted) {
    const TimestampNs end = s->end_ts ? *s->end_ts : std::max(as_of, s->start_ts);
    if (end <= s->start_ts) continue;
    while (!out.empty() && out.back().end > s->start_ts) {
      cuts->emplace_back(std::max(s->start_ts, out.back().start), out.back().end);
      out.back().end = s->start_ts;
      if (out.back().end <= out.back().start) {
        out.pop_back();
      } else {
        break;
      }
    }
    out.push_back({s->start_ts, end, s->state, s->reason_id});
  }
  return out;
}

// The first segment (or order) that ends after t.
template <typename T>
size_t FirstEndingAfter(const std::vector<T>& v, TimestampNs t) {
  return std::partition_point(v.begin(), v.end(), [t](const T& x) { return x.end <= t; }) -
         v.begin();
}

std::vector<OrderSpan> OrderSpans(const OeeUnitInput& unit, const std::vector<Segment>& segs,
                                  const OeeSettings& settings, TimestampNs as_of,
                                  std::vector<std::string>* warnings) {
  std::vector<OrderSpan> out;
  for (const OeeOrder& o : unit.orders) {
    const bool counted = o.good + o.scrap + o.rework > 0;
    if (!o.start) {
      if (counted) {
        warnings->push_back(
            fmt::format("{}: work order {} has counts but no actual start: "
                        "not counted",
                        unit.path, o.number));
      }
      continue;
    }
    const TimestampNs end = o.end ? *o.end : std::max(as_of, *o.start);
    if (end <= *o.start) {
      if (counted) {
        warnings->push_back(
            fmt::format("{}: work order {} ends when it starts: its counts are not counted",
                        unit.path, o.number));
      }
      continue;
    }
    out.push_back({*o.start, end, &o});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const OrderSpan& a, const OrderSpan& b) { return a.start < b.start; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i - 1].end > out[i].start) {
      warnings->push_back(
          fmt::format("{}: work orders {} and {} overlap; {} is taken to end "
                      "when {} starts",
                      unit.path, out[i - 1].order->number, out[i].order->number,
                      out[i - 1].order->number, out[i].order->number));
      out[i - 1].end = out[i].start;
    }
  }
  std::erase_if(out, [](const OrderSpan& o) { return o.end <= o.start; });
  for (OrderSpan& o : out) {
    double running = 0;
    for (size_t i = FirstEndingAfter(segs, o.start); i < segs.size() && segs[i].start < o.end;
         ++i) {
      if (settings.BucketOf(segs[i].state) != TimeBucket::kProduction) continue;
      running +=
          static_cast<double>(std::min(segs[i].end, o.end) - std::max(segs[i].start, o.start));
    }
    o.by_running = running > 0;
    o.weight_ns = o.by_running ? running : static_cast<double>(o.end - o.start);
  }
  return out;
}

}  // namespace

std::string_view ToString(LossKind k) {
  switch (k) {
    case LossKind::kPlannedStop:
      return "planned stop";
    case LossKind::kSetup:
      return "setup";
    case LossKind::kDelay:
      return "delay";
    case LossKind::kDown:
      return "down";
    case LossKind::kMicroStop:
      return "micro-stop";
    case LossKind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

OeeCalendar MakeOeeCalendar(const OeeSettings& settings, TimeRange window, Period by) {
  OeeCalendar c;
  c.window = window;
  c.by = by;
  if (window.from >= window.to) return c;
  c.plan = ExpandShifts(settings, window);
  if (by == Period::kShift) {
    for (const ShiftInstance& s : c.plan.shifts) {
      c.periods.push_back(
          {s.Label(), std::max(s.start, window.from), std::min(s.end, window.to), {}});
    }
  } else {
    for (PeriodSlot& p : CalendarPeriods(settings, window, by)) {
      c.periods.push_back({std::move(p.label), p.start, p.end, {}});
    }
  }
  return c;
}

OeeUnitResult ComputeUnitOee(const OeeUnitInput& unit, const OeeSettings& settings,
                             TimeRange window, Period by, TimestampNs as_of) {
  return ComputeUnitOee(unit, settings, MakeOeeCalendar(settings, window, by), as_of);
}

OeeUnitResult ComputeUnitOee(const OeeUnitInput& unit, const OeeSettings& settings,
                             const OeeCalendar& calendar, TimestampNs as_of) {
  OeeUnitResult r;
  const TimeRange window = calendar.window;
  const Period by = calendar.by;
  if (window.from >= window.to) return r;
  std::vector<std::pair<TimestampNs, TimestampNs>> cuts;
  const std::vector<Segment> segs = Segments(unit.states, as_of, &cuts);
  if (!cuts.empty()) {
    r.warnings.push_back(
        fmt::format("{}: {} recorded states overlap the one before; the later "
                    "one is counted",
                    unit.path, cuts.size()));
  }
  const std::vector<OrderSpan> orders = OrderSpans(unit, segs, settings, as_of, &r.warnings);
  const ShiftPlan& plan = calendar.plan;
  r.periods = calendar.periods;
  OeeTotals outside;  // not in any period: time outside the shifts when periods are shifts

  const std::vector<PlanSpan>& spans = plan.spans;
  size_t pi = 0, qi = 0;
  size_t si = FirstEndingAfter(segs, window.from);
  size_t oi = FirstEndingAfter(orders, window.from);
  TimestampNs t = window.from;
  while (t < window.to) {
    while (pi < spans.size() && spans[pi].end <= t)
      ++pi;
    while (si < segs.size() && segs[si].end <= t)
      ++si;
    while (oi < orders.size() && orders[oi].end <= t)
      ++oi;
    TimestampNs next = window.to;
    auto current = [&](const auto& v, size_t i) -> decltype(&v[0]) {
      if (i >= v.size()) return nullptr;
      if (v[i].start <= t) {
        next = std::min(next, v[i].end);
        return &v[i];
      }
      next = std::min(next, v[i].start);
      return nullptr;
    };
    const PlanSpan* span = current(spans, pi);
    const Segment* seg = current(segs, si);
    const OrderSpan* order = current(orders, oi);
    OeeTotals* group = &outside;
    if (by == Period::kShift) {
      if (span) group = &r.periods[span->shift].totals;
    } else {
      while (r.periods[qi].end <= t)
        ++qi;
      next = std::min(next, r.periods[qi].end);
      group = &r.periods[qi].totals;
    }
    const int64_t d = next - t;
    OeeTotals& g = *group;
    g.calendar_ns += d;
    const bool busy = span && !span->is_break;  // in the planned busy time
    const bool starts_here = seg && seg->start == t;
    const TimeBucket bucket = seg ? settings.BucketOf(seg->state) : TimeBucket::kDelay;
    const bool running = seg && bucket == TimeBucket::kProduction;
    if (!span) {
      g.not_scheduled_ns += d;
      if (running) g.unscheduled_run_ns += d;
    } else if (span->is_break) {
      g.break_ns += d;
    } else if (!seg) {
      g.unknown_ns += d;
      r.losses[{LossKind::kUnknown, std::nullopt}].ns += d;
    } else {
      LossKind kind = LossKind::kUnknown;
      switch (bucket) {
        case TimeBucket::kProduction:
          g.production_ns += d;
          break;
        case TimeBucket::kPlanned:
          g.planned_stop_ns += d;
          kind = LossKind::kPlannedStop;
          break;
        case TimeBucket::kSetup:
          g.setup_ns += d;
          kind = LossKind::kSetup;
          break;
        case TimeBucket::kDelay:
        case TimeBucket::kDown:
          if (seg->end - seg->start < settings.micro_stop_ns) {
            g.micro_stop_ns += d;
            g.micro_stops += starts_here;
            kind = LossKind::kMicroStop;
          } else {
            (bucket == TimeBucket::kDelay ? g.delay_ns : g.down_ns) += d;
            kind = bucket == TimeBucket::kDelay ? LossKind::kDelay : LossKind::kDown;
            if (settings.IsFailure(seg->state)) {
              g.failure_ns += d;
              g.failures += starts_here;
            }
          }
          break;
      }
      if (bucket != TimeBucket::kProduction) {
        LossTime& loss = r.losses[{kind, seg->reason_id}];
        loss.ns += d;
        loss.stops += starts_here;
      }
    }
    if (order) {
      const double share = order->by_running
                               ? (running ? static_cast<double>(d) / order->weight_ns : 0.0)
                               : static_cast<double>(d) / order->weight_ns;
      if (share > 0) {
        const OeeOrder& o = *order->order;
        const double produced = (o.good + o.scrap + o.rework) * share;
        if (busy) {
          g.produced += produced;
          g.good += o.good * share;
          g.scrap += o.scrap * share;
          g.rework += o.rework * share;
          if (o.cycle_time_s) {
            g.ideal_s += produced * *o.cycle_time_s;
            g.ideal_not_good_s += (o.scrap + o.rework) * share * *o.cycle_time_s;
          } else {
            g.produced_without_cycle_time += produced;
          }
        } else {
          g.unscheduled_produced += produced;
        }
      }
    }
    t = next;
  }
  // Overlaps are reported in the periods they fall in.
  for (const auto& [a, b] : cuts) {
    const TimestampNs from = std::max(a, window.from), to = std::min(b, window.to);
    if (from >= to) continue;
    bool placed = false;
    for (OeePeriod& p : r.periods) {
      const TimestampNs x = std::max(from, p.start), y = std::min(to, p.end);
      if (x < y) {
        p.totals.overlap_ns += y - x;
        placed = true;
      }
    }
    if (!placed || by == Period::kShift) {
      // Outside the shifts' periods: what the shifts do not cover.
      int64_t covered = 0;
      for (const OeePeriod& p : r.periods) {
        covered += std::max<int64_t>(0, std::min(to, p.end) - std::max(from, p.start));
      }
      outside.overlap_ns += (to - from) - covered;
    }
  }
  r.whole = outside;
  for (const OeePeriod& p : r.periods)
    r.whole += p.totals;
  if (by == Period::kShift) {
    std::erase_if(r.periods, [](const OeePeriod& p) { return p.totals.calendar_ns == 0; });
  }
  const double produced_no_cycle = r.whole.produced_without_cycle_time;
  if (produced_no_cycle > 0) {
    r.warnings.push_back(fmt::format(
        "{}: {:.0f} units were made by work orders without an ideal cycle time (set one on the "
        "order or in oee.yaml cycle_times): performance and OEE cannot be computed",
        unit.path, produced_no_cycle));
  }
  return r;
}

}  // namespace fh::analytics::oee
