#include "store/governance/governance_store.h"

#include <nlohmann/json.hpp>

#include "common/json_text.h"
#include "common/time.h"
#include "store/governance/quarantine_bounds.h"
#include "store/sqlite/db.h"

namespace fh {

namespace {

// A stable digest of a mapping's text or a record's: identifies versions and re-imports.
std::string Digest(std::string_view text) {
  return Fnv1a64Hex(text);
}

// Empty fields and values are left out: a stream's rejected lines have neither, and their
// reasons are stored per record when they quote a value (ParseReasons reads them as "").
nlohmann::json ReasonsJson(const std::vector<govern::Violation>& reasons) {
  nlohmann::json out = nlohmann::json::array();
  for (const govern::Violation& v : reasons) {
    nlohmann::json r = {{"check", govern::ToString(v.check)},
                        {"rule", v.rule},
                        {"severity", govern::ToString(v.severity)},
                        {"message", v.message}};
    if (!v.field.empty()) r["field"] = v.field;
    if (!v.value.empty()) r["value"] = v.value;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<govern::Violation> ParseReasons(std::string_view text) {
  std::vector<govern::Violation> out;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const auto& r : j) {
    govern::Violation v;
    v.check = govern::ParseCheckKind(r.value("check", "")).value_or(govern::CheckKind::kSchema);
    v.severity = r.value("severity", "reject") == "warn" ? govern::Severity::kWarn
                                                         : govern::Severity::kReject;
    v.rule = r.value("rule", "");
    v.field = r.value("field", "");
    v.value = r.value("value", "");
    v.message = r.value("message", "");
    out.push_back(std::move(v));
  }
  return out;
}

// A record's reasons: shared (migration 0010) or, when they could not be, its own.
#define FH_QUARANTINE_REASONS(q) \
  "coalesce((SELECT text FROM quarantine_reasons WHERE id = " q ".reasons_id), " q ".reasons)"

constexpr const char* kQuarantineColumns =
    "id, batch_id, mapping_name, entity, source_system, source_object, source_line, "
    "source_offset, columns, fields, raw, " FH_QUARANTINE_REASONS("quarantine") ", record_key, "
    "status, resolved_batch_id, created_at, resolution, resolved_at, personal";

QuarantinedRecord ReadQuarantined(sqlite::Stmt& st) {
  QuarantinedRecord q;
  q.id = st.Int(0);
  q.batch_id = st.Int(1);
  q.mapping_name = std::string(st.Text(2));
  q.entity = std::string(st.Text(3));
  q.source_system = std::string(st.Text(4));
  q.source_object = std::string(st.Text(5));
  q.source_line = st.OptInt(6);
  q.source_offset = st.OptInt(7);
  const nlohmann::json cols = nlohmann::json::parse(st.Text(8), nullptr, false);
  if (cols.is_array()) {
    for (const auto& c : cols)
      q.columns.push_back(c.is_string() ? c.get<std::string>() : "");
  }
  const nlohmann::json fields = nlohmann::json::parse(st.Text(9), nullptr, false);
  if (fields.is_array()) {
    for (const auto& f : fields) {
      q.fields.push_back(f.is_string() ? std::optional<std::string>(f.get<std::string>())
                                       : std::nullopt);
    }
  }
  q.raw = std::string(st.Text(10));
  q.reasons = ParseReasons(st.Text(11));
  q.record_key = st.OptText(12);
  q.status = std::string(st.Text(13));
  q.resolved_batch_id = st.OptInt(14);
  q.created_at = st.Int(15);
  q.resolution = st.OptText(16);
  q.resolved_at = st.OptInt(17);
  if (const std::optional<std::string> personal = st.OptText(18)) {
    const nlohmann::json names = nlohmann::json::parse(*personal, nullptr, false);
    if (names.is_array()) {
      for (const auto& n : names) {
        if (n.is_string()) q.personal_columns.push_back(n.get<std::string>());
      }
    }
  }
  return q;
}

// Every row of a bound statement, read by `read`; the statement is reset however it ends.
template <typename ReadFn>
auto ReadRows(sqlite::Stmt& st, ReadFn read) -> Result<std::vector<decltype(read(st))>> {
  std::vector<decltype(read(st))> out;
  while (true) {
    Result<bool> row = st.Step();
    if (!row.ok()) {
      st.Reset();
      return row.status();
    }
    if (!*row) break;
    out.push_back(read(st));
  }
  st.Reset();
  return out;
}

// The single integer a bound `SELECT count(*)` gives.
Result<int64_t> ReadCount(sqlite::Stmt& st) {
  Result<bool> row = st.Step();
  const int64_t n = row.ok() && *row ? st.Int(0) : 0;
  st.Reset();
  FH_RETURN_IF_ERROR(row.status());
  return n;
}

}  // namespace

Result<MappingVersion> GovernanceStore::RegisterMapping(const govern::Mapping& mapping) {
  const std::string digest = Digest(mapping.text);
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * find,
                      db_.Cached("SELECT version FROM mapping_version WHERE name = ?1 AND "
                                 "digest = ?2"));
  find->Bind(1, std::string_view(mapping.name)).Bind(2, std::string_view(digest));
  FH_ASSIGN_OR_RETURN(bool found, find->Step());
  if (found) {
    MappingVersion v{mapping.name, find->Int(0), false, digest};
    find->Reset();
    return v;
  }
  find->Reset();
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * insert,
      db_.Cached("INSERT INTO mapping_version(name, version, digest, entity, source_system, body, "
                 "created_at) VALUES(?1, (SELECT ifnull(max(version), 0) + 1 FROM mapping_version "
                 "WHERE name = ?1), ?2, ?3, ?4, ?5, ?6) RETURNING version"));
  insert->Bind(1, std::string_view(mapping.name))
      .Bind(2, std::string_view(digest))
      .Bind(3, std::string_view(mapping.entity))
      .Bind(4, std::string_view(mapping.source_system))
      .Bind(5, std::string_view(mapping.text))
      .Bind(6, NowNs());
  FH_ASSIGN_OR_RETURN(bool row, insert->Step());
  if (!row) {
    insert->Reset();
    return Internal("mapping_version insert returned nothing");
  }
  MappingVersion v{mapping.name, insert->Int(0), true, digest};
  insert->Reset();
  return v;
}

