// Customers, sales orders (with lines) and work orders: the demand side from the CRM/ERP
// and the production side from the MES. A work order may point at the sales order line it
// makes, so traceability reaches from a lot to the customer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"
#include "model/sample.h"

namespace fh {

// Natural key: code.
struct Customer {
  int64_t id = 0;
  std::string code;  // canonical customer number
  std::string name;
  std::optional<std::string> country;  // ISO 3166-1 alpha-2 when known
  Lineage lineage;
  bool operator==(const Customer&) const = default;
};

enum class SalesOrderStatus { kOpen, kConfirmed, kShipped, kClosed, kCancelled };
inline constexpr EnumNames<SalesOrderStatus, 5> kSalesOrderStatusNames = {{
    {SalesOrderStatus::kOpen, "open"},
    {SalesOrderStatus::kConfirmed, "confirmed"},
    {SalesOrderStatus::kShipped, "shipped"},
    {SalesOrderStatus::kClosed, "closed"},
    {SalesOrderStatus::kCancelled, "cancelled"},
}};
inline std::string_view ToString(SalesOrderStatus v) {
  return EnumToString(kSalesOrderStatusNames, v);
}
inline Result<SalesOrderStatus> ParseSalesOrderStatus(std::string_view s) {
  return EnumParse(kSalesOrderStatusNames, "sales order status", s);
}

// Natural key: number.
struct SalesOrder {
  int64_t id = 0;
  std::string number;  // "SO-2024-0001"
  int64_t customer_id = 0;
  SalesOrderStatus status = SalesOrderStatus::kOpen;
  std::optional<TimestampNs> ordered_at;
  std::optional<TimestampNs> due_at;
  Lineage lineage;
  bool operator==(const SalesOrder&) const = default;
};

// Natural key: (sales_order_id, line_no).
struct SalesOrderLine {
  int64_t id = 0;
  int64_t sales_order_id = 0;
  int64_t line_no = 0;  // >= 1
  int64_t material_id = 0;
  double quantity = 0;  // > 0, in `unit`
  std::optional<std::string> unit;
  std::optional<TimestampNs> due_at;
  Lineage lineage;
  bool operator==(const SalesOrderLine&) const = default;
};

// ISA-95 job order states, simplified.
enum class WorkOrderStatus { kPlanned, kReleased, kRunning, kHeld, kCompleted, kCancelled };
inline constexpr EnumNames<WorkOrderStatus, 6> kWorkOrderStatusNames = {{
    {WorkOrderStatus::kPlanned, "planned"},
    {WorkOrderStatus::kReleased, "released"},
    {WorkOrderStatus::kRunning, "running"},
    {WorkOrderStatus::kHeld, "held"},
    {WorkOrderStatus::kCompleted, "completed"},
    {WorkOrderStatus::kCancelled, "cancelled"},
}};
inline std::string_view ToString(WorkOrderStatus v) {
  return EnumToString(kWorkOrderStatusNames, v);
}
inline Result<WorkOrderStatus> ParseWorkOrderStatus(std::string_view s) {
  return EnumParse(kWorkOrderStatusNames, "work order status", s);
}

// Natural key: number. Quantities are in `unit` and never negative. OEE uses
// performance = ideal_cycle_time_s * (good + scrap + rework) / run time and
// quality = good / (good + scrap + rework) (analytics/oee/).
struct WorkOrder {
  int64_t id = 0;
  std::string number;                   // "WO-1001"
  int64_t material_id = 0;              // what it makes
  std::optional<int64_t> equipment_id;  // asset.id of the line or machine that runs it
  std::optional<int64_t> sales_order_line_id;
  WorkOrderStatus status = WorkOrderStatus::kPlanned;
  double planned_qty = 0;
  double good_qty = 0;
  double scrap_qty = 0;
  double rework_qty = 0;  // made but reworked: not good at the first pass
  std::optional<std::string> unit;
  std::optional<double> ideal_cycle_time_s;  // seconds per unit at rated speed; > 0
  std::optional<TimestampNs> planned_start;
  std::optional<TimestampNs> planned_end;
  std::optional<TimestampNs> actual_start;
  std::optional<TimestampNs> actual_end;
  Lineage lineage;
  bool operator==(const WorkOrder&) const = default;
};

// A person who worked on a work order. Qualifications are not checked on insert: ask
// Catalog::MissingQualifications.
// Natural key: (work_order_id, personnel_id).
struct WorkOrderOperator {
  int64_t id = 0;
  int64_t work_order_id = 0;
  int64_t personnel_id = 0;
  std::optional<TimestampNs> from_ts;
  std::optional<TimestampNs> to_ts;
  Lineage lineage;
  bool operator==(const WorkOrderOperator&) const = default;
};

}  // namespace fh
