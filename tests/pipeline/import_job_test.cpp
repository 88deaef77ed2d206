// The import job's guarantees beyond counting: dry runs store nothing, an unreadable file
// stores nothing and leaves a failed batch, lineage, time zones, crosswalk ids, replay
// after a mapping fix, and quarantine resolved by a corrected re-import.
#include "pipeline/import_job.h"

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>

#include "common/time.h"
#include "govern/mapping.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "testing/catalog_access.h"
#include "testing/hub_books.h"
#include "testing/hub_test.h"

namespace fh::pipeline {
namespace {

class ImportJobTest : public testing::HubTest {
 protected:
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = (tmp_.path() / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  govern::Mapping Parse(const std::string& yaml) {
    Result<govern::Mapping> m = govern::ParseMapping(yaml, "test.yaml");
    EXPECT_OK(m);
    return m.ok() ? *m : govern::Mapping{};
  }

  ImportReport Import(const govern::Mapping& m, const std::string& path, bool dry_run = false) {
    ImportOptions o;
    o.dry_run = dry_run;
    Result<ImportReport> r = ImportFile(*hub_, m, path, o);
    EXPECT_OK(r);
    return r.ok() ? *r : ImportReport{};
  }

  // A catalog on a connection of the test's own: what the hub committed, read beside it.
  Catalog& catalog() {
    if (!catalog_) {
      Result<std::unique_ptr<sqlite::Db>> db =
          sqlite::Db::Open(tmp_.path() / "hub" / kHubDbFile, {});
      EXPECT_OK(db);
      reader_ = std::move(*db);
      catalog_ = std::make_unique<Catalog>(*reader_);
    }
    return *catalog_;
  }

  std::vector<QuarantinedRecord> Quarantined(const std::string& status = "open") {
    QuarantineFilter f;
    f.status = status;
    return testing::QuarantinedIn(*hub_, f);
  }
  std::unique_ptr<sqlite::Db> reader_;
  std::unique_ptr<Catalog> catalog_;
};

constexpr const char* kMaterials = R"(
mapping: materials
source: { system: erp, object: material_master }
entity: material
fields:
  code: code
  name: name
  kind: { from: type, map: { RM: raw, FG: product } }
external_id: legacy
)";

TEST_F(ImportJobTest, DryRunStoresNothingButReportsTheSame) {
  const std::string csv =
      WriteFile("m.csv", "code,name,type,legacy\nM-1,Flange,FG,100-A\nM-2,Bar,XX,200-B\n");
  const govern::Mapping m = Parse(kMaterials);
  const ImportReport dry = Import(m, csv, /*dry_run=*/true);
  EXPECT_FALSE(dry.batch_id.has_value());
  EXPECT_EQ(dry.accepted, 1);
  EXPECT_EQ(dry.quarantined, 1);
  EXPECT_EQ(catalog().FindMaterial("M-1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Quarantined().empty());
  Result<std::vector<IngestBatch>> batches = catalog().ListBatches();
  ASSERT_OK(batches);
  EXPECT_TRUE(batches->empty());

  const ImportReport real = Import(m, csv);
  EXPECT_EQ(real.accepted, dry.accepted);
  EXPECT_EQ(real.quarantined, dry.quarantined);
  EXPECT_TRUE(catalog().FindMaterial("M-1").ok());
}

TEST_F(ImportJobTest, LineageAndCrosswalkOfStoredRecords) {
  const std::string csv = WriteFile("m.csv", "code,name,type,legacy\n\nM-1,Flange,FG,100-A\n");
  const ImportReport r = Import(Parse(kMaterials), csv);
  ASSERT_TRUE(r.batch_id.has_value());
  Result<Material> m = catalog().FindMaterial("M-1");
  ASSERT_OK(m);
  EXPECT_EQ(m->lineage.source_system, "erp");
  EXPECT_EQ(m->lineage.source_object, "material_master");
  EXPECT_EQ(m->lineage.source_line, 3);  // the blank line counts
  EXPECT_EQ(m->lineage.mapping_version, "materials@1");
  EXPECT_EQ(m->lineage.batch_id, r.batch_id);
  Result<int64_t> id = catalog().ResolveExternalId(EntityKind::kMaterial, "erp", "100-A");
  ASSERT_OK(id);
  EXPECT_EQ(*id, m->id);
}

TEST_F(ImportJobTest, ChangingTheMappingMakesANewVersion) {
  const std::string csv = WriteFile("m.csv", "code,name,type,legacy\nM-1,Flange,FG,100-A\n");
  EXPECT_EQ(Import(Parse(kMaterials), csv).mapping, "materials@1");
  EXPECT_EQ(Import(Parse(kMaterials), csv).mapping, "materials@1");
  const std::string changed =
      std::string(kMaterials) + "rules:\n  - { rule: not_null, field: name }\n";
  const ImportReport r = Import(Parse(changed), csv);
  EXPECT_EQ(r.mapping, "materials@2");
  EXPECT_EQ(r.duplicates, 1);  // same data: nothing changed
}

TEST_F(ImportJobTest, UnreadableFileStoresNothingAndRecordsAFailedBatch) {
  // A valid first row, then a quote that never closes.
  const std::string csv =
      WriteFile("m.csv", "code,name,type,legacy\nM-1,Flange,FG,1\nM-2,\"Bar,RM,2\n");
  Result<ImportReport> r = ImportFile(*hub_, Parse(kMaterials), csv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(":3"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(catalog().FindMaterial("M-1").status().code(), StatusCode::kNotFound);
  Result<std::vector<IngestBatch>> batches = catalog().ListBatches();
  ASSERT_OK(batches);
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].status, IngestBatchStatus::kFailed);
  ASSERT_TRUE((*batches)[0].message.has_value());
}

TEST_F(ImportJobTest, TimesWithoutOffsetUseTheMappingsZone) {
  const std::string customers = WriteFile("c.csv", "code,name\nC-1,Bosch\n");
  Import(Parse("mapping: c\nsource: { system: erp }\nentity: customer\nfields: { code: code, "
               "name: name }\n"),
         customers);
  const std::string orders = WriteFile("o.csv", "no,cust,at\nSO-1,C-1,2026-03-02 08:00\n");
  Import(Parse("mapping: o\nsource: { system: erp, time_zone: Asia/Shanghai }\nentity: "
               "sales_order\nfields:\n  number: no\n  customer: cust\n  ordered_at: { from: at, "
               "format: \"%Y-%m-%d %H:%M\" }\n"),
         orders);
  Result<SalesOrder> so = catalog().FindSalesOrder("SO-1");
  ASSERT_OK(so);
  ASSERT_TRUE(so->ordered_at.has_value());
  EXPECT_EQ(FormatRfc3339(*so->ordered_at), "2026-03-02T00:00:00Z");
}

TEST_F(ImportJobTest, ReplayAfterFixingTheMappingStoresWhatNowPasses) {
  const std::string csv =
      WriteFile("m.csv", "code,name,type,legacy\nM-1,Flange,FG,1\nM-2,Bar,SFG,2\nM-3,Nut,??,3\n");
  const ImportReport first = Import(Parse(kMaterials), csv);
  EXPECT_EQ(first.quarantined, 2);
  ASSERT_EQ(Quarantined().size(), 2u);

  // The fix: SFG was missing from the code table.
  std::string fixed = kMaterials;
  fixed.replace(fixed.find("FG: product"), 11, "FG: product, SFG: intermediate");
  Result<ImportReport> replay = ReplayQuarantine(*hub_, Parse(fixed), {});
  ASSERT_OK(replay);
  EXPECT_EQ(replay->read, 2);
  EXPECT_EQ(replay->accepted, 1);
  EXPECT_EQ(replay->quarantined, 1);
  Result<Material> m2 = catalog().FindMaterial("M-2");
  ASSERT_OK(m2);
  EXPECT_EQ(m2->kind, MaterialKind::kIntermediate);
  EXPECT_EQ(m2->lineage.source_line, 3);  // still points at the original file's line
  EXPECT_EQ(m2->lineage.mapping_version, "materials@2");
  EXPECT_EQ(Quarantined().size(), 1u);
  EXPECT_EQ(Quarantined("replayed").size(), 1u);
}

TEST_F(ImportJobTest, CorrectedReimportResolvesQuarantinedRecords) {
  const govern::Mapping m = Parse(kMaterials);
  Import(m, WriteFile("a.csv", "code,name,type,legacy\nM-1,,FG,1\n"));
  ASSERT_EQ(Quarantined().size(), 1u);
  const ImportReport fixed =
      Import(m, WriteFile("b.csv", "code,name,type,legacy\nM-1,Flange,FG,1\n"));
  EXPECT_EQ(fixed.accepted, 1);
  EXPECT_TRUE(Quarantined().empty());
  const std::vector<QuarantinedRecord> resolved = Quarantined("resolved");
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].resolved_batch_id, fixed.batch_id);
}

TEST_F(ImportJobTest, RowCountChangeWarnsAgainstThePreviousBatch) {
  const std::string m = std::string(kMaterials) +
                        "rules:\n  - { rule: row_count_change, max_change: 0.5, severity: warn }\n";
  Import(Parse(m),
         WriteFile("a.csv",
                   "code,name,type,legacy\nM-1,A,FG,1\nM-2,B,FG,2\nM-3,C,FG,3\nM-4,D,FG,4\n"));
  const ImportReport small =
      Import(Parse(m), WriteFile("b.csv", "code,name,type,legacy\nM-1,A,FG,1\n"));
  ASSERT_EQ(small.batch_warnings.size(), 1u);
  EXPECT_NE(small.batch_warnings[0].message.find("previous batch had 4"), std::string::npos)
      << small.batch_warnings[0].message;
}

}  // namespace
}  // namespace fh::pipeline

