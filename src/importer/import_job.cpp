#include "importer/import_job.h"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "common/time.h"
#include "govern/record_mapper.h"
#include "importer/entity_writer.h"
#include "importer/governance_store.h"
#include "importer/hub_lookups.h"
#include "importer/quarantine_spool.h"
#include "ingest/record_reader.h"
#include "model/entity.h"
#include "model/sample.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"
#include "store/sqlite/db.h"
#include "store/storage.h"

namespace fh::importer {

using govern::Severity;
using govern::Violation;

namespace {

// Maps, checks and stores records one at a time; what happens to a rejected record is the
// caller's (a new quarantine row for an import, an updated one for a replay).
class Processor {
 public:
  using RejectFn = std::function<Status(const ingest::RecordBatch&, size_t record,
                                        const std::vector<Violation>& reasons,
                                        const std::optional<std::string>& key)>;

  Processor(Hub& hub, const govern::Mapping& mapping, ImportReport& report)
      : hub_(hub),
        db_(hub.catalog_db()),
        catalog_(db_),
        gov_(db_),
        refs_(db_),
        lookups_(db_, catalog_, refs_, hub.storage()),
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
      FH_ASSIGN_OR_RETURN(writer_, EntityWriter::Make(db_, catalog_, refs_, *mapper_->entity()));
      std::vector<bool> lenient(mapper_->entity()->fields.size(), false);
      for (const govern::RuleSpec& r : mapping_.rules) {
        if (r.kind != govern::CheckKind::kReference || r.severity != Severity::kWarn) continue;
        const std::optional<size_t> i = mapper_->entity()->FieldIndex(r.fields[0]);
        if (i && !mapper_->entity()->fields[*i].required) lenient[*i] = true;
      }
      writer_->SetLenientReferences(std::move(lenient));
      writer_->TrackBatchKeys();
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
    return mapper_->Bind(columns, missing_is_null);
  }

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
      report_.batch_warnings.push_back(
          Violation{govern::CheckKind::kRowCountChange, Severity::kWarn, "no_records", "", "",
                    "the source has no records (it is empty, or has only its header)"});
    }
    WarnDefaultedFields();
    report_.checks = checker_->Tallies();
    return Status::Ok();
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
      report_.batch_warnings.push_back(Violation{
          govern::CheckKind::kRequired, Severity::kWarn, "default", std::string(f.name),
          std::string(f.default_value),
          fmt::format("not mapped: every record took the default '{}'; map the field (or give it "
                      "a constant, {}: {{ value: {} }}) to say so",
                      f.default_value, f.name, f.default_value)});
    }
  }

  // Samples: the storage writer (its own transaction, committed by the caller).
  Status StartSamples() {
    FH_ASSIGN_OR_RETURN(sample_writer_, hub_.storage().NewWriter());
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
    if (ok) {
      Lineage lineage = lineage_;
      lineage.source_line = line;
      int64_t id = 0;
      FH_ASSIGN_OR_RETURN(
          WriteOutcome outcome,
          writer_->Write(values_, lineage, violations_, mapping_.external_id ? &id : nullptr));
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
        CountWarnings(line, key);
        return true;
      }
    }
    return Reject(batch, i, key, on_reject);
  }

  Result<bool> ProcessSamples(const ingest::RecordBatch& batch, size_t i,
                              std::optional<int64_t> line, const RejectFn& on_reject) {
    const size_t first = mapped_.size();
    bool ok = mapper_->MapSamples(batch, i, mapped_, violations_);
    if (ok) {
      ok = checker_->CheckSamples(std::span(mapped_).subspan(first), violations_, now_);
    }
    if (!ok) {
      mapped_.resize(first);
      return Reject(batch, i, std::nullopt, on_reject);
    }
    // Whether the record is new or already stored is known once its block is compared
    // with the store (FlushSamples).
    pending_records_.push_back({first, mapped_.size(), line});
    report_.samples += static_cast<int64_t>(mapped_.size() - first);
    CountWarnings(line, std::nullopt);
    if (mapped_.size() >= 65536) FH_RETURN_IF_ERROR(FlushSamples());
    return true;
  }

  Result<bool> Reject(const ingest::RecordBatch& batch, size_t i,
                      const std::optional<std::string>& key, const RejectFn& on_reject) {
    ++report_.quarantined;
    for (const Violation& v : violations_)
      checker_->Tally(v);
    FH_RETURN_IF_ERROR(on_reject(batch, i, violations_, key));
    return false;
  }

  // Tallies a stored record's violations; one with warnings is counted, and listed (its
  // line, key and warnings) up to kMaxRecordWarnings per batch.
  void CountWarnings(std::optional<int64_t> line, const std::optional<std::string>& key) {
    bool warned = false;
    for (const Violation& v : violations_) {
      checker_->Tally(v);
      warned |= v.severity == Severity::kWarn;
    }
    if (!warned) return;
    ++report_.warnings;
    if (report_.record_warnings.size() >= kMaxRecordWarnings) return;
    RecordWarning& w = report_.record_warnings.emplace_back();
    w.source_line = line;
    w.record_key = key;
    for (const Violation& v : violations_) {
      if (v.severity == Severity::kWarn) w.reasons.push_back(v);
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
      const Status scanned = hub_.storage().Scan(
          std::string(tag), span,
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

  Hub& hub_;
  sqlite::Db& db_;
  Catalog catalog_;
  GovernanceStore gov_;
  RefResolver refs_;
  HubLookups lookups_;
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
  std::vector<Violation> violations_;
  struct PendingRecord {
    size_t first;  // its samples in mapped_
    size_t last;
    std::optional<int64_t> line;
  };
  std::vector<govern::MappedSample> mapped_;  // the samples of the block not yet flushed
  std::vector<PendingRecord> pending_records_;
  SampleBatch samples_;
  std::unordered_map<std::string, SeriesLineage> spans_;  // by tag, the tag left empty
};

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
  return q;
}

void KeepExample(ImportReport& report, size_t max, int64_t line,
                 const std::vector<Violation>& reasons) {
  if (report.examples.size() < max) report.examples.push_back({line, reasons});
}

// Reads every block of the source through the processor.
Status RunReader(ingest::RecordReader& reader, Processor& p, const ImportOptions& options,
                 const Processor::RejectFn& on_reject) {
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
Result<int64_t> BeginBatch(sqlite::Db& db, const govern::Mapping& mapping, ImportReport& report,
                           std::optional<int64_t> replay_of = std::nullopt) {
  Catalog catalog(db);
  GovernanceStore gov(db);
  FH_ASSIGN_OR_RETURN(MappingVersion v, gov.RegisterMapping(mapping));
  report.mapping = v.label();
  IngestBatch b;
  b.source_system = mapping.source_system;
  b.source_object = report.source_object;
  b.mapping_version = report.mapping;
  FH_ASSIGN_OR_RETURN(const int64_t id, catalog.BeginBatch(b));
  FH_RETURN_IF_ERROR(gov.SetBatchMapping(id, mapping.name, mapping.entity, replay_of));
  return id;
}

Status RecordFailedBatch(Hub& hub, const govern::Mapping& mapping, ImportReport report,
                         const Status& why) {
  sqlite::Db& db = hub.catalog_db();
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db));
  IngestBatch b;
  FH_ASSIGN_OR_RETURN(b.id, BeginBatch(db, mapping, report));
  b.status = IngestBatchStatus::kFailed;
  b.message = why.message();
  FH_RETURN_IF_ERROR(Catalog(db).FinishBatch(b));
  return tx.Commit();
}

