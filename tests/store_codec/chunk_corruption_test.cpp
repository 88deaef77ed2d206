// DecodeChunk on damaged blobs: Corruption or (for damage no check can see, like a flipped
// value bit) some decoded chunk, but never a crash, an out-of-bounds access or UB. Run
// under ASan/UBSan (FH_SANITIZE=ON) to make that meaningful.
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/codec/byte_io.h"
#include "store/codec/chunk_codec.h"
#include "store_codec/codec_test_data.h"
#include "testing/status_matchers.h"

namespace fh::codec {
namespace {

struct Blob {
  const char* name;
  std::string bytes;
};

std::string Encode(const std::vector<double>& values, std::optional<ValueEncoding> force,
                   std::vector<int64_t> ts = {}) {
  if (ts.empty()) ts = testing::RegularTs(values.size());
  std::vector<uint32_t> quality(values.size(), 192);
  for (size_t i = 0; i < quality.size(); i += 37)
    quality[i] = 0;  // several runs
  EncodeOptions options;
  options.force_encoding = force;
  std::string blob;
  EncodeChunk(ts, values, quality, options, &blob);
  return blob;
}

std::vector<double> WithExceptions(std::vector<double> v) {
  v[3] = -0.0;
  v[250] = std::numeric_limits<double>::quiet_NaN();
  return v;
}

std::vector<Blob> ValidBlobs() {
  const auto walk = testing::RandomWalk(300, 3, 1);
  return {
      {"decimal", Encode(walk, ValueEncoding::kDecimal)},
      {"decimal with exceptions", Encode(WithExceptions(walk), ValueEncoding::kDecimal)},
      {"decimal irregular",
       Encode(walk, ValueEncoding::kDecimal, testing::IrregularTs(300, -5000, 100000, 2))},
      {"gorilla", Encode(testing::Sine(300), ValueEncoding::kGorilla)},
      {"zstd", Encode(testing::UniformDoubles(200, 3), ValueEncoding::kZstd)},
      {"constant", Encode(std::vector<double>(1000, 2.5), std::nullopt)},
      {"single", Encode({1.0}, std::nullopt)},
      {"empty", Encode({}, std::nullopt)},
  };
}

// Decodes through every entry point; returns whether DecodeChunk succeeded.
bool DecodeAll(std::string_view blob) {
  DecodedChunk d;
  const Status s = DecodeChunk(blob, &d);
  DecodeBuffer<int64_t> ts;
  DecodeBuffer<double> values;
  const Status s2 = DecodeTimestampsAndValues(blob, &ts, &values);
  const Result<ChunkInfo> info = ReadChunkInfo(blob);
  if (s.ok()) {
    EXPECT_OK(info);
    EXPECT_EQ(d.ts.size(), info->count);
    EXPECT_EQ(d.values.size(), info->count);
    EXPECT_EQ(d.quality.size(), info->count);
  } else {
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  }
  if (!s2.ok()) {
    EXPECT_EQ(s2.code(), StatusCode::kCorruption) << s2.ToString();
  }
  if (!info.ok()) {
    EXPECT_EQ(info.status().code(), StatusCode::kCorruption);
  }
  return s.ok();
}

TEST(ChunkCorruption, ValidBlobsDecode) {
  for (const Blob& b : ValidBlobs())
    EXPECT_TRUE(DecodeAll(b.bytes)) << b.name;
}

TEST(ChunkCorruption, EveryTruncationIsRejected) {
  for (const Blob& b : ValidBlobs()) {
    for (size_t len = 0; len < b.bytes.size(); ++len) {
      ASSERT_FALSE(DecodeAll(std::string_view(b.bytes).substr(0, len)))
          << b.name << " cut at " << len;
      ASSERT_FALSE(ReadChunkInfo(std::string_view(b.bytes).substr(0, len)).ok());
    }
    EXPECT_FALSE(DecodeAll(b.bytes + '\0')) << b.name << " with a byte appended";
  }
}

TEST(ChunkCorruption, EveryBitFlipIsSafe) {
  for (const Blob& b : ValidBlobs()) {
    std::string blob = b.bytes;
    for (size_t bit = 0; bit < 8 * blob.size(); ++bit) {
      blob[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      DecodeAll(blob);
      blob[bit / 8] ^= static_cast<char>(1 << (bit % 8));
    }
  }
}

TEST(ChunkCorruption, RandomBlobsAreSafe) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string blob(rng() % 300, '\0');
    for (auto& c : blob)
      c = static_cast<char>(rng());
    DecodeAll(blob);
  }
}

// Random section bytes behind a plausible header reach deep into every section parser.
TEST(ChunkCorruption, RandomSectionsBehindValidHeadersAreSafe) {
  std::mt19937_64 rng(43);
  for (int i = 0; i < 30000; ++i) {
    const uint32_t ts_bytes = rng() % 40, value_bytes = rng() % 80, quality_bytes = rng() % 8;
    std::string blob(20 + ts_bytes + value_bytes + quality_bytes, '\0');
    for (auto& c : blob)
      c = static_cast<char>(rng() % 4 == 0 ? 0 : rng());
    auto* p = reinterpret_cast<uint8_t*>(blob.data());
    p[0] = 1;
    p[1] = static_cast<uint8_t>(1 + rng() % 3);
    p[2] = p[1] == 1 ? static_cast<uint8_t>(rng() % 19) : 0;
    p[3] = 0;
    StoreLE32(p + 4, static_cast<uint32_t>(rng() % 300));
    StoreLE32(p + 8, ts_bytes);
    StoreLE32(p + 12, value_bytes);
    StoreLE32(p + 16, quality_bytes);
    // Valid-looking stream starts: order byte and a shared width byte.
    if (ts_bytes > 0) p[20] = static_cast<uint8_t>(1 + rng() % 2);
    if (p[1] == 1 && value_bytes > 0) p[20 + ts_bytes] = static_cast<uint8_t>(1 + rng() % 2);
    DecodeAll(blob);
  }
}

TEST(ChunkCorruption, CraftedHeadersAreRejected) {
  const std::string good = Encode(std::vector<double>(1000, 2.5), std::nullopt);
  struct Patch {
    const char* name;
    size_t offset;
    std::vector<uint8_t> bytes;
  };
  const Patch patches[] = {
      {"version 0", 0, {0}},
      {"version 2", 0, {2}},
      {"encoding 0", 1, {0}},
      {"encoding 4", 1, {4}},
      {"scale 19", 2, {19}},
      {"flags", 3, {1}},
      {"count above the cap", 4, {0x01, 0x00, 0x00, 0x01}},
      {"count 2^32-1", 4, {0xff, 0xff, 0xff, 0xff}},
      // Constant values and regular timestamps fit any count; the quality runs do not.
      {"count doubled", 4, {0xd0, 0x07, 0, 0}},
      {"count 2^24", 4, {0x00, 0x00, 0x00, 0x01}},
      {"ts length wraps", 8, {0xff, 0xff, 0xff, 0xff}},
      {"all lengths huge",
       8,
       {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
  };
  for (const Patch& patch : patches) {
    std::string blob = good;
    std::memcpy(blob.data() + patch.offset, patch.bytes.data(), patch.bytes.size());
    EXPECT_FALSE(DecodeAll(blob)) << patch.name;
  }
}

TEST(ChunkCorruption, ScaleOnNonDecimalIsRejected) {
  std::string blob = Encode(testing::Sine(50), ValueEncoding::kGorilla);
  blob[2] = 3;
  EXPECT_FALSE(DecodeAll(blob));
}

}  // namespace
}  // namespace fh::codec
