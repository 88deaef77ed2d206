// OEE of a hub's equipment: every asset under a path that has recorded states or work
// orders, computed one by one (oee_engine.h) with its site's settings, then rolled up to a
// level of the ISA-95 hierarchy and cut by shift, day, week or month. With the loss
// waterfall and the stop reasons by time lost (Pareto). What `factoryhub oee` and
// GET /api/v1/oee print.
#pragma once

#include <string>
#include <vector>

#include "analytics/oee/oee_config.h"
#include "analytics/oee/oee_engine.h"
#include "analytics/oee/oee_totals.h"
#include "common/status.h"
#include "model/asset.h"
#include "store/hub.h"

namespace fh::analytics::oee {

struct OeeQuery {
  std::string path;  // the asset and what is below it; empty: every asset
  TimeRange window;
  Period by = Period::kWhole;
  AssetLevel level = AssetLevel::kEquipment;  // roll up to this level
  TimestampNs as_of = 0;                      // open states and orders last until then
};

struct OeeRow {
  std::string asset;  // the path at the roll-up level
  std::string period;
  TimestampNs start = 0;
  TimestampNs end = 0;
  OeeTotals totals;
  OeeKpis kpis;
};

struct WaterfallStep {
  std::string name;
  double seconds = 0;  // a loss is negative; the first and last steps are levels
};

struct ReasonLoss {
  std::string kind;  // LossKind
  std::string code;  // empty when the stop has no reason
  std::string category;
  std::string description;
  double seconds = 0;
  int64_t stops = 0;
  double share = 0;  // of all stop time listed
  double cumulative = 0;
};

struct OeeReport {
  std::vector<OeeRow> rows;  // by asset, then period start
  OeeRow total;              // the whole scope and window
  std::vector<WaterfallStep> waterfall;
  std::vector<ReasonLoss> reasons;  // most time lost first
  std::vector<std::string> warnings;
  size_t units = 0;  // assets computed
};

Result<OeeReport> ComputeOeeReport(Hub& hub, const OeeConfig& config, const OeeQuery& query);

// The loss waterfall of a total: planned operation time → planned downtime → setup →
// unplanned downtime → micro-stops → speed loss → quality loss → fully productive time.
std::vector<WaterfallStep> LossWaterfall(const OeeTotals& t);

}  // namespace fh::analytics::oee
