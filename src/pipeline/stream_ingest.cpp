#include "pipeline/stream_ingest.h"

#include <filesystem>

#include "common/time.h"
#include "store/catalog/catalog.h"
#include "store/catalog/text_samples.h"
#include "store/governance/governance_store.h"

namespace fh::pipeline {

Result<std::shared_ptr<govern::StreamGovernor>> LoadHubStreamMapping(const std::string& hub_dir) {
  const std::filesystem::path path = std::filesystem::path(hub_dir) / kStreamMappingFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::shared_ptr<govern::StreamGovernor>();
  FH_ASSIGN_OR_RETURN(govern::StreamMapping mapping, govern::LoadStreamMapping(path.string()));
  FH_ASSIGN_OR_RETURN(std::unique_ptr<govern::StreamGovernor> governor,
                      govern::StreamGovernor::Make(std::move(mapping)));
  return std::shared_ptr<govern::StreamGovernor>(std::move(governor));
}

StreamIngest::StreamIngest(Hub& hub, std::chrono::milliseconds flush_every,
                           std::shared_ptr<govern::StreamGovernor> governor,
                           StoredPointsHook on_stored)
    : hub_(hub),
      flush_every_(flush_every),
      governor_(std::move(governor)),
      on_stored_(std::move(on_stored)) {
  flusher_ = std::thread([this] { FlushLoop(); });
}

StreamIngest::~StreamIngest() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  flusher_.join();
  std::lock_guard<std::mutex> lock(mu_);
  CatalogSession session = hub_.OpenCatalog();
  Status s = FlushLocked(session);
  for (auto& [source, state] : sources_) {
    if (s.ok() && state.batch_id) {
      s = RecordSampleBatch(session, *state.batch_id, state.counters,
                            IngestBatchStatus::kCompleted);
    }
  }
  // The points are stored; only their lineage or counters are missing. A destructor cannot
  // return that, so it is said.
  if (!s.ok())
    fmt::print(stderr, "factoryhub: the streams' lineage was not recorded: {}\n", s.message());
}

void StreamIngest::FlushLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, flush_every_, [this] { return stopping_; });
    if (stopping_) break;
    CatalogSession session = hub_.OpenCatalog();
    // A failed flush keeps its lineage pending for the next one; it is counted and said
    // (once per distinct error, not every few seconds).
    const Status flushed = FlushLocked(session);
    if (flushed.ok()) {
      lineage_error_.clear();
    } else {
      ++lineage_failures_;
      if (flushed.message() != lineage_error_) {
        fmt::print(stderr, "factoryhub: the streams' lineage is not recorded (retrying): {}\n",
                   flushed.message());
      }
      lineage_error_ = flushed.message();
    }
  }
}

Result<int64_t> StreamIngest::EnsureBatch(CatalogSession& session, const StreamSource& source,
                                          SourceState& state) {
  if (state.batch_id) return *state.batch_id;
  // In a transaction of its own, and remembered only once committed.
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  FH_ASSIGN_OR_RETURN(const int64_t id, BeginSampleBatch(session, source, governor_.get()));
  FH_RETURN_IF_ERROR(txn.Commit());
  state.batch_id = id;
  return id;
}