namespace fh::pipeline {
namespace {

TEST_F(ImportJobTest, ReplayOfSamplesStoresThemAfterARuleFix) {
  const std::string csv = WriteFile("s.csv",
                                    "time,machine,temp\n"
                                    "2026-03-02T08:00:00Z,m1,80\n"
                                    "2026-03-02T08:01:00Z,m1,120\n"
                                    "2026-03-02T08:02:00Z,m1,85\n");
  const std::string base =
      "mapping: temps\nsource: { system: mes }\nentity: samples\nsamples:\n"
      "  timestamp: time\n  signals:\n    - { tag: \"{machine}/temp\", value: temp }\nrules:\n";
  const ImportReport first =
      Import(Parse(base + "  - { rule: range, field: value, max: 100 }\n"), csv);
  EXPECT_EQ(first.accepted, 2);
  EXPECT_EQ(first.quarantined, 1);

  Result<ImportReport> dry = ReplayQuarantine(
      *hub_, Parse(base + "  - { rule: range, field: value, max: 150 }\n"), {.dry_run = true});
  ASSERT_OK(dry);
  EXPECT_EQ(dry->accepted, 1);
  EXPECT_EQ(Quarantined().size(), 1u);  // a dry run changes nothing

  Result<ImportReport> replay =
      ReplayQuarantine(*hub_, Parse(base + "  - { rule: range, field: value, max: 150 }\n"), {});
  ASSERT_OK(replay);
  EXPECT_EQ(replay->read, 1);
  EXPECT_EQ(replay->accepted, 1);
  EXPECT_TRUE(Quarantined().empty());
  Result<std::optional<Sample>> last = hub_->storage().Latest("m1/temp");
  ASSERT_OK(last);
  int64_t n = 0;
  double max = 0;
  ASSERT_TRUE(hub_->storage()
                  .Scan("m1/temp", TimeRange{},
                        [&](auto, std::span<const double> v, auto) {
                          for (double x : v)
                            max = std::max(max, x);
                          n += static_cast<int64_t>(v.size());
                          return true;
                        })
                  .ok());
  EXPECT_EQ(n, 3);
  EXPECT_EQ(max, 120);

  // The series' lineage: lines 2 and 4 came with the import, line 3 with the replay.
  const int64_t t1 = *ParseRfc3339("2026-03-02T08:01:00Z");
  Result<std::vector<SeriesLineage>> at_t1 = catalog().FindSeriesLineage("m1/temp", t1);
  ASSERT_OK(at_t1);
  ASSERT_EQ(at_t1->size(), 2u);
  const SeriesLineage& replayed = (*at_t1)[0];  // the newest first
  EXPECT_EQ(replayed.batch_id, *replay->batch_id);
  EXPECT_EQ(replayed.samples, 1);
  EXPECT_EQ(replayed.first_ts, t1);
  EXPECT_EQ(replayed.first_line, 3);
  EXPECT_EQ(replayed.last_line, 3);
  const SeriesLineage& imported = (*at_t1)[1];
  EXPECT_EQ(imported.batch_id, *first.batch_id);
  EXPECT_EQ(imported.samples, 2);
  EXPECT_EQ(imported.first_ts, *ParseRfc3339("2026-03-02T08:00:00Z"));
  EXPECT_EQ(imported.last_ts, *ParseRfc3339("2026-03-02T08:02:00Z"));
  EXPECT_EQ(imported.first_line, 2);
  EXPECT_EQ(imported.last_line, 4);
  Result<std::vector<SeriesLineage>> before =
      catalog().FindSeriesLineage("m1/temp", *ParseRfc3339("2026-03-02T07:59:59Z"));
  ASSERT_OK(before);
  EXPECT_TRUE(before->empty());

  // A re-import stores nothing new: no lineage of its own.
  const ImportReport again =
      Import(Parse(base + "  - { rule: range, field: value, max: 150 }\n"), csv);
  EXPECT_EQ(again.duplicates, 3);
  Result<std::vector<SeriesLineage>> after = catalog().FindSeriesLineage("m1/temp", t1);
  ASSERT_OK(after);
  EXPECT_EQ(after->size(), 2u);
}

}  // namespace
}  // namespace fh::pipeline

namespace fh::pipeline {
namespace {

// Imports switch SQLite's foreign-key checks off for their duration (they resolve every
// reference themselves); the connection must get them back.
TEST_F(ImportJobTest, ForeignKeysAreOnAgainAfterAnImport) {
  Import(Parse(kMaterials), WriteFile("m.csv", "code,name,type,legacy\nM-1,Flange,FG,1\n"));
  CatalogSession session = hub_->OpenCatalog();
  Result<sqlite::Stmt> st =
      CatalogSessionTestAccess::Connection(session).Prepare("PRAGMA foreign_keys");
  ASSERT_OK(st);
  Result<bool> row = st->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(st->Int(0), 1);
}

}  // namespace
}  // namespace fh::pipeline
