// The trace benchmark's factoryhub side (bench/run-trace): opens a hub, then for each lot
// number given walks its genealogy (analytics::WalkLots) in the direction given and, after
// one warm-up, prints the median of `runs` walks in milliseconds and the lots reached.
//
//   fh_trace_bench HUB backward|forward RUNS LOT...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "analytics/genealogy/lot_trace.h"
#include "analytics/genealogy/trace_json.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"

namespace {

int Fail(const fh::Status& s) {
  std::fprintf(stderr, "fh_trace_bench: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: fh_trace_bench HUB backward|forward RUNS LOT...\n");
    return 2;
  }
  auto hub = fh::Hub::Open(argv[1]);
  if (!hub.ok()) return Fail(hub.status());
  auto direction = fh::ParseTraceDirection(argv[2]);
  if (!direction.ok()) return Fail(direction.status());
  const int runs = std::max(1, std::atoi(argv[3]));
  fh::CatalogSession session = (*hub)->OpenCatalog();
  fh::Catalog& catalog = session.catalog();
  for (int a = 4; a < argc; ++a) {
    auto start = fh::analytics::FindTraceStart(catalog, argv[a]);
    if (!start.ok()) return Fail(start.status());
    std::vector<double> ms;
    size_t reached = 0;
    for (int r = 0; r <= runs; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      auto walk = fh::analytics::WalkLots(catalog, start->id, {.direction = *direction});
      const auto t1 = std::chrono::steady_clock::now();
      if (!walk.ok()) return Fail(walk.status());
      reached = walk->lots.size() - 1;
      if (r > 0) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s %.3f %zu\n", argv[a], ms[ms.size() / 2], reached);
  }
  return 0;
}
