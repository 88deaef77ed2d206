#include "store/codec/int_stream.h"
#include "testing/status_matchers.h"

#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fh::codec {
namespace {

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::vector<int64_t> Decode(const std::string& bytes, size_t count) {
  IntStreamReader r;
  Status s = r.Init(bytes, count);
  EXPECT_OK(s);
  std::vector<int64_t> out(count + IntStreamReader::kMaxBatch, -7);
  size_t i = 0;
  while (size_t k = r.Next(out.data() + i))
    i += k;
  EXPECT_EQ(i, count);
  out.resize(count);
  return out;
}

struct IntCase {
  const char* name;
  std::vector<int64_t> values;
};

std::vector<IntCase> IntCases() {
  std::mt19937_64 rng(7);
  std::vector<int64_t> random(1000), regular(300), jitter(1000), steps(257);
  for (auto& v : random)
    v = static_cast<int64_t>(rng());
  for (size_t i = 0; i < regular.size(); ++i)
    regular[i] = 1000 * static_cast<int64_t>(i);
  for (size_t i = 0; i < jitter.size(); ++i) {
    jitter[i] = 1'000'000'000 * static_cast<int64_t>(i) + static_cast<int64_t>(rng() % 1000);
  }
  // Widths change from block to block.
  for (size_t i = 0; i < steps.size(); ++i)
    steps[i] = static_cast<int64_t>(i * i * i * i);
  return {
      {"empty", {}},
      {"one", {42}},
      {"one_min", {kInt64Min}},
      {"two", {kInt64Max, kInt64Min}},
      {"extremes", {kInt64Min, kInt64Max, kInt64Min, 0, -1, kInt64Max, kInt64Max, kInt64Min + 1}},
      {"negative", {-5'000'000'000, -4'000'000'000, -3'000'000'000, -1, 0, 1}},
      {"regular", regular},
      {"jitter", jitter},
      {"random", random},
      {"growing_widths", steps},
  };
}

TEST(IntStream, RoundTripsEveryOrder) {
  for (const IntCase& c : IntCases()) {
    for (int order : {0, 1, 2}) {
      SCOPED_TRACE(::testing::Message() << c.name << " order " << order);
      std::string bytes;
      AppendIntStream(c.values, &bytes, order);
      EXPECT_EQ(Decode(bytes, c.values.size()), c.values);
    }
  }
}

TEST(IntStream, BlockBoundaries) {
  std::mt19937_64 rng(3);
  for (size_t n = 0; n <= 3 * kBlockSize + 3; ++n) {
    std::vector<int64_t> v(n);
    for (auto& x : v)
      x = static_cast<int64_t>(rng() % 100000) - 50000;
    for (int order : {1, 2}) {
      std::string bytes;
      AppendIntStream(v, &bytes, order);
      ASSERT_EQ(Decode(bytes, n), v) << "n " << n << " order " << order;
    }
  }
}

TEST(IntStream, RegularSamplingCostsAFewBytes) {
  std::vector<int64_t> ts(8192);
  for (size_t i = 0; i < ts.size(); ++i) {
    ts[i] = 1'700'000'000'000'000'000 + static_cast<int64_t>(i) * 1'000'000'000;
  }
  std::string bytes;
  AppendIntStream(ts, &bytes);
  EXPECT_LE(bytes.size(), 16u);
  EXPECT_EQ(Decode(bytes, ts.size()), ts);
}

TEST(IntStream, PicksTheSmallerOrder) {
  // A random walk has small deltas but twice as large second differences; a ramp with
  // noise-free curvature is the other way round.
  std::mt19937_64 rng(5);
  std::vector<int64_t> walk(1000), parabola(1000);
  int64_t x = 0;
  for (size_t i = 0; i < walk.size(); ++i)
    walk[i] = x += static_cast<int64_t>(rng() % 9) - 4;
  for (size_t i = 0; i < parabola.size(); ++i)
    parabola[i] = static_cast<int64_t>(i * i);
  std::string a, b;
  AppendIntStream(walk, &a);
  AppendIntStream(parabola, &b);
  EXPECT_EQ(a[0], 1);
  EXPECT_EQ(b[0], 2);
}

TEST(IntStream, RejectsMalformedStreams) {
  std::string good;
  AppendIntStream(std::vector<int64_t>{1, 5, 9, 20, 21}, &good, 1);  // order, 1, then widths
  struct Bad {
    const char* name;
    std::string bytes;
    size_t count;
  };
  const Bad cases[] = {
      {"empty", "", 0},
      {"order 0", std::string("\x00", 1), 0},
      {"order 3", "\x03", 0},
      {"missing first value", "\x01", 1},
      {"varint too long", "\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 1},
      {"varint 65th bit", "\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02", 1},
      {"trailing byte", std::string("\x01\x02\x00", 3), 1},
      {"missing width", "\x01\x02", 2},
      {"width 65", "\x01\x02\x41", 2},
      {"per-block width 65", "\x01\x02\xff\x41", 2},
      {"missing packed data", "\x01\x02\x08", 2},
      {"count larger than encoded", good, 6},
      {"count smaller than encoded", good, 4},
  };
  for (const Bad& c : cases) {
    IntStreamReader r;
    const Status s = r.Init(c.bytes, c.count);
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << c.name << ": " << s.ToString();
  }
}

}  // namespace
}  // namespace fh::codec
