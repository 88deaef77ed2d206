// The line protocol write endpoints against a real server: what 204 stores, InfluxDB's
// error bodies, gzip bodies, quarantine and lineage of what a stream sent, and 429 when
// too many writes run at once.
#include <sqlite3.h>

#include <thread>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "govern/stream_mapping.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "testing/hub_books.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ApiWriteTest : public ApiTest {
 protected:
  httplib::Result Post(const std::string& target, const std::string& body) {
    return client_->Post(target.c_str(), body, "text/plain; charset=utf-8");
  }
  std::vector<Sample> Points(const std::string& tag) {
    std::vector<Sample> out;
    Status s = hub_->storage().Scan(tag, {}, [&](auto ts, auto value, auto quality) {
      for (size_t i = 0; i < ts.size(); ++i)
        out.push_back({ts[i], value[i], quality[i]});
      return true;
    });
    EXPECT_OK(s) << tag << ": " << s.ToString();
    return out;
  }
};

TEST_F(ApiWriteTest, V1WriteStoresEveryFieldAndAnswers204) {
  auto r = Post("/write?db=plant&precision=s",
                "machine,line=2,id=m7 temperature=71.5,speed=1480i 1767225600\n"
                "machine,id=m7,line=2 temperature=72 1767225601\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(Points("machine/id=m7/line=2/temperature"),
            (std::vector<Sample>{{1767225600'000000000, 71.5}, {1767225601'000000000, 72}}));
  EXPECT_EQ(Points("machine/id=m7/line=2/speed"),
            (std::vector<Sample>{{1767225600'000000000, 1480}}));
}

TEST_F(ApiWriteTest, V2WriteTakesGzipBodiesAndPrecision) {
  client_->set_compress(true);  // Content-Encoding: gzip
  auto r =
      Post("/api/v2/write?org=acme&bucket=plant&precision=ms", "press force=12.5 1767225600123\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  EXPECT_EQ(Points("press/force"), (std::vector<Sample>{{1767225600'123000000, 12.5}}));
}

TEST_F(ApiWriteTest, BadLinesAreQuarantinedAndNamedWhileGoodOnesAreStored) {
  auto r = Post("/write?db=plant", "ok v=1 1\nstate value=1..2 2\nok v=2 3\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const json body = json::parse(r->body);
  EXPECT_THAT(body["error"].get<std::string>(), HasSubstr("partial write: line 2: "));
  EXPECT_THAT(body["error"].get<std::string>(),
              HasSubstr("(dropped=1, quarantined: factoryhub quarantine list)"));
  EXPECT_EQ(Points("ok/v").size(), 2u);

  auto v2 = Post("/api/v2/write?bucket=plant", "m v=x 1\n");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->status, 400);
  EXPECT_EQ(json::parse(v2->body)["code"], "invalid");
  EXPECT_THAT(json::parse(v2->body)["message"].get<std::string>(), HasSubstr("line 1: field 'v'"));

  CatalogSession session = hub_->OpenCatalog();
  GovernanceStore& store = session.governance();
  QuarantineFilter filter;
  filter.mapping_name = "line-protocol";
  Result<std::vector<QuarantinedRecord>> q = store.ListQuarantine(filter);
  ASSERT_OK(q);
  ASSERT_EQ(q->size(), 2u);
  const QuarantinedRecord& first = q->back().raw == "state value=1..2 2" ? q->back() : q->front();
  EXPECT_EQ(first.raw, "state value=1..2 2");
  EXPECT_EQ(first.source_system, "http");
  EXPECT_EQ(first.source_object, "/write?db=plant");
  EXPECT_EQ(first.source_line, 2);
  ASSERT_EQ(first.reasons.size(), 1u);
  EXPECT_THAT(first.reasons[0].message, HasSubstr("field 'value'"));
}

TEST_F(ApiWriteTest, BadPrecisionIsRefusedWhole) {
  auto r = Post("/write?precision=d", "m v=1 1\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_THAT(json::parse(r->body)["error"].get<std::string>(), HasSubstr("precision 'd'"));
  EXPECT_EQ(hub_->storage().ListTags()->size(), 3u);  // the fixture's only
}

TEST_F(ApiWriteTest, WhatAStreamWroteHasLineageOnceFlushed) {
  ASSERT_EQ(Post("/write?db=plant", "m v=1 100\nm v=2 200\n")->status, 204);
  server_->Stop();  // stopping flushes the lineage and completes the stream's batch
  CatalogSession session = hub_->OpenCatalog();
  Catalog& catalog = session.catalog();
  Result<std::vector<SeriesLineage>> lineage = catalog.FindSeriesLineage("m/v", 150);
  ASSERT_OK(lineage);
  ASSERT_EQ(lineage->size(), 1u);
  EXPECT_EQ((*lineage)[0].samples, 2);
  Result<IngestBatch> batch = catalog.GetBatch((*lineage)[0].batch_id);
  ASSERT_OK(batch);
  EXPECT_EQ(batch->source_system, "http");
  EXPECT_EQ(batch->source_object, "/write?db=plant");
  EXPECT_EQ(batch->status, IngestBatchStatus::kCompleted);
  EXPECT_EQ(batch->accepted, 2);
}

TEST(ApiWriteBusyTest, TooManyWritesAtOnceGet429WithRetryAfter) {
  TempDir tmp;
  HubConfig config;
  ASSERT_TRUE(Hub::Init(tmp.path(), config).ok());
  std::unique_ptr<Hub> hub = std::move(Hub::Open(tmp.path())).value();
  api::HttpServer server(*hub);
  api::HttpServerOptions options;
  options.port = 0;
  options.max_writes = 0;  // every write finds the store busy
  options.write_wait = std::chrono::milliseconds(0);
  ASSERT_TRUE(server.Start(options).ok());
  httplib::Client client("127.0.0.1", server.port());
  auto r = client.Post("/write", "m v=1 1\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "1");
  EXPECT_THAT(json::parse(r->body)["error"].get<std::string>(), HasSubstr("retry after 1 s"));
  EXPECT_EQ(hub->storage().ListTags()->size(), 0u);
}

TEST(ApiWriteBusyTest, AStoreHeldByAnotherProcessGets503WithRetryAfterAndKeepsNothing) {
  TempDir tmp;
  HubConfig config;
  config.storage.busy_timeout_ms = 200;
  ASSERT_TRUE(Hub::Init(tmp.path(), config).ok());
  std::unique_ptr<Hub> hub = std::move(Hub::Open(tmp.path())).value();
  api::HttpServer server(*hub);
  api::HttpServerOptions options;
  options.port = 0;
  ASSERT_TRUE(server.Start(options).ok());
  httplib::Client client("127.0.0.1", server.port());

  // Another writer (an import, compact, a second server) holds the database.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((tmp.path() / kHubDbFile).c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto busy = client.Post("/write", "m v=1 1\n", "text/plain");
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->status, 503);
  EXPECT_EQ(busy->get_header_value("Retry-After"), "1");
  EXPECT_THAT(json::parse(busy->body)["error"].get<std::string>(),
              HasSubstr("nothing was written"));
  auto samples =
      client.Post("/api/v1/samples", R"([{"tag": "s", "ts": 1, "value": 1}])", "application/json");
  ASSERT_TRUE(samples);
  EXPECT_EQ(samples->status, 503);
  EXPECT_EQ(samples->get_header_value("Retry-After"), "1");
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  // The retry the header asks for succeeds.
  auto retried = client.Post("/write", "m v=1 1\n", "text/plain");
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 204) << retried->body;
  Result<std::optional<Sample>> stored = hub->storage().Latest("m/v");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->value, 1);
  EXPECT_FALSE(hub->storage().Latest("s").ok() && hub->storage().Latest("s")->has_value());
  server.Stop();
}

TEST_F(ApiWriteTest, ConcurrentClientsLoseNothingThatWasAcknowledged) {
  // 4 clients, 25 requests each of 200 lines; every 204's points must be there.
  std::vector<std::thread> clients;
  std::atomic<int64_t> acknowledged{0};
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", server_->port());
      for (int r = 0; r < 25; ++r) {
        std::string body;
        for (int i = 0; i < 200; ++i)
          body += fmt::format("load,client={} v={} {}\n", c, i, (r * 200 + i) * 1000);
        auto res = client.Post("/write", body, "text/plain");
        while (res && res->status == 429) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          res = client.Post("/write", body, "text/plain");
        }
        if (res && res->status == 204) acknowledged += 200;
      }
    });
  }
  for (std::thread& t : clients)
    t.join();
  EXPECT_EQ(acknowledged.load(), 4 * 25 * 200);
  int64_t stored = 0;
  for (int c = 0; c < 4; ++c)
    stored += static_cast<int64_t>(Points(fmt::format("load/client={}/v", c)).size());
  EXPECT_EQ(stored, acknowledged.load());
}

