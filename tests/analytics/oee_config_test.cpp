// oee.yaml: what it accepts and how it says what is wrong (file, line, key).
#include "analytics/oee/oee_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace fh::analytics::oee {
namespace {

using ::testing::HasSubstr;

TEST(OeeConfigTest, DefaultsRunAroundTheClockInUtc) {
  Result<OeeConfig> c = OeeConfig::Parse("", "oee.yaml");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->defaults.time_zone, "UTC");
  EXPECT_TRUE(c->defaults.shifts.empty());
  EXPECT_EQ(c->defaults.micro_stop_ns, 5 * 60'000'000'000LL);
  EXPECT_EQ(c->defaults.BucketOf(EquipmentState::kPlannedStop), TimeBucket::kPlanned);
  EXPECT_TRUE(c->defaults.IsFailure(EquipmentState::kDown));
  EXPECT_FALSE(c->defaults.IsFailure(EquipmentState::kIdle));
}

TEST(OeeConfigTest, ReadsEveryKeyAndSiteOverrides) {
  Result<OeeConfig> c = OeeConfig::Parse(R"(
time_zone: Asia/Shanghai
performance: iso
micro_stops: {threshold: 2m, loss: performance}
shifts:
  - {name: A, days: [Mon, tuesday], start: "08:00", end: "20:00",
     breaks: [{start: "12:00", end: "12:45"}]}
holidays: [2026-10-01, 2026-05-01]
states: {blocked: planned, idle: down}
failures: [down, starved]
cycle_times:
  - {equipment: "acme/*/press-*", material: "M-1*", seconds: 2.5}
  - {seconds: 4}
sites:
  - path: acme/berlin
    time_zone: Europe/Berlin
    performance: capped
)",
                                         "oee.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const OeeSettings& d = c->defaults;
  EXPECT_EQ(d.performance, PerformanceConvention::kIso);
  EXPECT_EQ(d.micro_stop_ns, 2 * 60'000'000'000LL);
  EXPECT_EQ(d.micro_stop_loss, MicroStopLoss::kPerformance);
  ASSERT_EQ(d.shifts.size(), 1u);
  EXPECT_TRUE(d.shifts[0].days[0]);
  EXPECT_TRUE(d.shifts[0].days[1]);
  EXPECT_FALSE(d.shifts[0].days[2]);
  EXPECT_EQ(d.shifts[0].start_minute, 480);
  EXPECT_EQ(d.shifts[0].breaks[0].end_minute, 765);
  ASSERT_EQ(d.holidays.size(), 2u);
  EXPECT_LT(d.holidays[0], d.holidays[1]);  // sorted
  EXPECT_EQ(d.BucketOf(EquipmentState::kBlocked), TimeBucket::kPlanned);
  EXPECT_EQ(d.BucketOf(EquipmentState::kIdle), TimeBucket::kDown);
  EXPECT_TRUE(d.IsFailure(EquipmentState::kStarved));
  EXPECT_EQ(d.CycleTime("acme/sh/a/l/press-3", "M-100"), 2.5);
  EXPECT_EQ(d.CycleTime("acme/sh/a/l/lathe-3", "M-100"), 4);
  // A site inherits what it does not set.
  const OeeSettings& berlin = c->For("acme/berlin/assembly/line-1/press-01");
  EXPECT_EQ(berlin.time_zone, "Europe/Berlin");
  EXPECT_EQ(berlin.performance, PerformanceConvention::kCapped);
  EXPECT_EQ(berlin.micro_stop_ns, 2 * 60'000'000'000LL);
  EXPECT_EQ(&c->For("acme/berlinx/a"), &c->defaults);  // a prefix of whole segments only
}

TEST(OeeConfigTest, ErrorsSayFileLineAndKey) {
  struct Case {
    const char* yaml;
    const char* says;
  };
  for (const Case& k : {
           Case{"time_zone: Mars/Olympus\n", "oee.yaml:1: time_zone: unknown time zone"},
           Case{"performance: fast\n", "oee.yaml:1: performance must be capped or iso"},
           Case{"shifts:\n  - {name: A, start: '25:00', end: '06:00'}\n",
                "oee.yaml:2: shifts[0].start: '25:00' is not a time of day"},
           Case{"shifts:\n  - {name: A, days: [funday], start: '06:00', end: '14:00'}\n",
                "oee.yaml:2: shifts[0].days: 'funday' is not a weekday"},
           Case{"shifts:\n  - {name: A}\n", "oee.yaml:2: shifts[0] needs name, start and end"},
           Case{"holidays: [2026-02-30]\n", "oee.yaml:1: holidays: '2026-02-30' is not a date"},
           Case{"states: {running: fast}\n", "oee.yaml:1: states.running: 'fast' is not a bucket"},
           Case{"states: {walking: down}\n", "oee.yaml:1: states:"},
           Case{"micro_stops: {threshold: soon}\n", "oee.yaml:1: micro_stops.threshold"},
           Case{"cycle_times: [{seconds: 0}]\n", "cycle_times.seconds must be above 0"},
           Case{"shift: []\n", "oee.yaml:1: unknown key 'shift'"},
           Case{"sites: [{time_zone: UTC}]\n", "a sites entry needs the path"},
       }) {
    Result<OeeConfig> c = OeeConfig::Parse(k.yaml, "oee.yaml");
    ASSERT_FALSE(c.ok()) << k.yaml;
    EXPECT_THAT(c.status().message(), HasSubstr(k.says)) << k.yaml;
  }
}

}  // namespace
}  // namespace fh::analytics::oee
