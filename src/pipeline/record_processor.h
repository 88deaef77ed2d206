// RecordProcessor: one import's (or replay's) record path — map a record through the
// mapping, check its rules, store it (an entity through EntityWriter, samples through the
// storage writer), and count it in the ImportReport as accepted, duplicate, quarantined or
// warned. Used by import_job.cpp only: the drivers there read sources and own the batch.
#pragma once

#include <algorithm>
#include <charconv>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/fnv1a.h"
#include "common/number_text.h"
#include "common/time.h"
#include "govern/record_mapper.h"
#include "ingest/record_batch.h"
#include "model/entity.h"
#include "model/sample.h"
#include "pipeline/import_job.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"
#include "store/records/batch_keys.h"
#include "store/records/entity_writer.h"
#include "store/storage.h"

namespace fh::pipeline {

// Maps, checks and stores records one at a time; what happens to a rejected record is the
// caller's (a new quarantine row for an import, an updated one for a replay).
class RecordProcessor {
 public:
  using RejectFn = std::function<Status(const ingest::RecordBatch&, size_t record,
                                        const std::vector<govern::Violation>& reasons,
                                        const std::optional<std::string>& key)>;

  // `session` is the import's, held for as long as the processor lives.
  RecordProcessor(CatalogSession& session, Storage& storage, const govern::Mapping& mapping,
                  ImportReport& report)
      : storage_(storage),
        catalog_(session.catalog()),
        gov_(session.governance()),
        lookups_(session.lookups()),
        session_(session),
        mapping_(mapping),
        report_(report) {}

  Status Init(int64_t batch_id, std::string mapping_version, bool is_replay) {
    batch_id_ = batch_id;
    lineage_.source_system = mapping_.source_system;
    lineage_.source_object = report_.source_object;
    lineage_.mapping_version = std::move(mapping_version);
    if (batch_id) lineage_.batch_id = batch_id;
    FH_ASSIGN_OR_RETURN(mapper_, govern::RecordMapper::Make(mapping_));
    FH_ASSIGN_OR_RETURN(checker_, govern::RuleChecker::Make(mapping_));
    if (mapper_->entity()) {
      const std::vector<govern::FieldDef>& fields = mapper_->record_fields();
      FH_ASSIGN_OR_RETURN(
          writer_,
          session_.NewEntityWriter(*mapper_->entity(),
                                   std::span(fields).subspan(mapper_->entity()->fields.size())));
      std::vector<bool> lenient(mapper_->entity()->fields.size(), false);
      for (const govern::RuleSpec& r : mapping_.rules) {
        if (r.kind != govern::CheckKind::kReference || r.severity != govern::Severity::kWarn)
          continue;
        const std::optional<size_t> i = mapper_->entity()->FieldIndex(r.fields[0]);
        if (i && !mapper_->entity()->fields[*i].required) lenient[*i] = true;
      }
      writer_->SetLenientReferences(std::move(lenient));
      writer_->TrackBatchKeys();
      if (!mapping_.version_field.empty()) {
        writer_->SetVersionField(*govern::FindRecordField(fields, mapping_.version_field));
      }
      FH_ASSIGN_OR_RETURN(const int64_t open, gov_.CountOpen(mapping_.name));
      resolve_quarantine_ = open > 0 && !is_replay;
      if (mapping_.external_id) {
        FH_ASSIGN_OR_RETURN(external_kind_, ParseEntityKind(mapping_.entity));
      }
    }
    now_ = NowNs();
    return Status::Ok();
  }

  Status Bind(const std::vector<std::string>& columns, bool missing_is_null) {
    quarantine_id_col_ = -1;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (columns[c] == kQuarantineIdColumn) quarantine_id_col_ = static_cast<int>(c);
    }
    return mapper_->Bind(columns, missing_is_null);
  }

  // The column `quarantine export` adds to each row: a fixed export imported again keeps
  // each record's lineage to the file and line it first came from.
  static constexpr std::string_view kQuarantineIdColumn = "_quarantine_id";

  // Returns whether the record was stored (or already was).
  Result<bool> Process(const ingest::RecordBatch& batch, size_t i, std::optional<int64_t> line,
                       const RejectFn& on_reject) {
    ++report_.read;
    checker_->CountRecord();
    violations_.clear();
    if (mapper_->entity()) return ProcessEntity(batch, i, line, on_reject);
    return ProcessSamples(batch, i, line, on_reject);
  }

