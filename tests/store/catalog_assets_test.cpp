// Catalog: the asset hierarchy and tag metadata.
#include <string>
#include <vector>

#include "store/catalog_fixture.h"

namespace fh::testing {
namespace {

using CatalogAssetsTest = CatalogTest;

std::vector<std::string> Paths(const std::vector<Asset>& assets) {
  std::vector<std::string> out;
  for (const Asset& a : assets)
    out.push_back(a.path);
  return out;
}

TEST_F(CatalogAssetsTest, CreatePathMakesEachLevelInOrder) {
  const Lineage lineage{.source_system = "mes", .source_object = "assets.csv", .source_line = 7};
  ASSERT_OK_AND_ASSIGN(
      int64_t press, catalog().CreateAssetPath("acme/shanghai/assembly/line-1/press-01", lineage));
  const std::vector<std::pair<std::string, AssetLevel>> expected = {
      {"acme", AssetLevel::kEnterprise},
      {"acme/shanghai", AssetLevel::kSite},
      {"acme/shanghai/assembly", AssetLevel::kArea},
      {"acme/shanghai/assembly/line-1", AssetLevel::kLine},
      {"acme/shanghai/assembly/line-1/press-01", AssetLevel::kEquipment},
  };
  std::optional<int64_t> parent;
  for (const auto& [path, level] : expected) {
    ASSERT_OK_AND_ASSIGN(Asset a, catalog().FindAsset(path));
    EXPECT_EQ(a.level, level) << path;
    EXPECT_EQ(a.parent_id, parent) << path;
    EXPECT_EQ(a.name, path.substr(path.rfind('/') + 1)) << path;
    EXPECT_EQ(a.lineage, lineage) << path;
    parent = a.id;
  }
  EXPECT_EQ(*parent, press);

  // Again: nothing new. A sibling shares the existing prefix; a component nests deeper.
  ASSERT_OK_AND_ASSIGN(int64_t again,
                       catalog().CreateAssetPath("acme/shanghai/assembly/line-1/press-01"));
  EXPECT_EQ(again, press);
  ASSERT_OK(catalog().CreateAssetPath("acme/shanghai/assembly/line-1/press-02"));
  ASSERT_OK_AND_ASSIGN(int64_t pump,
                       catalog().CreateAssetPath("acme/shanghai/assembly/line-1/press-01/pump"));
  ASSERT_OK_AND_ASSIGN(Asset p, catalog().GetAsset(pump));
  EXPECT_EQ(p.level, AssetLevel::kEquipment);
  EXPECT_EQ(p.parent_id, press);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM asset"), 7);
}

TEST_F(CatalogAssetsTest, ChildrenAndSubtrees) {
  for (const char* path : {"acme/sh/assembly/line-1/press-01", "acme/sh/assembly/line-1/robot",
                           "acme/sh/assembly/line-10/press-01", "acme/bj/paint/line-1/oven"}) {
    ASSERT_OK(catalog().CreateAssetPath(path));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<Asset> roots, catalog().ListChildren(std::nullopt));
  EXPECT_EQ(Paths(roots), std::vector<std::string>{"acme"});
  ASSERT_OK_AND_ASSIGN(std::vector<Asset> sites, catalog().ListChildren(roots[0].id));
  EXPECT_EQ(Paths(sites), (std::vector<std::string>{"acme/bj", "acme/sh"}));

  // "line-1" must not match "line-10".
  ASSERT_OK_AND_ASSIGN(std::vector<Asset> line, catalog().ListAssets("acme/sh/assembly/line-1"));
  EXPECT_EQ(Paths(line),
            (std::vector<std::string>{"acme/sh/assembly/line-1", "acme/sh/assembly/line-1/press-01",
                                      "acme/sh/assembly/line-1/robot"}));
  ASSERT_OK_AND_ASSIGN(std::vector<Asset> all, catalog().ListAssets());
  EXPECT_EQ(all.size(), 12u);
  ASSERT_OK_AND_ASSIGN(std::vector<Asset> none, catalog().ListAssets("acme/nowhere"));
  EXPECT_TRUE(none.empty());
}

TEST_F(CatalogAssetsTest, UpsertIsIdempotentOnPath) {
  ASSERT_OK(catalog().CreateAssetPath("acme/sh"));
  Asset area{.level = AssetLevel::kArea, .path = "acme/sh/assembly", .description = "first"};
  ASSERT_OK_AND_ASSIGN(int64_t id1, catalog().UpsertAsset(area));
  area.description = "final assembly";
  area.lineage = {.source_system = "erp", .mapping_version = "v2"};
  area.id = 999;  // ignored: the path is the key
  ASSERT_OK_AND_ASSIGN(int64_t id2, catalog().UpsertAsset(area));
  EXPECT_EQ(id1, id2);
  ASSERT_OK_AND_ASSIGN(Asset got, catalog().GetAsset(id1));
  EXPECT_EQ(got.description, "final assembly");
  EXPECT_EQ(got.name, "assembly");
  EXPECT_EQ(got.lineage, area.lineage);
}

struct BadAssetCase {
  Asset asset;
  StatusCode code;
  std::string error;
};

TEST_F(CatalogAssetsTest, BadAssetsAreRejected) {
  ASSERT_OK(catalog().CreateAssetPath("acme/sh"));
  const std::vector<BadAssetCase> cases = {
      {{.level = AssetLevel::kLine, .path = "acme/sh/assembly"},
       StatusCode::kInvalidArgument,
       "asset 'acme/sh/assembly': level line does not fit a path of 3 segment(s), which is area"},
      {{.level = AssetLevel::kLine, .path = "acme/bj/paint/line-1"},
       StatusCode::kNotFound,
       "asset 'acme/bj/paint/line-1': parent: asset 'acme/bj/paint' not found"},
      {{.level = AssetLevel::kSite, .path = "acme//x"},
       StatusCode::kInvalidArgument,
       "asset path 'acme//x': empty segment"},
      {{.level = AssetLevel::kEnterprise, .path = ""},
       StatusCode::kInvalidArgument,
       "asset path is empty"},
  };
  for (const BadAssetCase& c : cases) {
    Result<int64_t> got = catalog().UpsertAsset(c.asset);
    ASSERT_FALSE(got.ok()) << c.asset.path;
    EXPECT_EQ(got.status().code(), c.code) << got.status().ToString();
    EXPECT_NE(got.status().message().find(c.error), std::string::npos) << got.status().message();
  }
  Result<Asset> missing = catalog().FindAsset("acme/nowhere");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "asset 'acme/nowhere' not found");
  EXPECT_EQ(catalog().GetAsset(12345).status().code(), StatusCode::kNotFound);
}

TEST_F(CatalogAssetsTest, TagsCarryMetadataAndEquipmentPath) {
  ASSERT_OK_AND_ASSIGN(int64_t press,
                       catalog().CreateAssetPath("acme/sh/assembly/line-1/press-01"));
  ASSERT_OK_AND_ASSIGN(int64_t oven, catalog().CreateAssetPath("acme/sh/paint/line-2/oven"));
  // A tag the time-series store created on first write, before any metadata.
  ASSERT_OK(db().Exec("INSERT INTO tag(name) VALUES('press-01.pressure')"));
  const int64_t ts_id = QueryInt("SELECT id FROM tag WHERE name = 'press-01.pressure'");

  TagMeta pressure{.name = "press-01.pressure",
                   .equipment_id = press,
                   .unit = "bar",
                   .lo_limit = 0.0,
                   .hi_limit = 250.0,
                   .description = "main cylinder pressure",
                   .lineage = {.source_system = "opcua", .source_object = "ns=2;s=P1"}};
  ASSERT_OK_AND_ASSIGN(int64_t id, catalog().UpsertTag(pressure));
  EXPECT_EQ(id, ts_id);
  pressure.hi_limit = 300.0;
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertTag(pressure));
  EXPECT_EQ(again, id);
  pressure.id = id;
  ASSERT_OK_AND_ASSIGN(TagMeta got, catalog().FindTag("press-01.pressure"));
  EXPECT_EQ(got, pressure);

