#include "ingest/tag_index_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace fh::ingest {
namespace {

TEST(TagIndexCacheTest, AgreesWithTheBatchThroughGrowthAndResets) {
  TagIndexCache cache;
  SampleBatch batch;
  for (int round = 0; round < 3; ++round) {
    batch.Clear();
    cache.Reset();
    // More names than the initial table holds, each looked up several times; short names
    // (under 8 bytes), exact multiples of 8 and long ones.
    for (int pass = 0; pass < 3; ++pass) {
      for (int i = 0; i < 10000; ++i) {
        std::string name = (i % 3 == 0)   ? std::to_string(i)
                           : (i % 3 == 1) ? "tag." + std::to_string(100000 + i) + "xx"
                                          : "plant.line" + std::to_string(i) + ".machine.temp";
        if (round == 1) name += "/r1";  // different names after a reset
        const uint32_t index = cache.Intern(name, &batch);
        ASSERT_LT(index, batch.tag_names().size());
        ASSERT_EQ(batch.tag_names()[index], name);
        ASSERT_EQ(index, static_cast<uint32_t>(i));  // first seen, first numbered
      }
    }
    EXPECT_EQ(batch.tag_names().size(), 10000u);
  }
}

TEST(TagIndexCacheTest, DistinguishesNamesThatShareBytes) {
  TagIndexCache cache;
  SampleBatch batch;
  const std::string names[] = {"",
                               "a",
                               "ab",
                               "abcdefgh",
                               "abcdefgh0",
                               "0abcdefgh",
                               "abcdefgH",
                               "abcdefghabcdefgh",
                               std::string("abcdefgh\0", 9)};
  for (const std::string& name : names)
    cache.Intern(name, &batch);
  for (size_t i = 0; i < std::size(names); ++i) {
    EXPECT_EQ(cache.Intern(names[i], &batch), i) << names[i];
  }
}

}  // namespace
}  // namespace fh::ingest