  // Batch-level rules, tallies and the sample writer's final append.
  Status Finish() {
    if (sample_writer_ && !pending_records_.empty()) FH_RETURN_IF_ERROR(FlushSamples());
    std::optional<int64_t> previous;
    if (batch_id_) {
      FH_ASSIGN_OR_RETURN(previous, gov_.PreviousRecordCount(mapping_.name, batch_id_));
    }
    checker_->CheckBatch(report_.read, previous, report_.batch_warnings);
    if (report_.read == 0) {
      // Not a silent success: an empty export is usually a failed one upstream.
      report_.batch_warnings.push_back(govern::Violation{
          govern::CheckKind::kRowCountChange, govern::Severity::kWarn, "no_records", "", "",
          "the source has no records (it is empty, or has only its header)"});
    }
    WarnDefaultedFields();
    WarnUnseenColumns();
    if (replaced_samples_ > 0) {
      report_.batch_warnings.push_back(govern::Violation{
          govern::CheckKind::kKey, govern::Severity::kWarn, "replaced", "value",
          std::to_string(replaced_samples_),
          fmt::format("{} samples replaced an earlier row's value for the same tag and time "
                      "(conflicts: last)",
                      replaced_samples_)});
    }
    report_.checks = checker_->Tallies();
    report_.missing = mapper_->missing_numbers();
    return Status::Ok();
  }

  // A JSON key the mapping reads but no record had: a misspelt key (or one the source
  // dropped) would otherwise read as null in every record, silently. (A CSV header without
  // a mapped column is an error before any record.)
  void WarnUnseenColumns() {
    if (report_.read == 0) return;  // said already: no records
    for (const auto& [column, field] : mapper_->UnboundColumns()) {
      report_.batch_warnings.push_back(govern::Violation{
          govern::CheckKind::kRequired, govern::Severity::kWarn, "unseen_column", field, column,
          fmt::format("no record has '{}' (read by {}): every record took it as null; is the "
                      "key spelt as in the file?",
                      column, field)});
    }
  }

  // A field the mapping leaves out but the entity gives a default (a material's kind, a
  // work order's status) took that default in every record: said once per batch, as a
  // warning, rather than silently.
  void WarnDefaultedFields() {
    const govern::EntityDef* entity = mapper_->entity();
    if (!entity || report_.read == 0) return;
    for (const govern::FieldDef& f : entity->fields) {
      if (f.default_value.empty()) continue;
      const bool mapped =
          std::any_of(mapping_.fields.begin(), mapping_.fields.end(),
                      [&](const govern::FieldMapping& m) { return m.target == f.name; });
      if (mapped) continue;
      report_.batch_warnings.push_back(govern::Violation{
          govern::CheckKind::kRequired, govern::Severity::kWarn, "default", std::string(f.name),
          std::string(f.default_value),
          fmt::format("not mapped: every record took the default '{}'; map the field (or give it "
                      "a constant, {}: {{ value: {} }}) to say so",
                      f.default_value, f.name, f.default_value)});
    }
  }

  // Samples: the storage writer (its own transaction, committed by the caller).
  Status StartSamples() {
    FH_ASSIGN_OR_RETURN(sample_writer_, storage_.NewWriter());
    return Status::Ok();
  }
  Status CommitSamples() {
    if (!sample_writer_) return Status::Ok();
    return sample_writer_->Commit();
  }
  // Rolls back what the sample writer has not committed, and lets go of its write lock.
  void AbortSamples() { sample_writer_.reset(); }

  // Replayed records keep the source they were first read from.
  void SetSourceObject(const std::string& object) { lineage_.source_object = object; }

  GovernanceStore& gov() { return gov_; }
  Catalog& catalog() { return catalog_; }

