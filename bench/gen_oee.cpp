// Generates the OEE benchmark's plant: MACHINES machines on lines of ten, a year of machine
// states (running stretches between stops of every kind, about 10,000 events a machine) and
// eight-hour work orders whose counts follow the running time. Seeded: the same arguments
// give the same bytes. Writes CSV files into DIR:
//   assets.csv reasons.csv materials.csv states.csv orders.csv
//
//   fh_gen_oee DIR MACHINES SEED
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

constexpr int64_t kYearStart = 1767225600;  // 2026-01-01T00:00:00Z
constexpr int64_t kYear = 365 * 86400;
constexpr int64_t kOrderLength = 8 * 3600;
constexpr double kCycleS = 30;

struct Stop {
  const char* state;
  const char* reason;  // empty: none
  int min_s, max_s;
  int weight;
};
constexpr Stop kStops[] = {
    {"down", "JAM", 60, 240, 30},          {"down", "TOOL", 300, 1800, 15},
    {"down", "SPINDLE", 1200, 7200, 4},    {"idle", "NOMAT", 120, 1800, 20},
    {"starved", "", 60, 900, 10},          {"setup", "CHG", 900, 2700, 12},
    {"planned_stop", "PM", 1800, 3600, 4}, {"blocked", "", 60, 600, 5},
};

FILE* Open(const std::string& dir, const char* name) {
  FILE* f = std::fopen((dir + "/" + name).c_str(), "w");
  if (!f) {
    std::perror(name);
    std::exit(1);
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: fh_gen_oee DIR MACHINES SEED\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int machines = std::atoi(argv[2]);
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));

  FILE* assets = Open(dir, "assets.csv");
  std::fprintf(assets, "path\nacme\nacme/plant\nacme/plant/hall\n");
  for (int l = 0; l < (machines + 9) / 10; ++l)
    std::fprintf(assets, "acme/plant/hall/line-%02d\n", l + 1);
  for (int m = 0; m < machines; ++m)
    std::fprintf(assets, "acme/plant/hall/line-%02d/m-%03d\n", m / 10 + 1, m + 1);
  std::fclose(assets);

  FILE* reasons = Open(dir, "reasons.csv");
  std::fprintf(reasons,
               "code,description,category\nJAM,Material jam,minor stops\nTOOL,Tool "
               "change,breakdowns\nSPINDLE,Spindle fault,breakdowns\nNOMAT,No "
               "material,idling\nCHG,Changeover,setup and adjustment\nPM,Planned "
               "maintenance,planned\n");
  std::fclose(reasons);
  FILE* materials = Open(dir, "materials.csv");
  std::fprintf(materials, "code,name\nP-1,Part\n");
  std::fclose(materials);

  int total_weight = 0;
  for (const Stop& s : kStops)
    total_weight += s.weight;
  FILE* states = Open(dir, "states.csv");
  FILE* orders = Open(dir, "orders.csv");
  std::fprintf(states, "machine,state,start,end,reason\n");
  std::fprintf(orders, "number,machine,good,scrap,cycle_time_s,start,end\n");
  int64_t order_no = 0;
  for (int m = 0; m < machines; ++m) {
    char machine[64];
    std::snprintf(machine, sizeof machine, "line-%02d/m-%03d", m / 10 + 1, m + 1);
    std::uniform_int_distribution<int> run(1800, 9000), pick(0, total_weight - 1);
    int64_t t = kYearStart;
    double running_in_order = 0;
    int64_t order_start = kYearStart;
    auto close_order = [&](int64_t end) {
      const double made = running_in_order / kCycleS * 0.96;
      const double scrap = static_cast<double>(static_cast<int64_t>(made * 0.02));
      std::fprintf(orders, "WO-%08" PRId64 ",%s,%.0f,%.0f,%.0f,%" PRId64 ",%" PRId64 "\n",
                   ++order_no, machine, made - scrap, scrap, kCycleS, order_start, end);
      order_start = end;
      running_in_order = 0;
    };
    while (t < kYearStart + kYear) {
      // A running stretch, then a stop; orders change every eight hours.
      const int64_t run_end = t + run(rng);
      std::fprintf(states, "%s,running,%" PRId64 ",%" PRId64 ",\n", machine, t, run_end);
      while (order_start + kOrderLength <= run_end) {
        running_in_order +=
            static_cast<double>(order_start + kOrderLength - std::max(t, order_start));
        close_order(order_start + kOrderLength);
      }
      running_in_order += static_cast<double>(run_end - std::max(t, order_start));
      int w = pick(rng);
      const Stop* s = kStops;
      while (w >= s->weight)
        w -= (s++)->weight;
      const int64_t stop_end =
          run_end + std::uniform_int_distribution<int>(s->min_s, s->max_s)(rng);
      std::fprintf(states, "%s,%s,%" PRId64 ",%" PRId64 ",%s\n", machine, s->state, run_end,
                   stop_end, s->reason);
      while (order_start + kOrderLength <= stop_end)
        close_order(order_start + kOrderLength);
      t = stop_end;
    }
    close_order(t);
  }
  std::fclose(states);
  std::fclose(orders);
  return 0;
}
