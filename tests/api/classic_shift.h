// The classic OEE worked example (docs/oee.md) stored in a hub: one press of acme/p1 on
// 2026-03-02's day shift (06:00–14:00 with three breaks), 30 min down for a die (DIE) and 17
// for a jam (JAM), one order of 18848 good and 423 scrap at 1 s a part; the shift calendar in
// the hub's oee.yaml. Shared by the OEE and the roadmap tests.
#pragma once

#include <fstream>

#include <gmock/gmock.h>

#include "common/time.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/hub.h"
#include "testing/status_matchers.h"

namespace fh::testing {

inline void StoreClassicShift(Hub& hub) {
  auto T = [](const char* rfc3339) { return ParseRfc3339(rfc3339).value(); };
  std::ofstream(hub.dir() / "oee.yaml") << R"(
shifts:
- name: day
  start: "06:00"
  end: "14:00"
  breaks: [{start: "09:00", end: "09:15"}, {start: "11:00", end: "11:30"},
           {start: "12:30", end: "12:45"}]
)";
  CatalogSession session = hub.OpenCatalog();
  Catalog& c = session.catalog();
  Result<int64_t> press = c.CreateAssetPath("acme/p1/stamping/line-1/press-01");
  ASSERT_OK(press);
  Material m;
  m.code = "M-1";
  m.name = "Bracket";
  Result<int64_t> material = c.UpsertMaterial(m);
  ASSERT_OK(material);
  ReasonCode die;
  die.code = "DIE";
  die.category = "breakdown";
  Result<int64_t> die_id = c.UpsertReasonCode(die);
  ASSERT_OK(die_id);
  ReasonCode jam;
  jam.code = "JAM";
  Result<int64_t> jam_id = c.UpsertReasonCode(jam);
  ASSERT_OK(jam_id);
  struct S {
    EquipmentState state;
    const char* from;
    const char* to;
    std::optional<int64_t> reason;
  };
  for (const S& s : std::initializer_list<S>{{EquipmentState::kRunning, "06:00", "07:00", {}},
                                             {EquipmentState::kDown, "07:00", "07:30", *die_id},
                                             {EquipmentState::kRunning, "07:30", "10:00", {}},
                                             {EquipmentState::kDown, "10:00", "10:17", *jam_id},
                                             {EquipmentState::kRunning, "10:17", "14:00", {}}}) {
    EquipmentStateEvent e;
    e.equipment_id = *press;
    e.state = s.state;
    e.start_ts = T(fmt::format("2026-03-02T{}:00Z", s.from).c_str());
    e.end_ts = T(fmt::format("2026-03-02T{}:00Z", s.to).c_str());
    e.reason_id = s.reason;
    ASSERT_OK(c.UpsertStateEvent(e));
  }
  WorkOrder o;
  o.number = "WO-1";
  o.material_id = *material;
  o.equipment_id = *press;
  o.good_qty = 18848;
  o.scrap_qty = 423;
  o.ideal_cycle_time_s = 1;
  o.actual_start = T("2026-03-02T06:00:00Z");
  o.actual_end = T("2026-03-02T14:00:00Z");
  ASSERT_OK(c.UpsertWorkOrder(o));
}

}  // namespace fh::testing