Result<std::vector<std::string>> GovernanceStore::StreamMappingNames() {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt names,
      db_.Prepare("SELECT DISTINCT name FROM mapping_version WHERE source_system = 'stream'"));
  std::vector<std::string> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, names.Step());
    if (!row) break;
    out.emplace_back(names.Text(0));
  }
  return out;
}

Result<std::string> GovernanceStore::MappingText(const std::string& name, int64_t version) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT body FROM mapping_version WHERE name = ?1 AND "
                                 "(?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1"));
  st->Bind(1, std::string_view(name)).Bind(2, version);
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  std::string body = row ? std::string(st->Text(0)) : std::string();
  st->Reset();
  if (!row) {
    return version ? NotFound("mapping '{}' has no version {}", name, version)
                   : NotFound("no mapping named '{}' has been used in this hub", name);
  }
  return body;
}

Status GovernanceStore::SetBatchMapping(int64_t batch_id, const std::string& mapping_name,
                                        const std::string& entity,
                                        std::optional<int64_t> replay_of) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("UPDATE ingest_batch SET mapping_name = ?1, entity = ?2, "
                                 "replay_of = ?3 WHERE id = ?4"));
  st->Bind(1, std::string_view(mapping_name))
      .Bind(2, std::string_view(entity))
      .Bind(3, replay_of)
      .Bind(4, batch_id);
  Result<bool> r = st->Step();
  st->Reset();
  return r.status();
}

Status GovernanceStore::SetBatchWarnings(int64_t batch_id, int64_t warnings) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("UPDATE ingest_batch SET warnings = ?1 WHERE id = ?2"));
  st->Bind(1, warnings).Bind(2, batch_id);
  Result<bool> r = st->Step();
  st->Reset();
  return r.status();
}

