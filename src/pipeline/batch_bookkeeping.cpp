#include "pipeline/batch_bookkeeping.h"

#include "govern/record_mapper.h"
#include "pipeline/record_processor.h"
#include "store/catalog/catalog.h"

namespace fh::pipeline {

using govern::Violation;

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

Result<int64_t> BeginBatch(CatalogSession& session, const govern::Mapping& mapping,
                           ImportReport& report, std::optional<int64_t> replay_of) {
  Catalog& catalog = session.catalog();
  GovernanceStore& gov = session.governance();
  FH_ASSIGN_OR_RETURN(MappingVersion v, gov.RegisterMapping(mapping));
  FH_RETURN_IF_ERROR(gov.MarkPersonal(mapping));
  report.mapping = v.label();
  if (v.created) report.new_mapping_digest = v.digest;
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

}  // namespace fh::pipeline
