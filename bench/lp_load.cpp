// Line protocol load for bench/run: POSTs N points in batches from C concurrent clients
// to an InfluxDB-compatible write endpoint (factoryhub serve, or influxd: the same bytes to
// both), and prints the wall time and points/s as JSON. The bodies are generated before
// the clock starts: 1,000 sensors ("sensor,id=17 value=71.53 <ns>"), a seeded random walk
// with two decimals, one point per sensor per second; or, with `stationary`, a process in
// control: 50 plus noise of σ 1 (the sum of three uniforms), what a characteristic's frozen
// limits judge day to day.
//
//   lp_load HOST PORT PATH POINTS BATCH CLIENTS [SEED] [walk|stationary]
//
// With LP_LOAD_TOKEN set, every request carries `Authorization: Token $LP_LOAD_TOKEN`, as
// InfluxDB 2.x clients and Telegraf send it. With LP_LOAD_CA set, the clients speak HTTPS
// and check the server's certificate against that CA (each client one TLS session, kept
// alive, as Telegraf's HTTP output does).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>

#include "bench_points.h"

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: lp_load HOST PORT PATH POINTS BATCH CLIENTS [SEED]\n");
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::atoi(argv[2]);
  const std::string path = argv[3];
  const int64_t points = std::atoll(argv[4]);
  const int64_t batch = std::atoll(argv[5]);
  const int clients = std::atoi(argv[6]);
  const uint64_t seed = argc > 7 ? std::strtoull(argv[7], nullptr, 10) : 42;
  const bool stationary = argc > 8 && std::string_view(argv[8]) == "stationary";

  std::vector<std::string> bodies;
  std::string body;
  fh::bench::GeneratePoints(
      points, seed, stationary, [&](int64_t n, int sensor, int64_t ts, double v) {
        fmt::format_to(std::back_inserter(body), "sensor,id={} value={:.2f} {}\n", sensor, v, ts);
        if ((n + 1) % batch == 0 || n + 1 == points) {
          bodies.push_back(std::move(body));
          body.clear();
        }
      });
  size_t bytes = 0;
  for (const std::string& b : bodies)
    bytes += b.size();

  std::atomic<size_t> next{0};
  std::atomic<int64_t> retries{0}, failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      // HTTPS when LP_LOAD_CA names the CA that signed the server's certificate.
      const char* ca = std::getenv("LP_LOAD_CA");
      const bool tls = ca != nullptr && *ca != 0;
      httplib::Client client(fmt::format("{}://{}:{}", tls ? "https" : "http", host, port));
      if (tls) {
        client.set_ca_cert_path(ca);
        client.enable_server_certificate_verification(true);
      }
      if (const char* token = std::getenv("LP_LOAD_TOKEN"); token != nullptr && *token != 0) {
        client.set_default_headers({{"Authorization", std::string("Token ") + token}});
      }
      // One connection per client, kept alive and without Nagle's delay, as Telegraf's (Go's)
      // HTTP client does: a header and a body written apart must not wait for an ACK.
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(120);
      client.set_write_timeout(120);
      for (size_t i; (i = next.fetch_add(1)) < bodies.size();) {
        while (true) {
          auto res = client.Post(path.c_str(), bodies[i], "text/plain; charset=utf-8");
          if (res && res->status == 204) break;
          if (res && (res->status == 429 || res->status == 503)) {
            ++retries;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
          }
          ++failures;
          std::fprintf(stderr, "lp_load: %s\n",
                       res ? fmt::format("HTTP {}: {}", res->status, res->body).c_str()
                           : httplib::to_string(res.error()).c_str());
          break;
        }
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"points\": %lld, \"requests\": %zu, \"bytes\": %zu, \"seconds\": %.4f, "
      "\"points_per_second\": %.0f, \"retries\": %lld, \"failures\": %lld}\n",
      static_cast<long long>(points), bodies.size(), bytes, seconds,
      static_cast<double>(points) / seconds, static_cast<long long>(retries.load()),
      static_cast<long long>(failures.load()));
  return failures > 0 ? 1 : 0;
}
