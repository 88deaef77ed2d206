// Scopes beyond tags and OEE: a principal limited to line 1 sees line 1's alarms (the live
// states and stream, the journal, the report, models' alarms), acts on them only, and reads
// line 1's records and SPC characteristics; line 2's answer as if they did not exist, and
// what has no place in the plant is refused.
#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

#include <gmock/gmock.h>

#include "analytics/alarms/alarm_monitor.h"
#include "api/api_access_fixture.h"
#include "api/raw_http.h"
#include "api/server_sent_events.h"
#include "store/catalog/catalog.h"
#include "store/event_session.h"
#include "store/models/alarm_store.h"
#include "store/models/spc_event_store.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace alarms = analytics::alarms;

class ApiScopeTest : public ApiAccessTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    {
      CatalogSession session = hub_->OpenCatalog();
      Catalog& catalog = session.catalog();
      const int64_t oven = catalog.CreateAssetPath("acme/line-1/oven").value();
      const int64_t pump = catalog.CreateAssetPath("acme/line-2/pump").value();
      for (const auto& [tag, equipment] :
           {std::pair{"oven.temp", oven}, std::pair{"feed.flow", pump}}) {
        TagMeta meta;
        meta.name = tag;
        meta.equipment_id = equipment;
        ASSERT_OK(catalog.UpsertTag(meta));
      }
    }
    std::ofstream(tmp_.path() / "alarms.yaml")
        << "alarms:\n"
           "  - {name: oven-high, type: high, tag: oven.temp, limit: 230, priority: high,"
           " equipment: acme/line-1/oven}\n"
           "  - {name: flow-low, type: low, tag: feed.flow, limit: 3, equipment: "
           "acme/line-2/pump}\n";
    std::ofstream(tmp_.path() / "spc.yaml")
        << "characteristics:\n"
           "  - {name: oven, tag: oven.temp, subgroup: 1}\n"
           "  - {name: flow, tag: feed.flow, subgroup: 1}\n"
           "  - {name: seals-1, inspection: seal_check, equipment: 'acme/line-1/*', chart: np}\n"
           "  - {name: seals-all, inspection: seal_check, equipment: 'acme/line-*', chart: np}\n";
    Result<alarms::AlarmConfig> config =
        alarms::AlarmConfig::Load((tmp_.path() / "alarms.yaml").string());
    ASSERT_OK(config);
    monitor_ = std::make_unique<alarms::AlarmMonitor>(*hub_, *config);
    ASSERT_OK(monitor_->Load(NowNs()));
    options.alarms = monitor_.get();
    ApiAccessTest::ConfigureServer(options);
    line1_ = AddToken(security::Role::kOperator, "acme/line-1");
  }
  void TearDown() override {
    ApiAccessTest::TearDown();
    monitor_.reset();
  }
  int Post(const std::string& path, const std::string& body, const std::string& token,
           std::string* answer) {
    auto res = client_->Post(path, Bearer(token), body, "application/json");
    if (!res) return 0;
    *answer = res->body;
    return res->status;
  }
  nlohmann::json Json(const std::string& path, const std::string& token) {
    std::string body;
    const int status = Get(path, Bearer(token), &body);
    EXPECT_EQ(status, 200) << path << ": " << body;
    return nlohmann::json::parse(body, nullptr, false);
  }

  std::unique_ptr<alarms::AlarmMonitor> monitor_;
  std::string line1_;
};

