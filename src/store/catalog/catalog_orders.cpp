// Catalog: customers, sales orders and their lines, work orders and their operators.
#include <limits>

#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define CUSTOMER_COLUMNS "id, code, name, country, " FH_LINEAGE_COLUMNS
#define SALES_ORDER_COLUMNS \
  "id, number, customer_id, status, ordered_at, due_at, " FH_LINEAGE_COLUMNS
#define SALES_ORDER_LINE_COLUMNS \
  "id, sales_order_id, line_no, material_id, quantity, unit, due_at, " FH_LINEAGE_COLUMNS
#define WORK_ORDER_COLUMNS                                                                    \
  "id, number, material_id, equipment_id, sales_order_line_id, status, planned_qty, "         \
  "good_qty, scrap_qty, unit, ideal_cycle_time_s, planned_start, planned_end, actual_start, " \
  "actual_end, rework_qty, " FH_LINEAGE_COLUMNS
#define OPERATOR_COLUMNS "id, work_order_id, personnel_id, from_ts, to_ts, " FH_LINEAGE_COLUMNS

Result<Customer> ReadCustomer(Row& r) {
  Customer c;
  c.id = r.Int();
  c.code = r.Text();
  c.name = r.Text();
  c.country = r.OptText();
  c.lineage = r.ReadLineage();
  return c;
}

Result<SalesOrder> ReadSalesOrder(Row& r) {
  SalesOrder o;
  o.id = r.Int();
  o.number = r.Text();
  o.customer_id = r.Int();
  FH_ASSIGN_OR_RETURN(o.status, ReadEnum(r, ParseSalesOrderStatus));
  o.ordered_at = r.OptInt();
  o.due_at = r.OptInt();
  o.lineage = r.ReadLineage();
  return o;
}

Result<SalesOrderLine> ReadSalesOrderLine(Row& r) {
  SalesOrderLine l;
  l.id = r.Int();
  l.sales_order_id = r.Int();
  l.line_no = r.Int();
  l.material_id = r.Int();
  l.quantity = r.Double();
  l.unit = r.OptText();
  l.due_at = r.OptInt();
  l.lineage = r.ReadLineage();
  return l;
}

Result<WorkOrder> ReadWorkOrder(Row& r) {
  WorkOrder w;
  w.id = r.Int();
  w.number = r.Text();
  w.material_id = r.Int();
  w.equipment_id = r.OptInt();
  w.sales_order_line_id = r.OptInt();
  FH_ASSIGN_OR_RETURN(w.status, ReadEnum(r, ParseWorkOrderStatus));
  w.planned_qty = r.Double();
  w.good_qty = r.Double();
  w.scrap_qty = r.Double();
  w.unit = r.OptText();
  w.ideal_cycle_time_s = r.OptDouble();
  w.planned_start = r.OptInt();
  w.planned_end = r.OptInt();
  w.actual_start = r.OptInt();
  w.actual_end = r.OptInt();
  w.rework_qty = r.Double();
  w.lineage = r.ReadLineage();
  return w;
}

Result<WorkOrderOperator> ReadOperator(Row& r) {
  WorkOrderOperator o;
  o.id = r.Int();
  o.work_order_id = r.Int();
  o.personnel_id = r.Int();
  o.from_ts = r.OptInt();
  o.to_ts = r.OptInt();
  o.lineage = r.ReadLineage();
  return o;
}

std::string CustomerKey(std::string_view code) {
  return fmt::format("customer '{}'", code);
}
std::string SalesOrderKey(std::string_view n) {
  return fmt::format("sales_order '{}'", n);
}
std::string WorkOrderKey(std::string_view n) {
  return fmt::format("work_order '{}'", n);
}

}  // namespace

// --- Customers ------------------------------------------------------------------------

Result<int64_t> Catalog::UpsertCustomer(const Customer& customer) {
  Customer c = customer;
  FH_ASSIGN_OR_RETURN(c.name, Sealed("customer", "name", c.name));
  if (c.country) {
    FH_ASSIGN_OR_RETURN(c.country, Sealed("customer", "country", *c.country));
  }
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("INSERT INTO customer(code, name, country, " FH_LINEAGE_COLUMNS
                                ") VALUES(?, ?, ?, " FH_LINEAGE_PARAMS
                                ") ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                                "country = excluded.country, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, c.code, c.name, c.country, c.lineage);
  return ReturningId(*st, CustomerKey(c.code));
}

Result<Customer> Catalog::GetCustomer(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " CUSTOMER_COLUMNS " FROM customer WHERE id = ?"));
  BindAll(*st, id);
  FH_ASSIGN_OR_RETURN(Customer c, ReadOne(*st, ReadCustomer, fmt::format("customer id {}", id)));
  FH_RETURN_IF_ERROR(Reveal(c));
  return c;
}

