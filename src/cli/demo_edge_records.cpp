#include "cli/demo_edge_records.h"

#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "common/time.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"

namespace fh::cli {
namespace demo_edge_records_detail {

constexpr const char* kStampingPresses[] = {"press-1", "press-2"};

// A press strokes every 4 s; one stroke in 200 is scrap.
double GoodCount(TimestampNs start, TimestampNs now) {
  const double strokes = static_cast<double>((now - start) / (4 * kNanosPerSecond));
  return std::floor(strokes * 199 / 200);
}

// The stamping line's inspection sheet: sheet thickness per press, one value unreadable.
constexpr const char* kInspectionMapping = R"(mapping: suzhou-inspections
source: {system: qms, object: thickness}
entity: inspection
fields:
  characteristic: { value: sheet_thickness }
  inspected_at: at
  equipment: { from: press, template: "acme/suzhou/stamping/line-1/{value}" }
  work_order: order
  value: mm
  unit: { value: mm }
  lsl: { value: "1.95" }
  usl: { value: "2.05" }
  result: result
rules:
  - { rule: not_null, field: value }
)";

}  // namespace demo_edge_records_detail

Status WriteDemoEdgeRecords(Hub& hub, TimestampNs start, TimestampNs now) {
  using namespace demo_edge_records_detail;
  const Lineage lineage{.source_system = "demo", .source_object = "stamping line"};
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(UnitOfWork work, session.Begin());
    Catalog& catalog = session.catalog();
    FH_ASSIGN_OR_RETURN(const int64_t material,
                        catalog.UpsertMaterial({.code = "STP-100",
                                                .name = "stamped bracket",
                                                .kind = MaterialKind::kProduct,
                                                .unit = "pcs",
                                                .lineage = lineage}));
    FH_ASSIGN_OR_RETURN(const int64_t die_change,
                        catalog.UpsertReasonCode({.code = "DIE-CHG",
                                                  .description = "die change",
                                                  .category = "changeover",
                                                  .lineage = lineage}));
    for (size_t p = 0; p < std::size(kStampingPresses); ++p) {
      const std::string press = kStampingPresses[p];
      FH_ASSIGN_OR_RETURN(
          const int64_t equipment,
          catalog.CreateAssetPath(fmt::format("{}/{}", kDemoEdgeLine, press), lineage));
      struct TagSpec {
        const char* name;
        const char* unit;
        double lo, hi;
      };
      for (const TagSpec& t :
           {TagSpec{"temperature", "°C", 150, 210}, TagSpec{"pressure", "bar", 120, 180},
            TagSpec{"strokes", "count", 0, 21600}}) {
        TagMeta meta;
        meta.name = fmt::format("{}/{}", press, t.name);
        meta.equipment_id = equipment;
        meta.unit = t.unit;
        meta.lo_limit = t.lo;
        meta.hi_limit = t.hi;
        meta.lineage = lineage;
        FH_RETURN_IF_ERROR(catalog.UpsertTag(meta).status());
      }
      WorkOrder order;
      order.number = fmt::format("SZ-WO-{}", p + 1);
      order.material_id = material;
      order.equipment_id = equipment;
      order.status = WorkOrderStatus::kRunning;
      order.planned_qty = 20000;
      order.good_qty = GoodCount(start, now);
      order.unit = "pcs";
      order.ideal_cycle_time_s = 4;
      order.planned_start = start;
      order.actual_start = start;
      order.lineage = lineage;
      FH_ASSIGN_OR_RETURN(const int64_t order_id, catalog.UpsertWorkOrder(order));
      // Press 2 had its die changed 20 minutes ago, for 3 minutes.
      std::vector<EquipmentStateEvent> events;
      const TimestampNs change = now - 20 * kNanosPerMinute, back = change + 3 * kNanosPerMinute;
      if (p == 1 && change > start) {
        events.push_back({.equipment_id = equipment, .start_ts = start, .end_ts = change});
        events.push_back({.equipment_id = equipment,
                          .state = EquipmentState::kSetup,
                          .start_ts = change,
                          .end_ts = back,
                          .reason_id = die_change});
        events.push_back({.equipment_id = equipment, .start_ts = back});
      } else {
        events.push_back({.equipment_id = equipment, .start_ts = start});
      }
      for (EquipmentStateEvent& e : events) {
        e.work_order_id = order_id;
        e.lineage = lineage;
        FH_RETURN_IF_ERROR(catalog.UpsertStateEvent(e).status());
      }
    }
    FH_RETURN_IF_ERROR(work.Commit());
  }
  // The inspection sheet, imported as a plant imports its QMS export.
  const std::filesystem::path sheet = hub.dir() / "thickness.csv";
  {
    std::ofstream out(sheet);
    out << "at,press,order,mm,result\n";
    for (int i = 0; i < 6; ++i) {
      const int p = i % 2;
      out << FormatRfc3339(now - (6 - i) * 5 * kNanosPerMinute) << "," << kStampingPresses[p]
          << ",SZ-WO-" << p + 1 << ","
          << (i == 3 ? "" : fmt::format("{:.3f}", 2.0 + 0.01 * (i % 3 - 1))) << ",pass\n";
    }
  }
  FH_ASSIGN_OR_RETURN(const govern::Mapping mapping,
                      govern::ParseMapping(kInspectionMapping, "suzhou-inspections.yaml"));
  return pipeline::ImportFile(hub, mapping, sheet.string(), {}).status();
}

Status UpdateDemoEdgeOrders(Hub& hub, TimestampNs start, TimestampNs now) {
  using namespace demo_edge_records_detail;
  CatalogSession session = hub.OpenCatalog();
  for (size_t p = 0; p < std::size(kStampingPresses); ++p) {
    FH_ASSIGN_OR_RETURN(WorkOrder order,
                        session.catalog().FindWorkOrder(fmt::format("SZ-WO-{}", p + 1)));
    order.good_qty = GoodCount(start, now);
    FH_RETURN_IF_ERROR(session.catalog().UpsertWorkOrder(order).status());
  }
  return Status::Ok();
}

}  // namespace fh::cli
