#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/asset.h"
#include "testing/status_matchers.h"

namespace fh {
namespace {

struct SplitCase {
  std::string path;
  std::vector<std::string> segments;  // empty: an error is expected
  std::string error;                  // a part of the error message
};

TEST(AssetPathTest, Split) {
  const std::vector<SplitCase> cases = {
      {"acme", {"acme"}, ""},
      {"acme/shanghai/assembly/line-1/press-01",
       {"acme", "shanghai", "assembly", "line-1", "press-01"},
       ""},
      {"acme/上海/总装/line 1", {"acme", "上海", "总装", "line 1"}, ""},
      {"", {}, "asset path is empty"},
      {"/acme", {}, "empty segment at byte 0"},
      {"acme/", {}, "empty segment at byte 5"},
      {"acme//site", {}, "empty segment at byte 5"},
      {"acme/si\tte", {}, "holds a control character"},
      {"acme/" + std::string(256, 'x'), {}, "segment 2 is longer than 255 bytes"},
  };
  for (const SplitCase& c : cases) {
    Result<std::vector<std::string_view>> got = SplitAssetPath(c.path);
    if (c.segments.empty()) {
      ASSERT_FALSE(got.ok()) << c.path;
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(got.status().message().find(c.error), std::string::npos) << got.status().message();
      continue;
    }
    ASSERT_OK(got) << c.path << ": " << got.status().ToString();
    EXPECT_EQ(std::vector<std::string>(got->begin(), got->end()), c.segments);
  }
}

TEST(AssetPathTest, LevelFollowsDepth) {
  const std::vector<std::pair<size_t, AssetLevel>> cases = {
      {1, AssetLevel::kEnterprise}, {2, AssetLevel::kSite},      {3, AssetLevel::kArea},
      {4, AssetLevel::kLine},       {5, AssetLevel::kEquipment}, {6, AssetLevel::kEquipment},
  };
  for (const auto& [depth, level] : cases) {
    EXPECT_EQ(AssetLevelForDepth(depth), level) << depth;
  }
}

TEST(AssetPathTest, Parent) {
  EXPECT_EQ(ParentAssetPath("acme/shanghai/assembly"), "acme/shanghai");
  EXPECT_EQ(ParentAssetPath("acme/shanghai"), "acme");
  EXPECT_EQ(ParentAssetPath("acme"), "");
}

}  // namespace
}  // namespace fh
