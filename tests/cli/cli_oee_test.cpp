// factoryhub oee on the simulated plant: roll-ups that add times before dividing, periods
// that add up to the window, the hub's oee.yaml, and errors that say what and where.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class CliOeeTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    Ok({"simulate", "--hub", hub(), "--machines", "3", "--every", "30s", "--from", "2026-03-02",
        "--until", "2026-03-04"});
  }
  std::vector<std::string> Args(std::vector<std::string> extra) {
    std::vector<std::string> a = {"oee",        "--hub", hub(),        "--from",
                                  "2026-03-02", "--to",  "2026-03-04", "--json"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

TEST_F(CliOeeTest, LinesAddTheirMachinesTimesBeforeDividing) {
  json machines = Json(Args({}));
  ASSERT_EQ(machines["units"], 3);
  ASSERT_EQ(machines["rows"].size(), 3u);
  double busy = 0, running = 0, good = 0;
  for (const json& r : machines["rows"]) {
    busy += r["times"]["planned_busy_s"].get<double>();
    running += r["times"]["actual_production_s"].get<double>();
    good += r["counts"]["good"].get<double>();
    EXPECT_GT(r["availability"].get<double>(), 0.5);
    EXPECT_LE(r["availability"].get<double>(), 1.0);
  }
  json line = Json(Args({"--level", "line"}));
  ASSERT_EQ(line["rows"].size(), 1u);
  EXPECT_EQ(line["rows"][0]["asset"], "acme/shanghai/machining/line-1");
  EXPECT_DOUBLE_EQ(line["rows"][0]["times"]["planned_busy_s"].get<double>(), busy);
  EXPECT_NEAR(line["rows"][0]["availability"].get<double>(), running / busy, 1e-12);
  EXPECT_NEAR(line["rows"][0]["counts"]["good"].get<double>(), good, 1e-6);
  // Around the clock without an oee.yaml: two days of three machines.
  EXPECT_DOUBLE_EQ(busy, 3 * 2 * 86400.0);
}

TEST_F(CliOeeTest, DaysAddUpToTheWindowAndTheHubsCalendarApplies) {
  std::ofstream(std::filesystem::path(hub()) / "oee.yaml")
      << "time_zone: Asia/Shanghai\n"
         "shifts:\n"
         "  - {name: A, start: '08:00', end: '20:00', breaks: [{start: '12:00', end: '13:00'}]}\n";
  json days = Json(Args({"--by", "day", "--level", "site"}));
  json whole = Json(Args({"--level", "site"}));
  ASSERT_EQ(whole["rows"].size(), 1u);
  // Local days of Shanghai (UTC+8) cut the UTC window in three.
  ASSERT_EQ(days["rows"].size(), 3u);
  EXPECT_EQ(days["rows"][0]["period"], "2026-03-02");
  EXPECT_EQ(days["rows"][0]["from"], "2026-03-02T00:00:00Z");
  EXPECT_EQ(days["rows"][1]["from"], "2026-03-02T16:00:00Z");
  double busy = 0;
  for (const json& r : days["rows"])
    busy += r["times"]["planned_busy_s"].get<double>();
  EXPECT_DOUBLE_EQ(busy, whole["rows"][0]["times"]["planned_busy_s"].get<double>());
  // 08:00-20:00 local less an hour's break, two days, three machines.
  EXPECT_DOUBLE_EQ(busy, 3 * 2 * 11 * 3600.0);

  CliResult text = Ok({"oee", "--hub", hub(), "--from", "2026-03-02", "--to", "2026-03-04", "--by",
                       "shift", "--losses"});
  EXPECT_THAT(text.out, HasSubstr("2026-03-02 A"));
  EXPECT_THAT(text.out, HasSubstr("Where the time went"));
  EXPECT_THAT(text.out, HasSubstr("fully productive time"));
  EXPECT_THAT(text.out, HasSubstr("Stops by reason (Pareto)"));
}

TEST_F(CliOeeTest, ErrorsSayWhatAndWhere) {
  CliResult bad_by = RunCli({"oee", "--hub", hub(), "--by", "fortnight"});
  EXPECT_EQ(bad_by.exit_code, 2);
  CliResult nowhere = RunCli({"oee", "--hub", hub(), "acme/nowhere"});
  EXPECT_EQ(nowhere.exit_code, 4);
  EXPECT_THAT(nowhere.err, HasSubstr("no asset 'acme/nowhere'"));
  CliResult no_config = RunCli({"oee", "--hub", hub(), "--config", "/nonexistent/oee.yaml"});
  EXPECT_EQ(no_config.exit_code, 4);
  const std::string bad =
      WriteFile("bad.yaml", "shifts:\n  - {name: A, start: '8', end: '20:00'}\n");
  CliResult bad_config = RunCli({"oee", "--hub", hub(), "--config", bad});
  EXPECT_EQ(bad_config.exit_code, 3);
  EXPECT_THAT(bad_config.err, HasSubstr("bad.yaml:2: shifts[0].start: '8' is not a time of day"));
  CliResult empty = RunCli({"oee", "--hub", hub(), "--from", "2026-03-04", "--to", "2026-03-02"});
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_THAT(empty.err, HasSubstr("the window is empty"));
}

}  // namespace
}  // namespace fh::testing
