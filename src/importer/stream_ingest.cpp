#include "importer/stream_ingest.h"

#include "common/time.h"
#include "importer/governance_store.h"
#include "store/catalog/catalog.h"

namespace fh::importer {

StreamIngest::StreamIngest(Hub& hub, std::chrono::milliseconds flush_every)
    : hub_(hub), flush_every_(flush_every) {
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
  std::lock_guard<std::mutex> catalog_lock(hub_.catalog_mutex());
  (void)FlushLocked();
  Catalog catalog(hub_.catalog_db());
  for (auto& [source, state] : sources_) {
    if (!state.batch_id) continue;
    IngestBatch b;
    b.id = *state.batch_id;
    b.status = IngestBatchStatus::kCompleted;
    b.records_read = state.counters.accepted + state.counters.quarantined;
    b.accepted = state.counters.accepted;
    b.quarantined = state.counters.quarantined;
    (void)catalog.FinishBatch(b);
  }
}

void StreamIngest::FlushLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, flush_every_, [this] { return stopping_; });
    if (stopping_) break;
    std::lock_guard<std::mutex> catalog_lock(hub_.catalog_mutex());
    (void)FlushLocked();  // a failed flush keeps its lineage pending for the next one
  }
}

Result<int64_t> StreamIngest::EnsureBatch(const StreamSource& source, SourceState& state) {
  if (state.batch_id) return *state.batch_id;
  IngestBatch b;
  b.source_system = source.system;
  b.source_object = source.object;
  b.mapping_version = "stream";
  FH_ASSIGN_OR_RETURN(const int64_t id, Catalog(hub_.catalog_db()).BeginBatch(b));
  state.batch_id = id;
  return id;
}

Status StreamIngest::Write(const StreamSource& source, std::string_view format,
                           const SampleBatch& points, const std::vector<RejectedRecord>& rejected) {
  if (!points.empty()) FH_RETURN_IF_ERROR(hub_.storage().Write(points));
  // Each batch-local tag's span first (one pass, no lookups), then one map update per tag.
  std::vector<Span> spans(points.tag_names().size());
  for (size_t i = 0; i < points.size(); ++i) {
    Span& s = spans[points.tag()[i]];
    const TimestampNs ts = points.ts()[i];
    if (s.samples == 0 || ts < s.first) s.first = ts;
    if (s.samples == 0 || ts > s.last) s.last = ts;
    ++s.samples;
  }
  std::lock_guard<std::mutex> lock(mu_);
  SourceState& state = sources_[source];
  for (size_t t = 0; t < spans.size(); ++t) {
    if (spans[t].samples == 0) continue;
    const std::string& tag = points.tag_names()[t];
    auto it = state.pending.find(tag);
    if (it == state.pending.end()) {
      state.pending.emplace(tag, spans[t]);
    } else {
      it->second.first = std::min(it->second.first, spans[t].first);
      it->second.last = std::max(it->second.last, spans[t].last);
      it->second.samples += spans[t].samples;
    }
  }
  state.counters.accepted += static_cast<int64_t>(points.size());
  state.last_write = NowNs();
  if (rejected.empty()) return Status::Ok();
  // Rejected records are in the catalog before the caller answers: never only in memory.
  std::lock_guard<std::mutex> catalog_lock(hub_.catalog_mutex());
  FH_ASSIGN_OR_RETURN(const int64_t batch_id, EnsureBatch(source, state));
  GovernanceStore store(hub_.catalog_db());
  for (const RejectedRecord& r : rejected) {
    QuarantinedRecord q;
    q.batch_id = batch_id;
    q.mapping_name = std::string(format);
    q.entity = "sample";
    q.source_system = source.system;
    q.source_object = source.object;
    if (r.line > 0) q.source_line = r.line;
    q.raw = r.raw;
    govern::Violation v;
    v.check = govern::CheckKind::kSchema;
    v.rule = std::string(format);
    v.message = r.message;
    q.reasons.push_back(std::move(v));
    FH_RETURN_IF_ERROR(store.Quarantine(q).status());
    ++state.counters.quarantined;
  }
  return Status::Ok();
}

Status StreamIngest::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  std::lock_guard<std::mutex> catalog_lock(hub_.catalog_mutex());
  return FlushLocked();
}

Status StreamIngest::FlushLocked() {
  Catalog catalog(hub_.catalog_db());
  for (auto& [source, state] : sources_) {
    if (state.pending.empty()) continue;
    FH_ASSIGN_OR_RETURN(const int64_t batch_id, EnsureBatch(source, state));
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
    state.pending.clear();
    IngestBatch b;
    b.id = batch_id;
    b.status = IngestBatchStatus::kRunning;
    b.records_read = state.counters.accepted + state.counters.quarantined;
    b.accepted = state.counters.accepted;
    b.quarantined = state.counters.quarantined;
    FH_RETURN_IF_ERROR(catalog.FinishBatch(b));
  }
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

std::optional<int64_t> StreamIngest::batch_id(const StreamSource& source) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sources_.find(source);
  return it == sources_.end() ? std::nullopt : it->second.batch_id;
}

}  // namespace fh::importer
