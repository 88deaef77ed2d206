// The demo plant's genealogy (demo_production.h): steel bar lots → shaft lots (one per
// completed order) → a pallet per two-hour window → a shipment to a customer.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "common/time.h"
#include "sim/demo_production.h"
#include "store/catalog/catalog.h"

namespace fh::sim {

namespace {

constexpr double kSteelPerShaftKg = 1.2;
constexpr double kBarLotKg = 600;
constexpr const char* kSuppliers[] = {"Baosteel", "Tata Steel"};
struct DemoCustomer {
  const char* code;
  const char* name;
  const char* country;
};
constexpr DemoCustomer kCustomers[] = {{"C-100", "Rhein Antriebe GmbH", "DE"},
                                       {"C-200", "Shanghai Gearbox Co.", "CN"},
                                       {"C-300", "Detroit Axle Inc.", "US"}};

Result<int64_t> UpsertMaterial(Catalog& catalog, const Lineage& lineage, std::string code,
                               std::string name, MaterialKind kind, std::string unit) {
  Material m;
  m.code = std::move(code);
  m.name = std::move(name);
  m.kind = kind;
  m.unit = std::move(unit);
  m.lineage = lineage;
  return catalog.UpsertMaterial(m);
}

}  // namespace

// Cuts `kg` of steel for `order`'s lot from the bar lots in turn, linking each bar lot the
// order used to the shaft lot; returns the last bar lot's id.
Result<int64_t> ProductionRecorder::TakeSteel(Catalog& catalog, const Lineage& lineage,
                                              int64_t bar_id, int64_t lot_id, const Order& order,
                                              double kg) {
  int64_t last = 0;
  while (kg > 1e-9) {
    if (!bar_ || bar_left_kg_ <= 1e-9) {
      ++bars_;
      Lot bar;
      bar.material_id = bar_id;
      bar.number = fmt::format("BAR-{:04d}", bars_);
      bar.quantity = kBarLotKg;
      bar.unit = "kg";
      bar.supplier = kSuppliers[bars_ % 2];
      bar.produced_at = *order.order.actual_start - 24 * kNanosPerHour;  // delivered the day before
      bar.lineage = lineage;
      bar_ = bar;
      bar_left_kg_ = kBarLotKg;
    }
    const double take = std::min(kg, bar_left_kg_);
    bar_left_kg_ -= take;
    kg -= take;
    bar_->status = bar_left_kg_ <= 1e-9 ? LotStatus::kConsumed : LotStatus::kAvailable;
    FH_ASSIGN_OR_RETURN(bar_->id, catalog.UpsertLot(*bar_));
    LotLink link;
    link.input_lot_id = bar_->id;
    link.output_lot_id = lot_id;
    link.quantity = std::round(take * 1000) / 1000;
    link.work_order_id = order_ids_.at(order.order.number);
    link.linked_at = order.order.actual_end;
    link.lineage = lineage;
    FH_RETURN_IF_ERROR(catalog.UpsertLotLink(link).status());
    last = bar_->id;
  }
  return last;
}

Status ProductionRecorder::WriteGenealogy(Catalog& catalog, const Lineage& lineage,
                                          int64_t shaft_id) {
  if (finished_.empty()) return Status::Ok();
  FH_ASSIGN_OR_RETURN(const int64_t bar_id,
                      UpsertMaterial(catalog, lineage, "RM-42CRMO4", "42CrMo4 steel bar",
                                     MaterialKind::kRaw, "kg"));
  FH_ASSIGN_OR_RETURN(const int64_t pallet_id,
                      UpsertMaterial(catalog, lineage, "P-100-PAL", "drive shafts, palletised",
                                     MaterialKind::kProduct, "pcs"));
  std::map<TimestampNs, std::vector<const Order*>> by_window;
  for (const Order& o : finished_)
    by_window[*o.order.planned_start].push_back(&o);
  for (const auto& [window, orders] : by_window) {
    const std::string hour = FormatRfc3339(window).substr(0, 13);
    Lot pallet;
    pallet.material_id = pallet_id;
    pallet.number = "PAL-" + hour;
    pallet.status = LotStatus::kShipped;
    pallet.quantity = 0.0;
    pallet.unit = "pcs";
    pallet.produced_at = window + 2 * kNanosPerHour;
    pallet.lineage = lineage;
    for (const Order* o : orders)
      *pallet.quantity += o->order.good_qty;
    FH_ASSIGN_OR_RETURN(pallet.id, catalog.UpsertLot(pallet));
    for (const Order* o : orders) {
      if (o->order.good_qty <= 0) continue;  // a machine that stopped all window
      Lot shafts;
      shafts.material_id = shaft_id;
      shafts.number = "SH-" + o->order.number.substr(3);  // WO-cnc-01-... → SH-cnc-01-...
      shafts.status = LotStatus::kConsumed;               // packed on the pallet
      shafts.quantity = o->order.good_qty;
      shafts.unit = "pcs";
      shafts.work_order_id = order_ids_.at(o->order.number);
      shafts.produced_at = o->order.actual_end;
      shafts.lineage = lineage;
      FH_ASSIGN_OR_RETURN(shafts.id, catalog.UpsertLot(shafts));
      FH_RETURN_IF_ERROR(
          TakeSteel(catalog, lineage, bar_id, shafts.id, *o, o->order.good_qty * kSteelPerShaftKg)
              .status());
      LotLink packed;
      packed.input_lot_id = shafts.id;
      packed.output_lot_id = pallet.id;
      packed.quantity = o->order.good_qty;
      packed.linked_at = pallet.produced_at;
      packed.lineage = lineage;
      FH_RETURN_IF_ERROR(catalog.UpsertLotLink(packed).status());
      ++lots_written_;
    }
    const DemoCustomer& c = kCustomers[pallets_++ % std::size(kCustomers)];
    Customer customer;
    customer.code = c.code;
    customer.name = c.name;
    customer.country = c.country;
    customer.lineage = lineage;
    FH_ASSIGN_OR_RETURN(const int64_t customer_id, catalog.UpsertCustomer(customer));
    Shipment shipment;
    shipment.number = "DN-" + hour;
    shipment.lot_id = pallet.id;
    shipment.customer_id = customer_id;
    shipment.quantity = pallet.quantity;
    shipment.unit = "pcs";
    shipment.shipped_at = pallet.produced_at;  // loaded as it is packed
    shipment.lineage = lineage;
    FH_RETURN_IF_ERROR(catalog.UpsertShipment(shipment).status());
    ++lots_written_;
  }
  finished_.clear();
  return Status::Ok();
}

}  // namespace fh::sim
