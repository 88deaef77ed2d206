// Catalog: the canonical model (src/model/) stored in the hub's SQLite database.
//
// One class, its methods split by entity group over catalog_*.cpp. For every entity:
//   Upsert(x)  inserts, or updates the row with the same natural key (docs/model.md): all
//              other fields and the lineage are overwritten, x.id is ignored, and the row's
//              id is returned. Re-importing the same record is therefore idempotent.
//   Get(id)    NotFound if there is no such row.
//   Find(key)  by natural key, for entities that have a readable one.
//   List(...)  ordered by natural key (events and inspections by time).
// Errors are Status values that name the entity and its key ("work_order 'WO-1': ...");
// a foreign key, CHECK or UNIQUE violation is InvalidArgument. No call throws.
//
// Every call is atomic. Wrap many calls in one sqlite::Transaction to import quickly (the
// catalog uses savepoints inside, so it works with or without an open transaction).
//
// Thread safety: none. A Catalog and its Db are used by one thread at a time; the caller
// serialises (a CatalogSession holds the hub's connection). The Db must be migrated with
// sqlite::HubMigrations() and must outlive the Catalog.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "common/string_map.h"
#include "model/asset.h"
#include "model/attribute.h"
#include "model/entity.h"
#include "model/equipment_state.h"
#include "model/lineage.h"
#include "model/lot.h"
#include "model/material.h"
#include "model/order.h"
#include "model/personnel.h"
#include "model/quality.h"
#include "model/sample.h"
#include "model/tag_meta.h"

namespace fh {

namespace sqlite {
class Db;
class Stmt;
}  // namespace sqlite

namespace catalog_internal {
class ScopedStmt;
struct CachedStmt;
}  // namespace catalog_internal

// A tag with the path of its equipment (empty when it has none).
struct TagListing {
  TagMeta tag;
  std::string equipment_path;
  bool operator==(const TagListing&) const = default;
};

// Work orders matching every given field. `range` selects orders whose actual (or, before
// they start, planned) run overlaps it.
struct WorkOrderFilter {
  std::optional<int64_t> equipment_id;
  std::optional<int64_t> material_id;
  std::optional<WorkOrderStatus> status;
  TimeRange range;
};

// A work order's counts and when it ran, without its lineage: what OEE reads.
struct WorkOrderRun {
  int64_t equipment_id = 0;
  std::string number;
  int64_t material_id = 0;
  double good = 0, scrap = 0, rework = 0;
  std::optional<double> ideal_cycle_time_s;
  std::optional<TimestampNs> actual_start, actual_end;
};

// Inspections matching every given field, with inspected_at in `range`.
struct InspectionFilter {
  std::optional<std::string> characteristic;
  std::optional<int64_t> equipment_id;
  std::optional<int64_t> work_order_id;
  std::optional<int64_t> lot_id;
  TimeRange range;
};

class FieldProtection;

class Catalog {
 public:
  // `protection`: the hub's encrypted fields (null: none). Customers' and people's protected
  // fields are encrypted as they are written and decrypted as they are read.
  explicit Catalog(sqlite::Db& db, FieldProtection* protection = nullptr);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // --- Assets (catalog_assets.cpp) -----------------------------------------------------
  // Upserts on asset.path. The parent (path minus its last segment) must exist, and
  // asset.level must be the level of the path's depth; parent_id and name are derived.
  Result<int64_t> UpsertAsset(const Asset& asset);
  // Creates the assets of `path` that do not exist yet, levels in order, and returns the
  // id of the last. Existing assets are left as they are; new ones get `lineage`.
  Result<int64_t> CreateAssetPath(std::string_view path, const Lineage& lineage = {});
  Result<Asset> GetAsset(int64_t id);
  Result<Asset> FindAsset(std::string_view path);
  // Direct children by name; the enterprises when parent_id is empty.
  Result<std::vector<Asset>> ListChildren(std::optional<int64_t> parent_id);
  // The asset at `path` and everything below it, by path; every asset when `path` is empty.
  Result<std::vector<Asset>> ListAssets(std::string_view path = {});

  // --- Tag metadata (catalog_tags.cpp) -------------------------------------------------
  // Upserts on tag.name; works for tags the time-series store created on first write.
  Result<int64_t> UpsertTag(const TagMeta& tag);
  Result<TagMeta> GetTag(int64_t id);
  Result<TagMeta> FindTag(std::string_view name);
  // Tags by name; only those on the asset at `path` or below it when `path` is not empty.
  Result<std::vector<TagListing>> ListTags(std::string_view path = {});

  // --- Equipment states (catalog_states.cpp) -------------------------------------------
  Result<int64_t> UpsertReasonCode(const ReasonCode& reason);
  Result<ReasonCode> GetReasonCode(int64_t id);
  Result<ReasonCode> FindReasonCode(std::string_view code);
  Result<std::vector<ReasonCode>> ListReasonCodes();
  // Upserts on (equipment_id, start_ts).
  Result<int64_t> UpsertStateEvent(const EquipmentStateEvent& event);
  Result<EquipmentStateEvent> GetStateEvent(int64_t id);
  // The equipment's events that overlap `range` (an open event lasts forever), by start.
  Result<std::vector<EquipmentStateEvent>> ListStateEvents(int64_t equipment_id,
                                                           TimeRange range = {});
  // The same events without ids and lineage (no per-event allocation).
  Result<std::vector<StateSpan>> ListStateSpans(int64_t equipment_id, TimeRange range = {});
  // The assets that have state events, by id.
  Result<std::vector<int64_t>> ListStateEquipment();

