#include "importer/import_job.h"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <unordered_map>

#include "common/time.h"
#include "govern/record_mapper.h"
#include "importer/quarantine_spool.h"
#include "importer/record_processor.h"
#include "ingest/record_reader.h"
#include "model/entity.h"
#include "model/sample.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/hub.h"
#include "store/records/entity_writer.h"
#include "store/records/hub_lookups.h"
#include "store/storage.h"

namespace fh::importer {

using govern::Severity;
using govern::Violation;

namespace {

QuarantinedRecord MakeQuarantined(const ImportReport& report, const govern::Mapping& mapping,
                                  int64_t batch_id, const ingest::RecordBatch& batch, size_t i,
                                  const std::vector<Violation>& reasons,
                                  const std::optional<std::string>& key) {
  QuarantinedRecord q;
  q.batch_id = batch_id;
  q.mapping_name = mapping.name;
  q.entity = mapping.entity;
  q.source_system = mapping.source_system;
  q.source_object = report.source_object;
  q.source_line = batch.line(i);
  q.source_offset = batch.offset(i);
  q.columns = batch.columns();
  for (size_t c = 0; c < batch.columns().size(); ++c) {
    const std::optional<std::string_view> f = batch.field(i, c);
    q.fields.push_back(f ? std::optional<std::string>(std::string(*f)) : std::nullopt);
  }
  q.raw = std::string(batch.raw(i));
  q.reasons = reasons;
  q.record_key = key;
  q.personal_columns = govern::PersonalColumns(mapping);
  return q;
}

void KeepExample(ImportReport& report, size_t max, int64_t line,
                 const std::vector<Violation>& reasons) {
  if (report.examples.size() < max) report.examples.push_back({line, reasons});
}

// Reads every block of the source through the processor.
Status RunReader(ingest::RecordReader& reader, RecordProcessor& p, const ImportOptions& options,
                 const RecordProcessor::RejectFn& on_reject) {
  ingest::RecordBatch batch;
  size_t bound_columns = 0;
  const bool growing = reader.format() == "json" || reader.format() == "ndjson";
  int64_t records = 0;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool more, reader.Next(batch, options.batch_records));
    if (!more) break;
    if (batch.columns().size() != bound_columns || bound_columns == 0) {
      FH_RETURN_IF_ERROR(p.Bind(batch.columns(), growing));
      bound_columns = batch.columns().size();
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      // Whether it was stored is in the report's counters.
      FH_RETURN_IF_ERROR(p.Process(batch, i, batch.line(i), on_reject).status());
    }
    records += static_cast<int64_t>(batch.size());
    if (options.progress && !batch.empty()) {
      options.progress(ImportProgress{records, batch.offset(batch.size() - 1)});
    }
  }
  // A file with a header and no records still names its columns: a mapping that needs
  // others is wrong for it, and says so as it would with records.
  if (records == 0 && bound_columns == 0 && !growing && !batch.columns().empty()) {
    FH_RETURN_IF_ERROR(p.Bind(batch.columns(), false));
  }
  return Status::Ok();
}

// Registers the mapping's version (report.mapping becomes "name@version") and inserts a
// running batch for it; the caller's transaction decides whether both stay.
Result<int64_t> BeginBatch(CatalogSession& session, const govern::Mapping& mapping,
                           ImportReport& report, std::optional<int64_t> replay_of = std::nullopt) {
  Catalog& catalog = session.catalog();
  GovernanceStore& gov = session.governance();
  FH_ASSIGN_OR_RETURN(MappingVersion v, gov.RegisterMapping(mapping));
  FH_RETURN_IF_ERROR(gov.MarkPersonal(mapping));
  report.mapping = v.label();
  IngestBatch b;
  b.source_system = mapping.source_system;
  b.source_object = report.source_object;
  b.mapping_version = report.mapping;
  FH_ASSIGN_OR_RETURN(const int64_t id, catalog.BeginBatch(b));
  FH_RETURN_IF_ERROR(gov.SetBatchMapping(id, mapping.name, mapping.entity, replay_of));
  return id;
}

