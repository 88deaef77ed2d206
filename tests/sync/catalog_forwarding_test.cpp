// An edge hub's relational records reach its central hub: plant A's exports imported at an
// edge (orders, equipment states, inspections, lots, quarantined rows ...) are queued by its
// change capture, pushed, and found at the central hub as they are at the edge, with their
// lineage and their batches' quarantine counts; sent again, nothing is applied twice; one
// site's record never replaces another's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "govern/entity_schema.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/catalog/catalog.h"
#include "store/catalog/text_samples.h"
#include "store/catalog_session.h"
#include "store/event_session.h"
#include "store/governance/governance_store.h"
#include "store/outbox/outbox.h"
#include "store/records/record_query.h"
#include "store/sync/change_capture.h"
#include "store/sync/sync_site_store.h"
#include "sync/catalog_records.h"
#include "sync/sync_protocol.h"
#include "sync/sync_receiver.h"
#include "testing/source_dir.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::sync {
namespace {

using ::testing::HasSubstr;

// examples/plant-a/import's order.
const std::vector<std::pair<std::string, std::string>> kPlantA = {
    {"mes-equipment", "mes/equipment.csv"},
    {"erp-materials", "erp/materials.csv"},
    {"erp-bom", "erp/bom.csv"},
    {"crm-customers", "crm/customers.json"},
    {"erp-sales-orders", "erp/sales_orders.csv"},
    {"erp-sales-order-lines", "erp/sales_orders.csv"},
    {"crm-orders", "crm/orders.ndjson"},
    {"mes-material-xref", "mes/material_xref.csv"},
    {"mes-reason-codes", "mes/reason_codes.csv"},
    {"mes-work-orders", "mes/work_orders.csv"},
    {"mes-downtime", "mes/downtime_events.csv"},
    {"mes-inspections", "mes/inspections.csv"},
    {"mes-machine-signals", "mes/machine_signals.csv"},
    {"mes-lots", "mes/lots.csv"},
    {"mes-lot-genealogy", "mes/lot_genealogy.csv"},
    {"erp-deliveries", "erp/deliveries.csv"},
};

std::unique_ptr<Hub> MakeEdge(const std::filesystem::path& dir, const std::string& site) {
  HubConfig config;
  config.sync.central = "http://127.0.0.1:9";  // never reached: the test carries the pushes
  config.sync.site = site;
  EXPECT_OK(Hub::Init(dir, config));
  auto hub = Hub::Open(dir);
  EXPECT_OK(hub);
  return std::move(hub).value();
}

void ImportPlantA(Hub& hub) {
  const auto base = testing::SourceDir() / "examples/plant-a";
  for (const auto& [mapping, file] : kPlantA) {
    Result<govern::Mapping> m =
        govern::LoadMapping((base / "mappings" / (mapping + ".yaml")).string());
    ASSERT_OK(m);
    ASSERT_OK(pipeline::ImportFile(hub, *m, (base / file).string(), {}));
  }
}

// Queues the edge's changed rows and returns everything its outbox holds, as one push.
std::string DrainToPush(Hub& edge) {
  while (true) {
    Result<QueuedCatalog> queued = QueueCatalogChanges(edge, 500);
    EXPECT_OK(queued);
    if (!queued.ok() || queued->changes == 0) break;
  }
  while (true) {
    Result<int64_t> alarms = QueueAlarmEvents(edge, 500);
    EXPECT_OK(alarms);
    if (!alarms.ok() || *alarms == 0) break;
  }
  Result<std::vector<outbox::Record>> records = edge.outbox()->ReadUnsent(size_t{1} << 30);
  EXPECT_OK(records);
  std::string body;
  EncodePush(*records, &body);
  if (!records->empty()) {
    EXPECT_OK(edge.outbox()->Acknowledge(records->back().end));
  }
  return body;
}

int64_t Count(Hub& hub, std::string_view entity) {
  CatalogSession session = hub.OpenCatalog();
  Result<int64_t> n = session.records().Count(*govern::FindEntity(entity), {});
  EXPECT_OK(n);
  return n.ok() ? *n : -1;
}

class CatalogForwardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(Hub::Init(dir_.path() / "central", HubConfig{}));
    auto hub = Hub::Open(dir_.path() / "central");
    ASSERT_OK(hub);
    central_ = std::move(hub).value();
  }
  testing::TempDir dir_;
  std::unique_ptr<Hub> central_;
};

