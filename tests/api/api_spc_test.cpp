// GET /api/v1/spc/chart and /api/v1/spc/characteristics: a tag charted by parameters and by
// a characteristic of the hub's spc.yaml give the same limits; errors name the parameter.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"

namespace fh::testing {
namespace {

class ApiSpcTest : public ApiTest {
 protected:
  void WriteSignal() {
    SampleBatch batch;
    for (int i = 0; i < 100; ++i) {
      batch.Add("press.force", T("2026-03-02T00:00:00Z") + i * kNanosPerMinute,
                50 + ((i * 37) % 11) * 0.1);
    }
    ASSERT_TRUE(hub_->storage().Write(batch).ok());
    std::ofstream(tmp_.path() / "spc.yaml")
        << "characteristics:\n"
           "  - {name: force, tag: press.force, subgroup: 4, baseline: 15, lsl: 49, usl: 52}\n";
  }
};

TEST_F(ApiSpcTest, ChartsByParametersAndByCharacteristic) {
  WriteSignal();
  Reply p = Get("/api/v1/spc/chart?tag=press.force&subgroup=4&baseline=15");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_EQ(p.body["tag"], "press.force");
  EXPECT_EQ(p.body["chart"], "xbar-r");
  EXPECT_EQ(p.body["subgroups"], 25);
  EXPECT_EQ(p.body["baseline"], 15);
  Reply c = Get("/api/v1/spc/chart?characteristic=force");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.body["characteristic"], "force");
  EXPECT_EQ(c.body["xbar"], p.body["xbar"]);
  EXPECT_TRUE(c.body["capability"]["cpk"]["value"].is_number());
  Reply list = Get("/api/v1/spc/characteristics");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["characteristics"].size(), 1u);
  EXPECT_EQ(list.body["characteristics"][0]["name"], "force");
  EXPECT_EQ(list.body["characteristics"][0]["subgroup"], 4);
}

TEST_F(ApiSpcTest, BadParametersAreNamed) {
  WriteSignal();
  for (const auto& [target, field, status] :
       std::initializer_list<std::tuple<const char*, const char*, int>>{
           {"/api/v1/spc/chart?characteristic=nope", "characteristic", 404},
           {"/api/v1/spc/chart", "tag", 400},
           {"/api/v1/spc/chart?tag=press.force&inspection=x", "tag", 400},
           {"/api/v1/spc/chart?tag=press.force&subgroup=0", "subgroup", 400},
           {"/api/v1/spc/chart?tag=press.force&from=soon", "from", 400},
           {"/api/v1/spc/chart?tag=press.force&colour=red", "colour", 400}}) {
    Reply r = Get(target);
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    EXPECT_EQ(r.body["field"], field) << target << " " << r.body;
  }
}

}  // namespace
}  // namespace fh::testing
