// Catalog: the external-ID crosswalk, lineage lookup and ingest batches.
#include <string>
#include <vector>

#include "store/catalog_fixture.h"

namespace fh::testing {
namespace {

using CatalogCrosswalkTest = CatalogTest;

TEST_F(CatalogCrosswalkTest, MapAndResolve) {
  ASSERT_OK_AND_ASSIGN(int64_t m100, catalog().UpsertMaterial({.code = "M-100", .name = "steel"}));
  ASSERT_OK_AND_ASSIGN(int64_t m200, catalog().UpsertMaterial({.code = "M-200", .name = "paint"}));
  // The same material is M-100 in the ERP and 100-A in the MES.
  const ExternalId erp{.entity = EntityKind::kMaterial,
                       .canonical_id = m100,
                       .source_system = "erp",
                       .external_id = "M-100"};
  const ExternalId mes{.entity = EntityKind::kMaterial,
                       .canonical_id = m100,
                       .source_system = "mes",
                       .external_id = "100-A",
                       .lineage = {.source_object = "xref.csv", .source_line = 2}};
  ASSERT_OK(catalog().MapExternalId(erp));
  ASSERT_OK(catalog().MapExternalId(mes));
  ASSERT_OK(catalog().MapExternalId(mes));  // idempotent

  struct ResolveCase {
    EntityKind entity;
    std::string system, id;
    std::optional<int64_t> expected;  // empty: NotFound
  };
  const std::vector<ResolveCase> cases = {
      {EntityKind::kMaterial, "erp", "M-100", m100},
      {EntityKind::kMaterial, "mes", "100-A", m100},
      {EntityKind::kMaterial, "mes", "M-100", std::nullopt},  // per system
      {EntityKind::kMaterial, "MES", "100-A", std::nullopt},  // exact match
      {EntityKind::kCustomer, "mes", "100-A", std::nullopt},  // per entity
  };
  for (const ResolveCase& c : cases) {
    Result<int64_t> got = catalog().ResolveExternalId(c.entity, c.system, c.id);
    if (c.expected) {
      ASSERT_OK(got) << c.system << "/" << c.id << ": " << got.status().ToString();
      EXPECT_EQ(*got, *c.expected);
    } else {
      EXPECT_EQ(got.status().code(), StatusCode::kNotFound) << c.system << "/" << c.id;
    }
  }
  EXPECT_EQ(catalog().ResolveExternalId(EntityKind::kMaterial, "mes", "X").status().message(),
            "no canonical id for material 'X' in mes");

  ASSERT_OK_AND_ASSIGN(std::vector<ExternalId> ids,
                       catalog().ListExternalIds(EntityKind::kMaterial, m100));
  ExternalId erp_read = erp;
  erp_read.lineage.source_system = "erp";
  ExternalId mes_read = mes;
  mes_read.lineage.source_system = "mes";
  EXPECT_EQ(ids, (std::vector<ExternalId>{erp_read, mes_read}));

  // Moving an external id to another material needs an explicit unmap.
  ExternalId moved = mes;
  moved.canonical_id = m200;
  Status conflict = catalog().MapExternalId(moved);
  EXPECT_EQ(conflict.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(conflict.message().find("crosswalk material '100-A' in mes: already mapped to id"),
            std::string::npos)
      << conflict.message();
  ASSERT_OK(catalog().UnmapExternalId(EntityKind::kMaterial, "mes", "100-A"));
  ASSERT_OK(catalog().MapExternalId(moved));
  ASSERT_OK_AND_ASSIGN(int64_t now,
                       catalog().ResolveExternalId(EntityKind::kMaterial, "mes", "100-A"));
  EXPECT_EQ(now, m200);
  EXPECT_EQ(catalog().UnmapExternalId(EntityKind::kMaterial, "mes", "nope").code(),
            StatusCode::kNotFound);
}

TEST_F(CatalogCrosswalkTest, MappingNeedsAnExistingRow) {
  Status s = catalog().MapExternalId({.entity = EntityKind::kCustomer,
                                      .canonical_id = 42,
                                      .source_system = "crm",
                                      .external_id = "ACME"});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "crosswalk customer 'ACME' in crm: customer id 42 not found");
  ASSERT_OK_AND_ASSIGN(int64_t c, catalog().UpsertCustomer({.code = "C", .name = "c"}));
  Status empty = catalog().MapExternalId({.entity = EntityKind::kCustomer,
                                          .canonical_id = c,
                                          .source_system = "crm",
                                          .external_id = ""});
  EXPECT_EQ(empty.code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogCrosswalkTest, LineageRoundTripsThroughABatch) {
  IngestBatch batch{.source_system = "erp",
                    .source_object = "orders_2024.csv",
                    .mapping_version = "erp-orders@3",
                    .started_at = 1000};
  ASSERT_OK_AND_ASSIGN(batch.id, catalog().BeginBatch(batch));
  const Lineage lineage{.source_system = "erp",
                        .source_object = "orders_2024.csv",
                        .source_line = 17,
                        .mapping_version = "erp-orders@3",
                        .batch_id = batch.id};
  ASSERT_OK_AND_ASSIGN(int64_t cust, catalog().UpsertCustomer(
                                         {.code = "C-1", .name = "Contoso", .lineage = lineage}));
  ASSERT_OK_AND_ASSIGN(Lineage got, catalog().GetLineage(EntityKind::kCustomer, cust));
  EXPECT_EQ(got, lineage);

  // Re-import from another line: the lineage follows the latest write.
  Lineage relined = lineage;
  relined.source_line = 18;
  ASSERT_OK(catalog().UpsertCustomer({.code = "C-1", .name = "Contoso", .lineage = relined}));
  ASSERT_OK_AND_ASSIGN(Lineage got2, catalog().GetLineage(EntityKind::kCustomer, cust));
  EXPECT_EQ(got2, relined);

  // Counters must add up before a batch can be completed.
  batch.status = IngestBatchStatus::kCompleted;
  batch.records_read = 10;
  batch.accepted = 8;
  batch.quarantined = 1;
  batch.finished_at = 2000;
  Status lost = catalog().FinishBatch(batch);
  EXPECT_EQ(lost.code(), StatusCode::kInvalidArgument) << lost.ToString();
  batch.duplicates = 1;  // 8 + 1 + 1 = 10
  ASSERT_OK(catalog().FinishBatch(batch));
  ASSERT_OK_AND_ASSIGN(IngestBatch stored, catalog().GetBatch(batch.id));
  EXPECT_EQ(stored, batch);
  ASSERT_OK_AND_ASSIGN(std::vector<IngestBatch> recent, catalog().ListBatches(10));
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(catalog().FinishBatch({.id = 999}).code(), StatusCode::kNotFound);

  // Lineage must name an existing batch.
  Lineage bad = lineage;
  bad.batch_id = 999;
  Result<int64_t> dangling = catalog().UpsertCustomer({.code = "C-2", .name = "x", .lineage = bad});
  EXPECT_EQ(dangling.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dangling.status().message().find("customer 'C-2'"), std::string::npos);
}

TEST_F(CatalogCrosswalkTest, LineageOfAMissingRowIsNotFoundForEveryEntity) {
  for (const auto& entity : kEntityKindNames) {
    Result<Lineage> got = catalog().GetLineage(entity.value, 12345);
    EXPECT_EQ(got.status().code(), StatusCode::kNotFound) << entity.name;
    EXPECT_EQ(got.status().message(), std::string(entity.name) + " id 12345 not found");
  }
}

}  // namespace
}  // namespace fh::testing
