#include <gtest/gtest.h>

#include <string>

#include "model/sample.h"

namespace fh {
namespace {

std::string NameOf(int i, int round) {
  // Short names (under 8 bytes), exact multiples of 8 and long ones.
  std::string name = (i % 3 == 0)   ? std::to_string(i)
                     : (i % 3 == 1) ? "tag." + std::to_string(100000 + i) + "xx"
                                    : "plant.line" + std::to_string(i) + ".machine.temp";
  if (round % 2 == 1) name += "/r" + std::to_string(round);  // other names after a clear
  return name;
}

TEST(SampleBatchTest, InternsThroughGrowthAndClears) {
  SampleBatch batch;
  for (int round = 0; round < 4; ++round) {
    batch.Clear();
    // More names than the first table holds, each looked up several times.
    for (int pass = 0; pass < 3; ++pass) {
      for (int i = 0; i < 10000; ++i) {
        const std::string name = NameOf(i, round);
        const uint32_t index = batch.InternTag(name);
        ASSERT_LT(index, batch.tag_names().size());
        ASSERT_EQ(batch.tag_names()[index], name);
        ASSERT_EQ(index, static_cast<uint32_t>(i));  // first seen, first numbered
      }
    }
    EXPECT_EQ(batch.tag_names().size(), 10000u);
  }
}

TEST(SampleBatchTest, ClearForgetsNamesAndPoints) {
  SampleBatch batch;
  batch.Add("a-long-tag-name-of-a-machine", 1, 2.5);
  batch.Add("b", 2, 3.5);
  batch.Clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(batch.tag_names().empty());
  // A reused buffer holds exactly the new name, shorter or longer than the old one.
  EXPECT_EQ(batch.InternTag("c"), 0u);
  EXPECT_EQ(batch.InternTag("a-long-tag-name-of-a-machine, longer than before"), 1u);
  EXPECT_EQ(batch.tag_names()[0], "c");
  EXPECT_EQ(batch.tag_names()[1], "a-long-tag-name-of-a-machine, longer than before");
  EXPECT_EQ(batch.InternTag("b"), 2u);
}

TEST(SampleBatchTest, DistinguishesNamesThatShareBytes) {
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
    batch.InternTag(name);
  for (size_t i = 0; i < std::size(names); ++i) {
    EXPECT_EQ(batch.InternTag(names[i]), i) << names[i];
  }
}

TEST(SampleBatchTest, ACopyInternsAsTheOriginal) {
  SampleBatch batch;
  for (int i = 0; i < 100; ++i)
    batch.Add(NameOf(i, 0), i, i * 0.5);
  SampleBatch copy = batch;
  EXPECT_EQ(copy.tag_names(), batch.tag_names());
  EXPECT_EQ(copy.value(), batch.value());
  EXPECT_EQ(copy.InternTag(NameOf(42, 0)), 42u);
  EXPECT_EQ(copy.InternTag("new"), 100u);
  EXPECT_EQ(batch.InternTag("other"), 100u);
  EXPECT_EQ(copy.tag_names()[100], "new");
  copy = batch;
  EXPECT_EQ(copy.InternTag("other"), 100u);
  EXPECT_EQ(copy.tag_names().size(), 101u);
}

}  // namespace
}  // namespace fh
