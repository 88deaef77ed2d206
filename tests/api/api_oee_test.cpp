// GET /api/v1/oee and /api/v1/oee/losses on the classic worked example stored in the
// catalog, with the hub's oee.yaml: the figures, the roll-up, the Pareto, and errors that
// name the parameter.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/classic_shift.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

class ApiOeeTest : public ApiTest {
 protected:
  void StoreClassicShift() { testing::StoreClassicShift(*hub_); }
};

TEST_F(ApiOeeTest, GivesTheWorkedExampleByShiftAndRolledUp) {
  StoreClassicShift();
  // Running through the breaks: 433 min run, of which 373 in the planned busy time; the
  // order's counts follow the running time, so the shift gets 373/433 of them.
  Reply r = Get("/api/v1/oee?path=acme/p1&from=2026-03-02&to=2026-03-03&by=shift");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body["units"], 1);
  ASSERT_EQ(r.body["rows"].size(), 1u);
  const auto& row = r.body["rows"][0];
  EXPECT_EQ(row["asset"], "acme/p1/stamping/line-1/press-01");
  EXPECT_EQ(row["period"], "2026-03-02 day");
  EXPECT_NEAR(row["availability"].get<double>(), 373.0 / 420, 1e-9);
  EXPECT_NEAR(row["quality"].get<double>(), 18848.0 / 19271, 1e-9);
  EXPECT_NEAR(row["counts"]["produced"].get<double>(), 19271.0 * 373 / 433, 1e-6);
  EXPECT_NEAR(row["counts"]["unscheduled_produced"].get<double>(), 19271.0 * 60 / 433, 1e-6);
  EXPECT_EQ(row["times"]["planned_busy_s"], 25200);
  EXPECT_EQ(row["times"]["down_s"], 2820);

  Reply site = Get("/api/v1/oee?from=2026-03-02&to=2026-03-03&level=site");
  ASSERT_EQ(site.status, 200) << site.body;
  ASSERT_EQ(site.body["rows"].size(), 1u);
  EXPECT_EQ(site.body["rows"][0]["asset"], "acme/p1");
  EXPECT_EQ(site.body["rows"][0]["availability"], row["availability"]);
}

TEST_F(ApiOeeTest, LossesListTheWaterfallAndReasonsByTimeLost) {
  StoreClassicShift();
  Reply r = Get("/api/v1/oee/losses?from=2026-03-02&to=2026-03-03");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.body["waterfall"].size(), 8u);
  EXPECT_EQ(r.body["waterfall"][0]["step"], "planned operation time");
  EXPECT_EQ(r.body["waterfall"][0]["seconds"], 28800);
  EXPECT_EQ(r.body["waterfall"][1]["seconds"], -3600);
  ASSERT_EQ(r.body["reasons"].size(), 2u);
  EXPECT_EQ(r.body["reasons"][0]["code"], "DIE");
  EXPECT_EQ(r.body["reasons"][0]["category"], "breakdown");
  EXPECT_EQ(r.body["reasons"][0]["seconds"], 1800);
  EXPECT_EQ(r.body["reasons"][1]["code"], "JAM");
  EXPECT_NEAR(r.body["reasons"][1]["cumulative"].get<double>(), 1.0, 1e-12);
}

TEST_F(ApiOeeTest, BadParametersAreNamed) {
  StoreClassicShift();
  for (const auto& [target, field, status] :
       std::initializer_list<std::tuple<const char*, const char*, int>>{
           {"/api/v1/oee?by=fortnight", "by", 400},
           {"/api/v1/oee?level=galaxy", "level", 400},
           {"/api/v1/oee?from=yesterday-ish", "from", 400},
           {"/api/v1/oee?from=2026-03-03&to=2026-03-02", "from", 400},
           {"/api/v1/oee?path=acme/nowhere", "path", 404},
           {"/api/v1/oee?colour=red", "colour", 400}}) {
    Reply r = Get(target);
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    EXPECT_EQ(r.body["field"], field) << target << " " << r.body;
  }
}

}  // namespace
}  // namespace fh::testing