  // Once the samples are stored: per tag, the points this batch stored (the series'
  // lineage), and the unit its signal declares, for tags that have none yet. A tag stored
  // in another unit keeps it, and the batch warns: one tag, one unit.
  Status RecordSeries() {
    FH_RETURN_IF_ERROR(catalog_.RecordSeriesLineage(SeriesSpans()));
    for (const auto& [tag, signal] : tag_signals_) {
      const std::string& unit = mapping_.samples->signals[signal].unit;
      if (unit.empty()) continue;
      FH_ASSIGN_OR_RETURN(TagMeta meta, catalog_.FindTag(tag));
      if (meta.unit == unit) continue;
      if (meta.unit && !meta.unit->empty()) {
        report_.batch_warnings.push_back(govern::Violation{
            govern::CheckKind::kCast, govern::Severity::kWarn, "unit", tag, unit,
            fmt::format("tag '{}' is stored in {}, the mapping says {}: the tag keeps {}", tag,
                        *meta.unit, unit, *meta.unit)});
        continue;
      }
      meta.unit = unit;
      FH_RETURN_IF_ERROR(catalog_.UpsertTag(meta).status());
    }
    return Status::Ok();
  }

  // Per tag, the points this batch stored: for the series' lineage, once the samples are.
  std::vector<SeriesLineage> SeriesSpans() const {
    std::vector<SeriesLineage> out;
    out.reserve(spans_.size());
    for (const auto& [tag, span] : spans_) {
      out.push_back(span);
      out.back().tag = tag;
      out.back().batch_id = batch_id_;
    }
    std::sort(out.begin(), out.end(),
              [](const SeriesLineage& a, const SeriesLineage& b) { return a.tag < b.tag; });
    return out;
  }

 private:
  Result<bool> ProcessEntity(const ingest::RecordBatch& batch, size_t i,
                             std::optional<int64_t> line, const RejectFn& on_reject) {
    bool ok = mapper_->MapRecord(batch, i, values_, violations_, &lookups_);
    if (ok) ok = checker_->Check(values_, violations_, &lookups_, now_, line);
    std::optional<std::string> key;
    if (KeyMapped()) key = EntityWriter::KeyText(*mapper_->entity(), values_);
    if (ok && mapping_.external_id) ok = CheckExternalId(batch, i, key, line);
    if (ok) {
      Lineage lineage = lineage_;
      lineage.source_line = line;
      FH_ASSIGN_OR_RETURN(const std::optional<int64_t> fixed, FromQuarantine(batch, i, lineage));
      int64_t id = 0;
      FH_ASSIGN_OR_RETURN(
          WriteOutcome outcome,
          writer_->Write(values_, lineage, violations_, mapping_.external_id ? &id : nullptr));
      if (outcome == WriteOutcome::kStale) {
        // Read, not applied: the store holds a newer version (an older export after a newer
        // one). Counted apart; its quarantine entry, if any, stays as it was.
        ++report_.stale;
        return false;
      }
      if (outcome != WriteOutcome::kRejected) {
        if (outcome == WriteOutcome::kChanged) {
          ++report_.accepted;
        } else {
          ++report_.duplicates;
        }
        if (mapping_.external_id && id) FH_RETURN_IF_ERROR(MapExternalId(batch, i, id, lineage));
        // A record that changed the store resolves what was quarantined under its key (a
        // corrected file); one stored exactly so already resolves nothing: re-importing an
        // unchanged file must leave its quarantine as it was.
        if (resolve_quarantine_ && key && outcome == WriteOutcome::kChanged) {
          FH_RETURN_IF_ERROR(gov_.ResolveQuarantined(mapping_.name, *key, batch_id_));
        }
        if (fixed && batch_id_) FH_RETURN_IF_ERROR(gov_.MarkResolved(*fixed, batch_id_));
        CountWarnings(line, key);
        return true;
      }
    }
    return Reject(batch, i, key, on_reject);
  }

  // A row of a fixed quarantine export: its lineage is the original file and line (the fix
  // file is named by the batch), and the entry it fixes is resolved once it is stored.
  // Returns that entry's id; nothing for an ordinary row, or an id of another mapping.
  Result<std::optional<int64_t>> FromQuarantine(const ingest::RecordBatch& batch, size_t i,
                                                Lineage& lineage) {
    if (quarantine_id_col_ < 0) return std::optional<int64_t>();
    const std::optional<std::string_view> text =
        batch.field(i, static_cast<size_t>(quarantine_id_col_));
    int64_t id = 0;
    if (!text || std::from_chars(text->data(), text->data() + text->size(), id).ec != std::errc()) {
      return std::optional<int64_t>();
    }
    Result<QuarantinedRecord> q = gov_.GetQuarantined(id);
    if (!q.ok()) {
      if (q.status().code() == StatusCode::kNotFound) return std::optional<int64_t>();
      return q.status();
    }
    if (q->mapping_name != mapping_.name) return std::optional<int64_t>();
    lineage.source_object = q->source_object;
    lineage.source_line = q->source_line;
    return std::optional<int64_t>(id);
  }

