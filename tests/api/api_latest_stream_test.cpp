// GET /api/v1/latest/stream on a served hub: the newest points first, then at most once a
// second the newest value of each tag that changed (many points, one event), a scoped
// principal's tags only, and an end of the body when the server stops. Points are written as
// clients write them (POST /api/v1/samples), through the server's stream ingest.
#include <atomic>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>

#include "api/api_access_fixture.h"
#include "api/live_latest.h"
#include "api/server_sent_events.h"
#include "store/catalog/catalog.h"

namespace fh::testing {
namespace {

using ::testing::ElementsAre;

class ApiLatestStreamTest : public ApiAccessTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    ApiAccessTest::ConfigureServer(options);
    CatalogSession session = hub_->OpenCatalog();
    Catalog& catalog = session.catalog();
    const int64_t oven = catalog.CreateAssetPath("acme/line-1/oven").value();
    const int64_t pump = catalog.CreateAssetPath("acme/line-2/pump").value();
    for (const auto& [tag, equipment] :
         {std::pair{"line1.temp", oven}, std::pair{"line1.speed", oven},
          std::pair{"line2.temp", pump}}) {
      TagMeta meta;
      meta.name = tag;
      meta.equipment_id = equipment;
      ASSERT_OK(catalog.UpsertTag(meta));
    }
  }

  // Writes one point as a client does.
  void Write(const std::string& tag, TimestampNs ts, double value) {
    httplib::Client client("127.0.0.1", server_->port());
    const nlohmann::json body = {
        {"samples", {{{"tag", tag}, {"ts", FormatRfc3339(ts)}, {"value", value}}}}};
    auto res = client.Post("/api/v1/samples", Bearer(operator_), body.dump(), "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }

  // A client following a stream on its own thread until the server ends it or Stop().
  class Follower {
   public:
    Follower(int port, std::string target, httplib::Headers headers)
        : reader_([this, port, target = std::move(target), headers = std::move(headers)] {
            httplib::Client client("127.0.0.1", port);
            {
              std::lock_guard<std::mutex> lock(mu_);
              client_ = &client;
            }
            client.set_read_timeout(std::chrono::seconds(20));
            auto res = client.Get(target, headers, [this](const char* data, size_t n) {
              std::lock_guard<std::mutex> lock(mu_);
              text_.append(data, n);
              return !stop_.load();
            });
            ended_ok_ = res && res->status == 200;
            std::lock_guard<std::mutex> lock(mu_);
            client_ = nullptr;
          }) {}
    ~Follower() { Stop(); }
    std::vector<Sse> Events() {
      std::lock_guard<std::mutex> lock(mu_);
      return ParseSse(text_);
    }
    std::vector<Sse> WaitFor(size_t events, std::chrono::milliseconds within) {
      const auto deadline = std::chrono::steady_clock::now() + within;
      while (Events().size() < events && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return Events();
    }
    void Stop() {
      stop_ = true;
      {
        // Without waiting for the next event (or the heartbeat, 15 s away).
        std::lock_guard<std::mutex> lock(mu_);
        if (client_ != nullptr) client_->stop();
      }
      if (reader_.joinable()) reader_.join();
    }
    bool ended_ok() const { return ended_ok_; }  // after the reader has stopped

   private:
    std::mutex mu_;
    std::string text_;
    std::atomic<bool> stop_ = false;
    httplib::Client* client_ = nullptr;  // while reading
    bool ended_ok_ = false;
    std::thread reader_;
  };
};

// The tags of an event, in order.
std::vector<std::string> Tags(const Sse& e) {
  std::vector<std::string> out;
  for (const nlohmann::json& l : e.data["latest"])
    out.push_back(l["tag"]);
  return out;
}

TEST_F(ApiLatestStreamTest, TheNewestFirstThenEachSecondTheNewestOfWhatChanged) {
  Follower f(server_->port(), "/api/v1/latest/stream?tag=line1.*", Bearer(viewer_));
  std::vector<Sse> seen = f.WaitFor(1, std::chrono::seconds(10));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].event, "latest");
  ASSERT_THAT(Tags(seen[0]), ElementsAre("line1.speed", "line1.temp"));
  EXPECT_EQ(seen[0].data["latest"][1]["value"], 25);
  EXPECT_EQ(seen[0].data["latest"][1]["ts"], "2026-03-01T08:01:30Z");

  // A point every 20 ms for 3 s: three or four events, not 150, each with the newest value.
  const TimestampNs base = NowNs();
  const auto started = std::chrono::steady_clock::now();
  int written = 0;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(3)) {
    ++written;
    Write("line1.temp", base + written * kNanosPerMilli, written);
    Write("line2.temp", base + written * kNanosPerMilli, -written);  // not followed
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Write("line1.temp", base, -1);  // late: older than the newest, changes nothing
  seen = f.WaitFor(100, std::chrono::milliseconds(2500));
  f.Stop();
  ASSERT_GE(seen.size(), 3u);
  EXPECT_LE(seen.size(), 5u) << written << " points in 3 s";
  for (size_t i = 1; i < seen.size(); ++i) {
    ASSERT_THAT(Tags(seen[i]), ElementsAre("line1.temp"));
    if (i > 1) {
      EXPECT_GT(seen[i].data["latest"][0]["value"], seen[i - 1].data["latest"][0]["value"]);
    }
  }
  EXPECT_EQ(seen.back().data["latest"][0]["value"], written);
  EXPECT_EQ(seen.back().data["latest"][0]["ts"], FormatRfc3339(base + written * kNanosPerMilli));
}

TEST_F(ApiLatestStreamTest, AScopedPrincipalFollowsItsTagsOnly) {
  const std::string line1 = AddToken(security::Role::kViewer, "acme/line-1");
  Follower f(server_->port(), "/api/v1/latest/stream?tag=*", Bearer(line1));
  std::vector<Sse> seen = f.WaitFor(1, std::chrono::seconds(10));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(Tags(seen[0]), ElementsAre("line1.speed", "line1.temp"));
  Write("line2.temp", NowNs(), 7);
  Write("line1.speed", NowNs(), 1600);
  seen = f.WaitFor(2, std::chrono::seconds(5));
  f.Stop();
  ASSERT_GE(seen.size(), 2u);
  EXPECT_THAT(Tags(seen[1]), ElementsAre("line1.speed"));
  EXPECT_EQ(seen[1].data["latest"][0]["value"], 1600);

  // Another line's tag answers as one that does not exist.
  httplib::Client client("127.0.0.1", server_->port());
  auto res = client.Get("/api/v1/latest/stream?tag=line2.temp", Bearer(line1));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(nlohmann::json::parse(res->body)["field"], "tag");
  res = client.Get("/api/v1/latest/stream", Bearer(viewer_));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(nlohmann::json::parse(res->body)["field"], "tag");
}

TEST_F(ApiLatestStreamTest, TheStreamEndsWhenTheServerStops) {
  Follower f(server_->port(), "/api/v1/latest/stream?tag=*", Bearer(viewer_));
  ASSERT_EQ(f.WaitFor(1, std::chrono::seconds(10)).size(), 1u);
  const auto before = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(900));
  f.Stop();
  EXPECT_TRUE(f.ended_ok()) << "the body did not end: the connection was cut";
}