Result<std::optional<int64_t>> GovernanceStore::PreviousRecordCount(const std::string& mapping_name,
                                                                    int64_t before_batch) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT records_read FROM ingest_batch WHERE mapping_name = ?1 "
                                 "AND id < ?2 AND status = 'completed' AND replay_of IS NULL "
                                 "ORDER BY id DESC LIMIT 1"));
  st->Bind(1, std::string_view(mapping_name)).Bind(2, before_batch);
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<int64_t> n;
  if (row) n = st->Int(0);
  st->Reset();
  return n;
}

Status GovernanceStore::WriteChecks(int64_t batch_id,
                                    const std::vector<govern::CheckTally>& tallies) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("INSERT INTO batch_check(batch_id, rule, check_kind, dimension, severity, field, "
                 "checked, failed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(batch_id, "
                 "rule, field) DO UPDATE SET checked = checked + excluded.checked, "
                 "failed = failed + excluded.failed"));
  for (const govern::CheckTally& t : tallies) {
    st->Bind(1, batch_id)
        .Bind(2, std::string_view(t.rule))
        .Bind(3, govern::ToString(t.check))
        .Bind(4, govern::ToString(govern::DimensionOf(t.check)))
        .Bind(5, govern::ToString(t.severity))
        .Bind(6, std::string_view(t.field))
        .Bind(7, t.checked)
        .Bind(8, t.failed);
    Result<bool> r = st->Step();
    st->Reset();
    FH_RETURN_IF_ERROR(r.status());
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> GovernanceStore::ShareReasons(std::string_view text) {
  const int64_t digest = static_cast<int64_t>(Fnv1a64(text));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * find,
                      db_.Cached("SELECT id, text = ?2 FROM quarantine_reasons WHERE digest = ?1"));
  find->Bind(1, digest).Bind(2, text);
  Result<bool> found = find->Step();
  std::optional<int64_t> id;
  bool same = false;
  if (found.ok() && *found) {
    id = find->Int(0);
    same = find->Int(1) != 0;
  }
  find->Reset();
  FH_RETURN_IF_ERROR(found.status());
  if (id) return same ? id : std::nullopt;  // the digest is another text's: kept inline
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * insert,
                      db_.Cached("INSERT INTO quarantine_reasons(digest, text) VALUES(?1, ?2) "
                                 "RETURNING id"));
  insert->Bind(1, digest).Bind(2, text);
  Result<bool> row = insert->Step();
  if (row.ok() && *row) id = insert->Int(0);
  insert->Reset();
  FH_RETURN_IF_ERROR(row.status());
  if (!id) return Internal("quarantine_reasons insert returned nothing");
  return id;
}