  // One source id given to two records of one batch (a LIMS sample number shared by several
  // result rows) would move the crosswalk entry to the last of them silently: the later
  // record is rejected, naming the first. (Across batches a source may reassign an id: the
  // entry moves.) The mapping qualifies an id that is only unique with another column by
  // joining them: external_id: { from: [sample_no, characteristic], separator: "/" }.
  bool CheckExternalId(const ingest::RecordBatch& batch, size_t i,
                       const std::optional<std::string>& key, std::optional<int64_t> line) {
    const std::string_view external = mapper_->ExternalId(batch, i);
    if (external.empty() || !key) return true;
    const uint64_t id_digest = Fnv1a64(external);
    const uint64_t key_digest = Fnv1a64(*key);
    const std::optional<BatchKeys::First> seen = external_ids_.Find(id_digest);
    if (!seen) {
      external_ids_.Insert(id_digest, key_digest, line);
      return true;
    }
    if (seen->values == static_cast<uint32_t>(key_digest)) return true;  // the same record
    violations_.push_back(govern::Violation{
        govern::CheckKind::kCrosswalk, govern::Severity::kReject, "external_id", "external_id",
        std::string(external),
        fmt::format("{} of this batch has {} id '{}' too: one id names one record (qualify it "
                    "with another column, external_id: {{ from: [id, other], separator: \"/\" }})",
                    seen->line ? fmt::format("line {}", *seen->line) : "an earlier record",
                    mapping_.source_system, external)});
    return false;
  }

  Result<bool> ProcessSamples(const ingest::RecordBatch& batch, size_t i,
                              std::optional<int64_t> line, const RejectFn& on_reject) {
    const size_t first = mapped_.size();
    bool ok = mapper_->MapSamples(batch, i, mapped_, violations_);
    if (ok) {
      ok = checker_->CheckSamples(std::span(mapped_).subspan(first), violations_, now_, line);
    }
    if (ok) ok = CheckSampleKeys(first, line);
    if (!ok) {
      mapped_.resize(first);
      return Reject(batch, i, std::nullopt, on_reject);
    }
    if (mapped_.size() == first) {  // every sample repeats an earlier row's exactly
      ++report_.duplicates;
      CountWarnings(line, std::nullopt);
      return true;
    }
    // Whether the record is new or already stored is known once its block is compared
    // with the store (FlushSamples).
    pending_records_.push_back({first, mapped_.size(), line});
    report_.samples += static_cast<int64_t>(mapped_.size() - first);
    CountWarnings(line, std::nullopt);
    if (mapped_.size() >= 65536) FH_RETURN_IF_ERROR(FlushSamples());
    return true;
  }

