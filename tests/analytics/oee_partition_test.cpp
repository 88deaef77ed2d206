// Properties of the OEE time model on random plants: cutting a window anywhere and adding
// the parts gives the whole (times exactly, counts to rounding), the periods of a window
// add up to it, and no time is ever negative or counted twice.
#include <gtest/gtest.h>

#include <random>

#include "analytics/oee/oee_engine.h"
#include "common/time.h"

namespace fh::analytics::oee {
namespace {

constexpr TimestampNs kStart = 1'774'000'000LL * kNanosPerSecond;  // 2026-03-20, before DST

OeeSettings BerlinTwoShifts() {
  Result<OeeConfig> c = OeeConfig::Parse(R"(
time_zone: Europe/Berlin
micro_stops: {threshold: 3m}
shifts:
  - {name: early, days: [mon, tue, wed, thu, fri, sat], start: "06:00", end: "14:00",
     breaks: [{start: "09:00", end: "09:30"}]}
  - {name: late, days: [mon, tue, wed, thu, fri], start: "14:00", end: "22:30",
     breaks: [{start: "18:00", end: "18:20"}]}
  - {name: night, days: [sun], start: "22:00", end: "06:00"}
holidays: [2026-03-25]
)",
                                         "test");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c->defaults;
}

OeeUnitInput RandomUnit(std::mt19937_64& rng) {
  OeeUnitInput u;
  u.path = "a/b/c/d/e";
  std::uniform_int_distribution<int64_t> gap(0, 40 * kNanosPerMinute);
  std::uniform_int_distribution<int> state(0, 6);
  std::bernoulli_distribution overlap(0.05), open(0.01), reason(0.5);
  TimestampNs t = kStart;
  for (int i = 0; i < 600; ++i) {
    StateSpan s;
    s.state = static_cast<EquipmentState>(state(rng));
    s.start_ts = t - (overlap(rng) ? gap(rng) / 4 : 0);
    const TimestampNs end = s.start_ts + gap(rng) + kNanosPerSecond;
    if (!open(rng)) s.end_ts = end;
    if (reason(rng)) s.reason_id = state(rng);
    u.states.push_back(s);
    t = end + (gap(rng) < 5 * kNanosPerMinute ? gap(rng) : 0);
  }
  TimestampNs o = kStart;
  for (int i = 0; i < 30; ++i) {
    OeeOrder order;
    order.number = "WO-" + std::to_string(i);
    order.good = static_cast<double>(rng() % 5000);
    order.scrap = static_cast<double>(rng() % 100);
    if (i % 7 != 3) order.cycle_time_s = 0.5 + static_cast<double>(rng() % 10);
    order.start = o;
    o += gap(rng) * 20;
    order.end = o;
    u.orders.push_back(order);
  }
  return u;
}

void ExpectSameTimes(const OeeTotals& a, const OeeTotals& b, const std::string& what) {
  EXPECT_EQ(a.calendar_ns, b.calendar_ns) << what;
  EXPECT_EQ(a.not_scheduled_ns, b.not_scheduled_ns) << what;
  EXPECT_EQ(a.break_ns, b.break_ns) << what;
  EXPECT_EQ(a.planned_stop_ns, b.planned_stop_ns) << what;
  EXPECT_EQ(a.production_ns, b.production_ns) << what;
  EXPECT_EQ(a.setup_ns, b.setup_ns) << what;
  EXPECT_EQ(a.delay_ns, b.delay_ns) << what;
  EXPECT_EQ(a.down_ns, b.down_ns) << what;
  EXPECT_EQ(a.micro_stop_ns, b.micro_stop_ns) << what;
  EXPECT_EQ(a.unknown_ns, b.unknown_ns) << what;
  EXPECT_EQ(a.unscheduled_run_ns, b.unscheduled_run_ns) << what;
  EXPECT_EQ(a.overlap_ns, b.overlap_ns) << what;
  EXPECT_EQ(a.failure_ns, b.failure_ns) << what;
  auto near = [&](double x, double y, const char* name) {
    EXPECT_NEAR(x, y, 1e-6 * std::max(1.0, std::fabs(y))) << what << ": " << name;
  };
  near(a.produced, b.produced, "produced");
  near(a.good, b.good, "good");
  near(a.scrap, b.scrap, "scrap");
  near(a.ideal_s, b.ideal_s, "ideal_s");
  near(a.unscheduled_produced, b.unscheduled_produced, "unscheduled_produced");
}

void ExpectConsistent(const OeeTotals& t, const OeeSettings& s) {
  for (int64_t v : {t.calendar_ns, t.not_scheduled_ns, t.break_ns, t.planned_stop_ns,
                    t.production_ns, t.setup_ns, t.delay_ns, t.down_ns, t.micro_stop_ns,
                    t.unknown_ns, t.unscheduled_run_ns, t.overlap_ns, t.PlannedBusyNs()}) {
    EXPECT_GE(v, 0);
  }
  // The planned busy time is exactly its parts.
  EXPECT_EQ(t.PlannedBusyNs(),
            t.production_ns + t.setup_ns + t.delay_ns + t.down_ns + t.micro_stop_ns + t.unknown_ns);
  const OeeKpis k = ComputeKpis(t, s);
  if (k.availability) {
    EXPECT_GE(*k.availability, 0);
    EXPECT_LE(*k.availability, 1);
  }
}

TEST(OeePartitionTest, PartsOfAWindowAddUpToTheWhole) {
  const OeeSettings settings = BerlinTwoShifts();
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    const OeeUnitInput unit = RandomUnit(rng);
    const TimestampNs as_of = kStart + 20 * kNanosPerDay;
    const TimeRange window{kStart + kNanosPerHour, kStart + 12 * kNanosPerDay};
    const OeeUnitResult whole = ComputeUnitOee(unit, settings, window, Period::kWhole, as_of);
    ExpectConsistent(whole.whole, settings);

    // Any partition into random parts.
    std::vector<TimestampNs> cuts = {window.from, window.to};
    for (int i = 0; i < 12; ++i) {
      cuts.push_back(window.from + static_cast<TimestampNs>(
                                       rng() % static_cast<uint64_t>(window.to - window.from)));
    }
    std::sort(cuts.begin(), cuts.end());
    OeeTotals sum;
    for (size_t i = 1; i < cuts.size(); ++i) {
      const OeeUnitResult part =
          ComputeUnitOee(unit, settings, {cuts[i - 1], cuts[i]}, Period::kWhole, as_of);
      ExpectConsistent(part.whole, settings);
      sum += part.whole;
    }
    ExpectSameTimes(sum, whole.whole, "seed " + std::to_string(seed) + " parts");

    // The calendar's own partitions.
    for (Period by : {Period::kShift, Period::kDay, Period::kWeek, Period::kMonth}) {
      const OeeUnitResult r = ComputeUnitOee(unit, settings, window, by, as_of);
      ExpectSameTimes(r.whole, whole.whole, "seed " + std::to_string(seed) + " by period");
      OeeTotals periods;
      for (const OeePeriod& p : r.periods) {
        ExpectConsistent(p.totals, settings);
        periods += p.totals;
      }
      if (by != Period::kShift) {
        ExpectSameTimes(periods, whole.whole, "seed " + std::to_string(seed) + " periods");
      } else {
        // The shifts hold all the planned time.
        EXPECT_EQ(periods.PlannedOperationNs(), whole.whole.PlannedOperationNs());
        EXPECT_EQ(periods.production_ns, whole.whole.production_ns);
      }
    }
  }
}