// What a slow client is owed is the newest point per tag, however many were stored.
TEST(LiveLatestTest, KeepsTheNewestPointOfEachTagAndNumbersItsChanges) {
  api::LiveLatest live;
  const auto all = [](std::string_view) { return true; };
  uint64_t seen = 0;
  EXPECT_TRUE(live.ChangedSince(0, all, &seen).empty());
  EXPECT_EQ(seen, 0u);
  for (int i = 1; i <= 1000; ++i) {
    SampleBatch b;
    b.Add("a", i, i);
    b.Add("b", 1, i);  // the same timestamp: the later point wins
    live.Observe(b);
  }
  SampleBatch late;
  late.Add("a", 5, -1);
  live.Observe(late);
  std::vector<api::LiveLatest::Change> changed = live.ChangedSince(0, all, &seen);
  ASSERT_EQ(changed.size(), 2u);
  std::sort(changed.begin(), changed.end(), [](auto& x, auto& y) { return x.tag < y.tag; });
  EXPECT_EQ(changed[0].sample, (Sample{1000, 1000, kQualityGood}));
  EXPECT_EQ(changed[1].sample, (Sample{1, 1000, kQualityGood}));
  EXPECT_EQ(seen, live.changes());
  EXPECT_TRUE(live.ChangedSince(seen, all, &seen).empty());
  SampleBatch one;
  one.Add("b", 2, 3);
  live.Observe(one);
  changed = live.ChangedSince(
      seen, [](std::string_view t) { return t == "b"; }, &seen);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].sample.value, 3);
  EXPECT_TRUE(live.ChangedSince(
                      seen, [](std::string_view t) { return t == "a"; }, &seen)
                  .empty());
}

}  // namespace
}  // namespace fh::testing