TEST_F(ApiWriteTest, JsonSamplesAreStoredAndBadOnesQuarantinedByIndex) {
  auto ok = client_->Post("/api/v1/samples",
                          R"({"samples": [{"tag": "press.force", "ts": "2026-01-01T00:00:01Z",
                                           "value": 12.5},
                                          {"tag": "press.force", "ts": 1767225602000000000,
                                           "value": 13, "quality": 64}]})",
                          "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(json::parse(ok->body)["written"], 2);
  EXPECT_EQ(Points("press.force"),
            (std::vector<Sample>{{1767225601'000000000, 12.5}, {1767225602'000000000, 13, 64}}));

  auto bad = client_->Post("/api/v1/samples",
                           R"([{"tag": "a", "value": 1}, {"tag": "a", "value": "x"},
                               {"tag": "a", "value": 2, "quality": 300}, {"value": 3}])",
                           "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  const json body = json::parse(bad->body);
  EXPECT_EQ(body["written"], 1);
  EXPECT_EQ(body["quarantined"], 3);
  EXPECT_EQ(body["errors"][0],
            json::parse(R"({"index": 1, "error": "field 'value': missing or not a number"})"));
  EXPECT_EQ(body["errors"][1]["error"], "field 'quality': a whole number from 0 to 255");
  EXPECT_EQ(body["errors"][2]["error"], "field 'tag': missing or not a string");

  auto not_json = client_->Post("/api/v1/samples", "tag,value\n", "text/csv");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
}