Result<int64_t> GovernanceStore::Quarantine(const QuarantinedRecord& record) {
  // What is kept of the record is bounded (quarantine_bounds.h), never the record itself.
  const QuarantinedRecord q = Bounded(record);
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : q.fields)
    fields.push_back(f ? nlohmann::json(*f) : nlohmann::json());
  const std::string cols = JsonText(nlohmann::json(q.columns));
  const std::string fields_text = JsonText(fields);
  const std::string reasons_text = JsonText(ReasonsJson(q.reasons));
  const std::string digest = Digest(q.raw);
  // Thousands of records rejected for one reason store its text once.
  FH_ASSIGN_OR_RETURN(const std::optional<int64_t> reasons_id, ShareReasons(reasons_text));
  const std::string_view reasons = reasons_id ? std::string_view("") : reasons_text;

  // The same record rejected again (a re-import) updates its open row instead of adding one.
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * update,
      db_.Cached("UPDATE quarantine SET batch_id = ?3, source_object = ?4, source_line = ?5, "
                 "source_offset = ?6, columns = ?7, fields = ?8, reasons = ?9, record_key = ?10, "
                 "reasons_id = ?12, personal = ?13 WHERE mapping_name = ?1 AND raw_digest = ?2 AND "
                 "status = 'open' AND raw = ?11 RETURNING id"));
  update->Bind(1, std::string_view(q.mapping_name))
      .Bind(2, std::string_view(digest))
      .Bind(3, q.batch_id)
      .Bind(4, std::string_view(q.source_object))
      .Bind(5, q.source_line)
      .Bind(6, q.source_offset)
      .Bind(7, std::string_view(cols))
      .Bind(8, std::string_view(fields_text))
      .Bind(9, reasons);
  if (q.record_key) {
    update->Bind(10, std::string_view(*q.record_key));
  } else {
    update->BindNull(10);
  }
  const std::optional<std::string> personal =
      q.personal_columns.empty()
          ? std::nullopt
          : std::optional<std::string>(JsonText(nlohmann::json(q.personal_columns)));
  update->Bind(11, std::string_view(q.raw)).Bind(12, reasons_id);
  if (personal) {
    update->Bind(13, std::string_view(*personal));
  } else {
    update->BindNull(13);
  }
  Result<bool> updated = update->Step();
  const int64_t existing = updated.ok() && *updated ? update->Int(0) : 0;
  update->Reset();
  FH_RETURN_IF_ERROR(updated.status());
  if (existing) return existing;

  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("INSERT INTO quarantine(batch_id, mapping_name, entity, source_system, "
                 "source_object, source_line, source_offset, columns, fields, raw, raw_digest, "
                 "reasons, record_key, status, created_at, reasons_id, personal) VALUES(?1, ?2, "
                 "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'open', ?14, ?15, ?16) "
                 "RETURNING id"));
  st->Bind(1, q.batch_id)
      .Bind(2, std::string_view(q.mapping_name))
      .Bind(3, std::string_view(q.entity))
      .Bind(4, std::string_view(q.source_system))
      .Bind(5, std::string_view(q.source_object))
      .Bind(6, q.source_line)
      .Bind(7, q.source_offset)
      .Bind(8, std::string_view(cols))
      .Bind(9, std::string_view(fields_text))
      .Bind(10, std::string_view(q.raw))
      .Bind(11, std::string_view(digest))
      .Bind(12, reasons);
  if (q.record_key) {
    st->Bind(13, std::string_view(*q.record_key));
  } else {
    st->BindNull(13);
  }
  st->Bind(14, NowNs()).Bind(15, reasons_id);
  if (personal) {
    st->Bind(16, std::string_view(*personal));
  } else {
    st->BindNull(16);
  }
  Result<bool> row = st->Step();
  const int64_t id = row.ok() && *row ? st->Int(0) : 0;
  st->Reset();
  FH_RETURN_IF_ERROR(row.status());
  return id;
}

Status GovernanceStore::ResolveQuarantined(const std::string& mapping_name, const std::string& key,
                                           int64_t batch_id, const std::string& status) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("UPDATE quarantine SET status = ?4, resolved_batch_id = ?3 "
                 "WHERE mapping_name = ?1 AND status = 'open' AND record_key = ?2"));
  // Keys are stored bounded (quarantine_bounds.h): compared bounded.
  const std::string bounded_key = BoundQuarantineText(key);
  st->Bind(1, std::string_view(mapping_name))
      .Bind(2, std::string_view(bounded_key))
      .Bind(3, batch_id)
      .Bind(4, std::string_view(status));
  Result<bool> r = st->Step();
  st->Reset();
  return r.status();
}

Status GovernanceStore::MarkResolved(int64_t quarantine_id, int64_t batch_id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("UPDATE quarantine SET status = 'resolved', resolved_batch_id = "
                                 "?2 WHERE id = ?1 AND status = 'open'"));
  st->Bind(1, quarantine_id).Bind(2, batch_id);
  Result<bool> r = st->Step();
  st->Reset();
  return r.status();
}

Status GovernanceStore::MarkReplayed(int64_t quarantine_id, int64_t batch_id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db_.Cached("UPDATE quarantine SET status = 'replayed', "
                                                    "resolved_batch_id = ?2 WHERE id = ?1"));
  st->Bind(1, quarantine_id).Bind(2, batch_id);
  Result<bool> r = st->Step();
  st->Reset();
  return r.status();
}

