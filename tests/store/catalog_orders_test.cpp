// Catalog: materials, customers, sales and work orders, state events, inspections.
#include <string>
#include <vector>

#include "store/catalog_fixture.h"

namespace fh::testing {
namespace {

constexpr TimestampNs kHour = 3'600'000'000'000;

class CatalogOrdersTest : public CatalogTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogTest::SetUp());
    ASSERT_OK_AND_ASSIGN(line_, catalog().CreateAssetPath("acme/sh/assembly/line-1"));
    ASSERT_OK_AND_ASSIGN(press_, catalog().CreateAssetPath("acme/sh/assembly/line-1/press-01"));
    ASSERT_OK_AND_ASSIGN(product_,
                         catalog().UpsertMaterial(
                             {.code = "P-1", .name = "bracket", .kind = MaterialKind::kProduct}));
    ASSERT_OK_AND_ASSIGN(customer_, catalog().UpsertCustomer({.code = "C-1", .name = "Contoso"}));
  }
  int64_t line_ = 0, press_ = 0, product_ = 0, customer_ = 0;
};

TEST_F(CatalogOrdersTest, MaterialUpsertIsIdempotentAndUpdates) {
  Material m{.code = "M-100", .name = "steel", .kind = MaterialKind::kRaw, .unit = "kg"};
  ASSERT_OK_AND_ASSIGN(int64_t id, catalog().UpsertMaterial(m));
  m.name = "steel sheet 2mm";
  m.description = "cold rolled";
  m.lineage = {.source_system = "erp", .source_object = "mara.csv", .source_line = 3};
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertMaterial(m));
  EXPECT_EQ(again, id);
  m.id = id;
  ASSERT_OK_AND_ASSIGN(Material got, catalog().FindMaterial("M-100"));
  EXPECT_EQ(got, m);
  ASSERT_OK_AND_ASSIGN(std::vector<Material> raw, catalog().ListMaterials(MaterialKind::kRaw));
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(raw[0], m);
  ASSERT_OK_AND_ASSIGN(std::vector<Material> all, catalog().ListMaterials());
  EXPECT_EQ(all.size(), 2u);
}

TEST_F(CatalogOrdersTest, SalesOrdersAndLinesRoundTrip) {
  SalesOrder so{.number = "SO-1", .customer_id = customer_, .ordered_at = 5 * kHour};
  ASSERT_OK_AND_ASSIGN(so.id, catalog().UpsertSalesOrder(so));
  SalesOrderLine line{.sales_order_id = so.id,
                      .line_no = 1,
                      .material_id = product_,
                      .quantity = 500,
                      .unit = "pcs"};
  ASSERT_OK_AND_ASSIGN(line.id, catalog().UpsertSalesOrderLine(line));
  line.quantity = 600;  // the customer changed the order
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertSalesOrderLine(line));
  EXPECT_EQ(again, line.id);

  so.status = SalesOrderStatus::kConfirmed;
  ASSERT_OK(catalog().UpsertSalesOrder(so));
  ASSERT_OK_AND_ASSIGN(SalesOrder got, catalog().FindSalesOrder("SO-1"));
  EXPECT_EQ(got, so);
  ASSERT_OK_AND_ASSIGN(std::vector<SalesOrderLine> lines, catalog().ListSalesOrderLines(so.id));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], line);
  ASSERT_OK_AND_ASSIGN(std::vector<SalesOrder> of_customer, catalog().ListSalesOrders(customer_));
  EXPECT_EQ(of_customer.size(), 1u);
}

struct FkCase {
  std::string what;
  Status status;
  std::string key;  // how the error names the record
};

