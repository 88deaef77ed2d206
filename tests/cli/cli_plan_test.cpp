// factoryhub plan on a simulated plant: an effect measured from its stop reasons matches the
// OEE command's own figures, what-if weights change the plan, the HTML report is written,
// and errors say where. factoryhub rank on the textbook's example and refused judgements.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr const char* kCatalogue = R"(title: simulated line
horizon: { start: 2027Q1, quarters: 4 }
budget: { per_quarter: 100000 }
baseline: { from: 2026-03-02, to: 2026-03-04 }
weights: { efficiency: 0.6, quality: 0.1, technology_cost: 0.3 }
measures:
  - id: fewer-jams
    family: P
    cost: { one_off: 10000 }
    effects:
      efficiency: { from: downtime, asset: acme/shanghai/machining/line-1, reasons: [JAM], share: 0.5 }
  - id: guesswork
    family: T
    cost: { one_off: 90000 }
    effects:
      efficiency: 0.05
)";

class CliPlanTest : public CliTest {
 protected:
  void SetUp() override {
    InitHub();
    Ok({"simulate", "--hub", hub(), "--machines", "2", "--every", "30s", "--from", "2026-03-02",
        "--until", "2026-03-04"});
    catalogue_ = WriteFile("plan.yaml", kCatalogue);
  }
  std::string catalogue_;
};

TEST_F(CliPlanTest, AMeasuredEffectIsTheOneTheOeeFiguresGive) {
  json oee =
      Json({"oee", "--hub", hub(), "--from", "2026-03-02", "--to", "2026-03-04", "--losses"});
  double jam = 0, unknown = 0;
  for (const json& r : oee["losses"]["reasons"]) {
    if (r["code"] == "JAM") jam += r["seconds"].get<double>();
  }
  unknown = oee["total"]["times"]["unknown_s"].get<double>();
  const double busy = oee["total"]["times"]["planned_busy_s"].get<double>() - unknown;
  const double p = oee["total"]["performance"], q = oee["total"]["quality"];
  ASSERT_GT(jam, 0) << "the simulated plant stops for jams";

  json plan = Json({"plan", "--hub", hub(), "--catalogue", catalogue_});
  ASSERT_EQ(plan["measures"][0]["id"], "fewer-jams");
  const json& effect = plan["measures"][0]["effects"]["efficiency"];
  EXPECT_TRUE(effect["measured"]);
  EXPECT_NEAR(effect["value"].get<double>(), 100 * jam / busy * 0.5 * p * q, 1e-9);
  EXPECT_THAT(effect["basis"].get<std::string>(), HasSubstr("stops JAM cost"));
  EXPECT_TRUE(plan["measures"][0]["chosen"]);
  EXPECT_FALSE(plan["measures"][1]["chosen"]);
  EXPECT_EQ(plan["solver"]["status"], "optimal");

  json costly =
      Json({"plan", "--hub", hub(), "--catalogue", catalogue_, "--weights", "technology_cost=1"});
  for (const json& m : costly["measures"])
    EXPECT_FALSE(m["chosen"]) << m["id"];

  const std::string html = (tmp_ / "roadmap.html").string();
  CliResult table = Ok({"plan", "--hub", hub(), "--catalogue", catalogue_, "--html", html});
  EXPECT_THAT(table.out, HasSubstr("fewer-jams"));
  EXPECT_THAT(table.out, HasSubstr("How far each weight can move"));
  std::ifstream in(html);
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_THAT(page.str(), HasSubstr("<svg"));
  EXPECT_THAT(page.str(), HasSubstr("fewer-jams"));
}

TEST_F(CliPlanTest, ErrorsSayWhatAndWhere) {
  CliResult missing = RunCli({"plan", "--hub", hub()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("plan.yaml: no plan catalogue"));
  const std::string bad =
      WriteFile("bad.yaml", "measures:\n  - id: a\n    family: D\n    duration: zero\n");
  CliResult parse = RunCli({"plan", "--hub", hub(), "--catalogue", bad});
  EXPECT_NE(parse.exit_code, 0);
  EXPECT_THAT(parse.err, HasSubstr("bad.yaml:4"));
  EXPECT_THAT(parse.err, HasSubstr("duration"));
  CliResult weights =
      RunCli({"plan", "--hub", hub(), "--catalogue", catalogue_, "--weights", "speed=1"});
  EXPECT_NE(weights.exit_code, 0);
  EXPECT_THAT(weights.err, HasSubstr("unknown criterion 'speed'"));
}

TEST(CliRankTest, RanksTheTextbookExampleAndRefusesContradictoryJudgements) {
  CliResult r =
      RunCli({"rank", (SourceDir() / "examples/decide/fighter-aircraft.yaml").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["alternatives"].size(), 4u);
  EXPECT_NEAR(doc["alternatives"][0]["topsis"]["closeness"].get<double>(), 0.643, 0.0015);
  EXPECT_EQ(doc["alternatives"][0]["topsis"]["rank"], 1);
  EXPECT_EQ(doc["alternatives"][1]["topsis"]["rank"], 4);

  TempDir tmp;
  const std::string file = (tmp.path() / "cycle.yaml").string();
  std::ofstream(file)
      << "criteria:\n  - { name: a, benefit: true }\n  - { name: b, benefit: true }\n"
         "  - { name: c, benefit: false }\nweights:\n  ahp:\n    - [a, b, 5]\n    - [b, c, 5]\n"
         "    - [c, a, 5]\nalternatives:\n  x: [1, 2, 3]\n  y: [2, 1, 2]\n";
  CliResult refused = RunCli({"rank", file});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("consistency ratio"));
  EXPECT_THAT(refused.err, HasSubstr("cycle.yaml:9: c over a written 5"));
}

}  // namespace
}  // namespace fh::testing
