// Work orders and quality inspections beside the demo plant's signals, for `simulate
// --hub`: each machine runs two-hour work orders of shafts (P-100, 45 s a part), and every
// 15 minutes of cutting five parts have their bore measured (25.000 mm, ±0.050). The bore
// drifts with tool wear, so SPC charts see the drift and a tool change end it.
// Each completed order makes a lot of shafts cut from steel bar lots (1.2 kg a shaft, a
// bar lot of 600 kg feeding several orders, an order sometimes two bar lots); the lots of
// one two-hour window are packed on a pallet that ships to a customer: the genealogy that
// `factoryhub trace` follows (demo_genealogy.cpp).
// Deterministic: the values come from the seed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/lot.h"
#include "model/order.h"
#include "model/quality.h"
#include "sim/demo_plant.h"
#include "store/hub.h"

namespace fh {
class Catalog;
}

namespace fh::sim {

class ProductionRecorder {
 public:
  explicit ProductionRecorder(uint64_t seed)
      : rng_(seed ^ 0x70726f64ull), burr_rng_(seed ^ 0x62757272ull) {}
  // After each step of the plant at `ts`: counts parts, closes and opens work orders,
  // takes the inspections that fall due.
  void Observe(const DemoPlant& plant, TimestampNs ts, double dt_seconds);
  // Writes what was observed since the last call. Takes the hub's catalog mutex; the
  // machines' assets must exist (DemoPlant::RegisterInCatalog).
  Status Flush(Hub& hub);
  int64_t orders() const { return orders_written_; }
  int64_t inspections() const { return inspections_written_; }
  int64_t lots() const { return lots_written_; }

 private:
  struct Order {
    WorkOrder order;
    std::string machine;
    double cut_seconds = 0;  // running time in the order, for its good quantity
  };
  double Normal();  // standard normal, Box-Muller from splitmix64
  // The lots, links and shipments of the orders finished since the last flush.
  Status WriteGenealogy(Catalog& catalog, const Lineage& lineage, int64_t shaft_id);
  Result<int64_t> TakeSteel(Catalog& catalog, const Lineage& lineage, int64_t bar_id,
                            int64_t lot_id, const Order& order, double kg);

  uint64_t rng_;
  uint64_t burr_rng_;  // the burr checks' own draws: the bores' stay as they were
  std::map<std::string, Order> running_;           // by machine: the order in progress
  std::map<std::string, TimestampNs> next_check_;  // by machine
  std::vector<Order> orders_;                      // to write (started, or finished)
  std::vector<Order> finished_;                    // completed, their lots not written
  struct PendingInspection {
    std::string machine, order;  // the order whose part it is
    Inspection inspection;
  };
  std::vector<PendingInspection> inspections_;
  std::map<std::string, int64_t> order_ids_;  // by number, once written
  int64_t orders_written_ = 0, inspections_written_ = 0, lots_written_ = 0;
  // The steel bar lot being cut, and what is left of it.
  int64_t bars_ = 0, pallets_ = 0;
  std::optional<Lot> bar_;
  double bar_left_kg_ = 0;
};

}  // namespace fh::sim
