// Every enum of the canonical model: the stored names are pinned here (changing one needs a
// migration), each name parses back to its value, and bad names give a helpful error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/asset.h"
#include "model/entity.h"
#include "model/equipment_state.h"
#include "model/lineage.h"
#include "model/lot.h"
#include "model/material.h"
#include "model/order.h"
#include "model/quality.h"
#include "model/tag_meta.h"
#include "testing/status_matchers.h"

namespace fh {
namespace {

// Round-trips every value of one enum table; returns its names in order.
template <typename E, size_t N>
std::vector<std::string> RoundTrip(const EnumNames<E, N>& names,
                                   Result<E> (*parse)(std::string_view)) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    EXPECT_EQ(ToString(n.value), n.name);
    Result<E> parsed = parse(n.name);
    EXPECT_OK(parsed);
    if (parsed.ok()) {
      EXPECT_EQ(*parsed, n.value) << n.name;
    }
    out.emplace_back(n.name);
  }
  return out;
}

struct EnumCase {
  std::string what;
  std::vector<std::string> names;  // from the table, by RoundTrip
  std::vector<std::string> expected;
};

TEST(EnumsTest, NamesArePinnedAndRoundTrip) {
  const std::vector<EnumCase> cases = {
      {"asset level",
       RoundTrip(kAssetLevelNames, ParseAssetLevel),
       {"enterprise", "site", "area", "line", "equipment"}},
      {"tag data type", RoundTrip(kTagDataTypeNames, ParseTagDataType), {"double", "int", "bool"}},
      {"equipment state",
       RoundTrip(kEquipmentStateNames, ParseEquipmentState),
       {"running", "idle", "starved", "blocked", "setup", "down", "planned_stop"}},
      {"material kind",
       RoundTrip(kMaterialKindNames, ParseMaterialKind),
       {"raw", "intermediate", "product"}},
      {"sales order status",
       RoundTrip(kSalesOrderStatusNames, ParseSalesOrderStatus),
       {"open", "confirmed", "shipped", "closed", "cancelled"}},
      {"work order status",
       RoundTrip(kWorkOrderStatusNames, ParseWorkOrderStatus),
       {"planned", "released", "running", "held", "completed", "cancelled"}},
      {"inspection result",
       RoundTrip(kInspectionResultNames, ParseInspectionResult),
       {"pass", "fail"}},
      {"lot status",
       RoundTrip(kLotStatusNames, ParseLotStatus),
       {"available", "on_hold", "consumed", "shipped", "scrapped"}},
      {"ingest batch status",
       RoundTrip(kIngestBatchStatusNames, ParseIngestBatchStatus),
       {"running", "completed", "failed"}},
      {"entity",
       RoundTrip(kEntityKindNames, ParseEntityKind),
       {"asset", "tag", "reason_code", "equipment_state_event", "material", "customer",
        "sales_order", "sales_order_line", "work_order", "work_order_operator", "inspection", "lot",
        "lot_link", "personnel", "qualification", "personnel_qualification",
        "equipment_qualification", "bom_item", "shipment"}},
  };
  for (const EnumCase& c : cases) {
    EXPECT_EQ(c.names, c.expected) << c.what;
  }
}

struct ParseErrorCase {
  Status status;
  std::string expected_message;
};

TEST(EnumsTest, ParseErrorsNameTheValueAndTheAllowedOnes) {
  const std::vector<ParseErrorCase> cases = {
      {ParseAssetLevel("plant").status(),
       "unknown asset level 'plant' (allowed: enterprise, site, area, line, equipment)"},
      {ParseAssetLevel("").status(),
       "unknown asset level '' (allowed: enterprise, site, area, line, equipment)"},
      // Names are case-sensitive: code tables in mappings translate source spellings.
      {ParseEquipmentState("Running").status(),
       "unknown equipment state 'Running' (allowed: running, idle, starved, blocked, setup, "
       "down, planned_stop)"},
      {ParseInspectionResult("ok").status(),
       "unknown inspection result 'ok' (allowed: pass, fail)"},
      {ParseMaterialKind("finished").status(),
       "unknown material kind 'finished' (allowed: raw, intermediate, product)"},
      {ParseWorkOrderStatus("done").status(),
       "unknown work order status 'done' (allowed: planned, released, running, held, "
       "completed, cancelled)"},
      {ParseLotStatus("quarantined").status(),
       "unknown lot status 'quarantined' (allowed: available, on_hold, consumed, shipped, "
       "scrapped)"},
      {ParseTagDataType("float").status(),
       "unknown tag data type 'float' (allowed: double, int, bool)"},
      {ParseSalesOrderStatus("paid").status(),
       "unknown sales order status 'paid' (allowed: open, confirmed, shipped, closed, "
       "cancelled)"},
      {ParseIngestBatchStatus("ok").status(),
       "unknown ingest batch status 'ok' (allowed: running, completed, failed)"},
  };
  for (const ParseErrorCase& c : cases) {
    EXPECT_EQ(c.status.code(), StatusCode::kInvalidArgument) << c.expected_message;
    EXPECT_EQ(c.status.message(), c.expected_message);
  }
  Status entity = ParseEntityKind("orders").status();
  EXPECT_EQ(entity.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(entity.message().find("unknown entity 'orders' (allowed: asset, tag,"),
            std::string::npos)
      << entity.message();
}

}  // namespace
}  // namespace fh