TEST_F(ApiWriteTest, ConnectorsAndMetricsCountWhatEachSourceWrote) {
  ASSERT_EQ(Post("/write?db=plant", "m v=1 1\nm v=2 2\n")->status, 204);
  ASSERT_EQ(Post("/write?db=plant", "m v=x 3\n")->status, 400);
  Reply c = Get("/api/v1/connectors");
  ASSERT_EQ(c.status, 200);
  EXPECT_EQ(c.body["connectors"].size(), 0u);  // no MQTT or Modbus connector here
  ASSERT_EQ(c.body["sources"].size(), 1u);
  const json& source = c.body["sources"][0];
  EXPECT_EQ(source["system"], "http");
  EXPECT_EQ(source["source"], "/write?db=plant");
  EXPECT_EQ(source["points"], 2);
  EXPECT_EQ(source["quarantined"], 1);
  EXPECT_TRUE(source["batch"].is_number());  // the quarantine needed the stream's batch
  EXPECT_EQ(c.body["http"]["write_requests"], 2);
  EXPECT_EQ(c.body["http"]["partial_writes"], 1);

  auto m = client_->Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_THAT(m->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(
      m->body,
      HasSubstr("factoryhub_ingest_points_total{system=\"http\",source=\"/write?db=plant\"} 2\n"));
  EXPECT_THAT(m->body, HasSubstr("# TYPE factoryhub_ingest_quarantined_total counter\n"));
  EXPECT_THAT(m->body, HasSubstr("factoryhub_storage_tags 4\n"));  // the fixture's 3, and m/v
  EXPECT_THAT(m->body, HasSubstr("factoryhub_storage_samples 9\n"));
}

// A hub with a stream mapping: every write goes through its conversions and rules.
class ApiStreamMappingTest : public ApiWriteTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    Result<govern::StreamMapping> m = govern::ParseStreamMapping(
        "mapping: plant-streams\n"
        "signals:\n"
        "  - tags: '*temp_f'\n"
        "    unit: °F\n"
        "    to: °C\n"
        "    rules: [{ rule: range, min: -20, max: 150 }]\n"
        "  - tags: '*speed'\n"
        "    rules: [{ rule: range, min: 0, max: 6000 }, { rule: range, id: idle, min: 1, "
        "severity: warn }]\n",
        "streams.yaml");
    ASSERT_OK(m);
    auto g = govern::StreamGovernor::Make(std::move(m).value());
    ASSERT_OK(g);
    options.stream_mapping = std::move(g).value();
  }
  std::vector<QuarantinedRecord> Quarantined(const std::string& mapping) {
    return testing::QuarantinedOfMapping(*hub_, mapping);
  }
};

