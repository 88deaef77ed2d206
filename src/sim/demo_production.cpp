#include "sim/demo_production.h"

#include <cmath>

#include <fmt/format.h>

#include "common/time.h"
#include "sim/splitmix.h"
#include "store/catalog/catalog.h"

namespace fh::sim {

namespace {

constexpr int64_t kOrderNs = 2 * kNanosPerHour;
constexpr int64_t kCheckNs = 15 * kNanosPerMinute;
constexpr double kCycleSeconds = 45;
constexpr double kTarget = 25.000, kTolerance = 0.050;  // mm
constexpr int64_t kBurrChecked = 10;                    // parts checked for burrs at each check

}  // namespace

double ProductionRecorder::Normal() {
  return StandardNormal(rng_);
}

void ProductionRecorder::Observe(const DemoPlant& plant, TimestampNs ts, double dt) {
  for (const DemoPlant::MachineState& m : plant.machine_states()) {
    const TimestampNs window = ts / kOrderNs * kOrderNs;
    auto it = running_.find(m.name);
    if (it != running_.end() && *it->second.order.planned_start != window) {
      // The window is over: the order completes with what was cut in it.
      Order& done = it->second;
      done.order.status = WorkOrderStatus::kCompleted;
      done.order.actual_end = ts;
      orders_.push_back(done);
      finished_.push_back(done);
      running_.erase(it);
      it = running_.end();
    }
    if (it == running_.end()) {
      Order o;
      o.machine = m.name;
      o.order.number = fmt::format("WO-{}-{}", m.name, FormatRfc3339(window).substr(0, 13));
      o.order.status = WorkOrderStatus::kRunning;
      o.order.planned_qty = static_cast<double>(kOrderNs / kNanosPerSecond) / kCycleSeconds;
      o.order.unit = "pcs";
      o.order.ideal_cycle_time_s = kCycleSeconds;
      o.order.planned_start = window;
      o.order.planned_end = window + kOrderNs;
      o.order.actual_start = ts;
      it = running_.emplace(m.name, o).first;
      orders_.push_back(o);
      next_check_.emplace(m.name, ts + kCheckNs);
    }
    Order& current = it->second;
    if (m.running) current.cut_seconds += dt;
    current.order.good_qty =
        std::floor(current.cut_seconds / kCycleSeconds) - current.order.scrap_qty;

    TimestampNs& due = next_check_[m.name];
    if (ts < due) continue;
    due = ts + kCheckNs;
    if (!m.running) continue;  // nothing is cut: nothing to measure
    // Five parts: the bore grows with tool wear (0.15 µm a minute of cutting) plus noise.
    for (int64_t k = 1; k <= 5; ++k) {
      Inspection in;
      in.characteristic = "bore_diameter";
      in.inspected_at = ts;
      in.sample_no = k;
      in.value = std::round((kTarget + 0.00015 * m.tool_wear + 0.008 * Normal()) * 10000) / 10000;
      in.unit = "mm";
      in.lsl = kTarget - kTolerance;
      in.usl = kTarget + kTolerance;
      in.target = kTarget;
      const bool pass = *in.value >= *in.lsl && *in.value <= *in.usl;
      in.result = pass ? InspectionResult::kPass : InspectionResult::kFail;
      if (!pass) {
        in.defect_code = "OOT";  // out of tolerance
        current.order.scrap_qty += 1;
      }
      inspections_.push_back({m.name, current.order.number, in});
    }
    // Ten parts looked at for a burr on the bore's edge, pass or fail (deburred, not
    // scrapped): a worn tool leaves more of them, which a p chart sees.
    const double burr_rate = 0.01 + 0.0002 * m.tool_wear;
    for (int64_t k = 1; k <= kBurrChecked; ++k) {
      Inspection in;
      in.characteristic = "burr_check";
      in.inspected_at = ts;
      in.sample_no = k;
      const bool burr = OpenUniform(burr_rng_) < burr_rate;
      in.result = burr ? InspectionResult::kFail : InspectionResult::kPass;
      if (burr) in.defect_code = "BURR";
      inspections_.push_back({m.name, current.order.number, in});
    }
  }
}

Status ProductionRecorder::Flush(Hub& hub) {
  // The orders in progress are written as they stand now, too.
  for (const auto& [machine, o] : running_)
    orders_.push_back(o);
  if (orders_.empty() && inspections_.empty() && finished_.empty()) return Status::Ok();
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  Catalog& catalog = session.catalog();
  const Lineage lineage{.source_system = "simulate", .source_object = "factoryhub simulate"};
  Material shaft;
  shaft.code = "P-100";
  shaft.name = "drive shaft";
  shaft.kind = MaterialKind::kProduct;
  shaft.unit = "pcs";
  shaft.lineage = lineage;
  FH_ASSIGN_OR_RETURN(const int64_t material_id, catalog.UpsertMaterial(shaft));
  std::map<std::string, int64_t> equipment;
  auto equipment_id = [&](const std::string& machine) -> Result<int64_t> {
    if (auto it = equipment.find(machine); it != equipment.end()) return it->second;
    FH_ASSIGN_OR_RETURN(Asset asset,
                        catalog.FindAsset(std::string(DemoPlant::kLinePath) + "/" + machine));
    return equipment[machine] = asset.id;
  };
  for (Order& o : orders_) {
    o.order.material_id = material_id;
    FH_ASSIGN_OR_RETURN(o.order.equipment_id, equipment_id(o.machine));
    o.order.lineage = lineage;
    FH_ASSIGN_OR_RETURN(order_ids_[o.order.number], catalog.UpsertWorkOrder(o.order));
  }
  for (PendingInspection& p : inspections_) {
    FH_ASSIGN_OR_RETURN(p.inspection.equipment_id, equipment_id(p.machine));
    if (auto id = order_ids_.find(p.order); id != order_ids_.end()) {
      p.inspection.work_order_id = id->second;
    }
    p.inspection.lineage = lineage;
    FH_RETURN_IF_ERROR(catalog.UpsertInspection(p.inspection).status());
  }
  FH_RETURN_IF_ERROR(WriteGenealogy(catalog, lineage, material_id));
  FH_RETURN_IF_ERROR(txn.Commit());
  orders_written_ = static_cast<int64_t>(order_ids_.size());
  inspections_written_ += static_cast<int64_t>(inspections_.size());
  orders_.clear();
  inspections_.clear();
  return Status::Ok();
}

}  // namespace fh::sim
