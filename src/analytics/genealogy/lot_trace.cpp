#include "analytics/genealogy/lot_trace.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/catalog/catalog.h"

namespace fh::analytics {

namespace {

// Reads each material, order, asset and customer once however many lots name it.
class Names {
 public:
  explicit Names(Catalog& catalog) : catalog_(catalog) {}

  Result<std::string> Material(int64_t id) {
    return Cached(materials_, id, [&]() -> Result<std::string> {
      FH_ASSIGN_OR_RETURN(fh::Material m, catalog_.GetMaterial(id));
      return m.code;
    });
  }
  Result<const WorkOrder*> Order(int64_t id) {
    auto it = orders_.find(id);
    if (it == orders_.end()) {
      FH_ASSIGN_OR_RETURN(WorkOrder o, catalog_.GetWorkOrder(id));
      it = orders_.emplace(id, std::move(o)).first;
    }
    return &it->second;
  }
  Result<std::string> Asset(int64_t id) {
    return Cached(assets_, id, [&]() -> Result<std::string> {
      FH_ASSIGN_OR_RETURN(fh::Asset a, catalog_.GetAsset(id));
      return a.path;
    });
  }
  Result<const Customer*> CustomerOf(int64_t id) {
    auto it = customers_.find(id);
    if (it == customers_.end()) {
      FH_ASSIGN_OR_RETURN(Customer c, catalog_.GetCustomer(id));
      it = customers_.emplace(id, std::move(c)).first;
    }
    return &it->second;
  }

 private:
  template <typename Read>
  Result<std::string> Cached(std::unordered_map<int64_t, std::string>& cache, int64_t id,
                             Read read) {
    if (auto it = cache.find(id); it != cache.end()) return it->second;
    FH_ASSIGN_OR_RETURN(std::string name, read());
    cache.emplace(id, name);
    return name;
  }

  Catalog& catalog_;
  std::unordered_map<int64_t, std::string> materials_, assets_;
  std::unordered_map<int64_t, WorkOrder> orders_;
  std::unordered_map<int64_t, Customer> customers_;
};

class TraceBuilder {
 public:
  TraceBuilder(Catalog& catalog, bool with_inspections)
      : catalog_(catalog), names_(catalog), with_inspections_(with_inspections) {}

  Result<LotTrace> Build(LotWalk walk) {
    trace_.direction = walk.direction;
    trace_.links = walk.links;
    trace_.truncated = walk.truncated;
    trace_.cycles = walk.cycles;
    for (size_t i = 0; i < walk.lots.size(); ++i)
      FH_RETURN_IF_ERROR(AddLot(walk, static_cast<int32_t>(i)));
    for (const WalkCycle& c : walk.cycles) {
      FH_ASSIGN_OR_RETURN(Lot from, catalog_.GetLot(c.from_lot));
      FH_ASSIGN_OR_RETURN(Lot to, catalog_.GetLot(c.to_lot));
      trace_.cycle_lots.emplace_back(from.number, to.number);
    }
    std::sort(trace_.shipments.begin(), trace_.shipments.end(),
              [](const TracedShipment& a, const TracedShipment& b) {
                return std::tie(a.customer_code, a.shipped_at, a.number, a.lot) <
                       std::tie(b.customer_code, b.shipped_at, b.number, b.lot);
              });
    return std::move(trace_);
  }

 private:
  Status AddLot(const LotWalk& walk, int32_t index) {
    TracedLotInfo info;
    info.walked = walk.lots[index];
    FH_ASSIGN_OR_RETURN(info.lot, catalog_.GetLot(info.walked.lot_id));
    FH_ASSIGN_OR_RETURN(info.material, names_.Material(info.lot.material_id));
    for (int32_t i : PathTo(walk, index))
      info.path.push_back(i == index ? info.lot.number : trace_.lots[i].lot.number);
    if (info.lot.work_order_id) {
      FH_ASSIGN_OR_RETURN(info.made_by, AddOrder(*info.lot.work_order_id));
    }
    if (info.walked.work_order_id) {
      FH_ASSIGN_OR_RETURN(info.link_order, AddOrder(*info.walked.work_order_id));
    }
    FH_RETURN_IF_ERROR(AddInspections(info));
    FH_RETURN_IF_ERROR(AddShipments(info));
    trace_.lots.push_back(std::move(info));
    return Status();
  }

