// GET /api/v1/plan on the classic OEE worked example: the effect of removing the jams is
// the one the OEE endpoint's own figures give, what-if weights change the plan, and errors
// name the parameter.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/classic_shift.h"

namespace fh::testing {
namespace {

constexpr const char* kPlan = R"(title: press shop
horizon: { start: 2027Q1, quarters: 4 }
budget: { per_quarter: 50000 }
baseline: { from: 2026-03-02, to: 2026-03-03 }
weights: { efficiency: 0.6, technology_cost: 0.4 }
measures:
  - id: jam-fix
    family: P
    cost: { one_off: 10000 }
    effects:
      efficiency: { from: downtime, asset: acme/p1, reasons: [JAM] }
  - id: die-change
    family: T
    cost: { one_off: 40000 }
    effects:
      efficiency: { from: downtime, asset: acme/p1, reasons: [DIE], share: 0.5 }
  - id: gold-plated
    family: T
    cost: { one_off: 45000, running: 5000 }
    effects:
      efficiency: 0.1
)";

class ApiPlanTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    StoreClassicShift(*hub_);
    std::ofstream(tmp_.path() / "plan.yaml") << kPlan;
  }
};

TEST_F(ApiPlanTest, TheEffectOfRemovingTheJamsIsTheOneTheOeeFiguresGive) {
  Reply oee = Get("/api/v1/oee?from=2026-03-02&to=2026-03-03");
  ASSERT_EQ(oee.status, 200) << oee.body;
  const double p = oee.body["total"]["performance"], q = oee.body["total"]["quality"];
  Reply r = Get("/api/v1/plan");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body["solver"]["status"], "optimal");
  const auto& jam = r.body["measures"][0];
  ASSERT_EQ(jam["id"], "jam-fix");
  // 17 minutes of the 420 planned busy minutes, won back: OEE rises by that share × P × Q.
  EXPECT_NEAR(jam["effects"]["efficiency"]["value"].get<double>(), 100 * 17.0 / 420 * p * q, 1e-9);
  EXPECT_EQ(jam["effects"]["efficiency"]["measured"], true);
  EXPECT_TRUE(jam["chosen"]);
  EXPECT_EQ(jam["start"], "2027Q1");
  EXPECT_NEAR(r.body["baseline"]["availability"].get<double>(), 373.0 / 420, 1e-9);
  EXPECT_FALSE(r.body["measures"][2]["chosen"]);  // little effect for its cost
  EXPECT_EQ(r.body["weights_source"], "entered");
  EXPECT_EQ(r.body["quarters"].size(), 4u);
  EXPECT_FALSE(r.body["pareto"].empty());
  EXPECT_EQ(r.body["sensitivity"].size(), 6u);

  // What if only cost counted: nothing is worth doing.
  Reply cheap = Get("/api/v1/plan?weights=technology_cost=1&pareto=0");
  ASSERT_EQ(cheap.status, 200) << cheap.body;
  EXPECT_EQ(cheap.body["weights_source"], "asked");
  for (const auto& m : cheap.body["measures"])
    EXPECT_FALSE(m["chosen"]) << m["id"];
  EXPECT_TRUE(cheap.body["pareto"].empty());

  auto page = client_->Get("/api/v1/plan.html");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), ::testing::HasSubstr("text/html"));
  EXPECT_THAT(page->body, ::testing::HasSubstr("stops JAM cost"));
  EXPECT_THAT(page->body, ::testing::HasSubstr("aria-label=\"Gantt chart of the roadmap\""));
}

TEST_F(ApiPlanTest, ErrorsNameTheParameterAndAMissingCatalogueSaysSo) {
  Reply bad = Get("/api/v1/plan?weights=speed=1");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["field"], "weights");
  EXPECT_THAT(bad.body["error"].get<std::string>(),
              ::testing::HasSubstr("unknown criterion 'speed'"));
  Reply typo = Get("/api/v1/plan?weight=efficiency=1");
  EXPECT_EQ(typo.status, 400);
  Reply levels = Get("/api/v1/plan?pareto=50");
  EXPECT_EQ(levels.status, 400);
  EXPECT_EQ(levels.body["field"], "pareto");
  std::filesystem::remove(tmp_.path() / "plan.yaml");
  Reply none = Get("/api/v1/plan");
  EXPECT_EQ(none.status, 404);
  EXPECT_THAT(none.body["error"].get<std::string>(), ::testing::HasSubstr("plan.yaml"));
}

TEST_F(ApiPlanTest, ABadCatalogueIsAnErrorNamingItsLine) {
  std::ofstream(tmp_.path() / "plan.yaml") << "measures:\n  - id: a\n    family: Q\n";
  Reply r = Get("/api/v1/plan");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body["error"].get<std::string>(), ::testing::HasSubstr("plan.yaml:3"));
}

}  // namespace
}  // namespace fh::testing