Status FinishBatch(Processor& p, ImportReport& report, int64_t batch_id,
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
  FH_RETURN_IF_ERROR(p.gov().WriteChecks(batch_id, report.checks));
  FH_RETURN_IF_ERROR(p.gov().RecordWarnings(batch_id, report.record_warnings));
  FH_RETURN_IF_ERROR(p.gov().SetBatchWarnings(
      batch_id, report.warnings + static_cast<int64_t>(report.batch_warnings.size())));
  return p.catalog().FinishBatch(b);
}

// Connection settings for the duration of an entity import, restored when it ends.
// An entity import inserts into indexes all over the table (a work order's material, its
// equipment): once they outgrow SQLite's default cache of 2 MB, nearly every record reads
// its index pages back from the WAL. So a larger cache; a bound, so memory stays flat
// whatever the file's size.
class BulkImportScope {
 public:
  explicit BulkImportScope(sqlite::Db& db) : db_(db) {
    if (Result<sqlite::Stmt> st = db_.Prepare("PRAGMA cache_size"); st.ok()) {
      if (Result<bool> row = st->Step(); row.ok() && *row) previous_ = st->Int(0);
    }
    (void)db_.Exec(fmt::format("PRAGMA cache_size=-{}", kKib));  // slower if it fails, not wrong
    // Every id an import writes into a foreign-key column was just looked up by RefResolver
    // (or created) in the same transaction, and nothing deletes rows: SQLite's own check
    // would repeat each lookup, about a fifth of a large import's time. Outside a
    // transaction only, hence here.
    (void)db_.Exec("PRAGMA foreign_keys=OFF");
  }
  // Puts the connection's settings back. The foreign-key setting matters beyond this import
  // (the server shares the connection), so its failure is reported.
  Status Restore() {
    if (restored_) return Status::Ok();
    restored_ = true;
    (void)db_.Exec(fmt::format("PRAGMA cache_size={}", previous_));  // only speed is at stake
    return db_.Exec("PRAGMA foreign_keys=ON");
  }
  ~BulkImportScope() { (void)Restore(); }  // early returns: best effort, nothing to report to
  BulkImportScope(const BulkImportScope&) = delete;
  BulkImportScope& operator=(const BulkImportScope&) = delete;