TEST_F(ApiStreamMappingTest, LineProtocolPointsAreConvertedAndThoseFailingARuleQuarantined) {
  auto r = Post("/write?db=plant&precision=s",
                "m7 temp_f=212,speed=1500i 1767225600\n"
                "m7 temp_f=1000 1767225601\n"  // 537.8 °C: above the range
                "m7 speed=0i 1767225602\n");   // stored, with the idle warning
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const std::string error = json::parse(r->body)["error"];
  EXPECT_THAT(error, HasSubstr("partial write: m7/temp_f at 2026-01-01T00:00:01Z: rule "
                               "'range:value': 537.77"));  // in °C, as it would be stored
  EXPECT_THAT(error, HasSubstr(" is outside [-20, 150] (dropped=1, quarantined: factoryhub "
                               "quarantine list)"));
  EXPECT_EQ(Points("m7/temp_f"), (std::vector<Sample>{{1767225600'000000000, 100}}));
  EXPECT_EQ(Points("m7/speed"),
            (std::vector<Sample>{{1767225600'000000000, 1500}, {1767225602'000000000, 0}}));

  // Quarantined under the stream mapping, as a sample the sender can POST again.
  const std::vector<QuarantinedRecord> q = Quarantined("plant-streams");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(json::parse(q[0].raw),
            json::parse(R"({"tag": "m7/temp_f", "ts": 1767225601000000000, "value": 1000})"));
  EXPECT_EQ(q[0].source_system, "http");
  EXPECT_EQ(q[0].source_object, "/write?db=plant");
  ASSERT_EQ(q[0].reasons.size(), 1u);
  EXPECT_EQ(q[0].reasons[0].rule, "range:value");

  Reply c = Get("/api/v1/connectors");
  EXPECT_EQ(c.body["sources"][0]["points"], 3);
  EXPECT_EQ(c.body["sources"][0]["quarantined"], 1);
  EXPECT_EQ(c.body["sources"][0]["warnings"], 1);
  auto m = client_->Get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_THAT(m->body, HasSubstr("factoryhub_stream_rule_failures_total{rule=\"range:value\","
                                 "tags=\"*temp_f\",severity=\"reject\"} 1\n"));
  EXPECT_THAT(m->body, HasSubstr("factoryhub_stream_rule_failures_total{rule=\"idle\",tags=\"*"
                                 "speed\",severity=\"warn\"} 1\n"));
  EXPECT_THAT(m->body, HasSubstr("factoryhub_stream_rule_checks_total{rule=\"range:value\","
                                 "tags=\"*speed\"} 2\n"));
  EXPECT_THAT(m->body, ::testing::Not(HasSubstr("rule=\"cast\"")));

  // The batch names the mapping's version; its counters reach the catalog when it ends.
  server_->Stop();
  CatalogSession session = hub_->OpenCatalog();
  Catalog& catalog = session.catalog();
  Result<IngestBatch> batch = catalog.GetBatch(q[0].batch_id);
  ASSERT_OK(batch);
  EXPECT_EQ(batch->mapping_version, "plant-streams@1");
  EXPECT_EQ(batch->accepted, 3);
  EXPECT_EQ(batch->quarantined, 1);
}

TEST_F(ApiStreamMappingTest, JsonSamplesFailingARuleAreNamedByTheirIndex) {
  auto r = client_->Post("/api/v1/samples",
                         R"([{"tag": "p.speed", "ts": 1, "value": 7000},
                             {"tag": "p.speed", "ts": 2, "value": "x"},
                             {"tag": "p.speed", "ts": 3, "value": 1200}])",
                         "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const json body = json::parse(r->body);
  EXPECT_EQ(body["written"], 1);
  EXPECT_EQ(body["quarantined"], 2);
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][1]["index"], 0);
  EXPECT_EQ(body["errors"][1]["error"], "rule 'range:value': 7000 is outside [0, 6000]");
  EXPECT_EQ(Points("p.speed"), (std::vector<Sample>{{3, 1200}}));
  EXPECT_EQ(Quarantined("plant-streams").size(), 1u);
  EXPECT_EQ(Quarantined("samples-json").size(), 1u);
}

}  // namespace
}  // namespace fh::testing
