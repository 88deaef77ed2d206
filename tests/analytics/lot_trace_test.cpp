// Lot genealogy traces (analytics/genealogy): diamonds and blends reached once, cycles in
// bad data reported, the recall report, and the walk against the recursive SQL query.
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "analytics/genealogy/lot_trace.h"
#include "analytics/genealogy/trace_json.h"
#include "store/catalog_fixture.h"

namespace fh::testing {
namespace {

using analytics::LotTrace;
using analytics::TraceLot;
using analytics::WalkLots;
using analytics::WalkOptions;

constexpr TimestampNs kDay = 86'400'000'000'000;

class LotTraceTest : public CatalogTest {
 protected:
  int64_t Material(const std::string& code) {
    Result<int64_t> id = catalog().UpsertMaterial({.code = code, .name = code});
    EXPECT_OK(id);
    return id.ok() ? *id : -1;
  }
  int64_t MakeLot(int64_t material, const std::string& number, std::optional<int64_t> order = {}) {
    Result<int64_t> id = catalog().UpsertLot({.material_id = material,
                                              .number = number,
                                              .quantity = 100.0,
                                              .unit = "pcs",
                                              .work_order_id = order});
    EXPECT_OK(id);
    lots_[number] = id.ok() ? *id : -1;
    return lots_[number];
  }
  void Link(const std::string& in, const std::string& out, double qty,
            std::optional<int64_t> order = {}) {
    ASSERT_OK(catalog().UpsertLotLink({.input_lot_id = lots_.at(in),
                                       .output_lot_id = lots_.at(out),
                                       .quantity = qty,
                                       .work_order_id = order}));
  }
  void Ship(const std::string& number, const std::string& lot, int64_t customer, double qty,
            TimestampNs at) {
    ASSERT_OK(catalog().UpsertShipment({.number = number,
                                        .lot_id = lots_.at(lot),
                                        .customer_id = customer,
                                        .quantity = qty,
                                        .unit = "pcs",
                                        .shipped_at = at}));
  }
  // Lot number -> depth of a trace.
  static std::map<std::string, int64_t> Depths(const LotTrace& t) {
    std::map<std::string, int64_t> out;
    for (size_t i = 1; i < t.lots.size(); ++i)
      out[t.lots[i].lot.number] = t.lots[i].walked.depth;
    return out;
  }

  // Steel lots S1 and S2 are blended into blanks B1 (S1) and B2 (S1, S2); shafts F1 (B1, B2:
  // a diamond from S1) and F2 (B2); kit K1 of F1, F2 and resin R1. F2 and K1 are shipped.
  //   S1 ─┬─> B1 ──> F1 ─┐
  //       └─> B2 ─┬──^   ├─> K1 ──> C2 (DN-2), C1 (DN-3)
  //   S2 ────^    └─> F2 ┤
  //                      └──> C1 (DN-1)        R1 ──> K1
  void BuildPlant() {
    const int64_t steel = Material("STEEL"), resin = Material("RESIN"), blank = Material("BLANK"),
                  shaft = Material("SHAFT"), kit = Material("KIT");
    ASSERT_OK(catalog().CreateAssetPath("acme/plant/area/line-1/cnc-01"));
    ASSERT_OK_AND_ASSIGN(Asset cnc, catalog().FindAsset("acme/plant/area/line-1/cnc-01"));
    ASSERT_OK_AND_ASSIGN(
        wo_blank_,
        catalog().UpsertWorkOrder(
            {.number = "WO-1", .material_id = blank, .equipment_id = cnc.id, .planned_qty = 200}));
    ASSERT_OK_AND_ASSIGN(
        wo_shaft_,
        catalog().UpsertWorkOrder(
            {.number = "WO-2", .material_id = shaft, .equipment_id = cnc.id, .planned_qty = 200}));
    MakeLot(steel, "S1");
    MakeLot(steel, "S2");
    MakeLot(resin, "R1");
    MakeLot(blank, "B1", wo_blank_);
    MakeLot(blank, "B2", wo_blank_);
    MakeLot(shaft, "F1", wo_shaft_);
    MakeLot(shaft, "F2", wo_shaft_);
    MakeLot(kit, "K1");
    Link("S1", "B1", 10, wo_blank_);
    Link("S1", "B2", 5, wo_blank_);
    Link("S2", "B2", 7, wo_blank_);
    Link("B1", "F1", 40, wo_shaft_);
    Link("B2", "F1", 60, wo_shaft_);
    Link("B2", "F2", 40, wo_shaft_);
    Link("F1", "K1", 20);
    Link("F2", "K1", 20);
    Link("R1", "K1", 2);
    ASSERT_OK(catalog().UpsertInspection({.characteristic = "bore",
                                          .inspected_at = kDay,
                                          .lot_id = lots_["F1"],
                                          .value = 25.08,
                                          .result = InspectionResult::kFail}));
    ASSERT_OK(catalog().UpsertInspection({.characteristic = "bore",
                                          .inspected_at = kDay + 1,
                                          .work_order_id = wo_shaft_,
                                          .value = 25.01}));
    ASSERT_OK_AND_ASSIGN(c1_, catalog().UpsertCustomer({.code = "C1", .name = "Acme, Inc."}));
    ASSERT_OK_AND_ASSIGN(c2_, catalog().UpsertCustomer({.code = "C2", .name = "Globex"}));
    Ship("DN-1", "F2", c1_, 30, 3 * kDay);
    Ship("DN-2", "K1", c2_, 10, 4 * kDay);
    Ship("DN-3", "K1", c1_, 5, 5 * kDay);
  }

