// Catalog: lots and genealogy links.
#include <algorithm>
#include <string>
#include <vector>

#include "store/catalog_fixture.h"

namespace fh::testing {
namespace {

class CatalogLotsTest : public CatalogTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogTest::SetUp());
    ASSERT_OK_AND_ASSIGN(steel_, catalog().UpsertMaterial({.code = "M-100", .name = "steel"}));
    ASSERT_OK_AND_ASSIGN(bracket_,
                         catalog().UpsertMaterial(
                             {.code = "P-1", .name = "bracket", .kind = MaterialKind::kProduct}));
  }
  // Creates a lot of `material` and returns its id.
  int64_t MakeLot(int64_t material, const std::string& number) {
    Result<int64_t> id = catalog().UpsertLot({.material_id = material, .number = number});
    EXPECT_OK(id);
    return id.ok() ? *id : -1;
  }
  void Link(int64_t in, int64_t out) {
    ASSERT_OK(catalog().UpsertLotLink({.input_lot_id = in, .output_lot_id = out}));
  }
  int64_t steel_ = 0, bracket_ = 0;
};

TEST_F(CatalogLotsTest, LotsUpsertOnMaterialAndNumber) {
  Lot lot{.material_id = steel_,
          .number = "L-1",
          .quantity = 1000.0,
          .unit = "kg",
          .supplier = "Baosteel"};
  ASSERT_OK_AND_ASSIGN(lot.id, catalog().UpsertLot(lot));
  lot.quantity = 750.0;
  lot.status = LotStatus::kOnHold;
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertLot(lot));
  EXPECT_EQ(again, lot.id);
  ASSERT_OK_AND_ASSIGN(Lot got, catalog().FindLot(steel_, "L-1"));
  EXPECT_EQ(got, lot);
  // The same number for another material is another lot.
  EXPECT_NE(MakeLot(bracket_, "L-1"), lot.id);
  ASSERT_OK_AND_ASSIGN(std::vector<Lot> steel_lots, catalog().ListLots(steel_));
  EXPECT_EQ(steel_lots.size(), 1u);
  Result<Lot> missing = catalog().FindLot(steel_, "L-404");
  EXPECT_EQ(missing.status().message(),
            "lot 'L-404' of material " + std::to_string(steel_) + " not found");
}

TEST_F(CatalogLotsTest, LinksAndTraceBothWays) {
  // coil-a and coil-b went into blank-1; blank-1 and coil-b into bracket-1 and bracket-2.
  //   coil-a ─┐
  //           ├─> blank-1 ─┬─> bracket-1
  //   coil-b ─┘      ┌─────┴─> bracket-2
  //   coil-b ────────┘ (also directly into bracket-2)
  const int64_t coil_a = MakeLot(steel_, "coil-a");
  const int64_t coil_b = MakeLot(steel_, "coil-b");
  const int64_t blank = MakeLot(steel_, "blank-1");
  const int64_t br1 = MakeLot(bracket_, "bracket-1");
  const int64_t br2 = MakeLot(bracket_, "bracket-2");
  Link(coil_a, blank);
  Link(coil_b, blank);
  Link(blank, br1);
  Link(blank, br2);
  Link(coil_b, br2);
  Link(coil_b, br2);  // re-import: no second link
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM lot_link"), 5);

  ASSERT_OK_AND_ASSIGN(std::vector<LotLink> inputs, catalog().ListLotInputs(br2));
  ASSERT_EQ(inputs.size(), 2u);
  ASSERT_OK_AND_ASSIGN(std::vector<LotLink> outputs, catalog().ListLotOutputs(blank));
  ASSERT_EQ(outputs.size(), 2u);

  struct TraceCase {
    std::string what;
    int64_t start;
    TraceDirection direction;
    int64_t max_depth;
    std::vector<TracedLot> expected;
  };
  const std::vector<TraceCase> cases = {
      {"bracket-2 backward",
       br2,
       TraceDirection::kBackward,
       64,
       {{blank, 1}, {coil_b, 1}, {coil_a, 2}}},
      {"bracket-1 backward",
       br1,
       TraceDirection::kBackward,
       64,
       {{blank, 1}, {coil_a, 2}, {coil_b, 2}}},
      {"coil-b forward", coil_b, TraceDirection::kForward, 64, {{blank, 1}, {br2, 1}, {br1, 2}}},
      {"coil-a forward, one level", coil_a, TraceDirection::kForward, 1, {{blank, 1}}},
      {"bracket-1 forward", br1, TraceDirection::kForward, 64, {}},
  };
  for (const TraceCase& c : cases) {
    ASSERT_OK_AND_ASSIGN(std::vector<TracedLot> got,
                         catalog().TraceLots(c.start, c.direction, c.max_depth));
    std::vector<TracedLot> expected = c.expected;
    std::sort(expected.begin(), expected.end(), [](const TracedLot& a, const TracedLot& b) {
      return a.depth != b.depth ? a.depth < b.depth : a.lot_id < b.lot_id;
    });
    EXPECT_EQ(got, expected) << c.what;
  }
  EXPECT_EQ(catalog().TraceLots(9999, TraceDirection::kForward).status().code(),
            StatusCode::kNotFound);
}

TEST_F(CatalogLotsTest, TraceEndsOnCycles) {
  const int64_t a = MakeLot(steel_, "a");
  const int64_t b = MakeLot(steel_, "b");
  const int64_t c = MakeLot(steel_, "c");
  Link(a, b);
  Link(b, c);
  Link(c, a);  // bad data: a cycle
  ASSERT_OK_AND_ASSIGN(std::vector<TracedLot> got,
                       catalog().TraceLots(a, TraceDirection::kForward));
  EXPECT_EQ(got, (std::vector<TracedLot>{{b, 1}, {c, 2}}));
}

TEST_F(CatalogLotsTest, BadLinksAreRejected) {
  const int64_t a = MakeLot(steel_, "a");
  Result<int64_t> self = catalog().UpsertLotLink({.input_lot_id = a, .output_lot_id = a});
  EXPECT_EQ(self.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(self.status().message().find("CHECK"), std::string::npos);
  Result<int64_t> dangling = catalog().UpsertLotLink({.input_lot_id = a, .output_lot_id = 999});
  EXPECT_EQ(dangling.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(
      dangling.status().message().find("lot_link (lot " + std::to_string(a) + " into lot 999)"),
      std::string::npos)
      << dangling.status().message();
  EXPECT_NE(dangling.status().message().find("FOREIGN KEY"), std::string::npos);
}

}  // namespace
}  // namespace fh::testing