TEST_F(CatalogOrdersTest, ForeignKeyViolationsNameTheRecord) {
  const std::vector<FkCase> cases = {
      {"unknown customer",
       catalog().UpsertSalesOrder({.number = "SO-9", .customer_id = 999}).status(),
       "sales_order 'SO-9'"},
      {"unknown material",
       catalog().UpsertWorkOrder({.number = "WO-9", .material_id = 999, .planned_qty = 1}).status(),
       "work_order 'WO-9'"},
      {"unknown equipment",
       catalog()
           .UpsertWorkOrder(
               {.number = "WO-8", .material_id = product_, .equipment_id = 999, .planned_qty = 1})
           .status(),
       "work_order 'WO-8'"},
      {"unknown sales order",
       catalog()
           .UpsertSalesOrderLine(
               {.sales_order_id = 999, .line_no = 1, .material_id = product_, .quantity = 1})
           .status(),
       "sales_order_line (sales order 999, line 1)"},
      {"unknown reason",
       catalog()
           .UpsertStateEvent({.equipment_id = press_,
                              .state = EquipmentState::kDown,
                              .start_ts = 0,
                              .reason_id = 999})
           .status(),
       "equipment_state_event (equipment " + std::to_string(press_) + ", start 0)"},
  };
  for (const FkCase& c : cases) {
    EXPECT_EQ(c.status.code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_NE(c.status.message().find(c.key), std::string::npos)
        << c.what << ": " << c.status.message();
    EXPECT_NE(c.status.message().find("FOREIGN KEY constraint failed"), std::string::npos)
        << c.what << ": " << c.status.message();
  }
  EXPECT_EQ(QueryInt("SELECT (SELECT COUNT(*) FROM sales_order) + (SELECT COUNT(*) FROM "
                     "work_order) + (SELECT COUNT(*) FROM equipment_state_event)"),
            0);
}

TEST_F(CatalogOrdersTest, WorkOrdersUpsertAndFilter) {
  WorkOrder wo{.number = "WO-1",
               .material_id = product_,
               .equipment_id = line_,
               .status = WorkOrderStatus::kRunning,
               .planned_qty = 1000,
               .unit = "pcs",
               .ideal_cycle_time_s = 2.5,
               .planned_start = 8 * kHour,
               .planned_end = 16 * kHour,
               .actual_start = 9 * kHour};
  ASSERT_OK_AND_ASSIGN(wo.id, catalog().UpsertWorkOrder(wo));
  wo.good_qty = 950;
  wo.scrap_qty = 12;
  wo.status = WorkOrderStatus::kCompleted;
  wo.actual_end = 17 * kHour;
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertWorkOrder(wo));
  EXPECT_EQ(again, wo.id);
  ASSERT_OK_AND_ASSIGN(WorkOrder got, catalog().GetWorkOrder(wo.id));
  EXPECT_EQ(got, wo);

  // Planned only (not started): runs on its planned window.
  ASSERT_OK(catalog().UpsertWorkOrder({.number = "WO-2",
                                       .material_id = product_,
                                       .equipment_id = press_,
                                       .planned_qty = 10,
                                       .planned_start = 20 * kHour,
                                       .planned_end = 22 * kHour}));
  struct FilterCase {
    std::string what;
    WorkOrderFilter filter;
    std::vector<std::string> numbers;
  };
  const std::vector<FilterCase> cases = {
      {"all", {}, {"WO-1", "WO-2"}},
      {"by equipment", {.equipment_id = line_}, {"WO-1"}},
      {"by status", {.status = WorkOrderStatus::kPlanned}, {"WO-2"}},
      {"actual run overlaps", {.range = {16 * kHour, 17 * kHour}}, {"WO-1"}},
      {"after the actual end", {.range = {17 * kHour, 20 * kHour}}, {}},
      {"planned window", {.range = {21 * kHour, 30 * kHour}}, {"WO-2"}},
  };
  for (const FilterCase& c : cases) {
    ASSERT_OK_AND_ASSIGN(std::vector<WorkOrder> list, catalog().ListWorkOrders(c.filter));
    std::vector<std::string> numbers;
    for (const WorkOrder& w : list)
      numbers.push_back(w.number);
    EXPECT_EQ(numbers, c.numbers) << c.what;
  }

  Result<int64_t> negative =
      catalog().UpsertWorkOrder({.number = "WO-3", .material_id = product_, .planned_qty = -1});
  EXPECT_EQ(negative.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(negative.status().message().find("CHECK"), std::string::npos);
}

TEST_F(CatalogOrdersTest, StateEventsUpsertOnEquipmentAndStart) {
  ASSERT_OK_AND_ASSIGN(
      int64_t jam, catalog().UpsertReasonCode(
                       {.code = "JAM", .description = "material jam", .category = "mechanical"}));
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertReasonCode({.code = "JAM"}));
  EXPECT_EQ(again, jam);

  EquipmentStateEvent run{.equipment_id = press_,
                          .state = EquipmentState::kRunning,
                          .start_ts = 0,
                          .end_ts = 2 * kHour};
  EquipmentStateEvent down{
      .equipment_id = press_, .state = EquipmentState::kDown, .start_ts = 2 * kHour};  // still down
  ASSERT_OK_AND_ASSIGN(run.id, catalog().UpsertStateEvent(run));
  ASSERT_OK_AND_ASSIGN(down.id, catalog().UpsertStateEvent(down));
  // The stop ends and gets its reason: the same event, updated.
  down.end_ts = 3 * kHour;
  down.reason_id = jam;
  ASSERT_OK_AND_ASSIGN(int64_t same, catalog().UpsertStateEvent(down));
  EXPECT_EQ(same, down.id);
  ASSERT_OK_AND_ASSIGN(EquipmentStateEvent got, catalog().GetStateEvent(down.id));
  EXPECT_EQ(got, down);

  ASSERT_OK_AND_ASSIGN(std::vector<EquipmentStateEvent> all, catalog().ListStateEvents(press_));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], run);
  ASSERT_OK_AND_ASSIGN(std::vector<EquipmentStateEvent> late,
                       catalog().ListStateEvents(press_, {2 * kHour, 10 * kHour}));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].state, EquipmentState::kDown);
  ASSERT_OK_AND_ASSIGN(std::vector<EquipmentStateEvent> other, catalog().ListStateEvents(line_));
  EXPECT_TRUE(other.empty());
}

