#include "store/records/batch_keys.h"

#include <gtest/gtest.h>

namespace fh {
namespace {

TEST(BatchKeysTest, FindsWhatWasInsertedThroughGrowth) {
  BatchKeys keys;
  for (uint64_t k = 0; k < 100000; ++k) {
    ASSERT_FALSE(keys.Find(k * 0x9E3779B97F4A7C15ull));
    keys.Insert(k * 0x9E3779B97F4A7C15ull, k + 7, static_cast<int64_t>(k + 2));
  }
  EXPECT_EQ(keys.size(), 100000u);
  for (uint64_t k = 0; k < 100000; ++k) {
    const auto first = keys.Find(k * 0x9E3779B97F4A7C15ull);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->values, static_cast<uint32_t>(k + 7));
    EXPECT_EQ(first->line, static_cast<int64_t>(k + 2));
  }
  EXPECT_FALSE(keys.Find(12345));
}

TEST(BatchKeysTest, ZeroDigestsAndUnknownLines) {
  BatchKeys keys;
  keys.Insert(0, 1, std::nullopt);      // a digest of 0 is a key like any other
  keys.Insert(5, 2, int64_t{1} << 40);  // a line past 32 bits: unknown
  ASSERT_TRUE(keys.Find(0));
  EXPECT_FALSE(keys.Find(0)->line);
  ASSERT_TRUE(keys.Find(5));
  EXPECT_FALSE(keys.Find(5)->line);
  EXPECT_FALSE(keys.Find(2));
}

}  // namespace
}  // namespace fh
