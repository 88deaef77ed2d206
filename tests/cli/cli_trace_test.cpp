// factoryhub trace on plant A's genealogy imported from its MES and ERP exports, and on the
// demo plant's: traces both ways, the recall report as a table, CSV and JSON, and errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

std::string PlantAFile(const std::string& rel) {
  return (SourceDir() / "examples" / "plant-a" / rel).string();
}

class CliTraceTest : public CliTest {
 protected:
  void ImportGenealogy() {
    InitHub();
    const std::pair<const char*, const char*> exports[] = {
        {"mes-equipment", "mes/equipment.csv"},
        {"erp-materials", "erp/materials.csv"},
        {"crm-customers", "crm/customers.json"},
        {"erp-sales-orders", "erp/sales_orders.csv"},
        {"mes-material-xref", "mes/material_xref.csv"},
        {"mes-work-orders", "mes/work_orders.csv"},
        {"mes-inspections", "mes/inspections.csv"},
        {"mes-lots", "mes/lots.csv"},
        {"mes-lot-genealogy", "mes/lot_genealogy.csv"},
        {"erp-deliveries", "erp/deliveries.csv"}};
    for (const auto& [mapping, file] : exports) {
      Ok({"import", "--hub", hub(), "--mapping",
          PlantAFile(std::string("mappings/") + mapping + ".yaml"), PlantAFile(file)});
    }
  }
};

TEST_F(CliTraceTest, BackwardFromAFinishedLotReachesItsSteelOrdersAndInspections) {
  ImportGenealogy();
  json t = Json({"trace", "--hub", hub(), "backward", "FG-0302-A", "--json"});
  EXPECT_EQ(t["direction"], "backward");
  EXPECT_EQ(t["start"]["lot"], "FG-0302-A");
  EXPECT_EQ(t["start"]["made_by"], "WO-1001");
  std::map<std::string, int64_t> depth;
  for (const json& l : t["lots"])
    depth[l["lot"]] = l["depth"];
  // ST-2602-01 went in directly and through SF-0301-A: listed once, at depth 1.
  EXPECT_EQ(depth, (std::map<std::string, int64_t>{
                       {"ST-2602-01", 1}, {"RG-2602-07", 1}, {"SF-0301-A", 1}, {"ST-2602-02", 2}}));
  ASSERT_EQ(t["orders"].size(), 2u);
  EXPECT_EQ(t["orders"][1]["order"], "WO-1006");
  EXPECT_EQ(t["orders"][1]["equipment"], "acme/suzhou/machining/line-1/cnc-03");
  EXPECT_EQ(t["shipments"].size(), 2u);
  EXPECT_TRUE(t["cycles"].empty());
  const std::string text = Ok({"trace", "--hub", hub(), "backward", "FG-0302-A"}).out;
  EXPECT_THAT(text, HasSubstr("Trace backward from lot FG-0302-A (M-100): 4 lots, 2 orders"));
  EXPECT_THAT(text, HasSubstr("FG-0302-A > SF-0301-A > ST-2602-02"));
}

TEST_F(CliTraceTest, RecallOfASteelLotNamesEveryCustomerOnce) {
  ImportGenealogy();
  const std::string csv = Ok({"trace", "--hub", hub(), "recall", "ST-2602-02", "--csv"}).out;
  EXPECT_EQ(csv,
            "customer,customer_name,country,shipment,lot,material,quantity,unit,shipped_at,depth,"
            "path\n"
            "C-100,Bosch Automotive Suzhou,CN,DN-2603-001,FG-0302-A,M-100,300,pcs,"
            "2026-03-02T16:00:00Z,2,ST-2602-02 > SF-0301-A > FG-0302-A\n"
            "C-200,Schaeffler Taicang,CN,DN-2603-002,FG-0302-A,M-100,188,pcs,"
            "2026-03-03T16:00:00Z,2,ST-2602-02 > SF-0301-A > FG-0302-A\n"
            "C-200,Schaeffler Taicang,CN,DN-2603-002,FG-0302-B,M-400,40,pcs,"
            "2026-03-03T16:00:00Z,1,ST-2602-02 > FG-0302-B\n");
  json r = Json({"trace", "--hub", hub(), "recall", "ST-2602-02", "--json"});
  ASSERT_EQ(r["customers"].size(), 2u);
  EXPECT_EQ(r["customers"][1]["customer"], "C-200");
  EXPECT_EQ(r["customers"][1]["quantity"]["pcs"], 228.0);
  EXPECT_EQ(r["lots_reached"], 3);
  // The seals reach only what FG-0302-A reached.
  json seals = Json({"trace", "--hub", hub(), "recall", "RG-2602-07", "--json"});
  EXPECT_EQ(seals["customers"].size(), 2u);
  EXPECT_EQ(seals["customers"][1]["shipments"].size(), 1u);
}

TEST_F(CliTraceTest, TheDemoPlantsPalletsReachBackToItsSteelBars) {
  InitHub();
  Ok({"simulate", "--hub", hub(), "--machines", "2", "--every", "30s", "--from", "2026-03-02",
      "--until", "2026-03-02T06:00:00Z"});
  // Windows 00-02 and 02-04 completed: two pallets, shipped.
  json back = Json({"trace", "--hub", hub(), "backward", "PAL-2026-03-02T02", "--json"});
  std::set<std::string> materials;
  for (const json& l : back["lots"])
    materials.insert(l["material"]);
  EXPECT_EQ(materials, (std::set<std::string>{"P-100", "RM-42CRMO4"}));
  EXPECT_EQ(back["orders"].size(), 2u);
  ASSERT_EQ(back["shipments"].size(), 1u);
  EXPECT_EQ(back["shipments"][0]["shipment"], "DN-2026-03-02T02");
  json recall = Json({"trace", "--hub", hub(), "recall", "BAR-0001", "--json"});
  ASSERT_FALSE(recall["customers"].empty());
  EXPECT_EQ(recall["customers"][0]["shipments"][0]["depth"], 2);
}

TEST_F(CliTraceTest, ErrorsSayWhatIsWrong) {
  ImportGenealogy();
  CliResult missing = RunCli({"trace", "--hub", hub(), "backward", "NO-SUCH-LOT"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.err, HasSubstr("lot 'NO-SUCH-LOT' not found"));
  CliResult csv = RunCli({"trace", "--hub", hub(), "forward", "FG-0302-A", "--csv"});
  EXPECT_NE(csv.exit_code, 0);
  EXPECT_THAT(csv.err, HasSubstr("--csv is for trace recall"));
  CliResult direction = RunCli({"trace", "--hub", hub(), "sideways", "FG-0302-A"});
  EXPECT_EQ(direction.exit_code, 2);
  json depth = Json({"trace", "--hub", hub(), "backward", "FG-0302-A", "--depth", "1", "--json"});
  EXPECT_EQ(depth["lots"].size(), 3u);
  EXPECT_TRUE(depth["truncated"].get<bool>());
}

}  // namespace
}  // namespace fh::testing