Result<Customer> Catalog::FindCustomer(std::string_view code) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " CUSTOMER_COLUMNS " FROM customer WHERE code = ?"));
  BindAll(*st, code);
  FH_ASSIGN_OR_RETURN(Customer c, ReadOne(*st, ReadCustomer, CustomerKey(code)));
  FH_RETURN_IF_ERROR(Reveal(c));
  return c;
}

Result<std::vector<Customer>> Catalog::ListCustomers() {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " CUSTOMER_COLUMNS " FROM customer ORDER BY code"));
  FH_ASSIGN_OR_RETURN(std::vector<Customer> all, ReadAll(*st, ReadCustomer, "customers"));
  for (Customer& c : all)
    FH_RETURN_IF_ERROR(Reveal(c));
  return all;
}

// --- Sales orders ---------------------------------------------------------------------

Result<int64_t> Catalog::UpsertSalesOrder(const SalesOrder& o) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO sales_order(number, customer_id, status, ordered_at, "
                "due_at, " FH_LINEAGE_COLUMNS ") VALUES(?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(number) DO UPDATE SET customer_id = excluded.customer_id, "
                "status = excluded.status, ordered_at = excluded.ordered_at, "
                "due_at = excluded.due_at, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, o.number, o.customer_id, ToString(o.status), o.ordered_at, o.due_at, o.lineage);
  return ReturningId(*st, SalesOrderKey(o.number));
}

Result<SalesOrder> Catalog::GetSalesOrder(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " SALES_ORDER_COLUMNS " FROM sales_order WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadSalesOrder, fmt::format("sales_order id {}", id));
}

Result<SalesOrder> Catalog::FindSalesOrder(std::string_view number) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st, Statement("SELECT " SALES_ORDER_COLUMNS " FROM sales_order WHERE number = ?"));
  BindAll(*st, number);
  return ReadOne(*st, ReadSalesOrder, SalesOrderKey(number));
}

Result<std::vector<SalesOrder>> Catalog::ListSalesOrders(std::optional<int64_t> customer_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " SALES_ORDER_COLUMNS " FROM sales_order "
                                               "WHERE ?1 IS NULL OR customer_id = ?1 "
                                               "ORDER BY number"));
  BindAll(*st, customer_id);
  return ReadAll(*st, ReadSalesOrder, "sales orders");
}

Result<int64_t> Catalog::UpsertSalesOrderLine(const SalesOrderLine& l) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO sales_order_line(sales_order_id, line_no, material_id, quantity, "
                "unit, due_at, " FH_LINEAGE_COLUMNS ") VALUES(?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(sales_order_id, line_no) DO UPDATE SET "
                "material_id = excluded.material_id, quantity = excluded.quantity, "
                "unit = excluded.unit, due_at = excluded.due_at, " FH_LINEAGE_UPDATE
                " RETURNING id"));
  BindAll(*st, l.sales_order_id, l.line_no, l.material_id, l.quantity, l.unit, l.due_at, l.lineage);
  return ReturningId(
      *st, fmt::format("sales_order_line (sales order {}, line {})", l.sales_order_id, l.line_no));
}

Result<SalesOrderLine> Catalog::GetSalesOrderLine(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " SALES_ORDER_LINE_COLUMNS
                                               " FROM sales_order_line WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadSalesOrderLine, fmt::format("sales_order_line id {}", id));
}

Result<std::vector<SalesOrderLine>> Catalog::ListSalesOrderLines(int64_t sales_order_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " SALES_ORDER_LINE_COLUMNS " FROM sales_order_line "
                                "WHERE sales_order_id = ? ORDER BY line_no"));
  BindAll(*st, sales_order_id);
  return ReadAll(*st, ReadSalesOrderLine, fmt::format("lines of sales order {}", sales_order_id));
}

// --- Work orders ----------------------------------------------------------------------

Result<int64_t> Catalog::UpsertWorkOrder(const WorkOrder& w) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement(
          "INSERT INTO work_order(number, material_id, equipment_id, sales_order_line_id, "
          "status, planned_qty, good_qty, scrap_qty, unit, ideal_cycle_time_s, planned_start, "
          "planned_end, actual_start, actual_end, rework_qty, " FH_LINEAGE_COLUMNS
          ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
          ") ON CONFLICT(number) DO UPDATE SET material_id = excluded.material_id, "
          "equipment_id = excluded.equipment_id, "
          "sales_order_line_id = excluded.sales_order_line_id, status = excluded.status, "
          "planned_qty = excluded.planned_qty, good_qty = excluded.good_qty, "
          "scrap_qty = excluded.scrap_qty, unit = excluded.unit, "
          "ideal_cycle_time_s = excluded.ideal_cycle_time_s, "
          "planned_start = excluded.planned_start, planned_end = excluded.planned_end, "
          "actual_start = excluded.actual_start, actual_end = "
          "excluded.actual_end, rework_qty = excluded.rework_qty, " FH_LINEAGE_UPDATE
          " RETURNING id"));
  BindAll(*st, w.number, w.material_id, w.equipment_id, w.sales_order_line_id, ToString(w.status),
          w.planned_qty, w.good_qty, w.scrap_qty, w.unit, w.ideal_cycle_time_s, w.planned_start,
          w.planned_end, w.actual_start, w.actual_end, w.rework_qty, w.lineage);
  return ReturningId(*st, WorkOrderKey(w.number));
}

