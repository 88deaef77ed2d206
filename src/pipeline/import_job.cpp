#include "pipeline/import_job.h"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <unordered_map>

#include "common/time.h"
#include "govern/record_mapper.h"
#include "ingest/record_reader.h"
#include "model/entity.h"
#include "model/sample.h"
#include "pipeline/batch_bookkeeping.h"
#include "pipeline/quarantine_spool.h"
#include "pipeline/record_processor.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/hub.h"
#include "store/storage.h"

namespace fh::pipeline {

using govern::Violation;

namespace {

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

}  // namespace fh::pipeline
