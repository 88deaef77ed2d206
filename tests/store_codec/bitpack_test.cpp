#include "store/codec/bitpack.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fh::codec {
namespace {

TEST(BitPack, EveryWidthAndLengthRoundTrips) {
  std::mt19937_64 rng(1);
  for (int width = 0; width <= kMaxBitWidth; ++width) {
    const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    for (size_t count : {size_t{1}, size_t{2}, size_t{7}, size_t{63}, size_t{64}, size_t{65},
                         size_t{127}, kBlockSize}) {
      SCOPED_TRACE(testing::Message() << "width " << width << " count " << count);
      std::vector<uint64_t> in(count);
      for (auto& v : in)
        v = rng() & mask;
      if (width > 0) in[count - 1] = mask;  // the widest value, at the end
      std::string packed;
      PackBlock(in.data(), count, width, &packed);
      ASSERT_EQ(packed.size(), PackedBytes(count, width));

      std::vector<uint64_t> out(kBlockSize, 12345);
      const auto* p = reinterpret_cast<const uint8_t*>(packed.data());
      if (count == kBlockSize) {
        UnpackBlock(p, width, out.data());
      } else {
        UnpackPartialBlock(p, count, width, out.data());
      }
      out.resize(count);
      EXPECT_EQ(in, out);
    }
  }
}

TEST(BitPack, BitWidth) {
  struct Case {
    std::vector<uint64_t> values;
    int want;
  };
  const Case cases[] = {
      {{0, 0, 0}, 0},
      {{1}, 1},
      {{0, 2, 1}, 2},
      {{255}, 8},
      {{256, 3}, 9},
      {{~uint64_t{0}}, 64},
      {{uint64_t{1} << 63}, 64},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(BitWidth(c.values.data(), c.values.size()), c.want);
  }
}

}  // namespace
}  // namespace fh::codec