  // --- Materials (catalog_materials.cpp) -----------------------------------------------
  Result<int64_t> UpsertMaterial(const Material& material);
  Result<Material> GetMaterial(int64_t id);
  Result<Material> FindMaterial(std::string_view code);
  Result<std::vector<Material>> ListMaterials(std::optional<MaterialKind> kind = {});

  // --- Customers and orders (catalog_orders.cpp) ---------------------------------------
  Result<int64_t> UpsertCustomer(const Customer& customer);
  Result<Customer> GetCustomer(int64_t id);
  Result<Customer> FindCustomer(std::string_view code);
  Result<std::vector<Customer>> ListCustomers();

  Result<int64_t> UpsertSalesOrder(const SalesOrder& order);
  Result<SalesOrder> GetSalesOrder(int64_t id);
  Result<SalesOrder> FindSalesOrder(std::string_view number);
  Result<std::vector<SalesOrder>> ListSalesOrders(std::optional<int64_t> customer_id = {});
  // Upserts on (sales_order_id, line_no).
  Result<int64_t> UpsertSalesOrderLine(const SalesOrderLine& line);
  Result<SalesOrderLine> GetSalesOrderLine(int64_t id);
  Result<std::vector<SalesOrderLine>> ListSalesOrderLines(int64_t sales_order_id);

  Result<int64_t> UpsertWorkOrder(const WorkOrder& order);
  Result<WorkOrder> GetWorkOrder(int64_t id);
  Result<WorkOrder> FindWorkOrder(std::string_view number);
  Result<std::vector<WorkOrder>> ListWorkOrders(const WorkOrderFilter& filter = {});
  // Orders with equipment whose actual run overlaps `range` (an order not yet ended runs
  // on), and those with counts but no actual start planned in it; by equipment and start.
  Result<std::vector<WorkOrderRun>> ListWorkOrderRuns(TimeRange range);
  // Upserts on (work_order_id, personnel_id).
  Result<int64_t> UpsertWorkOrderOperator(const WorkOrderOperator& op);
  Result<std::vector<WorkOrderOperator>> ListWorkOrderOperators(int64_t work_order_id);

  // --- Quality (catalog_quality.cpp) ---------------------------------------------------
  // Upserts on the natural key of model/quality.h.
  Result<int64_t> UpsertInspection(const Inspection& inspection);
  Result<Inspection> GetInspection(int64_t id);
  // By inspected_at, then sample_no.
  Result<std::vector<Inspection>> ListInspections(const InspectionFilter& filter = {});

  // --- Lots and genealogy (catalog_lots.cpp) -------------------------------------------
  // Upserts on (material_id, number).
  Result<int64_t> UpsertLot(const Lot& lot);
  Result<Lot> GetLot(int64_t id);
  Result<Lot> FindLot(int64_t material_id, std::string_view number);
  Result<std::vector<Lot>> ListLots(std::optional<int64_t> material_id = {});
  // Upserts on (input_lot_id, output_lot_id).
  Result<int64_t> UpsertLotLink(const LotLink& link);
  // Links into the lot (its direct inputs) / out of it (its direct outputs).
  Result<std::vector<LotLink>> ListLotInputs(int64_t lot_id);
  Result<std::vector<LotLink>> ListLotOutputs(int64_t lot_id);
  // Runs `read` in one read transaction: one snapshot for a walk of many statements, and
  // one lock instead of one per statement (most of a walk's cost without it). Inside a
  // transaction already open, it simply runs.
  Status InOneRead(const std::function<Status()>& read);
  // The links of a lot, read from the covering index alone: its inputs (backward) or its
  // outputs (forward) into `out` (cleared first), by the other lot's id. The trace's step.
  Status LotEdges(int64_t lot_id, TraceDirection direction, std::vector<LotEdge>& out);
  // Lots by number, of any material (numbers are unique per material only).
  Result<std::vector<Lot>> FindLotsByNumber(std::string_view number);
  // Upserts on (number, lot_id).
  Result<int64_t> UpsertShipment(const Shipment& shipment);
  // The lot's shipments, by shipped_at then number.
  Result<std::vector<Shipment>> ListShipmentsOfLot(int64_t lot_id);
  // Every lot reachable from `lot_id` (not included) through up to `max_depth` links, each
  // once at its smallest depth, ordered by depth then id. Cycles in bad data terminate.
  Result<std::vector<TracedLot>> TraceLots(int64_t lot_id, TraceDirection direction,
                                           int64_t max_depth = 64);

