#include "pipeline/stream_replay.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/text_excerpt.h"
#include "common/time.h"
#include "pipeline/stream_ingest.h"
#include "store/governance/governance_store.h"

namespace fh::pipeline {

namespace {

constexpr size_t kFailuresShown = 100;

// The open records of every mapping versioned as a stream mapping, with the filters.
Result<std::vector<QuarantinedRecord>> OpenStreamRecords(Hub& hub, const ReplayOptions& options) {
  CatalogSession session = hub.OpenCatalog();
  GovernanceStore& gov = session.governance();
  FH_ASSIGN_OR_RETURN(const std::vector<std::string> mappings, gov.StreamMappingNames());
  std::vector<QuarantinedRecord> out;
  for (const std::string& name : mappings) {
    QuarantineFilter filter;
    filter.mapping_name = name;
    filter.batch_id = options.batch_id;
    filter.limit = std::numeric_limits<int64_t>::max();
    FH_ASSIGN_OR_RETURN(std::vector<QuarantinedRecord> records, gov.ListQuarantine(filter));
    for (QuarantinedRecord& q : records) {
      if (!options.ids.empty() &&
          std::find(options.ids.begin(), options.ids.end(), q.id) == options.ids.end()) {
        continue;
      }
      out.push_back(std::move(q));
    }
  }
  return out;
}

// The point a record holds: {"tag", "ts", "value"[, "quality"]}, as StreamIngest wrote it.
Status ReadPoint(const QuarantinedRecord& q, SampleBatch& batch) {
  const nlohmann::json j = nlohmann::json::parse(q.raw, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("tag") || !j["tag"].is_string() || !j.contains("ts") ||
      !j["ts"].is_number_integer() || !j.contains("value") || !j["value"].is_number()) {
    return Corruption("quarantined record {}: not a point: {}", q.id, Excerpt(q.raw));
  }
  const uint32_t quality = j.contains("quality") && j["quality"].is_number_unsigned()
                               ? j["quality"].get<uint32_t>()
                               : kQualityGood;
  batch.Add(j["tag"].get<std::string>(), j["ts"].get<int64_t>(), j["value"].get<double>(), quality);
  return Status::Ok();
}

}  // namespace

Result<StreamReplayReport> ReplayStreamQuarantine(Hub& hub,
                                                  std::shared_ptr<govern::StreamGovernor> governor,
                                                  const ReplayOptions& options) {
  FH_ASSIGN_OR_RETURN(std::vector<QuarantinedRecord> records, OpenStreamRecords(hub, options));
  StreamReplayReport report;
  report.read = static_cast<int64_t>(records.size());
  SampleBatch batch;
  for (const QuarantinedRecord& q : records)
    FH_RETURN_IF_ERROR(ReadPoint(q, batch));

  // Checked here rather than by the ingest, which would quarantine the failures again.
  govern::GovernedBatch governed;
  if (governor) governed = governor->Apply(batch, NowNs());
  std::vector<bool> passed(records.size(), true);
  for (const govern::RejectedPoint& p : governed.rejected) {
    passed[p.index] = false;
    if (report.failures.size() < kFailuresShown) {
      report.failures.push_back({records[p.index].id, p.tag, govern::FailureText(p)});
    }
  }
  report.still_failing = static_cast<int64_t>(governed.rejected.size());
  report.replayed = report.read - report.still_failing;
  const SampleBatch& stored = governed.all_kept ? batch : governed.kept;
  if (options.dry_run || stored.empty()) return report;

  {
    StreamIngest ingest(hub);
    const StreamSource source{"replay", "quarantine"};
    FH_RETURN_IF_ERROR(ingest.Write(source, "replay", stored, {}).status());
    FH_RETURN_IF_ERROR(ingest.Flush());
    report.batch = ingest.batch_id(source);
  }  // completes the batch
  if (!report.batch) return Internal("the replay's points have no batch");
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  GovernanceStore& gov = session.governance();
  for (size_t i = 0; i < records.size(); ++i) {
    if (passed[i]) FH_RETURN_IF_ERROR(gov.MarkReplayed(records[i].id, *report.batch));
  }
  FH_RETURN_IF_ERROR(txn.Commit());
  return report;
}

}  // namespace fh::pipeline
