// Micro-benchmarks of the `factoryhub write` hot path: RFC 3339 parsing and the long-form
// sample CSV reader. Targets (Release, one core): ParseRfc3339 ≤ 25 ns per call; the reader
// ≥ 5M lines/s on lines like "2026-01-01T00:00:00Z,plant.line1.m001.temp,71.234" with 1,000
// tags cycling and each timestamp repeated on 1,000 consecutive lines.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/time.h"
#include "ingest/sample_csv_reader.h"

namespace {

using fh::ingest::SampleCsvOptions;
using fh::ingest::SampleCsvReader;

constexpr int64_t kT0 = 1767225600LL * fh::kNanosPerSecond;  // 2026-01-01T00:00:00Z
constexpr int kTags = 1000;

// `lines` sample lines; the timestamp advances by `ts_step_ns` every `ts_repeat` lines.
std::string MakeCsv(int64_t lines, int ts_repeat, int64_t ts_step_ns) {
  std::vector<std::string> tags;
  for (int i = 0; i < kTags; ++i) {
    tags.push_back(fmt::format("plant.line{}.m{:03}.temp", i / 100 + 1, i % 100));
  }
  std::string csv;
  csv.reserve(static_cast<size_t>(lines) * 52);
  std::string ts;
  unsigned noise = 12345;
  for (int64_t i = 0; i < lines; ++i) {
    if (i % ts_repeat == 0) {
      ts.clear();
      fh::AppendRfc3339(kT0 + (i / ts_repeat) * ts_step_ns, &ts);
    }
    noise = noise * 1103515245 + 12345;
    csv += ts;
    csv += ',';
    csv += tags[i % kTags];
    fmt::format_to(std::back_inserter(csv), ",{}.{:03}\n", 60 + (noise >> 16) % 30,
                   (noise >> 8) % 1000);
  }
  return csv;
}

const std::string& RepeatedTimestampCsv() {
  static const std::string csv = MakeCsv(1000000, 1000, fh::kNanosPerSecond);
  return csv;
}
const std::string& DistinctTimestampCsv() {
  static const std::string csv = MakeCsv(1000000, 1, fh::kNanosPerMilli * 7 + 123456);
  return csv;
}

void ReadAll(benchmark::State& state, SampleCsvReader& reader) {
  fh::SampleBatch batch;
  while (true) {
    fh::Result<bool> more = reader.Next(&batch);
    if (!more.ok()) {
      state.SkipWithError(more.status().ToString().c_str());
      return;
    }
    if (!*more) return;
    benchmark::DoNotOptimize(batch.value().data());
  }
}

void Report(benchmark::State& state, const std::string& csv, int64_t lines) {
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(csv.size()));
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(state.iterations() * lines),
                                                 benchmark::Counter::kIsRate);
}

void BM_CsvReaderBuffer(benchmark::State& state, const std::string& csv) {
  for (auto _ : state) {
    std::unique_ptr<SampleCsvReader> reader = SampleCsvReader::FromBuffer(csv);
    ReadAll(state, *reader);
  }
  Report(state, csv, 1000000);
}
BENCHMARK_CAPTURE(BM_CsvReaderBuffer, repeated_ts, RepeatedTimestampCsv())
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CsvReaderBuffer, distinct_ts, DistinctTimestampCsv())
    ->Unit(benchmark::kMillisecond);

// The same through a file in the page cache, as `factoryhub write data.csv` reads it.
void BM_CsvReaderFile(benchmark::State& state) {
  const std::string& csv = RepeatedTimestampCsv();
  char path[] = "/tmp/fh-csv-bench-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0 || write(fd, csv.data(), csv.size()) != static_cast<ssize_t>(csv.size())) {
    state.SkipWithError("cannot write the temporary file");
    return;
  }
  close(fd);
  for (auto _ : state) {
    fh::Result<std::unique_ptr<SampleCsvReader>> reader = SampleCsvReader::Open(path);
    if (!reader.ok()) {
      state.SkipWithError(reader.status().ToString().c_str());
      break;
    }
    ReadAll(state, **reader);
  }
  unlink(path);
  Report(state, csv, 1000000);
}
BENCHMARK(BM_CsvReaderFile)->Unit(benchmark::kMillisecond);

std::vector<std::string> MakeTimestamps(const char* suffix_kind) {
  std::vector<std::string> out;
  for (int i = 0; i < 4096; ++i) {
    const int64_t ns = kT0 + static_cast<int64_t>(i) * 7919 * fh::kNanosPerSecond +
                       static_cast<int64_t>(i) * 123457;
    std::string s = fh::FormatRfc3339(ns - ns % fh::kNanosPerSecond);  // "...:SSZ"
    if (std::string_view(suffix_kind) == "fraction_offset") {
      s.pop_back();
      s += fmt::format(".{:09}+08:00", ns % fh::kNanosPerSecond);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void BM_ParseRfc3339(benchmark::State& state, const char* kind) {
  const std::vector<std::string> inputs = MakeTimestamps(kind);
  size_t i = 0;
  for (auto _ : state) {
    fh::Result<int64_t> ns = fh::ParseRfc3339(inputs[i++ & 4095]);
    benchmark::DoNotOptimize(ns);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_ParseRfc3339, utc_seconds, "utc_seconds");
BENCHMARK_CAPTURE(BM_ParseRfc3339, fraction_offset, "fraction_offset");

void BM_FormatRfc3339(benchmark::State& state) {
  std::string out;
  int64_t ns = kT0 + 123456789;
  for (auto _ : state) {
    out.clear();
    fh::AppendRfc3339(ns, &out);
    ns += 1000003;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FormatRfc3339);

}  // namespace
