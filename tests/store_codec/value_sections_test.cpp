// Gorilla, zstd and quality sections on their own; chunk_codec_test covers them in chunks.
#include <cfloat>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/codec/gorilla.h"
#include "store/codec/quality_rle.h"
#include "store/codec/zstd_values.h"
#include "store_codec/codec_test_data.h"
#include "testing/status_matchers.h"

namespace fh::codec {
namespace {

using testing::FromBits;

std::vector<std::vector<double>> ValueCases() {
  const double inf = std::numeric_limits<double>::infinity();
  return {
      {},
      {1.5},
      {FromBits(0x7ff0000000000001), FromBits(0xfff8000000000abc)},
      {0.0, -0.0, inf, -inf, DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN, FromBits(1),
       FromBits(0x000fffffffffffff), FromBits(0x7ff8000000000000), FromBits(0x7ff4000000000123),
       0.0, 0.0},
      std::vector<double>(1000, 3.141592653589793),
      testing::Sine(5000),
      testing::RandomBitPatterns(3000, 1),
      testing::RandomWalk(4000, 3, 2),
  };
}

TEST(Gorilla, RoundTrips) {
  for (const auto& values : ValueCases()) {
    std::string bytes;
    AppendGorilla(values, &bytes);
    std::vector<double> out(values.size());
    const Status s = DecodeGorilla(bytes, values.size(), out.data());
    ASSERT_OK(s);
    testing::ExpectSameBits(values, out);
  }
}

TEST(Gorilla, RepeatsCostOneBit) {
  std::string bytes;
  AppendGorilla(std::vector<double>(8001, 2.718281828459045), &bytes);
  EXPECT_EQ(bytes.size(), 8u + 1000u);
}

TEST(Gorilla, RejectsMalformedStreams) {
  std::string good;
  AppendGorilla(testing::Sine(100), &good);
  std::vector<double> out(200);
  // Up to 7 padding bits read as repeats, so only a count well past the end is caught
  // here; the chunk's other sections pin the count down.
  EXPECT_FALSE(DecodeGorilla(good, 110, out.data()).ok());
  EXPECT_FALSE(DecodeGorilla(good + "x", 100, out.data()).ok());  // trailing byte
  EXPECT_FALSE(DecodeGorilla(good.substr(0, 7), 1, out.data()).ok());
  // '10' (reuse) before any window was set.
  EXPECT_FALSE(DecodeGorilla(std::string(8, '\0') + "\x80", 2, out.data()).ok());
  // '11', leading 31, length 64: 95 bits of window.
  EXPECT_FALSE(DecodeGorilla(std::string(8, '\0') + "\xff\xfe\xff\xff\xff\xff\xff\xff\xff\xff", 2,
                             out.data())
                   .ok());
}

TEST(Zstd, RoundTrips) {
  for (const auto& values : ValueCases()) {
    std::string bytes;
    AppendZstdValues(values, 3, &bytes);
    std::vector<double> out(values.size());
    const Status s = DecodeZstdValues(bytes, values.size(), out.data());
    ASSERT_OK(s);
    testing::ExpectSameBits(values, out);
  }
}

TEST(Zstd, RejectsWrongCountAndGarbage) {
  std::string bytes;
  AppendZstdValues(testing::Sine(100), 3, &bytes);
  std::vector<double> out(200);
  EXPECT_FALSE(DecodeZstdValues(bytes, 99, out.data()).ok());
  EXPECT_FALSE(DecodeZstdValues(bytes, 101, out.data()).ok());
  EXPECT_FALSE(DecodeZstdValues(bytes.substr(0, bytes.size() - 1), 100, out.data()).ok());
  EXPECT_FALSE(DecodeZstdValues("not zstd at all", 2, out.data()).ok());
}

TEST(QualityRuns, RoundTrips) {
  struct Case {
    const char* name;
    std::vector<uint32_t> quality;
    size_t max_bytes;
  };
  std::vector<uint32_t> alternating(1000);
  for (size_t i = 0; i < alternating.size(); ++i)
    alternating[i] = i % 2 ? 0 : 0xC0;
  std::vector<uint32_t> few(8192, 192);
  std::fill(few.begin() + 100, few.begin() + 110, 64);
  std::fill(few.begin() + 5000, few.end(), 0);
  const Case cases[] = {
      {"empty", {}, 1},
      {"one point", {192}, 4},
      {"one run", std::vector<uint32_t>(8192, 192), 5},
      {"max code", std::vector<uint32_t>(3, 0xffffffff), 7},
      {"few runs", few, 20},
      {"alternating", alternating, 4000},
  };
  for (const Case& c : cases) {
    std::string bytes;
    AppendQualityRuns(c.quality, &bytes);
    EXPECT_LE(bytes.size(), c.max_bytes) << c.name;
    std::vector<uint32_t> out(c.quality.size());
    const Status s = DecodeQualityRuns(bytes, c.quality.size(), out.data());
    ASSERT_OK(s) << c.name << ": " << s.ToString();
    EXPECT_EQ(out, c.quality) << c.name;
  }
}

TEST(QualityRuns, RejectsMalformedRuns) {
  struct Bad {
    const char* name;
    std::string bytes;
    size_t count;
  };
  const Bad cases[] = {
      {"empty", "", 0},
      {"more runs than points", "\x02\x00\x01\x00\x01", 1},
      {"zero-length run", std::string("\x01\x05\x00", 3), 0},
      {"runs too short", "\x01\x05\x02", 3},
      {"runs too long", "\x01\x05\x04", 3},
      {"code above 2^32-1", "\x01\x80\x80\x80\x80\x10\x01", 1},
      {"trailing byte", "\x01\x05\x01\x07", 1},
      {"truncated", "\x01\x05", 1},
  };
  std::vector<uint32_t> out(8);
  for (const Bad& c : cases) {
    EXPECT_EQ(DecodeQualityRuns(c.bytes, c.count, out.data()).code(), StatusCode::kCorruption)
        << c.name;
    EXPECT_EQ(CheckQualityRuns(c.bytes, c.count).code(), StatusCode::kCorruption) << c.name;
  }
}

}  // namespace
}  // namespace fh::codec