TEST_F(ApiScopeTest, AlarmsOfAnotherLineAreNeitherSeenNorActedOn) {
  const TimestampNs now = NowNs();
  SampleBatch both;
  both.Add("oven.temp", now - kNanosPerSecond, 236);
  both.Add("feed.flow", now - kNanosPerSecond, 1);
  monitor_->Observe(both);
  ASSERT_OK(monitor_->RunOnce(now));

  nlohmann::json states = Json("/api/v1/alarms/states", line1_);
  ASSERT_EQ(states["alarms"].size(), 1u) << states;
  EXPECT_EQ(states["alarms"][0]["alarm"], "oven-high");
  EXPECT_EQ(Json("/api/v1/alarms/states", operator_)["alarms"].size(), 2u);

  std::string answer;
  EXPECT_EQ(Post("/api/v1/alarms/act", R"({"alarm": "flow-low", "action": "acknowledge"})", line1_,
                 &answer),
            404);
  std::string absent;
  EXPECT_EQ(Post("/api/v1/alarms/act", R"({"alarm": "flow-lox", "action": "acknowledge"})", line1_,
                 &absent),
            404);
  EXPECT_EQ(answer, std::regex_replace(absent, std::regex("flow-lox"), "flow-low"));  // no leak
  EXPECT_EQ(Post("/api/v1/alarms/act", R"({"alarm": "oven-high", "action": "acknowledge"})", line1_,
                 &answer),
            200)
      << answer;

  // The journal and the report over it: line 1's events only.
  nlohmann::json journal = Json("/api/v1/alarms/journal", line1_);
  ASSERT_FALSE(journal["events"].empty());
  for (const nlohmann::json& e : journal["events"])
    EXPECT_EQ(e["alarm"], "oven-high") << e;
  const nlohmann::json mine = Json("/api/v1/alarms/report?from=now-1h&to=now%2B1m", line1_);
  const nlohmann::json all = Json("/api/v1/alarms/report?from=now-1h&to=now%2B1m", operator_);
  EXPECT_EQ(mine["annunciated"], 1) << mine;
  EXPECT_EQ(all["annunciated"], 2) << all;
  EXPECT_THAT(mine.dump(), Not(HasSubstr("flow-low")));

  // The live stream: its states, and asking for another line's alarm by name is unknown.
  std::string received;
  httplib::Client client("127.0.0.1", server_->port());
  client.set_read_timeout(std::chrono::seconds(10));
  auto res = client.Get("/api/v1/alarms/stream", Bearer(line1_), [&](const char* data, size_t n) {
    received.append(data, n);
    return ParseSse(received).empty();  // the first event is enough
  });
  std::vector<Sse> events = ParseSse(received);
  ASSERT_FALSE(events.empty()) << received;
  EXPECT_EQ(events[0].event, "states");
  ASSERT_EQ(events[0].data["alarms"].size(), 1u) << events[0].data;
  EXPECT_EQ(events[0].data["alarms"][0]["alarm"], "oven-high");
  EXPECT_EQ(Get("/api/v1/alarms/stream?alarm=flow-low", Bearer(line1_), &answer), 404);

  // What models raised.
  {
    CatalogSession session = hub_->OpenCatalog();
    std::vector<StoredAlarm> raised(2);
    raised[0].model = "m@1";
    raised[0].model_name = "m";
    raised[0].equipment = "acme/line-1/oven";
    raised[1] = raised[0];
    raised[1].equipment = "acme/line-2/pump";
    for (StoredAlarm& a : raised) {
      a.ts = now;
      a.probability = 0.9;
      a.reasons_json = "[]";
      a.created_at = now;
    }
    ASSERT_OK(session.alarms().Raise(raised));
  }
  const nlohmann::json model_alarms = Json("/api/v1/alarms", line1_);
  ASSERT_EQ(model_alarms["alarms"].size(), 1u) << model_alarms;
  EXPECT_EQ(model_alarms["alarms"][0]["equipment"], "acme/line-1/oven");
  EXPECT_EQ(Json("/api/v1/alarms", operator_)["alarms"].size(), 2u);
}

