#include "store/codec/chunk_codec.h"

#include <cfloat>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store_codec/codec_test_data.h"
#include "testing/status_matchers.h"

namespace fh::codec {
namespace {

using testing::FromBits;

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Points {
  std::vector<int64_t> ts;
  std::vector<double> values;
  std::vector<uint32_t> quality;
};

struct ChunkCase {
  std::string name;
  Points p;
};

Points Make(std::vector<int64_t> ts, std::vector<double> values) {
  Points p{std::move(ts), std::move(values), {}};
  p.quality.assign(p.ts.size(), 192);
  return p;
}

Points MakeRegular(std::vector<double> values) {
  std::vector<int64_t> ts = testing::RegularTs(values.size());
  return Make(std::move(ts), std::move(values));
}

std::vector<ChunkCase> ChunkCases() {
  std::vector<ChunkCase> cases = {
      {"empty", Make({}, {})},
      {"single", Make({5}, {1.25})},
      {"two", Make({-1, 1}, {3.0, -3.0})},
      {"nan payloads", MakeRegular({FromBits(0x7ff8000000000000), FromBits(0x7ff8000000000123),
                                    FromBits(0x7ff0000000000001), FromBits(0x7ff4000000000000),
                                    FromBits(0xfff8000000000000), FromBits(0xfff0000000000abc)})},
      {"infinities and zeros", MakeRegular({kInf, -kInf, 0.0, -0.0, 0.0, -0.0})},
      {"denormals", MakeRegular({DBL_TRUE_MIN, -DBL_TRUE_MIN, FromBits(0x000fffffffffffff),
                                 FromBits(0x8000000000000001)})},
      {"extremes", MakeRegular({DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, DBL_EPSILON})},
      {"random walk 8192", MakeRegular(testing::RandomWalk(8192, 3, 1))},
      {"random walk 1000 irregular",
       Make(testing::IrregularTs(1000, 1'700'000'000'000'000'000, 5'000'000'000, 2),
            testing::RandomWalk(1000, 3, 3))},
      {"negative ts", Make(testing::IrregularTs(500, -1'000'000'000'000, 1'000'000'000, 4),
                           testing::RandomWalk(500, 2, 5))},
      {"int64 extremes", Make({kMin, kMin + 1, -1, 0, kMax - 1, kMax}, {1, 2, 3, 4, 5, 6})},
      {"int64 min and max", Make({kMin, kMax}, {1, 2})},
      {"huge gaps", Make({kMin, kMin + 1, 0, 1, kMax / 2, kMax - 2, kMax}, {1, 1, 1, 1, 1, 1, 1})},
      {"constant decimal", MakeRegular(std::vector<double>(8192, 21.5))},
      {"constant full precision", MakeRegular(std::vector<double>(8192, 3.141592653589793))},
      {"sine", MakeRegular(testing::Sine(8192))},
      {"uniform doubles", MakeRegular(testing::UniformDoubles(3000, 6))},
      {"random bit patterns", MakeRegular(testing::RandomBitPatterns(3000, 7))},
      {"mixed decimal and not", MakeRegular({1.5, 2.25, 0.1 + 0.2, 4.0})},
      {"decimal then nan", MakeRegular({1.5, 2.25, FromBits(0x7ff8000000000001)})},
      {"decimal then negative zero", MakeRegular({1.5, -0.0, 2.5})},
  };
  for (int d = 0; d <= 9; ++d) {
    cases.push_back({"decimals " + std::to_string(d),
                     MakeRegular(testing::RandomWalk(1000, d, 100 + d, 0.5, 0.1))});
  }
  // Decimal data with a few values stored raw beside the mantissas.
  std::vector<double> gaps = testing::RandomWalk(8192, 3, 10);
  gaps[0] = FromBits(0x7ff8000000000001);
  gaps[100] = -0.0;
  gaps[101] = kInf;
  gaps[4000] = 0.1 + 0.2;
  gaps[8191] = FromBits(0xfff0000000000002);
  cases.push_back({"decimal with exceptions", MakeRegular(gaps)});
  // Sizes around the 128-value blocks.
  for (size_t n : {127, 128, 129, 130, 255, 256, 257, 1000}) {
    cases.push_back({"n " + std::to_string(n), MakeRegular(testing::RandomWalk(n, 3, n))});
  }
  // Quality runs.
  Points runs = MakeRegular(testing::RandomWalk(1000, 1, 8));
  for (size_t i = 0; i < runs.quality.size(); ++i)
    runs.quality[i] = i < 300 ? 0 : i % 7 == 0;
  runs.quality.back() = std::numeric_limits<uint32_t>::max();
  cases.push_back({"quality runs", runs});
  return cases;
}

void ExpectRoundTrip(const Points& p, const EncodeOptions& options) {
  std::string blob;
  EncodeChunk(p.ts, p.values, p.quality, options, &blob);

  DecodedChunk d;
  const Status s = DecodeChunk(blob, &d);
  ASSERT_OK(s);
  EXPECT_THAT(d.ts, ::testing::ElementsAreArray(p.ts));
  testing::ExpectSameBits(p.values, d.values);
  EXPECT_THAT(d.quality, ::testing::ElementsAreArray(p.quality));

  DecodeBuffer<int64_t> ts = {1, 2, 3};  // stale contents must be replaced
  DecodeBuffer<double> values;
  const Status s2 = DecodeTimestampsAndValues(blob, &ts, &values);
  ASSERT_OK(s2);
  EXPECT_THAT(ts, ::testing::ElementsAreArray(p.ts));
  testing::ExpectSameBits(p.values, values);

  const Result<ChunkInfo> info = ReadChunkInfo(blob);
  ASSERT_OK(info);
  EXPECT_EQ(info->count, p.ts.size());
  if (options.force_encoding && *options.force_encoding != ValueEncoding::kDecimal) {
    EXPECT_EQ(info->encoding, *options.force_encoding);
  }
}

class ChunkRoundTrip : public ::testing::TestWithParam<std::optional<ValueEncoding>> {};

TEST_P(ChunkRoundTrip, BitExact) {
  EncodeOptions options;
  options.force_encoding = GetParam();
  for (const ChunkCase& c : ChunkCases()) {
    SCOPED_TRACE(c.name);
    ExpectRoundTrip(c.p, options);
  }
}

INSTANTIATE_TEST_SUITE_P(Encodings, ChunkRoundTrip,
                         ::testing::Values(std::nullopt, ValueEncoding::kDecimal,
                                           ValueEncoding::kGorilla, ValueEncoding::kZstd),
                         [](const auto& p) -> std::string {
                           if (!p.param) return "Auto";
                           switch (*p.param) {
                             case ValueEncoding::kDecimal:
                               return "Decimal";
                             case ValueEncoding::kGorilla:
                               return "Gorilla";
                             case ValueEncoding::kZstd:
                               return "Zstd";
                           }
                           return "Unknown";
                         });

ChunkInfo EncodeAndInfo(const std::vector<double>& values, EncodeOptions options = {}) {
  const std::vector<int64_t> ts = testing::RegularTs(values.size());
  const std::vector<uint32_t> quality(values.size(), 192);
  std::string blob;
  EncodeChunk(ts, values, quality, options, &blob);
  Result<ChunkInfo> info = ReadChunkInfo(blob);
  EXPECT_OK(info);
  return info.ok() ? *info : ChunkInfo{};
}

// k values replaced by NaN or "-0.000", spread over the chunk.
std::vector<double> WithGaps(std::vector<double> v, size_t k) {
  for (size_t j = 0; j < k; ++j) {
    v[j * v.size() / k] = j % 2 ? -0.0 : std::numeric_limits<double>::quiet_NaN();
  }
  return v;
}

// k values given 9 decimals.
std::vector<double> WithPrecise(std::vector<double> v, size_t k) {
  for (size_t j = 0; j < k; ++j) {
    double& x = v[j * v.size() / k];
    x = testing::Printed(x + 0.000000001, 9);
  }
  return v;
}

TEST(ChunkEncoding, ChoosesWell) {
  struct Row {
    const char* name;
    std::vector<double> values;
    std::optional<ValueEncoding> want;  // nullopt: anything but kDecimal
    int scale;
  };
  const Row rows[] = {
      {"3-decimal random walk", testing::RandomWalk(8192, 3, 1), ValueEncoding::kDecimal, 3},
      {"1-decimal random walk", testing::RandomWalk(8192, 1, 2), ValueEncoding::kDecimal, 1},
      {"integers", testing::RandomWalk(8192, 0, 3, 5, 1, 1000), ValueEncoding::kDecimal, 0},
      {"constant decimal", std::vector<double>(8192, 7.25), ValueEncoding::kDecimal, 2},
      {"uniform doubles", testing::UniformDoubles(8192, 4), std::nullopt, 0},
      {"sine", testing::Sine(8192), std::nullopt, 0},
      {"constant full precision", std::vector<double>(8192, 3.141592653589793),
       ValueEncoding::kZstd, 0},
      {"3-decimal walk with a NaN and a -0.000", WithGaps(testing::RandomWalk(8192, 3, 5), 2),
       ValueEncoding::kDecimal, 3},
      {"3-decimal walk with 1 value in 64 missing", WithGaps(testing::RandomWalk(8192, 3, 6), 128),
       ValueEncoding::kDecimal, 3},
      {"3-decimal walk with 1 value in 50 missing", WithGaps(testing::RandomWalk(8192, 3, 6), 164),
       std::nullopt, 0},
      {"a few values with 9 decimals do not raise the scale",
       WithPrecise(testing::RandomWalk(8192, 2, 7), 20), ValueEncoding::kDecimal, 2},
  };
  for (const Row& r : rows) {
    const ChunkInfo info = EncodeAndInfo(r.values);
    EXPECT_EQ(info.count, r.values.size()) << r.name;
    if (r.want) {
      EXPECT_EQ(info.encoding, *r.want) << r.name;
      EXPECT_EQ(info.decimal_scale, r.scale) << r.name;
    } else {
      EXPECT_NE(info.encoding, ValueEncoding::kDecimal) << r.name;
    }
  }
}

TEST(ChunkEncoding, ForcedDecimalFallsBackWhenValuesAreNotDecimal) {
  EncodeOptions forced;
  forced.force_encoding = ValueEncoding::kDecimal;
  const std::vector<double> not_decimal = {1.0, 0.1 + 0.2};
  EXPECT_EQ(EncodeAndInfo(not_decimal, forced).encoding, EncodeAndInfo(not_decimal).encoding);
  EXPECT_NE(EncodeAndInfo(not_decimal, forced).encoding, ValueEncoding::kDecimal);
  EXPECT_EQ(EncodeAndInfo({1.5, 2.5}, forced).encoding, ValueEncoding::kDecimal);
  forced.max_decimal_scale = 0;
  EXPECT_NE(EncodeAndInfo({1.5, 2.5}, forced).encoding, ValueEncoding::kDecimal);
}

TEST(ChunkEncoding, CompressesTypicalData) {
  // The store's target: at most 2 bytes per point for 1 Hz data printed with 3 decimals.
  const size_t n = 8192;
  std::string blob;
  EncodeChunk(testing::RegularTs(n), testing::RandomWalk(n, 3, 9), std::vector<uint32_t>(n, 192),
              {}, &blob);
  EXPECT_LE(blob.size(), 2 * n);

  EncodeChunk(testing::RegularTs(n), std::vector<double>(n, 1.0), std::vector<uint32_t>(n, 192), {},
              &blob);
  EXPECT_LE(blob.size(), 48u);  // header 20 bytes, a few for each section
}

TEST(ChunkEncoding, OutputIsOverwritten) {
  std::string blob = "previous contents";
  EncodeChunk(std::vector<int64_t>{1}, std::vector<double>{2}, std::vector<uint32_t>{3}, {}, &blob);
  DecodedChunk d;
  ASSERT_TRUE(DecodeChunk(blob, &d).ok());
  EXPECT_THAT(d.ts, ::testing::ElementsAre(1));
}

TEST(ChunkInfoTest, ReportsHeader) {
  const ChunkInfo info = EncodeAndInfo(testing::RandomWalk(300, 2, 1));
  EXPECT_EQ(info.count, 300u);
  EXPECT_EQ(info.encoding, ValueEncoding::kDecimal);
  EXPECT_EQ(info.decimal_scale, 2);
  EXPECT_FALSE(ReadChunkInfo("").ok());
  EXPECT_EQ(ReadChunkInfo("definitely not a chunk").status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace fh::codec
