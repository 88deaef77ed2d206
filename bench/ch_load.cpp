// ClickHouse's own insert rate, for bench/run-clickhouse: the points lp_load sends
// factoryhub (bench_points.h, values rounded to the two decimals lp_load writes), as the
// rows factoryhub's ClickHouse back end stores (site, tag, ts, value, quality, seq), POSTed
// straight to ClickHouse's HTTP interface as INSERT ... FORMAT RowBinary in batches from C
// concurrent clients. Prints the wall time and rows/s as JSON.
//
//   ch_load HOST PORT DATABASE TABLE POINTS BATCH CLIENTS [SEED]
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>

#include "bench_points.h"

namespace {

template <typename T>
void Put(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}
void PutString(std::string& out, const std::string& s) {
  out.push_back(static_cast<char>(s.size()));  // names here are shorter than 128 bytes
  out.append(s);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 8) {
    std::fprintf(stderr, "usage: ch_load HOST PORT DATABASE TABLE POINTS BATCH CLIENTS [SEED]\n");
    return 2;
  }
  const std::string host = argv[1];
  const int port = std::atoi(argv[2]);
  const std::string database = argv[3];
  const std::string table = argv[4];
  const int64_t points = std::atoll(argv[5]);
  const int64_t batch = std::atoll(argv[6]);
  const int clients = std::atoi(argv[7]);
  const uint64_t seed = argc > 8 ? std::strtoull(argv[8], nullptr, 10) : 42;

  std::vector<std::string> names;
  for (int s = 0; s < fh::bench::kSensors; ++s)
    names.push_back(fmt::format("sensor/id={}/value", s));
  std::vector<std::string> bodies;
  std::string body;
  fh::bench::GeneratePoints(points, seed, false, [&](int64_t n, int sensor, int64_t ts, double v) {
    PutString(body, "bench");
    PutString(body, names[sensor]);
    Put<int64_t>(body, ts);
    Put<double>(body, std::round(v * 100) / 100);
    Put<uint32_t>(body, 192);
    Put<uint64_t>(body, static_cast<uint64_t>(n + 1));
    if ((n + 1) % batch == 0 || n + 1 == points) {
      bodies.push_back(std::move(body));
      body.clear();
    }
  });
  const std::string path = fmt::format(
      "/?database={}&query={}", database,
      httplib::detail::encode_query_param(fmt::format(
          "INSERT INTO {} (site, tag, ts, value, quality, seq) FORMAT RowBinary", table)));

  std::atomic<size_t> next{0};
  std::atomic<int64_t> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      httplib::Client client(host, port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(120);
      client.set_write_timeout(120);
      for (size_t i; (i = next.fetch_add(1)) < bodies.size();) {
        auto res = client.Post(path.c_str(), bodies[i], "application/octet-stream");
        if (res && res->status == 200) continue;
        ++failures;
        std::fprintf(stderr, "ch_load: %s\n",
                     res ? fmt::format("HTTP {}: {}", res->status, res->body).c_str()
                         : httplib::to_string(res.error()).c_str());
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"points\": %lld, \"requests\": %zu, \"seconds\": %.4f, \"points_per_second\": %.0f, "
      "\"failures\": %lld}\n",
      static_cast<long long>(points), bodies.size(), seconds, static_cast<double>(points) / seconds,
      static_cast<long long>(failures.load()));
  return failures > 0 ? 1 : 0;
}