TEST_F(ApiScopeTest, RecordsAndSpcOfAnotherLineAreNotSeen) {
  // The plant's tree: the scope's trunk, its equipment with its tags, nothing of line 2.
  const nlohmann::json tree = Json("/api/v1/equipment", line1_);
  std::vector<std::string> paths;
  for (const nlohmann::json& e : tree["equipment"])
    paths.push_back(e["path"]);
  EXPECT_THAT(paths, ::testing::ElementsAre("acme", "acme/line-1", "acme/line-1/oven"));
  EXPECT_TRUE(tree["equipment"][0]["tags"].empty());
  EXPECT_EQ(tree["equipment"][2]["tags"][0]["name"], "oven.temp");
  std::string hidden_states;
  EXPECT_EQ(Get("/api/v1/equipment/states?path=acme/line-2/pump", Bearer(line1_), &hidden_states),
            404);
  EXPECT_THAT(hidden_states, HasSubstr("no asset 'acme/line-2/pump'"));

  nlohmann::json tags = Json("/api/v1/records?entity=tag", line1_);
  ASSERT_EQ(tags["total"], 1) << tags;
  EXPECT_EQ(tags["records"][0]["key"], "oven.temp");
  nlohmann::json assets = Json("/api/v1/records?entity=asset", line1_);
  for (const nlohmann::json& a : assets["records"])
    EXPECT_TRUE(a["key"].get<std::string>().starts_with("acme/line-1")) << a;
  EXPECT_GE(assets["total"], 2);  // acme/line-1 and its oven
  EXPECT_EQ(Json("/api/v1/records?entity=tag&where=name%3Dfeed.flow", line1_)["total"], 0);
  EXPECT_GT(Json("/api/v1/records?entity=tag", operator_)["total"], 1);
  std::string answer;
  EXPECT_EQ(Get("/api/v1/records?entity=material", Bearer(line1_), &answer), 200) << answer;
  EXPECT_EQ(Get("/api/v1/records?entity=customer", Bearer(line1_), &answer), 403);
  EXPECT_THAT(answer, HasSubstr("customer records have no place in the plant"));

  nlohmann::json seen = Json("/api/v1/spc/characteristics", line1_);
  std::vector<std::string> names;
  for (const nlohmann::json& c : seen["characteristics"])
    names.push_back(c["name"]);
  EXPECT_THAT(names, ::testing::ElementsAre("oven", "seals-1"));
  EXPECT_EQ(Json("/api/v1/spc/characteristics", operator_)["characteristics"].size(), 4u);

  std::string hidden, absent;
  EXPECT_EQ(Get("/api/v1/spc/chart?characteristic=flow", Bearer(line1_), &hidden), 404);
  EXPECT_EQ(Get("/api/v1/spc/chart?characteristic=flox", Bearer(line1_), &absent), 404);
  EXPECT_EQ(hidden, std::regex_replace(absent, std::regex("flox"), "flow"));
  EXPECT_EQ(Get("/api/v1/spc/chart?characteristic=seals-all", Bearer(line1_), &answer), 404);
  EXPECT_EQ(Get("/api/v1/spc/chart?tag=feed.flow", Bearer(line1_), &answer), 404);
  EXPECT_THAT(answer, HasSubstr("unknown tag 'feed.flow'"));
  EXPECT_EQ(
      Get("/api/v1/spc/chart?inspection=seal_check&equipment=acme/line-*", Bearer(line1_), &answer),
      403);
  EXPECT_THAT(answer, HasSubstr("name equipment under it ('acme/line-1/*')"));

  {
    EventSession session = hub_->OpenEvents();
    std::vector<StoredSpcEvent> events;
    for (const char* name : {"oven", "flow", "seals-all"}) {
      StoredSpcEvent e;
      e.characteristic = name;
      e.limits_version = 1;
      e.chart = "i";
      e.rule = "nelson-1";
      e.what = "beyond a limit";
      e.ts = e.first_ts = e.last_ts = e.raised_at = NowNs() - kNanosPerMinute;
      e.points = 1;
      events.push_back(e);
    }
    ASSERT_OK(session.spc_events().Upsert(events));
  }
  const nlohmann::json mine = Json("/api/v1/spc/events", line1_);
  ASSERT_EQ(mine["events"].size(), 1u) << mine;
  EXPECT_EQ(mine["events"][0]["characteristic"], "oven");
  EXPECT_EQ(Json("/api/v1/spc/events", operator_)["events"].size(), 3u);
  EXPECT_TRUE(Json("/api/v1/spc/events?characteristic=flow", line1_)["events"].empty());
}