  // Two rows of one import giving one tag a value at the same time: a repeat of the same
  // value and quality is dropped (a record of nothing but repeats is a duplicate); another
  // value is a `key` conflict naming the first row, and the record is rejected — unless the
  // mapping says `conflicts: last`, when the later value is stored and counted as replacing
  // one. Digests of every sample the import stores, 16 bytes each (batch_keys.h).
  bool CheckSampleKeys(size_t first, std::optional<int64_t> line) {
    const bool last_wins = mapping_.samples->conflicts_last;
    size_t kept = first;
    bool conflict = false;
    for (size_t k = first; k < mapped_.size(); ++k) {
      const govern::MappedSample& s = mapped_[k];
      uint64_t key = Fnv1a64(s.tag);
      key = Fnv1a64(
          std::string_view(reinterpret_cast<const char*>(&s.timestamp), sizeof s.timestamp), key);
      uint64_t value =
          Fnv1a64(std::string_view(reinterpret_cast<const char*>(&s.value), sizeof s.value));
      value = Fnv1a64(std::string_view(reinterpret_cast<const char*>(&s.quality), sizeof s.quality),
                      value);
      const std::optional<BatchKeys::First> seen = sample_keys_.Find(key);
      if (seen && seen->values == static_cast<uint32_t>(value)) continue;  // the same sample
      if (seen && !last_wins) {
        conflict = true;
        violations_.push_back(govern::Violation{
            govern::CheckKind::kKey, govern::Severity::kReject, "key", "value",
            FormatSampleValue(s.value),
            fmt::format("{} of this batch has tag {} at {} with another value: the first is kept "
                        "(conflicts: last in the mapping keeps the later one)",
                        seen->line ? fmt::format("line {}", *seen->line) : "an earlier row", s.tag,
                        FormatRfc3339(s.timestamp))});
        continue;
      }
      if (seen) ++replaced_samples_;
      pending_keys_.push_back({key, value});
      mapped_[kept++] = s;
    }
    if (conflict) {
      pending_keys_.clear();
      return false;
    }
    for (const auto& [key, value] : pending_keys_)
      sample_keys_.Replace(key, value, line);
    pending_keys_.clear();
    mapped_.resize(kept);
    return true;
  }

  static std::string FormatSampleValue(double v) {
    std::string out;
    AppendShortestDouble(&out, v);
    return out;
  }

  Result<bool> Reject(const ingest::RecordBatch& batch, size_t i,
                      const std::optional<std::string>& key, const RejectFn& on_reject) {
    ++report_.quarantined;
    for (const govern::Violation& v : violations_)
      checker_->Tally(v);
    FH_RETURN_IF_ERROR(on_reject(batch, i, violations_, key));
    return false;
  }

  // Tallies a stored record's violations; one with warnings is counted, and listed (its
  // line, key and warnings) up to kMaxRecordWarnings per batch.
  void CountWarnings(std::optional<int64_t> line, const std::optional<std::string>& key) {
    bool warned = false;
    for (const govern::Violation& v : violations_) {
      checker_->Tally(v);
      warned |= v.severity == govern::Severity::kWarn;
    }
    if (!warned) return;
    ++report_.warnings;
    if (report_.record_warnings.size() >= kMaxRecordWarnings) return;
    RecordWarning& w = report_.record_warnings.emplace_back();
    w.source_line = line;
    w.record_key = key;
    for (const govern::Violation& v : violations_) {
      if (v.severity == govern::Severity::kWarn) w.reasons.push_back(v);
    }
  }

  bool KeyMapped() const {
    const govern::EntityDef& e = *mapper_->entity();
    for (std::string_view k : e.key) {
      const size_t idx = *e.FieldIndex(k);
      if (idx >= values_.size()) return false;
      if (values_[idx].is_null() && e.fields[idx].required) return false;
    }
    return true;
  }

  Status MapExternalId(const ingest::RecordBatch& batch, size_t i, int64_t id,
                       const Lineage& lineage) {
    const std::string external(mapper_->ExternalId(batch, i));
    if (external.empty()) return Status::Ok();
    Result<int64_t> current =
        catalog_.ResolveExternalId(external_kind_, mapping_.source_system, external);
    if (current.ok() && *current == id) return Status::Ok();
    if (current.ok()) {
      FH_RETURN_IF_ERROR(
          catalog_.UnmapExternalId(external_kind_, mapping_.source_system, external));
    } else if (current.status().code() != StatusCode::kNotFound) {
      return current.status();
    }
    return catalog_.MapExternalId(
        ExternalId{external_kind_, id, mapping_.source_system, external, lineage});
  }

  // Compares the block's samples with what the store holds (one scan per tag over the
  // block's time span), counts each record as accepted or duplicate, and appends the new
  // ones. A record is a duplicate when every one of its samples is stored with the same
  // value and quality: re-importing a file then reports duplicates, as for entities.
  void AddToSpan(const govern::MappedSample& s, std::optional<int64_t> line) {
    auto [it, inserted] = spans_.try_emplace(s.tag);
    SeriesLineage& span = it->second;
    if (inserted) {
      tag_signals_.emplace(s.tag, s.signal);
      span.first_ts = span.last_ts = s.timestamp;
      span.first_line = span.last_line = line;
    }
    span.first_ts = std::min(span.first_ts, s.timestamp);
    span.last_ts = std::max(span.last_ts, s.timestamp);
    ++span.samples;
    if (line) {
      span.first_line = std::min(span.first_line.value_or(*line), *line);
      span.last_line = std::max(span.last_line.value_or(*line), *line);
    }
  }

