// The dashboard as the server hands it out (web/, embedded at build time): the page at / for
// browsers, its scripts and styles under /assets/ gzipped or not as the client asks, cached
// for good (their names are their content's hash), and GET /api/v1/equipment, the plant's
// tree its overview draws.
#include <regex>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/web_assets.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ApiTest, TheDashboardIsServedFromTheProgram) {
  ASSERT_FALSE(api::WebAssets().empty()) << "built without the dashboard: `make web` builds it";
  auto page = client_->Get("/", {{"Accept", "text/html"}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'; "));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"),
              HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  std::smatch script;
  ASSERT_TRUE(std::regex_search(page->body, script, std::regex("/assets/[^\"]+\\.js")))
      << page->body;

  // Gzipped for a browser, as built for a client that does not take gzip.
  httplib::Client raw("127.0.0.1", server_->port());
  raw.set_decompress(false);
  auto zipped = raw.Get(script.str(), {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->status, 200);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_THAT(zipped->get_header_value("Content-Type"), HasSubstr("text/javascript"));
  EXPECT_THAT(zipped->get_header_value("Cache-Control"), HasSubstr("immutable"));
  auto plain = raw.Get(script.str(), {{"Accept-Encoding", "identity"}});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_GT(plain->body.size(), zipped->body.size() * 2);
  EXPECT_THAT(plain->body, HasSubstr("/api/v1/equipment"));

  auto missing = client_->Get("/assets/nothing.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(client_->Get("/assets/../factoryhub.yaml")->status, 404);
}

TEST_F(ApiTest, EquipmentIsThePlantsTreeWithTagsAndStates) {
  {
    CatalogSession session = hub_->OpenCatalog();
    Catalog& catalog = session.catalog();
    const int64_t oven = catalog.CreateAssetPath("acme/sh/mach/line-1/oven").value();
    catalog.CreateAssetPath("acme/sh/mach/line-2/press").value();
    TagMeta meta;
    meta.name = "line1.temp";
    meta.equipment_id = oven;
    meta.unit = "degC";
    ASSERT_OK(catalog.UpsertTag(meta));
    ReasonCode jam;
    jam.code = "JAM";
    const int64_t reason = catalog.UpsertReasonCode(jam).value();
    EquipmentStateEvent running{0, oven, EquipmentState::kRunning, NowNs() - kNanosPerHour,
                                NowNs() - kNanosPerMinute};
    ASSERT_OK(catalog.UpsertStateEvent(running));
    EquipmentStateEvent down{0, oven, EquipmentState::kDown, NowNs() - kNanosPerMinute};
    down.reason_id = reason;
    ASSERT_OK(catalog.UpsertStateEvent(down));
  }
  Reply r = Get("/api/v1/equipment");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> paths;
  for (const nlohmann::json& e : r.body["equipment"])
    paths.push_back(e["path"]);
  EXPECT_THAT(paths, ::testing::ElementsAre("acme", "acme/sh", "acme/sh/mach",
                                            "acme/sh/mach/line-1", "acme/sh/mach/line-1/oven",
                                            "acme/sh/mach/line-2", "acme/sh/mach/line-2/press"));
  EXPECT_EQ(r.body["equipment"][3]["level"], "line");
  const nlohmann::json& oven = r.body["equipment"][4];
  EXPECT_EQ(oven["level"], "equipment");
  ASSERT_EQ(oven["tags"].size(), 1u);
  EXPECT_EQ(oven["tags"][0]["name"], "line1.temp");
  EXPECT_EQ(oven["tags"][0]["unit"], "degC");
  EXPECT_EQ(oven["state"]["state"], "down");  // the newest
  EXPECT_EQ(oven["state"]["reason"], "JAM");
  EXPECT_TRUE(r.body["equipment"][6]["state"].is_null());  // nothing recorded

  // The oven's last hour: running, then down (for a jam) until now, clipped to the range.
  Reply states = Get("/api/v1/equipment/states?path=acme/sh/mach/line-1/oven&from=now-30m");
  ASSERT_EQ(states.status, 200) << states.body;
  ASSERT_EQ(states.body["states"].size(), 2u) << states.body;
  EXPECT_EQ(states.body["states"][0]["state"], "running");
  EXPECT_EQ(states.body["states"][0]["from"], states.body["from"]);  // clipped
  EXPECT_EQ(states.body["states"][1]["state"], "down");
  EXPECT_EQ(states.body["states"][1]["reason"], "JAM");
  EXPECT_TRUE(states.body["states"][1]["ongoing"]);
  EXPECT_TRUE(
      Get("/api/v1/equipment/states?path=acme/sh/mach/line-2/press").body["states"].empty());
  EXPECT_EQ(Get("/api/v1/equipment/states?path=acme/nowhere").status, 404);
  EXPECT_EQ(Get("/api/v1/equipment/states").status, 400);
  EXPECT_EQ(Get("/api/v1/equipment/states?path=acme&from=now&to=now-1h").status, 400);
}

}  // namespace
}  // namespace fh::testing
