// What InfluxDB clients call at start-up besides writing (/ping, /health, /ready, /query's
// CREATE and SHOW DATABASES), the precisions m and h, and string fields beside numbers.
#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/raw_http.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class ApiInfluxTest : public ApiTest {};

TEST_F(ApiInfluxTest, PingAnswers204WithTheVersionHeader) {
  auto r = client_->Get("/ping");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("X-Influxdb-Version"), "1.8.10");
  r = client_->Get("/ping?verbose=true");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["version"], "1.8.10");
  r = client_->Head("/ping");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
}

TEST_F(ApiInfluxTest, HealthAndReadyHaveInfluxDbsShapes) {
  auto health = Get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "pass");
  EXPECT_EQ(health.body["name"], "influxdb");
  EXPECT_TRUE(health.body["checks"].is_array());
  auto ready = Get("/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body["status"], "ready");
  EXPECT_TRUE(ready.body["up"].is_string());
}

TEST_F(ApiInfluxTest, CreateAndShowDatabasesAnswerAsInfluxDb) {
  // node-influx: the query in the URL.
  auto r = client_->Post("/query?q=CREATE%20DATABASE%20%22telegraf%22", "", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body), json::parse(R"({"results":[{"statement_id":0}]})"));
  // Telegraf: a form body.
  r = client_->Post("/query", "q=CREATE+DATABASE+plant2+WITH+DURATION+30d",
                    "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  auto show = Get("/query?q=SHOW%20DATABASES");
  EXPECT_EQ(show.status, 200);
  EXPECT_EQ(show.body["results"][0]["series"][0]["name"], "databases");
  EXPECT_EQ(show.body["results"][0]["series"][0]["values"],
            json::parse(R"([["api-test"],["plant2"],["telegraf"]])"));
}

TEST_F(ApiInfluxTest, SelectReadsWhatLineProtocolWroteAndStatementsFailAlone) {
  auto w = client_->Post("/write?precision=s",
                         "cpu,host=a usage=1.5 1767225600\ncpu,host=a usage=2.5 1767225660\n"
                         "cpu,host=b usage=4 1767225600\n",
                         "text/plain");
  ASSERT_TRUE(w);
  ASSERT_EQ(w->status, 204) << w->body;
  auto r = client_->Get(
      "/query?epoch=s&q=SELECT%20mean(usage)%20FROM%20cpu%20WHERE%20time%20%3E%3D%201767225600s%20"
      "AND%20time%20%3C%201767225720s%20GROUP%20BY%20time(1m),host;SELECT%20mean(usage)%20FROM%"
      "20cpu");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(
      r->body,
      R"({"results":[{"statement_id":0,"series":[)"
      R"({"name":"cpu","tags":{"host":"a"},"columns":["time","mean"],"values":[[1767225600,1.5],[1767225660,2.5]]},)"
      R"({"name":"cpu","tags":{"host":"b"},"columns":["time","mean"],"values":[[1767225600,4],[1767225660,null]]}]},)"
      R"({"statement_id":1,"series":[{"name":"cpu","columns":["time","mean"],"values":[[0,2.6666666666666665]]}]}]})"
      "\n");
  auto drop = Get("/query?q=DROP%20MEASUREMENT%20cpu");
  EXPECT_EQ(drop.status, 400);
  EXPECT_THAT(drop.body["error"].get<std::string>(), HasSubstr("found DROP, expected SELECT"));
  EXPECT_EQ(Get("/query").status, 400);
}

TEST_F(ApiInfluxTest, PrecisionsMinutesAndHours) {
  auto r = client_->Post("/write?precision=m", "pm v=1 29446260\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  r = client_->Post("/write?precision=h", "ph v=1 490771\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  EXPECT_EQ(hub_->storage().Latest("pm/v")->value().ts, 29446260LL * 60'000'000'000);
  EXPECT_EQ(hub_->storage().Latest("ph/v")->value().ts, 490771LL * 3600'000'000'000);
}

// Regression: one string field quarantined its whole line, numbers included.
TEST_F(ApiInfluxTest, AStringFieldBesideNumbersLosesNothing) {
  auto r = client_->Post("/write", "press status=\"running\",temp=71.5,ok=true 5\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  EXPECT_EQ(hub_->storage().Latest("press/temp")->value().value, 71.5);
  EXPECT_EQ(hub_->storage().Latest("press/ok")->value().value, 1);
  // The text value is read back as a text series, beside the numbers.
  auto q = Get("/api/v1/query?tag=press/*");
  ASSERT_EQ(q.status, 200) << q.body.dump();
  json text;
  for (const json& s : q.body["series"])
    if (s.value("type", "") == "text") text = s;
  EXPECT_EQ(text["tag"], "press/status") << q.body.dump();
  EXPECT_EQ(text["points"][0][1], "running");
  EXPECT_EQ(q.body["series"].size(), 3u);
  // Aggregates skip text and say which tags they skipped.
  auto a = Get("/api/v1/query?tag=press/*&agg=count");
  EXPECT_EQ(a.body["not_aggregated"], json::array({"press/status"})) << a.body.dump();
}

TEST_F(ApiInfluxTest, UnknownMethodsAndPathsSayWhat) {
  auto r = client_->Delete("/api/v1/tags");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET");
  r = client_->Get("/nope");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_THAT(r->body, HasSubstr("no such endpoint: GET /nope"));
}

}  // namespace
}  // namespace fh::testing
