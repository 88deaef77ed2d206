// What a hostile or broken client sends, against a real server: deep JSON, compression
// bombs, bodies past the limit however they are framed, broken Content-Length, timestamps
// past the store's range, names that are not UTF-8. Each is refused alone (4xx, the bad
// records quarantined), and the server keeps answering.
#include <gmock/gmock.h>

#include "analytics/query.h"
#include "api/api_fixture.h"
#include "api/raw_http.h"
#include "ingest/utf8_validate.h"
#include "store/governance/governance_store.h"
#include "testing/deflate.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class ApiHostileTest : public ApiTest {
 protected:
  bool Healthy() {
    auto r = client_->Get("/healthz");
    return r && r->status == 200;
  }
  size_t QuarantinedUnder(const std::string& mapping) {
    CatalogSession session = hub_->OpenCatalog();
    GovernanceStore& store = session.governance();
    QuarantineFilter filter;
    filter.mapping_name = mapping;
    auto q = store.ListQuarantine(filter);
    EXPECT_OK(q);
    return q.ok() ? q->size() : 0;
  }
  bool HasTag(const std::string& tag) {
    auto tags = hub_->storage().ListTags();
    for (const TagInfo& t : *tags)
      if (t.name == tag) return true;
    return false;
  }
  // A raw request on a new connection; the whole answer.
  std::string Raw(std::string_view request) {
    RawConnection c(server_->port());
    EXPECT_TRUE(c.Send(request));
    return c.ReadResponse(5s);
  }
};