  Status FlushSamples() {
    std::unordered_map<std::string_view, TimeRange> spans;
    for (const govern::MappedSample& s : mapped_) {
      auto [it, inserted] = spans.try_emplace(s.tag, TimeRange{s.timestamp, s.timestamp + 1});
      if (!inserted) {
        it->second.from = std::min(it->second.from, s.timestamp);
        it->second.to = std::max(it->second.to, s.timestamp + 1);
      }
    }
    struct Stored {
      uint64_t bits;
      uint32_t quality;
    };
    std::unordered_map<std::string_view, std::unordered_map<int64_t, Stored>> stored;
    for (const auto& [tag, span] : spans) {
      auto& points = stored[tag];
      const Status scanned =
          storage_.Scan(std::string(tag), span,
                        [&](std::span<const TimestampNs> ts, std::span<const double> value,
                            std::span<const uint32_t> quality) {
                          for (size_t i = 0; i < ts.size(); ++i) {
                            points[ts[i]] = Stored{std::bit_cast<uint64_t>(value[i]), quality[i]};
                          }
                          return true;
                        });
      // A tag the store has never seen holds nothing yet.
      if (!scanned.ok() && scanned.code() != StatusCode::kNotFound) return scanned;
    }
    for (const PendingRecord& r : pending_records_) {
      bool known = r.first < r.last;
      for (size_t k = r.first; known && k < r.last; ++k) {
        const govern::MappedSample& s = mapped_[k];
        const auto& points = stored[s.tag];
        const auto it = points.find(s.timestamp);
        known = it != points.end() && it->second.bits == std::bit_cast<uint64_t>(s.value) &&
                it->second.quality == s.quality;
      }
      if (known) {
        ++report_.duplicates;
        continue;
      }
      ++report_.accepted;
      for (size_t k = r.first; k < r.last; ++k) {
        const govern::MappedSample& s = mapped_[k];
        samples_.Add(s.tag, s.timestamp, s.value, s.quality);
        AddToSpan(s, r.line);
      }
    }
    pending_records_.clear();
    mapped_.clear();
    if (!samples_.size()) return Status::Ok();
    FH_RETURN_IF_ERROR(sample_writer_->Append(samples_));
    samples_.Clear();
    return Status::Ok();
  }

  Storage& storage_;
  Catalog& catalog_;
  GovernanceStore& gov_;
  govern::Lookups& lookups_;
  CatalogSession& session_;
  const govern::Mapping& mapping_;
  ImportReport& report_;
  int64_t batch_id_ = 0;
  Lineage lineage_;
  int64_t now_ = 0;
  bool resolve_quarantine_ = false;
  EntityKind external_kind_ = EntityKind::kMaterial;
  std::unique_ptr<govern::RecordMapper> mapper_;
  std::unique_ptr<govern::RuleChecker> checker_;
  std::unique_ptr<EntityWriter> writer_;
  std::unique_ptr<SampleWriter> sample_writer_;
  std::vector<govern::Value> values_;
  std::vector<govern::Violation> violations_;
  struct PendingRecord {
    size_t first;  // its samples in mapped_
    size_t last;
    std::optional<int64_t> line;
  };
  std::vector<govern::MappedSample> mapped_;  // the samples of the block not yet flushed
  std::vector<PendingRecord> pending_records_;
  SampleBatch samples_;
  std::unordered_map<std::string, SeriesLineage> spans_;   // by tag, the tag left empty
  std::unordered_map<std::string, uint32_t> tag_signals_;  // by tag: the signal that made it
  BatchKeys sample_keys_;       // (tag, time) -> value of every sample the import stores
  BatchKeys external_ids_;      // source id -> the natural key of the record it named
  int quarantine_id_col_ = -1;  // kQuarantineIdColumn's position, if the file has it
  std::vector<std::pair<uint64_t, uint64_t>> pending_keys_;  // scratch
  int64_t replaced_samples_ = 0;                             // conflicts: last
};

}  // namespace fh::pipeline