Status RecordFailedBatch(CatalogSession& session, const govern::Mapping& mapping,
                         ImportReport report, const Status& why) {
  FH_ASSIGN_OR_RETURN(UnitOfWork tx, session.Begin());
  IngestBatch b;
  FH_ASSIGN_OR_RETURN(b.id, BeginBatch(session, mapping, report));
  b.status = IngestBatchStatus::kFailed;
  b.message = why.message();
  FH_RETURN_IF_ERROR(session.catalog().FinishBatch(b));
  return tx.Commit();
}

Status FinishBatch(RecordProcessor& p, ImportReport& report, int64_t batch_id,
                   const std::string& mapping_version, const govern::Mapping& mapping) {
  IngestBatch b;
  b.id = batch_id;
  b.source_system = mapping.source_system;
  b.source_object = report.source_object;
  b.mapping_version = mapping_version;
  b.status = IngestBatchStatus::kCompleted;
  b.records_read = report.read;
  b.accepted = report.accepted;
  b.quarantined = report.quarantined;
  b.duplicates = report.duplicates;
  b.stale = report.stale;
  FH_RETURN_IF_ERROR(p.gov().WriteChecks(batch_id, report.checks));
  FH_RETURN_IF_ERROR(p.gov().RecordWarnings(batch_id, report.record_warnings));
  FH_RETURN_IF_ERROR(p.gov().SetBatchWarnings(
      batch_id, report.warnings + static_cast<int64_t>(report.batch_warnings.size())));
  return p.catalog().FinishBatch(b);
}

Result<ImportReport> ImportEntities(CatalogSession& session, Storage& storage,
                                    const govern::Mapping& mapping, ingest::RecordReader& reader,
                                    ImportReport report, const ImportOptions& options) {
  RecordProcessor p(session, storage, mapping, report);
  Status run;
  BulkWriteScope settings = session.BulkWrite();
  {
    FH_ASSIGN_OR_RETURN(UnitOfWork tx, session.Begin());
    FH_ASSIGN_OR_RETURN(const int64_t batch_id, BeginBatch(session, mapping, report));
    FH_RETURN_IF_ERROR(p.Init(batch_id, report.mapping, false));
    auto on_reject = [&](const ingest::RecordBatch& batch, size_t i,
                         const std::vector<Violation>& reasons,
                         const std::optional<std::string>& key) -> Status {
      KeepExample(report, options.max_examples, batch.line(i), reasons);
      return p.gov()
          .Quarantine(MakeQuarantined(report, mapping, batch_id, batch, i, reasons, key))
          .status();
    };
    run = RunReader(reader, p, options, on_reject);
    if (run.ok()) run = p.Finish();
    if (run.ok()) run = FinishBatch(p, report, batch_id, report.mapping, mapping);
    if (run.ok() && !options.dry_run) {
      FH_RETURN_IF_ERROR(tx.Commit());
      report.batch_id = batch_id;
    }
    // Unless committed, the transaction rolls back here: nothing of the file is stored.
  }
  if (Status restored = settings.Restore(); !restored.ok()) {
    return restored.WithContext(report.batch_id
                                    ? fmt::format("batch {} was stored, but", *report.batch_id)
                                    : std::string("after the import"));
  }
  if (report.batch_id) return report;
  if (!run.ok()) {
    if (!options.dry_run) {
      Status recorded = RecordFailedBatch(session, mapping, report, run);
      (void)recorded;  // the import's own error is what the user needs to see
    }
    return run;
  }
  return report;  // dry run
}