TEST_F(ApiScopeTest, InfluxQlSeesTheScopesTagsOnly) {
  SampleBatch batch;
  batch.Add("oven.temp", 1767225600'000'000'000, 200);
  batch.Add("feed.flow", 1767225600'000'000'000, 5);
  ASSERT_OK(hub_->storage().Write(batch));
  const std::string show = "/query?q=SHOW%20MEASUREMENTS";
  EXPECT_EQ(Json(show, line1_)["results"][0]["series"][0]["values"],
            nlohmann::json::parse(R"([["oven.temp"]])"));
  const nlohmann::json all = Json(show, operator_)["results"][0]["series"][0]["values"];
  EXPECT_NE(std::find(all.begin(), all.end(), nlohmann::json::parse(R"(["feed.flow"])")), all.end())
      << all;
  const nlohmann::json hidden =
      Json("/query?q=SELECT%20last(value)%20FROM%20%22feed.flow%22", line1_);
  EXPECT_FALSE(hidden["results"][0].contains("series")) << hidden;
}

TEST_F(ApiScopeTest, AScopedPersonHasASessionButNotTheWholePlantsEndpoints) {
  AddUser("lin.line1", security::Role::kViewer, "password-of-lin", "acme/line-1");
  auto login =
      client_->Post("/api/v1/login", R"({"user": "lin.line1", "password": "password-of-lin"})",
                    "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string cookie = login->get_header_value("Set-Cookie");
  const httplib::Headers with_cookie = {{"Cookie", cookie.substr(0, cookie.find(';'))}};
  std::string body;
  EXPECT_EQ(Get("/api/v1/session", with_cookie, &body), 200) << body;
  EXPECT_THAT(body, HasSubstr("acme/line-1"));
  EXPECT_EQ(Get("/", with_cookie, &body), 200);
  for (const char* whole_plant : {"/api/v1/info", "/api/v1/quality", "/api/v1/trace/backward",
                                  "/api/v1/audit/head", "/metrics", "/api/v1/connectors"}) {
    EXPECT_EQ(Get(whole_plant, with_cookie, &body), 403) << whole_plant;
    EXPECT_THAT(body, HasSubstr("answers about the whole plant")) << whole_plant;
  }
}

// A gateway of line 1 writes line 1's tags and nothing else: a request carrying another
// line's tag, or one the hub does not know, is refused whole, in every write dialect, with
// the same words (no existence leak), and nothing of it is stored.
TEST_F(ApiScopeTest, AScopedWriterWritesItsPartOfThePlantOnly) {
  // Line protocol names a point measurement/field: "oven/temp" for `oven temp=231`.
  {
    CatalogSession session = hub_->OpenCatalog();
    Catalog& catalog = session.catalog();
    for (const auto& [tag, path] :
         {std::pair{"oven/temp", "acme/line-1/oven"}, std::pair{"pump/flow", "acme/line-2/pump"}}) {
      TagMeta meta;
      meta.name = tag;
      meta.equipment_id = catalog.CreateAssetPath(path).value();
      ASSERT_OK(catalog.UpsertTag(meta));
    }
  }
  const int64_t t0 = NowNs() - 60 * kNanosPerSecond;
  auto write = [&](const std::string& path, const std::string& body, const std::string& token,
                   std::string* answer) {
    auto res = client_->Post(path, Bearer(token), body, "text/plain");
    if (!res) return 0;
    *answer = res->body;
    return res->status;
  };
  auto points = [&](const std::string& tag) {
    size_t n = 0;
    EXPECT_OK(hub_->storage().Scan(tag, {}, [&](auto ts, auto, auto) {
      n += ts.size();
      return true;
    }));
    return n;
  };
  std::string answer;
  EXPECT_EQ(write("/write?db=plant", fmt::format("oven temp=231 {}", t0), line1_, &answer), 204)
      << answer;
  EXPECT_EQ(points("oven/temp"), 1u);

  const std::string mixed = fmt::format("oven temp=232 {}\npump flow=2 {}", t0 + 1, t0 + 1);
  EXPECT_EQ(write("/write?db=plant", mixed, line1_, &answer), 403);
  EXPECT_THAT(answer, HasSubstr("limited to acme/line-1, and tag 'pump/flow' is not on equipment "
                                "under it: nothing of this request was written"));
  EXPECT_EQ(points("oven/temp"), 1u) << "the request's own line's point is not stored either";
  EXPECT_EQ(points("pump/flow"), 0u);
  // A tag the hub does not know answers in the same words: nothing told of what exists.
  std::string unknown;
  EXPECT_EQ(write("/write?db=plant", fmt::format("pump flox=2 {}", t0), line1_, &unknown), 403);
  EXPECT_EQ(std::regex_replace(unknown, std::regex("flox"), "flow"), answer);

  // InfluxDB 2's error body; a string field's tag is checked too.
  EXPECT_EQ(
      write("/api/v2/write?bucket=plant", fmt::format("pump flow=\"dry\" {}", t0), line1_, &answer),
      403);
  EXPECT_EQ(nlohmann::json::parse(answer)["code"], "forbidden") << answer;
  // JSON samples.
  auto res = client_->Post(
      "/api/v1/samples", Bearer(line1_),
      R"({"samples": [{"tag": "oven.temp", "value": 1}, {"tag": "feed.flow", "value": 2}]})",
      "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;
  EXPECT_THAT(res->body, HasSubstr("tag 'feed.flow' is not on equipment under it"));
  EXPECT_EQ(points("feed.flow"), 0u);
  EXPECT_EQ(points("oven.temp"), 0u);

  // An unscoped operator writes anywhere, as before.
  EXPECT_EQ(write("/write?db=plant", mixed, operator_, &answer), 204) << answer;
  EXPECT_EQ(points("pump/flow"), 1u);
}

}  // namespace
}  // namespace fh::testing