  ASSERT_OK(catalog().UpsertTag({.name = "oven.zone1", .equipment_id = oven, .unit = "degC"}));
  ASSERT_OK(
      catalog().UpsertTag({.name = "door.open", .data_type = TagDataType::kBool}));  // no equipment

  ASSERT_OK_AND_ASSIGN(std::vector<TagListing> all, catalog().ListTags());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].tag.name, "door.open");
  EXPECT_EQ(all[0].equipment_path, "");
  EXPECT_EQ(all[0].tag.data_type, TagDataType::kBool);
  EXPECT_EQ(all[1].equipment_path, "acme/sh/paint/line-2/oven");
  EXPECT_EQ(all[2].equipment_path, "acme/sh/assembly/line-1/press-01");

  ASSERT_OK_AND_ASSIGN(std::vector<TagListing> assembly, catalog().ListTags("acme/sh/assembly"));
  ASSERT_EQ(assembly.size(), 1u);
  EXPECT_EQ(assembly[0].tag.name, "press-01.pressure");
}

TEST_F(CatalogAssetsTest, BadTagsAreRejected) {
  Result<int64_t> no_asset = catalog().UpsertTag({.name = "x", .equipment_id = 42});
  EXPECT_EQ(no_asset.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_asset.status().message().find("tag 'x'"), std::string::npos);
  EXPECT_NE(no_asset.status().message().find("FOREIGN KEY"), std::string::npos);

  Result<int64_t> limits = catalog().UpsertTag({.name = "y", .lo_limit = 5.0, .hi_limit = 1.0});
  EXPECT_EQ(limits.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalog().UpsertTag({.name = ""}).status().code(), StatusCode::kInvalidArgument);
  // The same limit as the time-series store's, so every catalog tag can hold samples.
  EXPECT_EQ(catalog().UpsertTag({.name = std::string(256, 'a')}).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_OK(catalog().UpsertTag({.name = std::string(255, 'a')}));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tag"), 1);
}

}  // namespace
}  // namespace fh::testing
