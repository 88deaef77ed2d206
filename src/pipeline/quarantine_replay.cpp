// Replay: the open quarantine entries of a mapping read again, from their stored fields
// and under their original source and line, through a (fixed) mapping, as a batch of its
// own; what passes is stored and its entries marked replayed, what fails stays open.
#include <algorithm>
#include <limits>

#include "pipeline/batch_bookkeeping.h"
#include "pipeline/import_job.h"
#include "pipeline/record_processor.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"

namespace fh::pipeline {

using govern::Violation;

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

}  // namespace fh::pipeline
