// Bounded echoes: a long value is quoted by its start and its size, never whole, and a cut
// never splits a UTF-8 character.
#include "common/text_excerpt.h"

#include <gtest/gtest.h>

namespace fh {
namespace {

TEST(ExcerptTest, ShortTextIsKeptAsItIs) {
  EXPECT_EQ(Excerpt("abc"), "abc");
  EXPECT_EQ(Excerpt(std::string(kExcerptBytes, 'x')), std::string(kExcerptBytes, 'x'));
}

TEST(ExcerptTest, LongTextKeepsItsStartAndSaysItsSize) {
  const std::string value(10 * 1024 * 1024, 'v');
  const std::string e = Excerpt(value);
  EXPECT_LE(e.size(), kExcerptBytes);
  EXPECT_EQ(e.substr(0, 100), std::string(100, 'v'));
  EXPECT_TRUE(e.ends_with("v…(10485760 bytes)")) << e;
  EXPECT_EQ(Excerpt(e), e);  // an excerpt is not cut again
}

TEST(ExcerptTest, CutNeverSplitsAUtf8Character) {
  // "温" (3 bytes) at every position around the cut: the excerpt keeps it whole or not at all.
  for (size_t before = 100; before < kExcerptBytes; ++before) {
    const std::string value = std::string(before, 'a') + "\xe6\xb8\xa9" + std::string(300, 'b');
    const std::string e = Excerpt(value);
    const std::string kept = e.substr(0, e.find("…("));
    ASSERT_TRUE(kept == std::string(kept.size(), 'a') ||
                kept.starts_with(std::string(before, 'a') + "\xe6\xb8\xa9"))
        << before << ": " << kept;
  }
}

TEST(ExcerptTest, InvalidUtf8IsCutAtTheLimit) {
  const std::string e = Excerpt(std::string(300, '\x80'), 64);
  EXPECT_TRUE(e.ends_with("\x80…(300 bytes)")) << e;
  EXPECT_LE(e.size(), 64u);
}

TEST(BoundMessageTest, ShortMessageIsKept) {
  EXPECT_EQ(BoundMessage("'x' is not a number"), "'x' is not a number");
}

TEST(BoundMessageTest, LongMessageKeepsBothEndsAndCountsTheCut) {
  const std::string message = "'" + std::string(5000, 'v') + "' is not a number";
  const std::string b = BoundMessage(message, 200);
  EXPECT_LE(b.size(), 200u);
  EXPECT_TRUE(b.starts_with("'vvvv")) << b;
  EXPECT_TRUE(b.ends_with("vv' is not a number")) << b;
  const size_t marker = b.find("…(");
  ASSERT_NE(marker, std::string::npos);
  const size_t cut = std::stoul(b.substr(marker + 4));
  const size_t kept = b.size() - (b.find(")…") + 4 - marker);
  EXPECT_EQ(cut + kept, message.size()) << b;
  EXPECT_EQ(BoundMessage(b, 200), b);
}

}  // namespace
}  // namespace fh