Result<int64_t> GovernanceStore::CountOpen(const std::string& mapping_name) {
  QuarantineFilter open;  // status open by default
  open.mapping_name = mapping_name;
  return CountQuarantine(open);
}

namespace {
// The rows a QuarantineFilter selects (?1 batch, ?2 mapping, ?3 status).
constexpr std::string_view kFilterWhere =
    "(?1 IS NULL OR batch_id = ?1) AND (?2 = '' OR mapping_name = ?2) AND "
    "(?3 = '' OR status = ?3)";
}  // namespace

Status GovernanceStore::CloseQuarantined(std::span<const int64_t> ids, std::string_view status,
                                         std::string_view reason, int64_t at) {
  if (status != "resolved" && status != "dismissed") {
    return InvalidArgument("a quarantined record is closed as resolved or dismissed, not '{}'",
                           status);
  }
  if (reason.empty()) return InvalidArgument("say why the records are {} (--reason)", status);
  FH_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db_));
  for (const int64_t id : ids) {
    FH_ASSIGN_OR_RETURN(QuarantinedRecord q, GetQuarantined(id));
    if (q.status != "open") {
      return FailedPrecondition("quarantined record {} is {} already, not open: nothing was {}", id,
                                q.status, status);
    }
    FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                        db_.Cached("UPDATE quarantine SET status = ?2, resolution = ?3, "
                                   "resolved_at = ?4 WHERE id = ?1 AND status = 'open'"));
    st->Bind(1, id).Bind(2, status).Bind(3, reason).Bind(4, at);
    Result<bool> r = st->Step();
    st->Reset();
    FH_RETURN_IF_ERROR(r.status());
  }
  return txn.Commit();
}

Result<std::vector<QuarantinedRecord>> GovernanceStore::FindOpenByKey(std::string_view entity,
                                                                      std::string_view key) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached(fmt::format("SELECT {} FROM quarantine WHERE entity = ?1 AND record_key = ?2 AND "
                             "status = 'open' ORDER BY id DESC LIMIT 10",
                             kQuarantineColumns)));
  // Keys are stored bounded (quarantine_bounds.h): compared bounded.
  const std::string bounded_key = BoundQuarantineText(key);
  st->Bind(1, entity).Bind(2, std::string_view(bounded_key));
  return ReadRows(*st, ReadQuarantined);
}

Status GovernanceStore::RecordWarnings(int64_t batch_id,
                                       const std::vector<RecordWarning>& warnings) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("INSERT INTO record_warning(batch_id, source_line, record_key, "
                                 "reasons_id, reasons) VALUES(?1, ?2, ?3, ?4, ?5)"));
  for (const RecordWarning& w : warnings) {
    const std::string text = JsonText(ReasonsJson(w.reasons));
    FH_ASSIGN_OR_RETURN(const std::optional<int64_t> shared, ShareReasons(text));
    const std::string key = w.record_key ? BoundQuarantineText(*w.record_key) : std::string();
    st->Bind(1, batch_id).Bind(2, w.source_line);
    if (w.record_key) {
      st->Bind(3, std::string_view(key));
    } else {
      st->BindNull(3);
    }
    st->Bind(4, shared).Bind(5, shared ? std::string_view() : std::string_view(text));
    Result<bool> r = st->Step();
    st->Reset();
    FH_RETURN_IF_ERROR(r.status());
  }
  return Status::Ok();
}

Result<std::vector<RecordWarning>> GovernanceStore::ListWarnings(int64_t batch_id, int64_t limit,
                                                                 int64_t offset) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("SELECT batch_id, source_line, record_key, " FH_QUARANTINE_REASONS(
          "record_warning") " FROM record_warning WHERE batch_id = ?1 ORDER BY id LIMIT ?2 "
                            "OFFSET ?3"));
  st->Bind(1, batch_id).Bind(2, limit).Bind(3, offset);
  return ReadRows(*st, [](sqlite::Stmt& row) {
    RecordWarning w;
    w.batch_id = row.Int(0);
    w.source_line = row.OptInt(1);
    w.record_key = row.OptText(2);
    w.reasons = ParseReasons(row.Text(3));
    return w;
  });
}

