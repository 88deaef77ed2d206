// GET /api/v1/trace/backward, /forward and /recall on a small genealogy in the catalog:
// the JSON of both directions, the recall as CSV with its file name, and errors that name
// the parameter.
#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

class ApiTraceTest : public ApiTest {
 protected:
  // Coil C-1 is cut into blanks B-1 and B-2, both pressed into bracket lot P-1, shipped to
  // one customer on two notes.
  void StoreGenealogy() {
    CatalogSession session = hub_->OpenCatalog();
    Catalog& c = session.catalog();
    Result<int64_t> steel = c.UpsertMaterial({.code = "STEEL", .name = "coil"});
    ASSERT_OK(steel);
    Result<int64_t> bracket = c.UpsertMaterial({.code = "BRK", .name = "bracket"});
    ASSERT_OK(bracket);
    std::map<std::string, int64_t> id;
    for (const auto& [number, material] : std::initializer_list<std::pair<const char*, int64_t>>{
             {"C-1", *steel}, {"B-1", *steel}, {"B-2", *steel}, {"P-1", *bracket}}) {
      Result<int64_t> lot = c.UpsertLot({.material_id = material, .number = number});
      ASSERT_OK(lot);
      id[number] = *lot;
    }
    for (const auto& [in, out] : std::initializer_list<std::pair<const char*, const char*>>{
             {"C-1", "B-1"}, {"C-1", "B-2"}, {"B-1", "P-1"}, {"B-2", "P-1"}}) {
      ASSERT_OK(
          c.UpsertLotLink({.input_lot_id = id[in], .output_lot_id = id[out], .quantity = 12.5}));
    }
    Result<int64_t> customer = c.UpsertCustomer({.code = "K-1", .name = "Kunde, AG"});
    ASSERT_OK(customer);
    ASSERT_OK(c.UpsertShipment({.number = "N-1",
                                .lot_id = id["P-1"],
                                .customer_id = *customer,
                                .quantity = 100.0,
                                .unit = "pcs",
                                .shipped_at = T("2026-03-05T08:00:00Z")}));
    ASSERT_OK(c.UpsertShipment({.number = "N-2",
                                .lot_id = id["P-1"],
                                .customer_id = *customer,
                                .quantity = 50.0,
                                .unit = "pcs",
                                .shipped_at = T("2026-03-06T08:00:00Z")}));
  }
};

TEST_F(ApiTraceTest, BothDirectionsAndTheRecall) {
  ASSERT_NO_FATAL_FAILURE(StoreGenealogy());
  Reply back = Get("/api/v1/trace/backward?lot=P-1");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.body["direction"], "backward");
  ASSERT_EQ(back.body["lots"].size(), 3u);  // B-1, B-2, and C-1 once
  EXPECT_EQ(back.body["lots"][2]["lot"], "C-1");
  EXPECT_EQ(back.body["lots"][2]["path"], nlohmann::json({"P-1", "B-1", "C-1"}));
  EXPECT_EQ(back.body["lots"][2]["link_quantity"], 12.5);

  Reply fwd = Get("/api/v1/trace/forward?lot=C-1&depth=1");
  ASSERT_EQ(fwd.status, 200) << fwd.body;
  EXPECT_EQ(fwd.body["lots"].size(), 2u);
  EXPECT_TRUE(fwd.body["truncated"].get<bool>());

  Reply recall = Get("/api/v1/trace/recall?lot=C-1");
  ASSERT_EQ(recall.status, 200) << recall.body;
  ASSERT_EQ(recall.body["customers"].size(), 1u);
  EXPECT_EQ(recall.body["customers"][0]["quantity"]["pcs"], 150.0);
  EXPECT_EQ(recall.body["customers"][0]["shipments"].size(), 2u);

  auto csv = client_->Get("/api/v1/trace/recall?lot=C-1&format=csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->get_header_value("Content-Disposition"),
            "attachment; filename=\"recall-C-1.csv\"");
  EXPECT_EQ(csv->body,
            "customer,customer_name,country,shipment,lot,material,quantity,unit,shipped_at,depth,"
            "path\n"
            "K-1,\"Kunde, AG\",,N-1,P-1,BRK,100,pcs,2026-03-05T08:00:00Z,2,C-1 > B-1 > P-1\n"
            "K-1,\"Kunde, AG\",,N-2,P-1,BRK,50,pcs,2026-03-06T08:00:00Z,2,C-1 > B-1 > P-1\n");
}

TEST_F(ApiTraceTest, ErrorsNameTheParameter) {
  ASSERT_NO_FATAL_FAILURE(StoreGenealogy());
  struct Case {
    const char* target;
    int status;
    const char* field;
  };
  for (const Case& c :
       {Case{"/api/v1/trace/backward", 400, "lot"},
        Case{"/api/v1/trace/backward?lot=NOPE", 404, "lot"},
        Case{"/api/v1/trace/forward?lot=C-1&depth=0", 400, "depth"},
        Case{"/api/v1/trace/forward?lot=C-1&format=csv", 400, "format"},
        Case{"/api/v1/trace/recall?lot=C-1&dir=up", 400, "dir"},
        Case{"/api/v1/trace/backward?lot=P-1&inspections=no", 400, "inspections"}}) {
    Reply r = Get(c.target);
    EXPECT_EQ(r.status, c.status) << c.target << ": " << r.body;
    EXPECT_EQ(r.body["field"], c.field) << c.target << ": " << r.body;
  }
}

}  // namespace
}  // namespace fh::testing
