// factoryhub alarms evaluate: the hub's alarms.yaml applied to stored history, the journal
// and the EEMUA 191 / ISA-18.2 report, and errors that say what and where.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

class CliAlarmsTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    // An oven sampled every second for an hour from 08:00; too hot from 08:10 for two
    // minutes, and a pressure that chatters about its limit for a minute at 08:30.
    std::string csv = "timestamp,tag,value\n";
    const int64_t t0 = 1772438400;  // 2026-03-02T08:00:00Z
    for (int64_t s = 0; s < 3600; ++s) {
      const bool hot = s >= 600 && s < 720;
      csv += fmt::format("{},oven.temp,{}\n", t0 + s, hot ? 245 : 220);
      const bool spike = s >= 1800 && s < 1860 && s % 10 == 0;
      csv += fmt::format("{},press.p,{}\n", t0 + s, spike ? 8.5 : 7.9);
    }
    Ok({"write", "--hub", hub(), "--epoch", "s", WriteFile("plant.csv", csv)});
  }
  void Define(const std::string& yaml) {
    std::ofstream(std::filesystem::path(hub()) / "alarms.yaml") << yaml;
  }
  std::vector<std::string> Evaluate() {
    return {"alarms", "evaluate",
            "--hub",  hub(),
            "--from", "2026-03-02T08:00:00Z",
            "--to",   "2026-03-02T09:00:00Z"};
  }
};

TEST_F(CliAlarmsTest, EvaluatesHistoryAndReportsPerformance) {
  Define(R"(alarms:
  - {name: oven-high, type: high, tag: oven.temp, limit: 240, deadband: 3, on_delay: 5s,
     priority: high, equipment: acme/line-1/oven}
  - {name: press-high, type: high, tag: press.p, limit: 8.2, priority: low}
)");
  std::vector<std::string> args = Evaluate();
  args.push_back("--journal");
  json j = Json(args);
  EXPECT_EQ(j["alarms"], 2);
  const json& r = j["report"];
  EXPECT_EQ(r["annunciated"], 7);  // the oven once, the pressure six times
  EXPECT_EQ(r["periods"], 6);
  EXPECT_NEAR(r["per_operator_per_10_minutes"].get<double>(), 7.0 / 6, 1e-9);
  EXPECT_EQ(r["bad_actors"][0]["alarm"], "press-high");
  EXPECT_EQ(r["bad_actors"][0]["count"], 6);
  ASSERT_EQ(r["chattering"].size(), 1u);
  EXPECT_EQ(r["chattering"][0]["alarm"], "press-high");
  EXPECT_EQ(r["fleeting"], 0);  // each spike lasts a second: not under one
  EXPECT_EQ(r["priorities"]["high"]["count"], 1);
  EXPECT_EQ(r["priorities"]["low"]["count"], 6);
  const json& first = j["journal"][0];
  EXPECT_EQ(first["alarm"], "oven-high");
  EXPECT_EQ(first["equipment"], "acme/line-1/oven");
  EXPECT_EQ(first["event"], "activated");
  EXPECT_EQ(first["ts"], "2026-03-02T08:10:05Z");  // the on-delay
  EXPECT_EQ(first["state"], "unacknowledged");
  EXPECT_EQ(first["value"], 245);
  EXPECT_EQ(j["journal"][1]["event"], "cleared");
  EXPECT_EQ(j["journal"][1]["ts"], "2026-03-02T08:12:00Z");

  CliResult text = Ok(Evaluate());
  EXPECT_THAT(text.out, HasSubstr("2 alarm definitions"));
  EXPECT_THAT(text.out, HasSubstr("per operator per 10 minutes"));
  EXPECT_THAT(text.out, ::testing::ContainsRegex("chattering .* +press-high \\(6\\)"));
}

TEST_F(CliAlarmsTest, SaysWhatIsWrong) {
  CliResult none = RunCli(Evaluate());
  EXPECT_EQ(none.exit_code, 4);
  EXPECT_THAT(none.err, HasSubstr("alarms.yaml defines no alarms"));
  Define("alarms:\n  - {name: a, type: high, tag: oven.temp}\n");
  CliResult bad = RunCli(Evaluate());
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("alarms.yaml:2: alarm 'a' (high alarm) needs a limit"));
  Define("alarms:\n  - {name: a, type: high, tag: oven.temp, limit: 1}\n");
  std::vector<std::string> backwards = Evaluate();
  backwards[5] = "2026-03-02T10:00:00Z";
  CliResult empty = RunCli(backwards);
  EXPECT_NE(empty.exit_code, 0);
  EXPECT_THAT(empty.err, HasSubstr("the range is empty"));
  EXPECT_THAT(Ok({"alarms", "--help"}).out, HasSubstr("evaluate"));
  EXPECT_THAT(Ok({"alarms", "evaluate", "--help"}).out, HasSubstr("--operators"));
}

}  // namespace
}  // namespace fh::testing