Result<ImportReport> ImportSamples(CatalogSession& session, Storage& storage,
                                   const govern::Mapping& mapping, ingest::RecordReader& reader,
                                   ImportReport report, const ImportOptions& options) {
  RecordProcessor p(session, storage, mapping, report);
  int64_t batch_id = 0;
  if (!options.dry_run) {
    // The batch exists first, so that the samples' tags can point at it; it stays
    // 'running' until the samples are committed.
    FH_ASSIGN_OR_RETURN(UnitOfWork tx, session.Begin());
    FH_ASSIGN_OR_RETURN(batch_id, BeginBatch(session, mapping, report));
    FH_RETURN_IF_ERROR(tx.Commit());
  } else {
    report.mapping = mapping.name;
  }
  // Whatever fails after the batch began, the batch says so (failed, and why) instead of
  // staying 'running': the samples are rolled back first, as their writer holds the
  // database's write lock that recording the failure needs.
  auto fail = [&](Status why) -> Status {
    p.AbortSamples();
    if (batch_id) {
      IngestBatch b;
      b.id = batch_id;
      b.status = IngestBatchStatus::kFailed;
      b.message = why.message();
      Status recorded = session.catalog().FinishBatch(b);
      (void)recorded;  // the import's own error is what the user needs to see
    }
    return why;
  };
  if (Status s = p.Init(batch_id, report.mapping, false); !s.ok()) return fail(s);
  // The sample writer holds the database's write lock until it commits: quarantined
  // records wait in the spool and are written after it.
  QuarantineSpool rejected;
  auto on_reject = [&](const ingest::RecordBatch& batch, size_t i,
                       const std::vector<Violation>& reasons,
                       const std::optional<std::string>& key) -> Status {
    KeepExample(report, options.max_examples, batch.line(i), reasons);
    if (options.dry_run) return Status::Ok();
    return rejected.Add(MakeQuarantined(report, mapping, batch_id, batch, i, reasons, key));
  };
  Status run = p.StartSamples();
  if (run.ok()) run = RunReader(reader, p, options, on_reject);
  if (run.ok()) run = p.Finish();
  if (options.dry_run) {
    p.AbortSamples();
    if (!run.ok()) return run;
    return report;
  }
  if (run.ok()) run = p.CommitSamples();
  if (!run.ok()) return fail(run);
  Status recorded = [&]() -> Status {
    FH_ASSIGN_OR_RETURN(UnitOfWork tx, session.Begin());
    FH_RETURN_IF_ERROR(p.RecordSeries());
    FH_RETURN_IF_ERROR(rejected.ForEach(
        [&](const QuarantinedRecord& q) { return p.gov().Quarantine(q).status(); }));
    FH_RETURN_IF_ERROR(FinishBatch(p, report, batch_id, report.mapping, mapping));
    return tx.Commit();
  }();
  // The samples are stored already; the batch says what failed after them.
  if (!recorded.ok()) return fail(recorded.WithContext("the samples were stored, but"));
  report.batch_id = batch_id;
  return report;
}

}  // namespace

Result<ImportReport> ImportFile(Hub& hub, const govern::Mapping& mapping, const std::string& path,
                                const ImportOptions& options) {
  ImportReport report;
  report.entity = mapping.entity;
  report.source_system = mapping.source_system;
  report.source_object = !options.source_object.empty() ? options.source_object
                         : !mapping.source_object.empty()
                             ? mapping.source_object
                             : std::filesystem::path(path).filename().string();
  report.dry_run = options.dry_run;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                      ingest::OpenRecordReader(path, mapping.reader));
  report.format = std::string(reader->format());
  report.encoding = std::string(reader->encoding());
  report.encoding_detection = std::string(reader->encoding_detection());
  CatalogSession session = hub.OpenCatalog();
  if (mapping.is_samples()) {
    return ImportSamples(session, hub.storage(), mapping, *reader, std::move(report), options);
  }
  return ImportEntities(session, hub.storage(), mapping, *reader, std::move(report), options);
}