Result<std::vector<govern::RejectedPoint>> StreamIngest::Write(
    const StreamSource& source, std::string_view format, const SampleBatch& points,
    const std::vector<RejectedRecord>& rejected, const std::vector<TextSample>& texts) {
  govern::GovernedBatch governed;
  if (governor_) governed = governor_->Apply(points, NowNs());
  const SampleBatch& stored = governed.all_kept ? points : governed.kept;
  if (!stored.empty()) {
    FH_RETURN_IF_ERROR(hub_.storage().Write(stored));
    if (on_stored_) on_stored_(stored);
  }
  if (!texts.empty()) {
    CatalogSession session = hub_.OpenCatalog();
    FH_RETURN_IF_ERROR(session.text_samples().Write(texts));
  }
  const std::vector<SeriesSpan> spans = BatchSpans(stored);
  std::lock_guard<std::mutex> lock(mu_);
  SourceState& state = sources_[source];
  MergeSeriesSpans(stored, spans, state.pending);
  // Text values count in the batch's accepted records; per-tag lineage (batch_series) is of
  // the numeric store's tags only.
  state.counters.accepted += static_cast<int64_t>(stored.size() + texts.size());
  state.counters.texts += static_cast<int64_t>(texts.size());
  state.counters.warnings += governed.warnings;
  state.last_write = NowNs();
  if (rejected.empty() && governed.rejected.empty()) return std::move(governed.rejected);
  // Rejected records are in the catalog before the caller answers: never only in memory.
  CatalogSession session = hub_.OpenCatalog();
  FH_RETURN_IF_ERROR(QuarantineLocked(session, source, state, format, rejected, governed.rejected));
  return std::move(governed.rejected);
}

Status StreamIngest::QuarantineLocked(CatalogSession& session, const StreamSource& source,
                                      SourceState& state, std::string_view format,
                                      const std::vector<RejectedRecord>& rejected,
                                      const std::vector<govern::RejectedPoint>& failed) {
  FH_ASSIGN_OR_RETURN(const int64_t batch_id, EnsureBatch(session, source, state));
  // One transaction: a request's rejected records cost one commit, not one each.
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  GovernanceStore& store = session.governance();
  for (const RejectedRecord& r : rejected) {
    FH_RETURN_IF_ERROR(store.Quarantine(QuarantinedRecordOf(batch_id, source, format, r)).status());
  }
  for (const govern::RejectedPoint& p : failed) {
    FH_RETURN_IF_ERROR(
        store.Quarantine(QuarantinedPointOf(batch_id, source, *governor_, p)).status());
  }
  FH_RETURN_IF_ERROR(txn.Commit());
  state.counters.quarantined += static_cast<int64_t>(rejected.size() + failed.size());
  return Status::Ok();
}

Status StreamIngest::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  CatalogSession session = hub_.OpenCatalog();
  return FlushLocked(session);
}

Status StreamIngest::FlushLocked(CatalogSession& session) {
  for (auto& [source, state] : sources_) {
    if (!state.pending.empty()) FH_RETURN_IF_ERROR(EnsureBatch(session, source, state).status());
  }
  FH_ASSIGN_OR_RETURN(UnitOfWork txn, session.Begin());
  Catalog& catalog = session.catalog();
  std::vector<SourceState*> flushed;
  for (auto& [source, state] : sources_) {
    if (state.pending.empty()) continue;
    const int64_t batch_id = *state.batch_id;
    FH_RETURN_IF_ERROR(catalog.RecordSeriesLineage(SeriesLineageOf(batch_id, state.pending)));
    FH_RETURN_IF_ERROR(
        RecordSampleBatch(session, batch_id, state.counters, IngestBatchStatus::kRunning));
    flushed.push_back(&state);
  }
  FH_RETURN_IF_ERROR(txn.Commit());
  // Only once committed: a failed flush keeps its lineage for the next one.
  for (SourceState* state : flushed)
    state->pending.clear();
  return Status::Ok();
}

StreamCounters StreamIngest::counters(const StreamSource& source) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sources_.find(source);
  return it == sources_.end() ? StreamCounters{} : it->second.counters;
}

std::vector<StreamIngest::SourceReport> StreamIngest::Sources() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SourceReport> out;
  for (const auto& [source, state] : sources_)
    out.push_back({source, state.counters, state.batch_id, state.last_write});
  return out;
}

StreamIngest::LineageHealth StreamIngest::lineage_health() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {lineage_failures_, lineage_error_};
}

std::optional<int64_t> StreamIngest::batch_id(const StreamSource& source) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sources_.find(source);
  return it == sources_.end() ? std::nullopt : it->second.batch_id;
}

}  // namespace fh::pipeline