Result<WorkOrder> Catalog::GetWorkOrder(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " WORK_ORDER_COLUMNS " FROM work_order WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadWorkOrder, fmt::format("work_order id {}", id));
}

Result<WorkOrder> Catalog::FindWorkOrder(std::string_view number) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " WORK_ORDER_COLUMNS " FROM work_order WHERE number = ?"));
  BindAll(*st, number);
  return ReadOne(*st, ReadWorkOrder, WorkOrderKey(number));
}

// An order runs from its actual start (or, before it starts, its planned start) to its
// actual end (planned end) — open while that is unknown.
Result<std::vector<WorkOrder>> Catalog::ListWorkOrders(const WorkOrderFilter& f) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT " WORK_ORDER_COLUMNS " FROM work_order "
                "WHERE (?1 IS NULL OR equipment_id = ?1) AND (?2 IS NULL OR material_id = ?2) "
                "AND (?3 IS NULL OR status = ?3) AND (?4 OR ("
                "coalesce(actual_start, planned_start) < ?5 AND "
                "coalesce(CASE WHEN actual_start IS NULL THEN planned_end ELSE actual_end END, "
                "?5) > ?6)) "
                "ORDER BY coalesce(actual_start, planned_start), number"));
  const bool all_time = f.range.from == std::numeric_limits<TimestampNs>::min() &&
                        f.range.to == std::numeric_limits<TimestampNs>::max();
  std::optional<std::string> status;
  if (f.status) status = std::string(ToString(*f.status));
  BindAll(*st, f.equipment_id, f.material_id, status, all_time, f.range.to, f.range.from);
  return ReadAll(*st, ReadWorkOrder, "work orders");
}

namespace {

// Orders that ran in [?2, ?1), or have counts but no start and were planned then.
#define RAN_IN_RANGE                                                                      \
  "((actual_start < ?1 AND (actual_end IS NULL OR actual_end > ?2)) OR (actual_start IS " \
  "NULL AND good_qty + scrap_qty + rework_qty > 0 AND planned_start < ?1 "                \
  "AND coalesce(planned_end, planned_start) >= ?2))"
#define WORK_ORDER_RUN_COLUMNS                                                  \
  "SELECT equipment_id, number, material_id, good_qty, scrap_qty, rework_qty, " \
  "ideal_cycle_time_s, actual_start, actual_end FROM work_order "

Result<WorkOrderRun> ReadWorkOrderRun(Row& r) {
  WorkOrderRun w;
  w.equipment_id = r.Int();
  w.number = r.Text();
  w.material_id = r.Int();
  w.good = r.Double();
  w.scrap = r.Double();
  w.rework = r.Double();
  w.ideal_cycle_time_s = r.OptDouble();
  w.actual_start = r.OptInt();
  w.actual_end = r.OptInt();
  return w;
}

}  // namespace

Result<std::vector<WorkOrderRun>> Catalog::ListWorkOrderRuns(TimeRange range) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement(WORK_ORDER_RUN_COLUMNS
                                               "WHERE equipment_id IS NOT NULL AND " RAN_IN_RANGE
                                               " ORDER BY equipment_id, actual_start"));
  BindAll(*st, range.to, range.from);
  return ReadAll(*st, ReadWorkOrderRun, "work order runs");
}

Result<int64_t> Catalog::UpsertWorkOrderOperator(const WorkOrderOperator& o) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO work_order_operator(work_order_id, personnel_id, from_ts, "
                "to_ts, " FH_LINEAGE_COLUMNS ") VALUES(?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(work_order_id, personnel_id) DO UPDATE SET "
                "from_ts = excluded.from_ts, to_ts = excluded.to_ts, " FH_LINEAGE_UPDATE
                " RETURNING id"));
  BindAll(*st, o.work_order_id, o.personnel_id, o.from_ts, o.to_ts, o.lineage);
  return ReturningId(*st, fmt::format("work_order_operator (work order {}, personnel {})",
                                      o.work_order_id, o.personnel_id));
}

Result<std::vector<WorkOrderOperator>> Catalog::ListWorkOrderOperators(int64_t work_order_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " OPERATOR_COLUMNS " FROM work_order_operator "
                                "WHERE work_order_id = ? ORDER BY personnel_id"));
  BindAll(*st, work_order_id);
  return ReadAll(*st, ReadOperator, fmt::format("operators of work order {}", work_order_id));
}

}  // namespace fh