TEST(OeePartitionTest, ShiftsFollowTheLocalClockAcrossDst) {
  const OeeSettings settings = BerlinTwoShifts();
  // The week of 2026-03-29 (clocks go forward): the Sunday night shift lasts 7 hours.
  const ShiftPlan plan = ExpandShifts(settings, {ParseRfc3339("2026-03-28T00:00:00Z").value(),
                                                 ParseRfc3339("2026-03-31T00:00:00Z").value()});
  bool found = false;
  for (const ShiftInstance& s : plan.shifts) {
    if (s.Label() == "2026-03-29 night") {
      found = true;
      EXPECT_EQ(FormatRfc3339(s.start), "2026-03-29T20:00:00Z");  // 22:00 CEST
      EXPECT_EQ(FormatRfc3339(s.end), "2026-03-30T04:00:00Z");    // 06:00 CEST
    }
    if (s.Label() == "2026-03-28 early") {
      EXPECT_EQ(FormatRfc3339(s.start), "2026-03-28T05:00:00Z");  // 06:00 CET
    }
  }
  EXPECT_TRUE(found);
  // Spans never overlap and breaks sit inside their shifts.
  for (size_t i = 1; i < plan.spans.size(); ++i) {
    EXPECT_LE(plan.spans[i - 1].end, plan.spans[i].start);
  }
}

}  // namespace
}  // namespace fh::analytics::oee