  // --- Personnel (catalog_personnel.cpp) -----------------------------------------------
  Result<int64_t> UpsertPersonnel(const Personnel& person);
  Result<Personnel> GetPersonnel(int64_t id);
  Result<Personnel> FindPersonnel(std::string_view code);
  Result<std::vector<Personnel>> ListPersonnel();
  Result<int64_t> UpsertQualification(const Qualification& qualification);
  Result<Qualification> GetQualification(int64_t id);
  Result<Qualification> FindQualification(std::string_view code);
  Result<std::vector<Qualification>> ListQualifications();
  // Upserts on (personnel_id, qualification_id).
  Result<int64_t> UpsertPersonnelQualification(const PersonnelQualification& pq);
  Result<std::vector<PersonnelQualification>> ListPersonnelQualifications(int64_t personnel_id);
  // Upserts on (equipment_id, qualification_id).
  Result<int64_t> UpsertEquipmentQualification(const EquipmentQualification& eq);
  Result<std::vector<EquipmentQualification>> ListEquipmentQualifications(int64_t equipment_id);
  // The qualifications the equipment requires that the person does not hold at time `at`.
  Result<std::vector<Qualification>> MissingQualifications(int64_t personnel_id,
                                                           int64_t equipment_id, TimestampNs at);

  // --- Crosswalk (catalog_crosswalk.cpp) -----------------------------------------------
  // Records that (entity, source_system, external_id) is x.canonical_id. Idempotent;
  // NotFound if the canonical row does not exist; AlreadyExists if the external id is
  // already mapped to another row (UnmapExternalId first to move it). The row's lineage
  // source_system is always x.source_system.
  Status MapExternalId(const ExternalId& x);
  // NotFound if there was no such mapping.
  Status UnmapExternalId(EntityKind entity, std::string_view source_system,
                         std::string_view external_id);
  // NotFound naming the entity, system and id when unmapped.
  Result<int64_t> ResolveExternalId(EntityKind entity, std::string_view source_system,
                                    std::string_view external_id);
  // The external ids of one canonical row, by source system then id.
  Result<std::vector<ExternalId>> ListExternalIds(EntityKind entity, int64_t canonical_id);

  // --- Custom attributes (catalog_attributes.cpp, model/attribute.h) --------------------
  // Sets the attributes of the record `id` of `entity`: each one stored replaces the stored
  // value of that name, a null one removes it; attributes not named are left alone (another
  // source's). Returns whether anything changed. `batch_id` is the lineage of each value.
  Result<bool> SetAttributes(EntityKind entity, int64_t id, std::span<const Attribute> attributes,
                             std::optional<int64_t> batch_id);
  // The record's attributes, by name.
  Result<std::vector<Attribute>> ListAttributes(EntityKind entity, int64_t id);
  // The ids of the records of `entity` whose attribute `name` compares with `value` by `op`
  // (= != < <= > >=), by id; at most `limit`. Numbers compare as numbers, texts as texts;
  // times as ns since the epoch.
  Result<std::vector<int64_t>> FindByAttribute(EntityKind entity, std::string_view name,
                                               std::string_view op, const Attribute& value,
                                               int64_t limit);

  // --- Lineage and ingest batches (catalog_lineage.cpp) --------------------------------
  Result<Lineage> GetLineage(EntityKind entity, int64_t id);
  // Inserts a batch (its id and, unless given, started_at = now are set) and returns its id.
  Result<int64_t> BeginBatch(const IngestBatch& batch);
  // Stores the batch's final status, counters, finished_at (now, unless given) and message.
  Status FinishBatch(const IngestBatch& batch);
  Result<IngestBatch> GetBatch(int64_t id);
  // The most recent batches first.
  Result<std::vector<IngestBatch>> ListBatches(int64_t limit = 100);
  // Records which points of which tags a batch stored; the tags must exist. Recording a
  // tag of a batch again merges: the span widens, the samples add up.
  Status RecordSeriesLineage(const std::vector<SeriesLineage>& spans);
  // The batches whose points of `tag` span `at`, the most recent first: the first is the
  // one that last wrote that time, if any stored a point there.
  Result<std::vector<SeriesLineage>> FindSeriesLineage(std::string_view tag, TimestampNs at);

 private:
  // The statement for `sql`, prepared on first use and then reused. The guard resets it
  // (ending its read, clearing its bindings) when destroyed. A statement serves one guard
  // at a time: asking for one that is in use is an Internal error, so a method must not
  // call another that runs the same SQL while it iterates.
  Result<catalog_internal::ScopedStmt> Statement(std::string_view sql);
  // `text` of `entity`.`field` as stored: encrypted when the field is protected.
  Result<std::string> Sealed(std::string_view entity, std::string_view field,
                             const std::string& text);
  // A stored value read back in clear.
  Status Reveal(std::string_view entity, std::string_view field, std::string& text);
  Status Reveal(Customer& c);
  Status Reveal(Personnel& p);
  FieldProtection* protection_;

  sqlite::Db& db_;
  StringMap<std::unique_ptr<catalog_internal::CachedStmt>> stmts_;  // by SQL text
};

}  // namespace fh
