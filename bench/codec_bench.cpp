// Chunk codec throughput and size on the data shapes the store sees. Points/s is
// items_per_second; bytes/point is the whole blob (header and all sections) over n.
//   build-rel/bench/codec_bench --benchmark_filter=Decode
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "store/codec/chunk_codec.h"

namespace {

using fh::codec::DecodedChunk;
using fh::codec::EncodeOptions;
using fh::codec::ValueEncoding;

constexpr size_t kPoints = 8192;

struct Dataset {
  std::vector<int64_t> ts;
  std::vector<double> values;
  std::vector<uint32_t> quality;
};

std::vector<int64_t> OneHertz() {
  std::vector<int64_t> ts(kPoints);
  for (size_t i = 0; i < kPoints; ++i) {
    ts[i] = 1'700'000'000'000'000'000 + static_cast<int64_t>(i) * 1'000'000'000;
  }
  return ts;
}

// 0: random walk (step sd 0.05, noise sd 0.02) printed with 3 decimals, as a CSV or an
// OPC UA server would deliver it; 1: uniform random doubles; 2: a constant;
// 3: a slowly varying full-precision signal.
Dataset Make(int kind) {
  Dataset d{OneHertz(), std::vector<double>(kPoints), std::vector<uint32_t>(kPoints, 192)};
  std::mt19937_64 rng(1);
  std::normal_distribution<double> step(0, 0.05), noise(0, 0.02);
  std::uniform_real_distribution<double> uniform(-1e6, 1e6);
  double level = 20;
  for (size_t i = 0; i < kPoints; ++i) {
    switch (kind) {
      case 0: {
        level += step(rng);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.3f", level + noise(rng));
        d.values[i] = std::strtod(buf, nullptr);
        break;
      }
      case 1:
        d.values[i] = uniform(rng);
        break;
      case 2:
        d.values[i] = 21.5;
        break;
      default:
        d.values[i] = 50 + 10 * std::sin(static_cast<double>(i) / 100);
    }
  }
  return d;
}

const char* const kNames[] = {"walk3dec", "uniform", "constant", "sine"};

EncodeOptions Options(int64_t force) {
  EncodeOptions o;
  if (force > 0) o.force_encoding = static_cast<ValueEncoding>(force);
  return o;
}

void SetLabels(benchmark::State& state, const std::string& blob) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kPoints));
  state.counters["bytes/point"] = static_cast<double>(blob.size()) / kPoints;
  state.SetLabel(kNames[state.range(0)]);
}

// Args: dataset, forced encoding (0 = automatic choice).
void BM_Encode(benchmark::State& state) {
  const Dataset d = Make(static_cast<int>(state.range(0)));
  const EncodeOptions options = Options(state.range(1));
  std::string blob;
  for (auto _ : state) {
    fh::codec::EncodeChunk(d.ts, d.values, d.quality, options, &blob);
    benchmark::DoNotOptimize(blob.data());
  }
  SetLabels(state, blob);
}

void BM_DecodeTsValues(benchmark::State& state) {
  const Dataset d = Make(static_cast<int>(state.range(0)));
  std::string blob;
  fh::codec::EncodeChunk(d.ts, d.values, d.quality, Options(state.range(1)), &blob);
  fh::codec::DecodeBuffer<int64_t> ts;
  fh::codec::DecodeBuffer<double> values;
  for (auto _ : state) {
    if (!fh::codec::DecodeTimestampsAndValues(blob, &ts, &values).ok()) std::abort();
    benchmark::DoNotOptimize(values.data());
    benchmark::DoNotOptimize(ts.data());
  }
  SetLabels(state, blob);
}

void BM_DecodeChunk(benchmark::State& state) {
  const Dataset d = Make(static_cast<int>(state.range(0)));
  std::string blob;
  fh::codec::EncodeChunk(d.ts, d.values, d.quality, Options(state.range(1)), &blob);
  DecodedChunk out;
  for (auto _ : state) {
    if (!fh::codec::DecodeChunk(blob, &out).ok()) std::abort();
    benchmark::DoNotOptimize(out.values.data());
  }
  SetLabels(state, blob);
}

void AllData(benchmark::internal::Benchmark* b) {
  for (int kind = 0; kind < 4; ++kind)
    b->Args({kind, 0});
  // Each encoding on the data it is meant for, and Gorilla/zstd on the decimal data.
  b->Args({0, 2})->Args({0, 3})->Args({3, 2})->Args({1, 3});
}

BENCHMARK(BM_Encode)->Apply(AllData);
BENCHMARK(BM_DecodeTsValues)->Apply(AllData);
BENCHMARK(BM_DecodeChunk)->Args({0, 0});

}  // namespace