// An inspection without equipment, order or lot must still upsert onto itself: in SQL a
// plain UNIQUE over NULL columns would let every re-import add a copy.
TEST_F(CatalogOrdersTest, InspectionsUpsertEvenWithoutSubject) {
  Inspection i{.characteristic = "bore_diameter",
               .inspected_at = kHour,
               .sample_no = 1,
               .value = 10.02,
               .unit = "mm",
               .lsl = 9.95,
               .usl = 10.05,
               .target = 10.0};
  ASSERT_OK_AND_ASSIGN(i.id, catalog().UpsertInspection(i));
  i.value = 10.07;
  i.result = InspectionResult::kFail;
  i.defect_code = "OVERSIZE";
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertInspection(i));
  EXPECT_EQ(again, i.id);
  ASSERT_OK_AND_ASSIGN(Inspection got, catalog().GetInspection(i.id));
  EXPECT_EQ(got, i);

  // Same characteristic and time, another sample or another machine: new rows.
  Inspection s2 = i;
  s2.sample_no = 2;
  ASSERT_OK_AND_ASSIGN(int64_t id2, catalog().UpsertInspection(s2));
  Inspection on_press = i;
  on_press.equipment_id = press_;
  ASSERT_OK_AND_ASSIGN(int64_t id3, catalog().UpsertInspection(on_press));
  EXPECT_NE(id2, i.id);
  EXPECT_NE(id3, i.id);
  EXPECT_NE(id3, id2);

  ASSERT_OK_AND_ASSIGN(std::vector<Inspection> subgroup,
                       catalog().ListInspections({.characteristic = "bore_diameter"}));
  EXPECT_EQ(subgroup.size(), 3u);
  ASSERT_OK_AND_ASSIGN(std::vector<Inspection> press,
                       catalog().ListInspections({.equipment_id = press_}));
  ASSERT_EQ(press.size(), 1u);
  EXPECT_EQ(press[0].id, id3);
  ASSERT_OK_AND_ASSIGN(std::vector<Inspection> later,
                       catalog().ListInspections({.range = {2 * kHour, 3 * kHour}}));
  EXPECT_TRUE(later.empty());
}

}  // namespace
}  // namespace fh::testing
