// Generates the storage benchmark's data set: long-form CSV `timestamp,tag,value`, N tags
// sampled at 1 Hz, values a random walk with measurement noise printed with 3 decimals,
// like a plant historian export. Seeded: the same arguments give the same bytes.
//
//   fh_gen_samples SAMPLES TAGS SEED > data.csv
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace {

struct Signal {
  const char* name;
  double base, step, noise;  // start value, random-walk step sd, noise sd
};

// Kinds of signal with plausible magnitudes: K, bar, rpm, mm/s.
constexpr Signal kSignals[] = {
    {"temperature", 330.0, 0.02, 0.05},
    {"pressure", 6.0, 0.002, 0.004},
    {"speed", 1500.0, 0.5, 1.0},
    {"vibration", 2.5, 0.01, 0.03},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s SAMPLES TAGS SEED > data.csv\n", argv[0]);
    return 2;
  }
  const int64_t samples = std::strtoll(argv[1], nullptr, 10);
  const int tags = std::atoi(argv[2]);
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
  std::normal_distribution<double> normal(0.0, 1.0);

  std::vector<std::string> names;
  std::vector<double> level;
  std::vector<const Signal*> kind;
  for (int i = 0; i < tags; ++i) {
    const Signal& s = kSignals[i % 4];
    int machine = i / 4;
    char name[96];
    std::snprintf(name, sizeof name, "plant.line%02d.m%03d.%s", machine / 25 + 1, machine % 25 + 1,
                  s.name);
    names.emplace_back(name);
    level.push_back(s.base * (0.9 + 0.2 * (i % 7) / 7.0));
    kind.push_back(&s);
  }
  static char buf[1 << 16];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  const int64_t start = 1767225600;  // 2026-01-01T00:00:00Z
  for (int64_t n = 0, second = 0; n < samples; ++second) {
    time_t t = static_cast<time_t>(start + second);
    struct tm tm;
    gmtime_r(&t, &tm);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (int i = 0; i < tags && n < samples; ++i, ++n) {
      level[i] += kind[i]->step * normal(rng);
      double value = level[i] + kind[i]->noise * normal(rng);
      std::printf("%s,%s,%.3f\n", ts, names[i].c_str(), value);
    }
  }
  return 0;
}