// Regression: 100 KB of "[[[[..." overflowed the stack printing the quarantined sample.
TEST_F(ApiHostileTest, DeeplyNestedSamplesAreRefusedQuarantinedAndTheServerStaysUp) {
  const std::string body = std::string(50000, '[') + std::string(50000, ']');
  auto r = client_->Post("/api/v1/samples", body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_THAT(json::parse(r->body)["error"].get<std::string>(), HasSubstr("levels deep"));
  EXPECT_EQ(QuarantinedUnder("samples-json"), 1u);
  EXPECT_TRUE(Healthy());
  // A nested value inside a sample is refused as that sample, not by a crash.
  r = client_->Post("/api/v1/samples",
                    R"({"samples":[{"tag":"a","value":[[[1]]]},{"tag":"b","value":2}]})",
                    "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(HasTag("b"));
}

// Regression: curl --data-binary sends a form Content-Type, and an 8 KB form limit gave 413.
TEST_F(ApiHostileTest, LineProtocolIsReadWhateverTheContentTypeSays) {
  std::string body;
  for (int i = 0; body.size() < (1 << 20); ++i)
    body += fmt::format("form,id=m{} value={} {}\n", i % 7, i, 1767225600000000000 + i);
  auto r = client_->Post("/write?db=x", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
  EXPECT_TRUE(HasTag("form/id=m3/value"));
}

// Regression: `Content-Length: abc` answered 204 storing nothing; two lengths were taken.
TEST_F(ApiHostileTest, ContentLengthThatIsNotOneNumberIs400) {
  EXPECT_EQ(StatusOf(Raw("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n"
                         "cl v=1 1\n")),
            400);
  EXPECT_EQ(StatusOf(Raw("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n"
                         "Content-Length: 9\r\n\r\ncl v=1 1\n")),
            400);
  EXPECT_EQ(StatusOf(Raw("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: 9, 9\r\n\r\n"
                         "cl v=1 1\n")),
            400);
  EXPECT_FALSE(HasTag("cl/v"));
  EXPECT_EQ(StatusOf(Raw("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\n"
                         "cl v=1 1\n")),
            204);
  EXPECT_TRUE(HasTag("cl/v"));
}

TEST_F(ApiHostileTest, ExpectContinueIsAnswered) {
  RawConnection c(server_->port());
  ASSERT_TRUE(
      c.Send("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n"
             "Expect: 100-continue\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse(5s)), 100);
  ASSERT_TRUE(c.Send("ec v=1 1\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse(5s)), 204);
  EXPECT_TRUE(HasTag("ec/v"));
}

// Regression: INT64_MAX failed the whole request with 500, which clients retry forever.
TEST_F(ApiHostileTest, TimestampsPastTheStoreAreRefusedAloneAndTheRestIsStored) {
  auto r = client_->Post("/write?db=x", "ok v=1 1\nbig v=1 9223372036854775807\n", "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_THAT(r->body, HasSubstr("line 2"));
  EXPECT_TRUE(HasTag("ok/v"));
  EXPECT_FALSE(HasTag("big/v"));

  // A JSON ts past int64 wrapped to 1969.
  r = client_->Post(
      "/api/v1/samples",
      R"({"samples":[{"tag":"far","value":1,"ts":10000000000000000000},{"tag":"near","value":2,"ts":5}]})",
      "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  const json body = json::parse(r->body);
  EXPECT_EQ(body["errors"][0]["index"], 0);
  EXPECT_THAT(body["errors"][0]["error"].get<std::string>(), HasSubstr("field 'ts'"));
  EXPECT_FALSE(HasTag("far"));
  EXPECT_TRUE(HasTag("near"));
}

// Regression: a 10 MB field value came back in the 400 body.
TEST_F(ApiHostileTest, AHugeBadValueIsNotEchoedWhole) {
  const std::string line = "huge v=" + std::string(4 << 20, '9') + "x 1\n";
  auto r = client_->Post("/write?db=x", line, "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_LT(r->body.size(), 16u << 10) << r->body.substr(0, 300);
}

// Regression: /metrics broke on a database name that is not UTF-8.
TEST_F(ApiHostileTest, MetricsStayUtf8WhateverNamesTheyCarry) {
  auto r = client_->Post("/write?db=%FF%FEplant", "u v=1 1\n", "text/plain");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 204);
  auto m = client_->Get("/metrics");
  ASSERT_TRUE(m);
  const ingest::Utf8Check check = ingest::CheckUtf8(m->body.data(), m->body.size());
  EXPECT_EQ(check.stop, ingest::Utf8Check::kEnd) << "invalid UTF-8 at byte " << check.valid;
  EXPECT_THAT(m->body, HasSubstr("db=\xEF\xBF\xBD\xEF\xBF\xBDplant"));
  EXPECT_THAT(m->body, HasSubstr("\nfactoryhub_lineage_failed_flushes_total 0\n"));
}

class ApiBodyLimitTest : public ApiHostileTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    options.max_body_bytes = 1 << 20;
  }
};

// Regression: a 2 MB gzip bomb reached 2.1 GB of memory, the limit being checked only
// against Content-Length.
TEST_F(ApiBodyLimitTest, AGzipBodyIsLimitedByWhatItInflatesTo) {
  const std::string bomb = Gzip(std::string(64 << 20, 'a'));
  ASSERT_LT(bomb.size(), 1u << 20);
  httplib::Headers headers = {{"Content-Encoding", "gzip"}};
  auto r = client_->Post("/write", headers, bomb, "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_THAT(r->body, HasSubstr("inflates to more than 1048576 bytes"));
  EXPECT_TRUE(Healthy());
  // Under the limit, gzip is welcome.
  r = client_->Post("/write", headers, Gzip("gz v=1 1\n"), "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204) << r->body;
}

// Regression: a chunked 100 MiB body was accepted: the limit holds however bodies are framed.
TEST_F(ApiBodyLimitTest, AChunkedBodyIsLimitedToo) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("POST /write HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = std::string("10000\r\n") + std::string(0x10000, 'c') + "\r\n";
  std::string answer;
  for (int i = 0; i < 64 && c.Send(chunk); ++i) {
    answer += c.ReadUntilClose(1ms);
    if (!answer.empty()) break;
  }
  answer += c.ReadResponse(5s);
  EXPECT_EQ(StatusOf(answer), 413) << answer.substr(0, 200);
  EXPECT_TRUE(Healthy());
  // Declared too large: refused before the body is read.
  EXPECT_EQ(StatusOf(Raw("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n")),
            413);
}

// Regression: every=1ns over a wide range built every bucket before `limit` cut them.
TEST_F(ApiHostileTest, AQueryComputesNoMoreThanItsAnswerHolds) {
  SampleBatch batch;
  for (int i = 0; i < 5000; ++i) {
    batch.Add("dense.a", 1'000'000'000 + i, i);
    batch.Add("dense.b", 1'000'000'000 + i, i);
  }
  ASSERT_TRUE(hub_->storage().Write(batch).ok());
  auto r = Get("/api/v1/query?tag=dense.a&every=1ns&from=0&to=now&limit=10");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["series"][0]["buckets"].size(), 10u) << r.body.dump().substr(0, 300);
  EXPECT_EQ(r.body["series"][0]["truncated"], true);

  // The answer's budget spans its tags: the second tag gets what the first left.
  analytics::QueryRequest q;
  q.tags = {"dense.*"};
  q.aggs = {kAggCount};
  q.every = 1;
  q.max_values = 5003;
  for (bool raw : {false, true}) {
    if (raw) q.aggs.clear();
    Result<analytics::QueryResult> res = analytics::RunQuery(hub_->storage(), q);
    ASSERT_OK(res);
    ASSERT_EQ(res->series.size(), 2u);
    const auto size = [&](const analytics::Series& s) {
      return raw ? s.points.size() : s.buckets.size();
    };
    EXPECT_EQ(size(res->series[0]), 5000u);
    EXPECT_FALSE(res->series[0].truncated);
    EXPECT_EQ(size(res->series[1]), 3u);
    EXPECT_TRUE(res->series[1].truncated);
  }
}

}  // namespace
}  // namespace fh::testing