  Result<std::string> AddOrder(int64_t id) {
    FH_ASSIGN_OR_RETURN(const WorkOrder* o, names_.Order(id));
    if (!orders_seen_.insert(id).second) return o->number;
    TracedOrder t{.number = o->number, .status = std::string(ToString(o->status))};
    FH_ASSIGN_OR_RETURN(t.material, names_.Material(o->material_id));
    if (o->equipment_id) {
      FH_ASSIGN_OR_RETURN(std::string path, names_.Asset(*o->equipment_id));
      t.equipment = path;
      if (equipment_seen_.insert(path).second) trace_.equipment.push_back(path);
    }
    trace_.orders.push_back(std::move(t));
    return o->number;
  }

  // A lot's inspections: those that name it, and those of the order that made it.
  Status AddInspections(TracedLotInfo& info) {
    FH_ASSIGN_OR_RETURN(std::vector<Inspection> found,
                        catalog_.ListInspections({.lot_id = info.lot.id}));
    if (info.lot.work_order_id) {
      FH_ASSIGN_OR_RETURN(std::vector<Inspection> of_order,
                          catalog_.ListInspections({.work_order_id = info.lot.work_order_id}));
      for (Inspection& i : of_order)
        if (!i.lot_id || *i.lot_id == info.lot.id) found.push_back(std::move(i));
    }
    std::set<int64_t> ids;
    for (const Inspection& i : found) {
      if (!ids.insert(i.id).second) continue;
      ++info.inspections;
      if (i.result == InspectionResult::kFail) ++info.failed_inspections;
      if (!with_inspections_) continue;
      trace_.inspections.push_back({.lot = info.lot.number,
                                    .characteristic = i.characteristic,
                                    .inspected_at = i.inspected_at,
                                    .value = i.value,
                                    .result = std::string(ToString(i.result)),
                                    .defect_code = i.defect_code});
    }
    return Status();
  }

  Status AddShipments(const TracedLotInfo& info) {
    FH_ASSIGN_OR_RETURN(std::vector<Shipment> shipments, catalog_.ListShipmentsOfLot(info.lot.id));
    for (const Shipment& s : shipments) {
      FH_ASSIGN_OR_RETURN(const Customer* c, names_.CustomerOf(s.customer_id));
      trace_.shipments.push_back({.number = s.number,
                                  .lot = info.lot.number,
                                  .material = info.material,
                                  .depth = info.walked.depth,
                                  .path = info.path,
                                  .customer_code = c->code,
                                  .customer_name = c->name,
                                  .country = c->country,
                                  .quantity = s.quantity,
                                  .unit = s.unit,
                                  .shipped_at = s.shipped_at});
    }
    return Status();
  }

  Catalog& catalog_;
  Names names_;
  bool with_inspections_;
  LotTrace trace_;
  std::set<int64_t> orders_seen_;
  std::set<std::string> equipment_seen_;
};

}  // namespace

Result<Lot> FindTraceStart(Catalog& catalog, std::string_view number, std::string_view material) {
  if (!material.empty()) {
    FH_ASSIGN_OR_RETURN(Material m, catalog.FindMaterial(material));
    return catalog.FindLot(m.id, number);
  }
  FH_ASSIGN_OR_RETURN(std::vector<Lot> lots, catalog.FindLotsByNumber(number));
  if (lots.empty()) return NotFound("lot '{}' not found", number);
  if (lots.size() > 1) {
    std::vector<std::string> materials;
    for (const Lot& l : lots) {
      FH_ASSIGN_OR_RETURN(Material m, catalog.GetMaterial(l.material_id));
      materials.push_back(m.code);
    }
    return InvalidArgument("lot number '{}' is used by {} materials ({}): name the material",
                           number, lots.size(), fmt::join(materials, ", "));
  }
  return std::move(lots.front());
}

Result<LotTrace> TraceLot(Catalog& catalog, int64_t start, const WalkOptions& options,
                          bool with_inspections) {
  // One snapshot for the walk and the names: a trace never mixes two states of the data.
  Result<LotTrace> trace = InvalidArgument("not traced");
  FH_RETURN_IF_ERROR(catalog.InOneRead([&] {
    Result<LotWalk> walk = WalkLots(catalog, start, options);
    if (!walk.ok()) return walk.status();
    trace = TraceBuilder(catalog, with_inspections).Build(std::move(*walk));
    return trace.status();
  }));
  return trace;
}

}  // namespace fh::analytics
