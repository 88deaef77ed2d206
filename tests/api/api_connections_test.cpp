// The server on its event loop: idle keep-alive connections and slow clients cost a socket,
// not a thread, and every phase of a request has a deadline.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/raw_http.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

double Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// A metric's value in a Prometheus scrape (-1 when absent).
double Metric(const std::string& scrape, const std::string& name) {
  const size_t at = scrape.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(scrape.substr(at + name.size() + 2));
}

class ApiConnectionsTest : public ApiTest {
 protected:
  std::string Metrics() {
    auto r = client_->Get("/metrics");
    return r ? r->body : "";
  }
};

// Regression: eight idle keep-alive clients (or one header line every 2 s) held every worker
// thread, and /healthz stopped answering.
TEST_F(ApiConnectionsTest, TwoThousandIdleAndTwoHundredSlowClientsLeaveTheServerAnswering) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < 6000) {
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 6000);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  std::vector<RawConnection> idle(2000);
  for (RawConnection& c : idle)
    ASSERT_TRUE(c.Connect(server_->port()));
  // Slow clients: a header line every 500 ms, never finishing the header.
  std::vector<RawConnection> slow(200);
  for (RawConnection& c : slow) {
    ASSERT_TRUE(c.Connect(server_->port()));
    ASSERT_TRUE(c.Send("POST /write HTTP/1.1\r\nHost: slow\r\n"));
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int round = 0; !done.load(); ++round) {
      for (RawConnection& c : slow)
        (void)c.Send(fmt::format("X-Slow-{}: 1\r\n", round));  // a closed one just fails
      std::this_thread::sleep_for(500ms);
    }
  });

  std::vector<double> health_ms, write_ms;
  for (int i = 0; i < 40; ++i) {
    httplib::Client fresh("127.0.0.1", server_->port());  // a new connection each time
    auto t0 = std::chrono::steady_clock::now();
    auto h = fresh.Get("/healthz");
    health_ms.push_back(Millis(std::chrono::steady_clock::now() - t0));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->status, 200);
    t0 = std::chrono::steady_clock::now();
    auto w = fresh.Post("/write?db=x", fmt::format("busy v={} {}\n", i, i + 1), "text/plain");
    write_ms.push_back(Millis(std::chrono::steady_clock::now() - t0));
    ASSERT_TRUE(w);
    EXPECT_EQ(w->status, 204);
  }
  const std::string scrape = Metrics();
  done.store(true);
  trickle.join();
  std::sort(health_ms.begin(), health_ms.end());
  std::sort(write_ms.begin(), write_ms.end());
  RecordProperty("healthz_median_ms", std::to_string(health_ms[health_ms.size() / 2]));
  RecordProperty("write_median_ms", std::to_string(write_ms[write_ms.size() / 2]));
  EXPECT_LT(health_ms[health_ms.size() / 2], 100) << "healthz median, ms";
  EXPECT_LT(write_ms[write_ms.size() / 2], 100) << "write median, ms";
  EXPECT_LT(health_ms.back(), 2000) << "slowest healthz, ms";
  EXPECT_LT(write_ms.back(), 2000) << "slowest write, ms";
  EXPECT_GE(Metric(scrape, "factoryhub_http_connections"), 2200) << scrape;
}

class ApiDeadlineTest : public ApiConnectionsTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    options.header_timeout = 300ms;
    options.idle_timeout = 300ms;
    options.body_timeout = 300ms;
    options.max_connections = 50;
  }
};

TEST_F(ApiDeadlineTest, AHeaderSentSlowlyIsCutOffAtItsDeadline) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\n"));
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 20 && !c.closed(); ++i) {
    (void)c.Send("X-Slow: 1\r\n");
    c.ReadUntilClose(100ms);
  }
  EXPECT_TRUE(c.closed());
  EXPECT_LT(Millis(std::chrono::steady_clock::now() - t0), 1500);
  EXPECT_GE(Metric(Metrics(), "factoryhub_http_timeouts_total"), 1);
}

TEST_F(ApiDeadlineTest, AnIdleKeepAliveConnectionIsClosedAtItsDeadline) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(StatusOf(c.ReadResponse(2s)), 200);
  c.ReadUntilClose(2s);
  EXPECT_TRUE(c.closed());
}

TEST_F(ApiDeadlineTest, ABodyThatStopsComingIsCutOff) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.Send("POST /write HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nm v=1"));
  c.ReadUntilClose(2s);
  EXPECT_TRUE(c.closed());
  EXPECT_FALSE(hub_->storage().ListTags()->size() > 3u);
}

TEST_F(ApiDeadlineTest, ConnectionsPastTheLimitAreAnswered503) {
  std::vector<RawConnection> held(50);
  for (RawConnection& c : held)
    ASSERT_TRUE(c.Connect(server_->port()));
  // The server counts a connection once it accepted it: wait for all 50.
  for (int i = 0; i < 100; ++i) {
    RawConnection probe(server_->port());
    const std::string answer = probe.ReadResponse(200ms);
    if (StatusOf(answer) == 503) {
      EXPECT_THAT(answer, HasSubstr("Retry-After: 1"));
      held.clear();
      // Once they are gone, the server answers again.
      for (int j = 0; j < 100; ++j) {
        RawConnection again(server_->port());
        again.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        if (StatusOf(again.ReadResponse(1s)) == 200) return;
        std::this_thread::sleep_for(20ms);
      }
      FAIL() << "the server did not answer after the connections closed";
    }
  }
  FAIL() << "the 51st connection was not refused";
}

class ApiWriteQueueTest : public ApiConnectionsTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    options.max_writes = 2;  // and up to 4 waiting
    options.threads = 12;
  }
};

// v1 clients (node-influx) do not retry 429: a merely busy store holds writes instead.
TEST_F(ApiWriteQueueTest, WritesWaitForASlotRatherThanBeingRefused) {
  std::string body;
  for (int i = 0; i < 20000; ++i)
    body += fmt::format("queue,id=m{} v={} {}\n", i % 50, i, 1767225600000000000 + i);
  std::vector<int> status(6);
  std::vector<std::thread> clients;
  for (size_t k = 0; k < status.size(); ++k) {
    clients.emplace_back([&, k] {
      httplib::Client c("127.0.0.1", server_->port());
      c.set_read_timeout(60, 0);
      auto r = c.Post("/write?db=q", body, "text/plain");
      status[k] = r ? r->status : -1;
    });
  }
  for (std::thread& t : clients)
    t.join();
  EXPECT_THAT(status, ::testing::Each(204));
  const std::string scrape = Metrics();
  EXPECT_EQ(Metric(scrape, "factoryhub_http_write_rejected_busy_total"), 0);
  EXPECT_GT(Metric(scrape, "factoryhub_http_write_waited_total"), 0) << scrape;
}

}  // namespace
}  // namespace fh::testing
