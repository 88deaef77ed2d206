#include "pipeline/stream_ingest.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "common/json_text.h"
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
                           std::shared_ptr<govern::StreamGovernor> governor)
    : hub_(hub), flush_every_(flush_every), governor_(std::move(governor)) {
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
      s = RecordCounters(session, *state.batch_id, state.counters, IngestBatchStatus::kCompleted);
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
  GovernanceStore& gov = session.governance();
  std::string label = "stream";
  if (governor_) {
    // The stream mapping is versioned like a file mapping: lineage names the version.
    govern::Mapping m;
    m.name = governor_->mapping().name;
    m.text = governor_->mapping().text;
    m.entity = "samples";
    m.source_system = "stream";
    FH_ASSIGN_OR_RETURN(MappingVersion v, gov.RegisterMapping(m));
    label = v.label();
  }
  IngestBatch b;
  b.source_system = source.system;
  b.source_object = source.object;
  b.mapping_version = label;
  FH_ASSIGN_OR_RETURN(const int64_t id, session.catalog().BeginBatch(b));
  if (governor_) {
    FH_RETURN_IF_ERROR(gov.SetBatchMapping(id, governor_->mapping().name, "sample", std::nullopt));
  }
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
  if (!stored.empty()) FH_RETURN_IF_ERROR(hub_.storage().Write(stored));
  if (!texts.empty()) {
    CatalogSession session = hub_.OpenCatalog();
    FH_RETURN_IF_ERROR(session.text_samples().Write(texts));
  }
  // Each batch-local tag's span first (one pass, no lookups), then one map update per tag.
  std::vector<Span> spans(stored.tag_names().size());
  for (size_t i = 0; i < stored.size(); ++i) {
    Span& s = spans[stored.tag()[i]];
    const TimestampNs ts = stored.ts()[i];
    if (s.samples == 0 || ts < s.first) s.first = ts;
    if (s.samples == 0 || ts > s.last) s.last = ts;
    ++s.samples;
  }
  std::lock_guard<std::mutex> lock(mu_);
  SourceState& state = sources_[source];
  for (size_t t = 0; t < spans.size(); ++t) {
    if (spans[t].samples == 0) continue;
    const std::string& tag = stored.tag_names()[t];
    auto it = state.pending.find(tag);
    if (it == state.pending.end()) {
      state.pending.emplace(tag, spans[t]);
    } else {
      it->second.first = std::min(it->second.first, spans[t].first);
      it->second.last = std::max(it->second.last, spans[t].last);
      it->second.samples += spans[t].samples;
    }
  }
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
  QuarantinedRecord q;
  q.batch_id = batch_id;
  q.entity = "sample";
  q.source_system = source.system;
  q.source_object = source.object;
  for (const RejectedRecord& r : rejected) {
    q.mapping_name = std::string(format);
    q.source_line = r.line > 0 ? std::optional<int64_t>(r.line) : std::nullopt;
    q.raw = r.raw;
    govern::Violation v;
    v.check = govern::CheckKind::kSchema;
    v.rule = std::string(format);
    v.message = r.message;
    q.reasons = {std::move(v)};
    FH_RETURN_IF_ERROR(store.Quarantine(q).status());
  }
  // A failed point as a sample of POST /api/v1/samples, the value as received: once the
  // rule or the sender is fixed, it can be sent again as it is.
  for (const govern::RejectedPoint& p : failed) {
    q.mapping_name = governor_->mapping().name;
    q.source_line = std::nullopt;
    nlohmann::json raw = {{"tag", p.tag}, {"ts", p.ts}, {"value", p.value}};
    if (p.quality != kQualityGood) raw["quality"] = p.quality;
    q.raw = JsonText(raw);
    q.reasons = p.violations;
    FH_RETURN_IF_ERROR(store.Quarantine(q).status());
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
    std::vector<SeriesLineage> spans;
    spans.reserve(state.pending.size());
    for (const auto& [tag, span] : state.pending) {
      SeriesLineage s;
      s.tag = tag;
      s.batch_id = batch_id;
      s.first_ts = span.first;
      s.last_ts = span.last;
      s.samples = span.samples;
      spans.push_back(std::move(s));
    }
    FH_RETURN_IF_ERROR(catalog.RecordSeriesLineage(spans));
    FH_RETURN_IF_ERROR(
        RecordCounters(session, batch_id, state.counters, IngestBatchStatus::kRunning));
    flushed.push_back(&state);
  }
  FH_RETURN_IF_ERROR(txn.Commit());
  // Only once committed: a failed flush keeps its lineage for the next one.
  for (SourceState* state : flushed)
    state->pending.clear();
  return Status::Ok();
}

Status StreamIngest::RecordCounters(CatalogSession& session, int64_t batch_id,
                                    const StreamCounters& counters, IngestBatchStatus status) {
  IngestBatch b;
  b.id = batch_id;
  b.status = status;
  b.records_read = counters.accepted + counters.quarantined;
  b.accepted = counters.accepted;
  b.quarantined = counters.quarantined;
  FH_RETURN_IF_ERROR(session.catalog().FinishBatch(b));
  return session.governance().SetBatchWarnings(batch_id, counters.warnings);
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