Result<ImportReport> ReplayQuarantine(Hub& hub, const govern::Mapping& mapping,
                                      const ReplayOptions& options) {
  CatalogSession session = hub.OpenCatalog();
  ImportReport report;
  report.entity = mapping.entity;
  report.source_system = mapping.source_system;
  report.source_object = "quarantine";
  report.format = "quarantine";
  report.encoding = "utf-8";
  report.dry_run = options.dry_run;
  RecordProcessor p(session, hub.storage(), mapping, report);
  QuarantineFilter filter;
  filter.batch_id = options.batch_id;
  filter.mapping_name = mapping.name;
  filter.limit = std::numeric_limits<int64_t>::max();
  FH_ASSIGN_OR_RETURN(std::vector<QuarantinedRecord> records, p.gov().ListQuarantine(filter));
  if (!options.ids.empty()) {
    std::erase_if(records, [&](const QuarantinedRecord& q) {
      return std::find(options.ids.begin(), options.ids.end(), q.id) == options.ids.end();
    });
  }
  const std::optional<int64_t> replay_of =
      records.empty() ? std::nullopt : std::optional(records[0].batch_id);

  // Entities: one transaction for everything. Samples: the storage writer holds the
  // database's write lock until it commits, so the batch is created (and committed) first
  // and the quarantine rows are marked after the samples are stored.
  std::optional<UnitOfWork> tx;
  auto begin_tx = [&]() -> Status {
    FH_ASSIGN_OR_RETURN(UnitOfWork t, session.Begin());
    tx.emplace(std::move(t));
    return Status::Ok();
  };
  int64_t batch_id = 0;
  if (!mapping.is_samples()) {
    FH_RETURN_IF_ERROR(begin_tx());
    FH_ASSIGN_OR_RETURN(batch_id, BeginBatch(session, mapping, report, replay_of));
  } else if (!options.dry_run) {
    FH_ASSIGN_OR_RETURN(UnitOfWork begin, session.Begin());
    FH_ASSIGN_OR_RETURN(batch_id, BeginBatch(session, mapping, report, replay_of));
    FH_RETURN_IF_ERROR(begin.Commit());
  }
  FH_RETURN_IF_ERROR(p.Init(batch_id, report.mapping, true));
  if (mapping.is_samples()) FH_RETURN_IF_ERROR(p.StartSamples());

  ingest::RecordBatch batch;
  const std::vector<std::string>* bound = nullptr;
  std::vector<int64_t> replayed;
  for (const QuarantinedRecord& q : records) {
    // Each record is re-read from its stored fields, under its original source and line.
    batch.Clear();
    batch.mutable_columns() = q.columns;
    batch.BeginRecord(q.source_line.value_or(0), q.source_offset.value_or(0));
    for (const auto& f : q.fields) {
      if (f) {
        batch.AddField(*f);
      } else {
        batch.AddNull();
      }
    }
    batch.EndRecord(q.raw);
    p.SetSourceObject(q.source_object);
    if (!bound || *bound != q.columns) {
      FH_RETURN_IF_ERROR(p.Bind(batch.columns(), false));
      bound = &q.columns;
    }
    auto on_reject = [&](const ingest::RecordBatch&, size_t, const std::vector<Violation>& reasons,
                         const std::optional<std::string>&) -> Status {
      KeepExample(report, 20, q.source_line.value_or(0), reasons);
      return Status::Ok();  // it stays open
    };
    FH_ASSIGN_OR_RETURN(bool stored, p.Process(batch, 0, q.source_line, on_reject));
    if (stored) replayed.push_back(q.id);
  }
  FH_RETURN_IF_ERROR(p.Finish());
  if (mapping.is_samples()) {
    if (options.dry_run) return report;  // the writer never commits
    FH_RETURN_IF_ERROR(p.CommitSamples());
    FH_RETURN_IF_ERROR(begin_tx());
    FH_RETURN_IF_ERROR(p.RecordSeries());
  }
  for (int64_t id : replayed)
    FH_RETURN_IF_ERROR(p.gov().MarkReplayed(id, batch_id));
  FH_RETURN_IF_ERROR(FinishBatch(p, report, batch_id, report.mapping, mapping));
  if (options.dry_run) return report;  // rolled back
  FH_RETURN_IF_ERROR(tx->Commit());
  report.batch_id = batch_id;
  return report;
}

}  // namespace fh::importer
