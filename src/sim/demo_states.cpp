#include "sim/demo_states.h"

#include "store/catalog/catalog.h"

namespace fh::sim {

Status StateRecorder::Record(Hub& hub, const std::vector<DemoPlant::Transition>& transitions) {
  if (transitions.empty()) return Status::Ok();
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  Catalog& catalog = session.catalog();
  const Lineage lineage{.source_system = "simulate", .source_object = "factoryhub simulate"};
  if (reason_ids_.empty()) {
    for (const auto& [code, description] : DemoPlant::StopReasons()) {
      ReasonCode r;
      r.code = code;
      r.description = description;
      r.category = code == "MAINT" ? "maintenance" : code == "ESTOP" ? "safety" : "process";
      r.lineage = lineage;
      FH_ASSIGN_OR_RETURN(reason_ids_[code], catalog.UpsertReasonCode(r));
    }
  }
  for (const DemoPlant::Transition& t : transitions) {
    auto open = open_.find(t.machine);
    if (open != open_.end()) {
      open->second.end_ts = t.ts;
      FH_RETURN_IF_ERROR(catalog.UpsertStateEvent(open->second).status());
    }
    EquipmentStateEvent e;
    FH_ASSIGN_OR_RETURN(Asset asset,
                        catalog.FindAsset(std::string(DemoPlant::kLinePath) + "/" + t.machine));
    e.equipment_id = asset.id;
    e.state = t.running ? EquipmentState::kRunning : EquipmentState::kDown;
    e.start_ts = t.ts;
    if (!t.running) e.reason_id = reason_ids_.at(t.reason);
    e.lineage = lineage;
    FH_RETURN_IF_ERROR(catalog.UpsertStateEvent(e).status());
    open_[t.machine] = e;
    ++recorded_;
  }
  return txn.Commit();
}

}  // namespace fh::sim
