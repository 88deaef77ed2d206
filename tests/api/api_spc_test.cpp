// GET /api/v1/spc/chart and /api/v1/spc/characteristics: a tag charted by parameters and by
// a characteristic of the hub's spc.yaml give the same limits; errors name the parameter.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "store/catalog_session.h"
#include "store/models/spc_event_store.h"

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
           "  - {name: force, tag: press.force, subgroup: 4, baseline: 15, lsl: 49, usl: 52,"
           " cusum: {h: 4}}\n"
           "  - {name: seals, inspection: seal_check, chart: np, baseline: 20}\n";
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
  ASSERT_EQ(list.body["characteristics"].size(), 2u);
  EXPECT_EQ(list.body["characteristics"][0]["name"], "force");
  EXPECT_EQ(list.body["characteristics"][0]["subgroup"], 4);
  EXPECT_EQ(list.body["characteristics"][0]["cusum"]["h"], 4);
  EXPECT_EQ(list.body["characteristics"][0]["cusum"]["k"], 0.5);
  EXPECT_TRUE(list.body["characteristics"][0]["ewma"].is_null());
  EXPECT_EQ(list.body["characteristics"][1]["chart"], "np");
  // An attribute characteristic is not a variables chart: the 400 says where it is charted.
  Reply seals = Get("/api/v1/spc/chart?characteristic=seals");
  EXPECT_EQ(seals.status, 400);
  EXPECT_EQ(seals.body["field"], "characteristic");
  EXPECT_NE(seals.body.dump().find("spc attribute"), std::string::npos) << seals.body;
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

// The episodes serve's monitor recorded, filtered as asked, the newest first.
TEST_F(ApiSpcTest, EventsAreListedAndFiltered) {
  {
    EventSession session = hub_->OpenEvents();
    std::vector<StoredSpcEvent> events;
    for (int i = 0; i < 3; ++i) {
      StoredSpcEvent e;
      e.characteristic = i < 2 ? "force" : "bore";
      e.limits_version = 1;
      e.chart = "xbar";
      e.rule = i == 1 ? "nelson-2" : "nelson-1";
      e.what = "what it means";
      e.ts = e.first_ts = T("2026-03-02T00:00:00Z") + i * kNanosPerMinute;
      e.last_ts = e.ts + kNanosPerSecond;
      e.points = 2;
      e.value = 50.5;
      e.active = i == 2;
      e.raised_at = e.ts;
      events.push_back(e);
    }
    ASSERT_TRUE(session.spc_events().Upsert(events).ok());
    // The same episode grown: one row, its end and count updated.
    events[0].last_ts += kNanosPerMinute;
    events[0].points = 5;
    ASSERT_TRUE(session.spc_events().Upsert({&events[0], 1}).ok());
  }
  Reply all = Get("/api/v1/spc/events");
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.body["events"].size(), 3u);
  EXPECT_EQ(all.body["events"][0]["characteristic"], "bore");  // the newest first
  EXPECT_EQ(all.body["events"][2]["points"], 5);
  EXPECT_EQ(all.body["events"][2]["last_ts"], "2026-03-02T00:01:01Z");
  EXPECT_EQ(Get("/api/v1/spc/events?characteristic=force").body["events"].size(), 2u);
  EXPECT_EQ(Get("/api/v1/spc/events?active=true").body["events"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/spc/events?from=2026-03-02T00:01:00Z").body["events"].size(), 2u);
  EXPECT_EQ(Get("/api/v1/spc/events?limit=1").body["events"].size(), 1u);
  for (const auto& [target, field] : std::initializer_list<std::pair<const char*, const char*>>{
           {"/api/v1/spc/events?active=yes", "active"},
           {"/api/v1/spc/events?limit=0", "limit"},
           {"/api/v1/spc/events?to=later", "to"},
           {"/api/v1/spc/events?rule=x", "rule"}}) {
    Reply r = Get(target);
    EXPECT_EQ(r.status, 400) << target << " " << r.body;
    EXPECT_EQ(r.body["field"], field) << target << " " << r.body;
  }
}

}  // namespace
}  // namespace fh::testing
