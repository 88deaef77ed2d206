#include "pipeline/sample_bookkeeping.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/json_text.h"
#include "store/catalog/catalog.h"

namespace fh::pipeline {

namespace {

// One pass over the batch. With kLines, first_line and last_line hold the index of the
// tag's first and last point (their lines are looked up once per tag after).
template <bool kLines>
void SpanPass(const SampleBatch& batch, std::vector<SeriesSpan>& local) {
  // Raw pointers: writes to `local` would otherwise make the compiler reload the vectors'.
  const uint32_t* const tags = batch.tag().data();
  const TimestampNs* const times = batch.ts().data();
  SeriesSpan* const spans = local.data();
  const size_t n = batch.size();
  for (size_t i = 0; i < n; ++i) {
    SeriesSpan& s = spans[tags[i]];
    const TimestampNs ts = times[i];
    if (s.samples == 0) {
      s.first = s.last = ts;
      if constexpr (kLines) s.first_line = static_cast<int64_t>(i);
    } else {
      s.first = std::min(s.first, ts);
      s.last = std::max(s.last, ts);
    }
    if constexpr (kLines) s.last_line = static_cast<int64_t>(i);
    ++s.samples;
  }
}

}  // namespace

std::vector<SeriesSpan> BatchSpans(const SampleBatch& batch,
                                   const std::function<int64_t(size_t)>& line_of) {
  std::vector<SeriesSpan> local(batch.tag_names().size());
  if (!line_of) {
    SpanPass<false>(batch, local);
    return local;
  }
  SpanPass<true>(batch, local);
  for (SeriesSpan& s : local) {
    if (s.samples == 0) continue;
    s.first_line = line_of(static_cast<size_t>(s.first_line));
    s.last_line = line_of(static_cast<size_t>(s.last_line));
  }
  return local;
}

void MergeSeriesSpans(const SampleBatch& batch, const std::vector<SeriesSpan>& local,
                      StringMap<SeriesSpan>& spans) {
  for (size_t t = 0; t < local.size(); ++t) {
    const SeriesSpan& add = local[t];
    if (add.samples == 0) continue;
    const std::string& tag = batch.tag_names()[t];
    auto it = spans.find(tag);
    if (it == spans.end()) {
      spans.emplace(tag, add);
      continue;
    }
    SeriesSpan& s = it->second;
    s.first = std::min(s.first, add.first);
    s.last = std::max(s.last, add.last);
    if (s.first_line == 0) s.first_line = add.first_line;
    if (add.last_line != 0) s.last_line = add.last_line;
    s.samples += add.samples;
  }
}

std::vector<SeriesLineage> SeriesLineageOf(int64_t batch_id, const StringMap<SeriesSpan>& spans) {
  std::vector<SeriesLineage> out;
  out.reserve(spans.size());
  for (const auto& [tag, span] : spans) {
    SeriesLineage s;
    s.tag = tag;
    s.batch_id = batch_id;
    s.first_ts = span.first;
    s.last_ts = span.last;
    s.samples = span.samples;
    if (span.first_line > 0) s.first_line = span.first_line;
    if (span.last_line > 0) s.last_line = span.last_line;
    out.push_back(std::move(s));
  }
  return out;
}

Result<int64_t> BeginSampleBatch(CatalogSession& session, const StreamSource& source,
                                 const govern::StreamGovernor* governor) {
  GovernanceStore& gov = session.governance();
  std::string label = "stream";
  if (governor != nullptr) {
    // The stream mapping is versioned like a file mapping: lineage names the version.
    govern::Mapping m;
    m.name = governor->mapping().name;
    m.text = governor->mapping().text;
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
  if (governor != nullptr) {
    FH_RETURN_IF_ERROR(gov.SetBatchMapping(id, governor->mapping().name, "sample", std::nullopt));
  }
  return id;
}

Status RecordSampleBatch(CatalogSession& session, int64_t batch_id, const StreamCounters& counters,
                         IngestBatchStatus status, std::optional<std::string> message) {
  IngestBatch b;
  b.id = batch_id;
  b.status = status;
  b.records_read = counters.accepted + counters.quarantined;
  b.accepted = counters.accepted;
  b.quarantined = counters.quarantined;
  b.message = std::move(message);
  FH_RETURN_IF_ERROR(session.catalog().FinishBatch(b));
  return session.governance().SetBatchWarnings(batch_id, counters.warnings);
}

namespace {

QuarantinedRecord SampleEntry(int64_t batch_id, const StreamSource& source) {
  QuarantinedRecord q;
  q.batch_id = batch_id;
  q.entity = "sample";
  q.source_system = source.system;
  q.source_object = source.object;
  return q;
}

}  // namespace

QuarantinedRecord QuarantinedRecordOf(int64_t batch_id, const StreamSource& source,
                                      std::string_view format, const RejectedRecord& record) {
  QuarantinedRecord q = SampleEntry(batch_id, source);
  q.mapping_name = std::string(format);
  if (record.line > 0) q.source_line = record.line;
  q.raw = record.raw;
  govern::Violation v;
  v.check = govern::CheckKind::kSchema;
  v.rule = std::string(format);
  v.message = record.message;
  q.reasons = {std::move(v)};
  return q;
}

QuarantinedRecord QuarantinedPointOf(int64_t batch_id, const StreamSource& source,
                                     const govern::StreamGovernor& governor,
                                     const govern::RejectedPoint& point, int64_t line) {
  QuarantinedRecord q = SampleEntry(batch_id, source);
  q.mapping_name = governor.mapping().name;
  if (line > 0) q.source_line = line;
  nlohmann::json raw = {{"tag", point.tag}, {"ts", point.ts}, {"value", point.value}};
  if (point.quality != kQualityGood) raw["quality"] = point.quality;
  q.raw = JsonText(raw);
  q.reasons = point.violations;
  return q;
}

}  // namespace fh::pipeline