  std::map<std::string, int64_t> lots_;
  int64_t wo_blank_ = 0, wo_shaft_ = 0, c1_ = 0, c2_ = 0;
};

TEST_F(LotTraceTest, BackwardReachesEveryInputOnceAtItsSmallestDepth) {
  ASSERT_NO_FATAL_FAILURE(BuildPlant());
  ASSERT_OK_AND_ASSIGN(LotTrace t, TraceLot(catalog(), lots_["K1"], {}));
  EXPECT_EQ(Depths(t),
            (std::map<std::string, int64_t>{
                {"F1", 1}, {"F2", 1}, {"R1", 1}, {"B1", 2}, {"B2", 2}, {"S1", 3}, {"S2", 3}}));
  EXPECT_EQ(t.lots.size(), 8u);  // S1 once, though two paths reach it
  EXPECT_EQ(t.links, 9);
  EXPECT_TRUE(t.cycles.empty());
  // The path is the first one the breadth-first walk met: by lot id at each step.
  for (const analytics::TracedLotInfo& l : t.lots) {
    if (l.lot.number != "S2") continue;
    EXPECT_EQ(l.path, (std::vector<std::string>{"K1", "F1", "B2", "S2"}));
    ASSERT_TRUE(l.walked.quantity.has_value());
    EXPECT_EQ(*l.walked.quantity, 7);
    EXPECT_EQ(l.link_order, "WO-1");
  }
  ASSERT_EQ(t.orders.size(), 2u);
  EXPECT_EQ(t.orders[0].number, "WO-2");
  EXPECT_EQ(t.orders[0].equipment, "acme/plant/area/line-1/cnc-01");
  EXPECT_EQ(t.equipment, (std::vector<std::string>{"acme/plant/area/line-1/cnc-01"}));
  // F1's inspections: the one naming it and its order's (F2 gets the order's one too).
  ASSERT_EQ(t.inspections.size(), 3u);
  for (const analytics::TracedLotInfo& l : t.lots) {
    if (l.lot.number == "F1") {
      EXPECT_EQ(l.failed_inspections, 1);
      EXPECT_EQ(l.inspections, 2);
    }
    if (l.lot.number == "F2") {
      EXPECT_EQ(l.inspections, 1);
    }
  }
}

TEST_F(LotTraceTest, RecallFindsTheCustomersOfASupplierLot) {
  ASSERT_NO_FATAL_FAILURE(BuildPlant());
  ASSERT_OK_AND_ASSIGN(
      LotTrace t, TraceLot(catalog(), lots_["S2"], {.direction = TraceDirection::kForward}, false));
  EXPECT_EQ(Depths(t),
            (std::map<std::string, int64_t>{{"B2", 1}, {"F1", 2}, {"F2", 2}, {"K1", 3}}));
  EXPECT_EQ(analytics::RecallCsv(t),
            "customer,customer_name,country,shipment,lot,material,quantity,unit,shipped_at,"
            "depth,path\n"
            "C1,\"Acme, Inc.\",,DN-1,F2,SHAFT,30,pcs,1970-01-04T00:00:00Z,2,S2 > B2 > F2\n"
            "C1,\"Acme, Inc.\",,DN-3,K1,KIT,5,pcs,1970-01-06T00:00:00Z,3,S2 > B2 > F1 > K1\n"
            "C2,Globex,,DN-2,K1,KIT,10,pcs,1970-01-05T00:00:00Z,3,S2 > B2 > F1 > K1\n");
  nlohmann::ordered_json recall = analytics::RecallJson(t);
  ASSERT_EQ(recall["customers"].size(), 2u);
  EXPECT_EQ(recall["customers"][0]["customer"], "C1");
  EXPECT_EQ(recall["customers"][0]["quantity"]["pcs"], 35.0);
  EXPECT_EQ(recall["customers"][1]["shipments"][0]["shipment"], "DN-2");
  EXPECT_EQ(recall["lots_reached"], 4);
  // Resin never reaches F2's customer: only K1's shipments.
  ASSERT_OK_AND_ASSIGN(LotTrace resin,
                       TraceLot(catalog(), lots_["R1"], {.direction = TraceDirection::kForward}));
  ASSERT_EQ(resin.shipments.size(), 2u);
  EXPECT_EQ(resin.shipments[0].lot, "K1");
}

TEST_F(LotTraceTest, ACycleInBadDataIsReportedAndEnds) {
  ASSERT_NO_FATAL_FAILURE(BuildPlant());
  Link("K1", "S1", 1);  // bad data: the kit went back into the steel
  // Backward, S1's input is K1 again: one link closes the cycle. Forward, K1 comes back
  // through F1 and through F2: two cycles, each closed by a link into K1.
  ASSERT_OK_AND_ASSIGN(LotTrace back, TraceLot(catalog(), lots_["K1"], {}));
  ASSERT_EQ(back.cycle_lots.size(), 1u);
  EXPECT_EQ(back.cycle_lots[0], std::make_pair(std::string("S1"), std::string("K1")));
  EXPECT_EQ(back.lots.size(), 8u);
  ASSERT_OK_AND_ASSIGN(LotTrace fwd,
                       TraceLot(catalog(), lots_["K1"], {.direction = TraceDirection::kForward}));
  ASSERT_EQ(fwd.cycle_lots.size(), 2u);
  EXPECT_EQ(fwd.cycle_lots[0], std::make_pair(std::string("F1"), std::string("K1")));
  EXPECT_EQ(fwd.cycle_lots[1], std::make_pair(std::string("F2"), std::string("K1")));
  EXPECT_EQ(analytics::LotTraceJson(fwd)["cycles"].size(), 2u);
}

TEST_F(LotTraceTest, StacksOfDiamondsCostOneVisitPerLot) {
  // 40 levels of two lots, each fed by both lots of the level below: 2^40 paths from the
  // top to the bottom, 81 lots.
  ASSERT_OK_AND_ASSIGN(UnitOfWork work, session_->Begin());
  const int64_t m = Material("M");
  MakeLot(m, "top");
  std::vector<std::string> below = {"top"};
  for (int level = 1; level <= 40; ++level) {
    std::vector<std::string> here = {fmt::format("a{}", level), fmt::format("b{}", level)};
    for (const std::string& lot : here) {
      MakeLot(m, lot);
      for (const std::string& up : below)
        Link(lot, up, 1);
    }
    below = here;
  }
  ASSERT_OK(work.Commit());
  ASSERT_OK_AND_ASSIGN(analytics::LotWalk w, WalkLots(catalog(), lots_["top"], {}));
  EXPECT_EQ(w.lots.size(), 81u);
  EXPECT_EQ(w.links, 2 + 39 * 4);
  EXPECT_EQ(w.lots.back().depth, 40);
  ASSERT_OK_AND_ASSIGN(analytics::LotWalk shallow,
                       WalkLots(catalog(), lots_["top"], {.max_depth = 3}));
  EXPECT_EQ(shallow.lots.size(), 7u);
  EXPECT_TRUE(shallow.truncated);
  EXPECT_FALSE(w.truncated);
}

TEST_F(LotTraceTest, TheWalkAgreesWithTheRecursiveQuery) {
  // A random graph with blends, diamonds and (some) cycles: the walk reaches the lots the
  // recursive SQL reaches, each at the same smallest depth.
  ASSERT_OK_AND_ASSIGN(UnitOfWork work, session_->Begin());  // one commit, not 1200
  const int64_t m = Material("M");
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i)
    MakeLot(m, fmt::format("L{}", i));
  for (int i = 0; i < 900; ++i) {
    int a = static_cast<int>(rng() % 300), b = static_cast<int>(rng() % 300);
    if (a != b) Link(fmt::format("L{}", a), fmt::format("L{}", b), 1);
  }
  ASSERT_OK(work.Commit());
  for (TraceDirection d : {TraceDirection::kBackward, TraceDirection::kForward}) {
    for (int start : {0, 17, 123, 299}) {
      const int64_t id = lots_[fmt::format("L{}", start)];
      ASSERT_OK_AND_ASSIGN(analytics::LotWalk w, WalkLots(catalog(), id, {.direction = d}));
      ASSERT_OK_AND_ASSIGN(std::vector<TracedLot> sql, catalog().TraceLots(id, d, 300));
      std::map<int64_t, int64_t> walked, queried;
      for (size_t i = 1; i < w.lots.size(); ++i)
        walked[w.lots[i].lot_id] = w.lots[i].depth;
      for (const TracedLot& t : sql)
        queried[t.lot_id] = t.depth;
      EXPECT_EQ(walked, queried) << "from L" << start;
    }
  }
}

TEST_F(LotTraceTest, AnAmbiguousNumberAsksForTheMaterial) {
  MakeLot(Material("STEEL"), "L-7");
  MakeLot(Material("RESIN"), "L-7");
  Result<Lot> ambiguous = analytics::FindTraceStart(catalog(), "L-7");
  EXPECT_EQ(ambiguous.status().message(),
            "lot number 'L-7' is used by 2 materials (STEEL, RESIN): name the material");
  ASSERT_OK_AND_ASSIGN(Lot resin, analytics::FindTraceStart(catalog(), "L-7", "RESIN"));
  EXPECT_EQ(resin.id, lots_["L-7"]);
  EXPECT_EQ(analytics::FindTraceStart(catalog(), "L-8").status().message(), "lot 'L-8' not found");
}

}  // namespace
}  // namespace fh::testing