TEST_F(CatalogForwardingTest, APlantsRecordsArriveAsTheEdgeHoldsThemAndOnce) {
  auto edge = MakeEdge(dir_.path() / "suzhou", "suzhou");
  ASSERT_NO_FATAL_FAILURE(ImportPlantA(*edge));
  const std::string push = DrainToPush(*edge);
  auto applied = ApplyPush(*central_, "suzhou", "e1", push, 1'000);
  ASSERT_OK(applied);
  EXPECT_EQ(applied->catalog_refused, 0);
  EXPECT_GT(applied->catalog_records, 50);
  {
    CatalogSession c = central_->OpenCatalog();
    QuarantineFilter f;
    f.status = "";
    Result<std::vector<QuarantinedRecord>> all = c.governance().ListQuarantine(f);
    ASSERT_OK(all);
    for (const QuarantinedRecord& q : all.value()) {
      ADD_FAILURE() << q.entity << " " << q.raw << " " << q.reasons[0].message;
    }
  }

  // Every forwarded entity's records, as many as at the edge (tags: those with metadata).
  for (std::string_view entity : ForwardedEntities()) {
    if (entity == "tag") continue;
    EXPECT_EQ(Count(*central_, entity), Count(*edge, entity)) << entity;
  }
  EXPECT_GT(Count(*central_, "work_order"), 0);
  EXPECT_GT(Count(*central_, "inspection"), 0);
  EXPECT_GT(Count(*central_, "equipment_state_event"), 0);
  // People stay at the plant.
  EXPECT_EQ(Count(*central_, "personnel"), 0);

  {
    CatalogSession c = central_->OpenCatalog();
    CatalogSession e = edge->OpenCatalog();
    // A work order with the same values, a reference as its key.
    Result<std::vector<WorkOrder>> edge_orders = e.catalog().ListWorkOrders();
    ASSERT_OK(edge_orders);
    ASSERT_FALSE(edge_orders->empty());
    const WorkOrder& wo = edge_orders->front();
    Result<WorkOrder> there = c.catalog().FindWorkOrder(wo.number);
    ASSERT_OK(there);
    EXPECT_EQ(there->good_qty, wo.good_qty);
    EXPECT_EQ(there->actual_start, wo.actual_start);
    Result<Material> m_edge = e.catalog().GetMaterial(wo.material_id);
    Result<Material> m_there = c.catalog().GetMaterial(there->material_id);
    ASSERT_OK(m_edge);
    ASSERT_OK(m_there);
    EXPECT_EQ(m_there->code, m_edge->code);
    // Its lineage: the plant's file and line, under the site's batch mirroring the edge's.
    EXPECT_EQ(there->lineage.source_system, wo.lineage.source_system);
    EXPECT_EQ(there->lineage.source_object, "suzhou/" + wo.lineage.source_object);
    EXPECT_EQ(there->lineage.source_line, wo.lineage.source_line);
    ASSERT_TRUE(there->lineage.batch_id.has_value());
    Result<IngestBatch> batch = c.catalog().GetBatch(*there->lineage.batch_id);
    Result<IngestBatch> edge_batch = e.catalog().GetBatch(*wo.lineage.batch_id);
    ASSERT_OK(batch);
    ASSERT_OK(edge_batch);
    EXPECT_EQ(batch->source_object, "suzhou/" + edge_batch->source_object);
    EXPECT_EQ(batch->records_read, edge_batch->records_read);
    // The plant's quarantine counts, batch by batch.
    EXPECT_EQ(batch->quarantined, edge_batch->quarantined);
    Result<std::vector<IngestBatch>> edge_batches = e.catalog().ListBatches(1000);
    Result<std::vector<IngestBatch>> batches = c.catalog().ListBatches(1000);
    ASSERT_OK(edge_batches);
    ASSERT_OK(batches);
    int64_t edge_quarantined = 0, quarantined = 0;
    for (const IngestBatch& b : *edge_batches)
      edge_quarantined += b.quarantined;
    for (const IngestBatch& b : *batches)
      quarantined += b.quarantined;
    EXPECT_GT(edge_quarantined, 0);
    EXPECT_EQ(quarantined, edge_quarantined);
    // Tag metadata under the site's name, on the plant's equipment.
    Result<std::vector<TagListing>> tags = c.catalog().ListTags();
    ASSERT_OK(tags);
    for (const TagListing& t : *tags)
      EXPECT_THAT(t.tag.name, ::testing::StartsWith("suzhou/"));
  }

  // The same push again: recognised, nothing applied twice.
  auto again = ApplyPush(*central_, "suzhou", "e1", push, 2'000);
  ASSERT_OK(again);
  EXPECT_EQ(again->records, 0);
  EXPECT_GT(again->duplicates, 0);
  // Imported again at the edge: rows unchanged, nothing new queued but the new batches.
  ASSERT_NO_FATAL_FAILURE(ImportPlantA(*edge));
  auto reimport = ApplyPush(*central_, "suzhou", "e1", DrainToPush(*edge), 3'000);
  ASSERT_OK(reimport);
  EXPECT_EQ(reimport->catalog_refused, 0);
  EXPECT_EQ(Count(*central_, "work_order"), Count(*edge, "work_order"));
}

TEST_F(CatalogForwardingTest, OneSitesRecordNeverReplacesAnothers) {
  auto suzhou = MakeEdge(dir_.path() / "suzhou", "suzhou");
  auto wuxi = MakeEdge(dir_.path() / "wuxi", "wuxi");
  auto add_order = [](Hub& hub, double good) {
    CatalogSession s = hub.OpenCatalog();
    Result<int64_t> material = s.catalog().UpsertMaterial({.code = "M-1", .name = "bracket"});
    ASSERT_OK(material);
    WorkOrder wo;
    wo.number = "WO-1";
    wo.material_id = *material;
    wo.planned_qty = 100;
    wo.good_qty = good;
    ASSERT_OK(s.catalog().UpsertWorkOrder(wo));
  };
  ASSERT_NO_FATAL_FAILURE(add_order(*suzhou, 10));
  ASSERT_OK(ApplyPush(*central_, "suzhou", "s", DrainToPush(*suzhou), 1));
  // Wuxi uses the same number for another order.
  ASSERT_NO_FATAL_FAILURE(add_order(*wuxi, 55));
  auto refused = ApplyPush(*central_, "wuxi", "w", DrainToPush(*wuxi), 2);
  ASSERT_OK(refused);
  EXPECT_EQ(refused->catalog_refused, 1);
  {
    CatalogSession c = central_->OpenCatalog();
    Result<WorkOrder> wo = c.catalog().FindWorkOrder("WO-1");
    ASSERT_OK(wo);
    EXPECT_EQ(wo->good_qty, 10);  // Suzhou's, kept
    QuarantineFilter filter;
    filter.mapping_name = "wuxi/sync";
    Result<std::vector<QuarantinedRecord>> q = c.governance().ListQuarantine(filter);
    ASSERT_OK(q);
    ASSERT_EQ(q->size(), 1u);
    EXPECT_EQ((*q)[0].entity, "work_order");
    ASSERT_FALSE((*q)[0].reasons.empty());
    EXPECT_THAT((*q)[0].reasons[0].message, HasSubstr("is site suzhou's"));
    Result<std::optional<SyncSite>> site = c.sync_sites().Find("wuxi");
    ASSERT_OK(site);
    EXPECT_EQ((*site)->catalog_refused, 1);
  }
  // Suzhou's own update of its order is applied.
  ASSERT_NO_FATAL_FAILURE(add_order(*suzhou, 20));
  auto update = ApplyPush(*central_, "suzhou", "s", DrainToPush(*suzhou), 3);
  ASSERT_OK(update);
  EXPECT_EQ(update->catalog_refused, 0);
  CatalogSession c = central_->OpenCatalog();
  Result<WorkOrder> wo = c.catalog().FindWorkOrder("WO-1");
  ASSERT_OK(wo);
  EXPECT_EQ(wo->good_qty, 20);
}

TEST_F(CatalogForwardingTest, TextValuesArriveUnderTheSitesName) {
  auto edge = MakeEdge(dir_.path() / "suzhou", "suzhou");
  {
    CatalogSession s = edge->OpenCatalog();
    const std::vector<TextSample> texts = {{"press-1/program", 5, "P-7"},
                                           {"press-1/program", 9, "P-8"}};
    ASSERT_OK(s.text_samples().Write(texts));
  }
  auto applied = ApplyPush(*central_, "suzhou", "e", DrainToPush(*edge), 1);
  ASSERT_OK(applied);
  EXPECT_EQ(applied->catalog_records, 2);
  CatalogSession c = central_->OpenCatalog();
  Result<std::vector<TextSample>> read = c.text_samples().Read("suzhou/press-1/program", {});
  ASSERT_OK(read);
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[1].value, "P-8");
}

// The plant's alarm history: its journal's events reach the central hub's journal as
// "<site>/<alarm>" on the plant's equipment, each once: sent again, they are recognised by
// their ids, unless the edge's outbox is a new one (restored: it numbers its events again).
TEST_F(CatalogForwardingTest, AlarmEventsArriveOnceUnderTheSitesName) {
  auto edge = MakeEdge(dir_.path() / "suzhou", "suzhou");
  {
    EventSession events = edge->OpenEvents();
    const std::vector<AlarmJournalRow> rows = {{.alarm = "press-1.overheat",
                                                .equipment = "acme/suzhou/stamping/line-1/press-1",
                                                .priority = "high",
                                                .event = "activated",
                                                .state = "unacknowledged",
                                                .ts = 10,
                                                .annunciated = true,
                                                .value = 212.5,
                                                .recorded_at = 11},
                                               {.alarm = "press-1.overheat",
                                                .equipment = "acme/suzhou/stamping/line-1/press-1",
                                                .priority = "high",
                                                .event = "acknowledged",
                                                .state = "acknowledged",
                                                .ts = 20,
                                                .user = "li",
                                                .comment = "die lubrication",
                                                .recorded_at = 21}};
    ASSERT_OK(events.alarm_journal().Record(rows, {}));
  }
  auto applied = ApplyPush(*central_, "suzhou", "e", DrainToPush(*edge), 1);
  ASSERT_OK(applied);
  EXPECT_EQ(applied->catalog_records, 2);
  Result<int64_t> none = QueueAlarmEvents(*edge);  // queued already
  ASSERT_OK(none);
  EXPECT_EQ(*none, 0);

  EventSession events = central_->OpenEvents();
  AlarmJournalFilter all;
  all.oldest_first = true;
  Result<std::vector<StoredAlarmEvent>> journal = events.alarm_journal().List(all);
  ASSERT_OK(journal);
  ASSERT_EQ(journal->size(), 2u);
  EXPECT_EQ((*journal)[0].alarm, "suzhou/press-1.overheat");
  EXPECT_EQ((*journal)[0].equipment, "acme/suzhou/stamping/line-1/press-1");
  EXPECT_EQ((*journal)[0].value, 212.5);
  EXPECT_EQ((*journal)[1].user, "li");
  EXPECT_EQ((*journal)[1].comment, "die lubrication");
  // Sent again (the central hub committed them, then failed before moving the position).
  std::vector<StoredAlarmEvent> again = {{.id = 1, .alarm = "press-1.overheat"},
                                         {.id = 2, .alarm = "press-1.overheat"}};
  for (StoredAlarmEvent& e : again) {
    e.priority = "high";
    e.event = "comment";
    e.state = "acknowledged";
  }
  Result<int64_t> dup = events.alarm_journal().RecordForwarded("suzhou", again, false);
  ASSERT_OK(dup);
  EXPECT_EQ(*dup, 0);
  Result<int64_t> restored = events.alarm_journal().RecordForwarded("suzhou", again, true);
  ASSERT_OK(restored);
  EXPECT_EQ(*restored, 2);
}

TEST_F(CatalogForwardingTest, AHubThatDoesNotForwardListsNoChanges) {
  // The central hub forwards nowhere: its writes list nothing for anyone.
  {
    CatalogSession s = central_->OpenCatalog();
    ASSERT_OK(s.catalog().UpsertMaterial({.code = "M-9", .name = "nut"}));
    Result<int64_t> pending = s.change_log().CountPending();
    ASSERT_OK(pending);
    EXPECT_EQ(*pending, 0);
  }
  // An edge's writes are listed until queued.
  auto edge = MakeEdge(dir_.path() / "suzhou", "suzhou");
  {
    CatalogSession s = edge->OpenCatalog();
    ASSERT_OK(s.catalog().UpsertMaterial({.code = "M-9", .name = "nut"}));
    Result<int64_t> pending = s.change_log().CountPending();
    ASSERT_OK(pending);
    EXPECT_EQ(*pending, 1);
  }
  Result<QueuedCatalog> queued = QueueCatalogChanges(*edge);
  ASSERT_OK(queued);
  EXPECT_EQ(queued->records, 1);
  CatalogSession s = edge->OpenCatalog();
  Result<int64_t> pending = s.change_log().CountPending();
  ASSERT_OK(pending);
  EXPECT_EQ(*pending, 0);
}

TEST_F(CatalogForwardingTest, ABadRecordsPayloadIsRefusedWhole) {
  outbox::Record r;
  r.position = 0;
  r.end = 10;
  r.payload =
      std::string(kCatalogMagic) + R"({"records": [{"entity": "personnel", "fields": {}}]})";
  std::string body;
  EncodePush({r}, &body);
  auto applied = ApplyPush(*central_, "suzhou", "e", body, 1);
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.status().message(), HasSubstr("personnel"));
  EXPECT_THAT(applied.status().message(), HasSubstr("record at 0 of site suzhou"));
  r.payload = std::string(kCatalogMagic) + std::string(100'000, '[');
  body.clear();
  EncodePush({r}, &body);
  applied = ApplyPush(*central_, "suzhou", "e", body, 1);
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.status().message(), HasSubstr("nested"));
  CatalogSession c = central_->OpenCatalog();
  Result<std::optional<SyncSite>> site = c.sync_sites().Find("suzhou");
  ASSERT_OK(site);
  EXPECT_FALSE(site->has_value());
}

}  // namespace
}  // namespace fh::sync
