// Every endpoint of the HTTP API against a real server on a free port.
#include <thread>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/routes.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST_F(ApiTest, Healthz) {
  Reply r = Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, json::parse(R"({"status":"ok"})"));
}

TEST_F(ApiTest, IndexListsEndpointsAsJsonOrHtml) {
  Reply r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["name"], "api-test");
  std::vector<std::string> paths;
  for (const json& e : r.body["endpoints"])
    paths.push_back(e["path"]);
  EXPECT_THAT(paths, ::testing::IsSupersetOf({"/healthz", "/api/v1/tags", "/api/v1/query",
                                              "/api/v1/latest", "/api/v1/info"}));

  // A browser gets the dashboard (api_dashboard_test.cpp).
  auto html = client_->Get("/", {{"Accept", "text/html,application/xhtml+xml"}});
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_THAT(html->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(html->body, HasSubstr("<div id=\"app\">"));
}

// The route table is what the server serves and what the index lists: every entry answers
// its method (its own example, not 404 or 405), and the index names exactly the entries
// with a summary.
TEST_F(ApiTest, TheRouteTableIsWhatIsServedAndListed) {
  std::vector<std::string> listed;
  for (const api::Route& route : api::Routes()) {
    const std::string path(route.path);
    const std::string example(route.example);
    httplib::Result res = route.method == "GET" ? client_->Get(example.empty() ? path : example)
                                                : client_->Post(path, example, "text/plain");
    ASSERT_TRUE(res) << route.method << " " << path;
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr("no such endpoint")))
        << route.method << " " << path;
    EXPECT_NE(res->status, 405) << route.method << " " << path << ": " << res->body;
    if (!route.summary.empty()) listed.push_back(std::string(route.method) + " " + path);
  }
  std::vector<std::string> indexed;
  const Reply index = Get("/");
  for (const json& e : index.body["endpoints"])
    indexed.push_back(e["method"].get<std::string>() + " " + e["path"].get<std::string>());
  EXPECT_EQ(indexed, listed);
  EXPECT_THAT(listed, ::testing::Contains("POST /write"));
  EXPECT_THAT(listed, ::testing::Not(::testing::Contains("GET /ping")));  // compatibility only
  EXPECT_EQ(client_->Delete("/api/v1/tags")->status, 405);
}

TEST_F(ApiTest, Info) {
  Reply r = Get("/api/v1/info");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["name"], "api-test");
  EXPECT_EQ(r.body["tags"], 3);
  EXPECT_EQ(r.body["samples"], 7);
  EXPECT_GE(r.body["schema_version"].get<int>(), 1);
  EXPECT_EQ(r.body["backend"], "sqlite");
  EXPECT_GT(r.body["bytes_on_disk"].get<int64_t>(), 0);
}

TEST_F(ApiTest, Tags) {
  Reply r = Get("/api/v1/tags");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.body["tags"].size(), 3u);
  EXPECT_EQ(r.body["tags"][1], json::parse(R"({"name": "line1.temp", "samples": 4,
                            "first": "2026-03-01T08:00:00Z", "last": "2026-03-01T08:01:30Z"})"));
}

TEST_F(ApiTest, QueryRaw) {
  Reply r = Get("/api/v1/query?tag=line1.temp&from=2026-03-01T08:00:30Z");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, json::parse(R"({"series": [{"tag": "line1.temp", "truncated": false,
      "points": [["2026-03-01T08:00:30Z", 21.5, 192], ["2026-03-01T08:01:00Z", 23, 192],
                 ["2026-03-01T08:01:30Z", 25, 64]]}]})"));
}

TEST_F(ApiTest, QueryBucketsWithRepeatedTags) {
  Reply r = Get("/api/v1/query?tag=line1.temp&tag=line1.speed&every=1m&agg=mean,count");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["every"], "1m");
  ASSERT_EQ(r.body["series"].size(), 2u);
  EXPECT_EQ(r.body["series"][0]["tag"], "line1.temp");
  EXPECT_EQ(r.body["series"][0]["buckets"],
            json::parse(R"([{"start": "2026-03-01T08:00:00Z", "mean": 21, "count": 2},
                            {"start": "2026-03-01T08:01:00Z", "mean": 24, "count": 2}])"));
  EXPECT_EQ(r.body["series"][1]["tag"], "line1.speed");
}

TEST_F(ApiTest, QueryGlobAndWholeRangeAggregate) {
  Reply r = Get("/api/v1/query?tag=line1.*&agg=max");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body["every"].is_null());
  ASSERT_EQ(r.body["series"].size(), 2u);
  EXPECT_EQ(r.body["series"][0]["tag"], "line1.speed");
  EXPECT_EQ(r.body["series"][0]["buckets"][0]["max"], 1520);
  EXPECT_EQ(r.body["series"][1]["buckets"][0]["max"], 25);
}

TEST_F(ApiTest, QueryInfinityIsNull) {
  Reply r = Get("/api/v1/query?tag=line2.temp");
  EXPECT_EQ(r.body["series"][0]["points"][0],
            json::parse(R"(["2026-03-01T08:00:00Z", null, 192])"));
}