Result<int64_t> GovernanceStore::CountWarnings(int64_t batch_id) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT count(*) FROM record_warning WHERE batch_id = ?1"));
  st->Bind(1, batch_id);
  return ReadCount(*st);
}

Result<int64_t> GovernanceStore::CountQuarantine(const QuarantineFilter& filter) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached(fmt::format("SELECT count(*) FROM quarantine WHERE {}", kFilterWhere)));
  st->Bind(1, filter.batch_id)
      .Bind(2, std::string_view(filter.mapping_name))
      .Bind(3, std::string_view(filter.status));
  return ReadCount(*st);
}

Result<std::vector<QuarantinedRecord>> GovernanceStore::ListQuarantine(
    const QuarantineFilter& filter) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached(fmt::format("SELECT {} FROM quarantine WHERE {} ORDER BY id LIMIT ?4",
                             kQuarantineColumns, kFilterWhere)));
  st->Bind(1, filter.batch_id)
      .Bind(2, std::string_view(filter.mapping_name))
      .Bind(3, std::string_view(filter.status))
      .Bind(4, filter.limit);
  return ReadRows(*st, ReadQuarantined);
}

Result<QuarantinedRecord> GovernanceStore::GetQuarantined(int64_t id) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached(fmt::format("SELECT {} FROM quarantine WHERE id = ?1", kQuarantineColumns)));
  st->Bind(1, id);
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return NotFound("no quarantined record {}", id);
  }
  QuarantinedRecord q = ReadQuarantined(*st);
  st->Reset();
  return q;
}

}  // namespace fh

namespace fh {

Status GovernanceStore::MarkPersonal(const govern::Mapping& mapping) {
  for (const auto* list : {&mapping.fields, &mapping.attributes}) {
    for (const govern::FieldMapping& f : *list) {
      if (!f.personal) continue;
      FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                          db_.Cached("INSERT INTO personal_field(entity, name, mapping) "
                                     "VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING"));
      st->Bind(1, std::string_view(mapping.entity))
          .Bind(2, std::string_view(f.target))
          .Bind(3, std::string_view(mapping.name));
      FH_RETURN_IF_ERROR(st->Run());
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> GovernanceStore::PersonalFields(std::string_view entity) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("SELECT name FROM personal_field WHERE entity = ?1 ORDER BY name"));
  st->Bind(1, entity);
  return ReadRows(*st, [](sqlite::Stmt& s) { return std::string(s.Text(0)); });
}

Result<QuarantinedRecord> GovernanceStore::CorrectQuarantined(
    int64_t id, const std::vector<std::pair<std::string, std::optional<std::string>>>& values) {
  FH_ASSIGN_OR_RETURN(QuarantinedRecord q, GetQuarantined(id));
  if (q.status != "open") {
    return FailedPrecondition("quarantined record {} is {}, not open: nothing was corrected", id,
                              q.status);
  }
  for (const auto& [column, value] : values) {
    const auto at = std::find(q.columns.begin(), q.columns.end(), column);
    if (at == q.columns.end()) {
      return InvalidArgument("quarantined record {} has no column '{}' (its columns: {})", id,
                             column, fmt::join(q.columns, ", "));
    }
    const size_t i = static_cast<size_t>(at - q.columns.begin());
    if (i >= q.fields.size()) q.fields.resize(i + 1);
    q.fields[i] = value;
  }
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : q.fields)
    fields.push_back(f ? nlohmann::json(*f) : nlohmann::json());
  const std::string fields_text = JsonText(fields);
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("UPDATE quarantine SET fields = ?2 WHERE id = ?1 AND "
                                 "status = 'open'"));
  st->Bind(1, id).Bind(2, std::string_view(fields_text));
  FH_RETURN_IF_ERROR(st->Run());
  return q;
}

}  // namespace fh