 private:
  static constexpr int64_t kKib = 64 * 1024;
  sqlite::Db& db_;
  int64_t previous_ = -2000;  // SQLite's default: 2000 KiB
  bool restored_ = false;
};

Result<ImportReport> ImportEntities(Hub& hub, const govern::Mapping& mapping,
                                    ingest::RecordReader& reader, ImportReport report,
                                    const ImportOptions& options) {
  sqlite::Db& db = hub.catalog_db();
  Processor p(hub, mapping, report);
  Status run;
  BulkImportScope settings(db);
  {
    FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db));
    FH_ASSIGN_OR_RETURN(const int64_t batch_id, BeginBatch(db, mapping, report));
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
      Status recorded = RecordFailedBatch(hub, mapping, report, run);
      (void)recorded;  // the import's own error is what the user needs to see
    }
    return run;
  }
  return report;  // dry run
}

Result<ImportReport> ImportSamples(Hub& hub, const govern::Mapping& mapping,
                                   ingest::RecordReader& reader, ImportReport report,
                                   const ImportOptions& options) {
  sqlite::Db& db = hub.catalog_db();
  Processor p(hub, mapping, report);
  int64_t batch_id = 0;
  if (!options.dry_run) {
    // The batch exists first, so that the samples' tags can point at it; it stays
    // 'running' until the samples are committed.
    FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db));
    FH_ASSIGN_OR_RETURN(batch_id, BeginBatch(db, mapping, report));
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
      Status recorded = Catalog(db).FinishBatch(b);
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
    FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db));
    FH_RETURN_IF_ERROR(p.catalog().RecordSeriesLineage(p.SeriesSpans()));
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
  std::lock_guard<std::mutex> lock(hub.catalog_mutex());
  if (mapping.is_samples()) return ImportSamples(hub, mapping, *reader, std::move(report), options);
  return ImportEntities(hub, mapping, *reader, std::move(report), options);
}

Result<ImportReport> ReplayQuarantine(Hub& hub, const govern::Mapping& mapping,
                                      const ReplayOptions& options) {
  std::lock_guard<std::mutex> lock(hub.catalog_mutex());
  sqlite::Db& db = hub.catalog_db();
  ImportReport report;
  report.entity = mapping.entity;
  report.source_system = mapping.source_system;
  report.source_object = "quarantine";
  report.format = "quarantine";
  report.encoding = "utf-8";
  report.dry_run = options.dry_run;
  Processor p(hub, mapping, report);
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
  std::optional<sqlite::Transaction> tx;
  auto begin_tx = [&]() -> Status {
    FH_ASSIGN_OR_RETURN(sqlite::Transaction t, sqlite::Transaction::Begin(db));
    tx.emplace(std::move(t));
    return Status::Ok();
  };
  int64_t batch_id = 0;
  if (!mapping.is_samples()) {
    FH_RETURN_IF_ERROR(begin_tx());
    FH_ASSIGN_OR_RETURN(batch_id, BeginBatch(db, mapping, report, replay_of));
  } else if (!options.dry_run) {
    FH_ASSIGN_OR_RETURN(sqlite::Transaction begin, sqlite::Transaction::Begin(db));
    FH_ASSIGN_OR_RETURN(batch_id, BeginBatch(db, mapping, report, replay_of));
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
    FH_RETURN_IF_ERROR(p.catalog().RecordSeriesLineage(p.SeriesSpans()));
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