TEST_F(ApiTest, QueryLimit) {
  Reply r = Get("/api/v1/query?tag=line1.temp&limit=2");
  EXPECT_EQ(r.body["series"][0]["points"].size(), 2u);
  EXPECT_EQ(r.body["series"][0]["truncated"], true);
}

TEST_F(ApiTest, QueryUrlEncodedTimes) {
  // '+' in a query string is a space unless encoded: clients send %2B.
  Reply r = Get("/api/v1/query?tag=line1.temp&from=2026-03-01T16%3A01%3A00%2B08%3A00");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["series"][0]["points"].size(), 2u);
}

struct ErrorCase {
  const char* name;
  const char* target;
  int status;
  const char* field;    // expected "field", or "" for none
  const char* message;  // expected in "error"
};

class ApiErrors : public ApiTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(ApiErrors, SayWhatAndWhere) {
  Reply r = Get(GetParam().target);
  EXPECT_EQ(r.status, GetParam().status) << r.body.dump();
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_TRUE(r.body.contains("error")) << r.body.dump();
  EXPECT_THAT(r.body["error"].get<std::string>(), HasSubstr(GetParam().message));
  if (*GetParam().field) {
    EXPECT_EQ(r.body["field"], GetParam().field) << r.body.dump();
  } else {
    EXPECT_FALSE(r.body.contains("field")) << r.body.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, ApiErrors,
    ::testing::Values(
        ErrorCase{"NoTag", "/api/v1/query", 400, "tag", "tag"},
        ErrorCase{"BadFrom", "/api/v1/query?tag=line1.temp&from=yesterday", 400, "from", ""},
        ErrorCase{"BadTo", "/api/v1/query?tag=line1.temp&to=2026-13-01", 400, "to", ""},
        ErrorCase{"EmptyRange", "/api/v1/query?tag=line1.temp&from=now&to=now-1h", 400, "to",
                  "empty"},
        ErrorCase{"BadEvery", "/api/v1/query?tag=line1.temp&every=fast", 400, "every", ""},
        ErrorCase{"BadAgg", "/api/v1/query?tag=line1.temp&agg=median", 400, "agg", "median"},
        ErrorCase{"BadLimit", "/api/v1/query?tag=line1.temp&limit=lots", 400, "limit", "lots"},
        ErrorCase{"UnknownParam", "/api/v1/query?tags=line1.temp", 400, "tags", "tags"},
        ErrorCase{"UnknownTag", "/api/v1/query?tag=nope", 404, "tag", "unknown tag 'nope'"},
        ErrorCase{"GlobNoMatch", "/api/v1/query?tag=zz*", 404, "tag", "no tag matches"},
        ErrorCase{"LatestNoTag", "/api/v1/latest", 400, "tag", "tag"},
        ErrorCase{"LatestUnknownTag", "/api/v1/latest?tag=nope", 404, "tag", "nope"},
        ErrorCase{"InfoParam", "/api/v1/info?x=1", 400, "x", "unknown parameter"},
        ErrorCase{"AlarmsBadLimit", "/api/v1/alarms?limit=0", 400, "limit", "1 to 10000, got '0'"},
        ErrorCase{"NoSuchEndpoint", "/api/v2/nothing", 404, "", "no such endpoint"}),
    [](const ::testing::TestParamInfo<ErrorCase>& p) { return p.param.name; });

TEST_F(ApiTest, AlarmsAreAnEmptyListUntilAModelRaisesOne) {
  Reply r = Get("/api/v1/alarms");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, nlohmann::json::parse(R"({"alarms": []})"));
}

TEST_F(ApiTest, Latest) {
  Reply r = Get("/api/v1/latest?tag=line1.temp&tag=line1.speed");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, json::parse(R"({"latest": [
      {"tag": "line1.temp", "ts": "2026-03-01T08:01:30Z", "value": 25, "quality": 64},
      {"tag": "line1.speed", "ts": "2026-03-01T08:01:00Z", "value": 1520, "quality": 192}]})"));
}

TEST_F(ApiTest, SeesWritesMadeWhileServing) {
  SampleBatch batch;
  batch.Add("line1.temp", T("2026-03-01T08:02:00Z"), 30);
  ASSERT_TRUE(hub_->storage().Write(batch).ok());
  Reply r = Get("/api/v1/latest?tag=line1.temp");
  EXPECT_EQ(r.body["latest"][0]["value"], 30);
}

TEST_F(ApiTest, ConcurrentClients) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      httplib::Client c("127.0.0.1", server_->port());
      for (int i = 0; i < 20; ++i) {
        auto res = c.Get("/api/v1/query?tag=line1.*&every=1m&agg=mean");
        if (res && res->status == 200) ++ok;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(ok.load(), 160);
}

TEST_F(ApiTest, StopIsIdempotentAndFreesThePort) {
  const int port = server_->port();
  server_->Stop();
  server_->Stop();
  api::HttpServer again(*hub_);
  api::HttpServerOptions options;
  options.port = port;
  ASSERT_TRUE(again.Start(options).ok());
  httplib::Client c("127.0.0.1", port);
  auto res = c.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(ApiTest, BusyPortIsUnavailable) {
  api::HttpServer second(*hub_);
  api::HttpServerOptions options;
  options.port = server_->port();
  Status s = second.Start(options);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr(std::to_string(server_->port())));
}

}  // namespace
}  // namespace fh::testing
