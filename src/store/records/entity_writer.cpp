#include "store/records/entity_writer.h"

#include <fmt/ranges.h>

#include "common/fnv1a.h"
#include "common/text_excerpt.h"
#include "model/entity.h"
#include "store/catalog/catalog.h"
#include "store/sqlite/db.h"

namespace fh {

using govern::EntityDef;
using govern::FieldDef;
using govern::FieldType;
using govern::Value;
using govern::Violation;

namespace {

// The readable-key column of an entity ("code", "number", "path", "name").
Result<const EntityDef*> RefTarget(std::string_view entity) {
  const EntityDef* def = govern::FindEntity(entity);
  if (!def || def->ref_key.empty()) {
    return InvalidArgument("{} cannot be referred to by a key", entity);
  }
  return def;
}

// A key field that may be null takes part in a unique index as ifnull(col, 0) (see the
// inspection table); the upsert's conflict target must name the same expression.
std::string ConflictTerm(const FieldDef& f) {
  if (f.type == FieldType::kRef && !f.required) return fmt::format("ifnull({}, 0)", f.column);
  return std::string(f.column);
}

// SQLite's message without the statement text: "CHECK constraint failed: quantity > 0".
std::string ConstraintMessage(const std::string& message) {
  std::string_view m = message;
  if (const size_t at = m.find("sqlite: "); at != std::string_view::npos) m.remove_prefix(at + 8);
  if (const size_t paren = m.find(" ("); paren != std::string_view::npos) m = m.substr(0, paren);
  return std::string(m);
}

// Values are quoted bounded, as the mapping's checks quote them (common/text_excerpt.h).
Violation Reject(govern::CheckKind check, std::string_view field, std::string_view value,
                 std::string_view message) {
  return Violation{check,
                   govern::Severity::kReject,
                   std::string(govern::ToString(check)),
                   std::string(field),
                   Excerpt(value),
                   BoundMessage(message)};
}

}  // namespace

Result<std::optional<int64_t>> RefResolver::Find(std::string_view entity, std::string_view key) {
  auto entity_it = cache_.find(entity);
  if (entity_it == cache_.end())
    entity_it = cache_.emplace(std::string(entity), EntityCache()).first;
  EntityCache& cache = entity_it->second;
  if (cache.last && cache.last->first == key) return std::optional<int64_t>(cache.last->second);
  if (auto it = cache.ids.find(key); it != cache.ids.end()) {
    cache.last = &*it;  // nodes stay put when the map grows
    return std::optional<int64_t>(it->second);
  }
  FH_ASSIGN_OR_RETURN(const EntityDef* def, RefTarget(entity));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached(fmt::format("SELECT id FROM {} WHERE {} = ?1 LIMIT 2", def->table, def->ref_key)));
  st->Bind(1, key);
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<int64_t> id;
  if (row) {
    id = st->Int(0);
    FH_ASSIGN_OR_RETURN(bool second, st->Step());
    if (second) {
      st->Reset();
      // Lots are unique per material only: a number shared by two materials is ambiguous.
      return InvalidArgument("{} '{}' is ambiguous (more than one)", entity, key);
    }
  }
  st->Reset();
  if (id) cache.last = &*cache.ids.emplace(std::string(key), *id).first;
  return id;
}

Result<std::string> RefResolver::KeyOf(std::string_view entity, int64_t id) {
  FH_ASSIGN_OR_RETURN(const EntityDef* def, RefTarget(entity));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st, db_.Cached(fmt::format("SELECT {} FROM {} WHERE id = ?1",
                                                                def->ref_key, def->table)));
  st->Bind(1, id);
  FH_ASSIGN_OR_RETURN(bool row, st->Step());
  std::string key = row ? std::string(st->Text(0)) : std::string();
  st->Reset();
  if (!row) return NotFound("{} id {}", entity, id);
  return key;
}

EntityWriter::EntityWriter(sqlite::Db& db, Catalog& catalog, RefResolver& refs,
                           const EntityDef& entity, std::span<const FieldDef> attributes)
    : db_(db), catalog_(catalog), refs_(refs), entity_(entity), attributes_(attributes) {}
EntityWriter::~EntityWriter() = default;

Result<std::unique_ptr<EntityWriter>> EntityWriter::Make(sqlite::Db& db, Catalog& catalog,
                                                         RefResolver& refs, const EntityDef& entity,
                                                         std::span<const FieldDef> attributes) {
  std::unique_ptr<EntityWriter> w(new EntityWriter(db, catalog, refs, entity, attributes));
  if (!attributes.empty()) {
    if (entity.name == "crosswalk") return InvalidArgument("crosswalk records take no attributes");
    FH_ASSIGN_OR_RETURN(w->kind_, ParseEntityKind(entity.name));
  }
  if (entity.name == "asset" || entity.name == "crosswalk") return w;

  // INSERT ... ON CONFLICT(key) DO NOTHING, and when that stored nothing,
  // UPDATE ... WHERE key AND (anything differs): no row changed by either means the stored
  // record was already exactly this one. Not one upsert (ON CONFLICT DO UPDATE): an update
  // that may set a foreign key, like a RETURNING clause, makes SQLite keep a statement
  // journal of every page the statement changes, several 16 KiB copies a record, even when
  // the row is new. Insert and update each compile without it when they insert one row.
  std::string cols;
  std::string params;
  std::string sets;
  std::string differs;
  std::string conflict;
  int n = 0;
  for (const FieldDef& f : entity.fields) {
    cols += fmt::format("{}, ", f.column);
    params += fmt::format("?{}, ", ++n);
    const bool in_key = std::find(entity.key.begin(), entity.key.end(), f.name) != entity.key.end();
    if (in_key) continue;
    sets += fmt::format("{} = ?{}, ", f.column, n);
    differs += fmt::format("{}{} IS NOT ?{}", differs.empty() ? "" : " OR ", f.column, n);
  }
  std::string key_where;  // the record's row, by the same terms as the unique index
  for (std::string_view k : entity.key) {
    const FieldDef& f = *entity.FindField(k);
    conflict += (conflict.empty() ? "" : ", ") + ConflictTerm(f);
    key_where += fmt::format("{}{} = ifnull(?{}, 0)", key_where.empty() ? "" : " AND ",
                             ConflictTerm(f), *entity.FieldIndex(k) + 1);
  }
  const std::string lineage_cols =
      "source_system, source_object, source_line, mapping_version, batch_id";
  const std::string lineage_params =
      fmt::format("?{}, ?{}, ?{}, ?{}, ?{}", n + 1, n + 2, n + 3, n + 4, n + 5);
  const std::string lineage_sets = fmt::format(
      "source_system = ?{}, source_object = ?{}, source_line = ?{}, "
      "mapping_version = ?{}, batch_id = ?{}",
      n + 1, n + 2, n + 3, n + 4, n + 5);
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt insert,
      db.Prepare(fmt::format("INSERT INTO {}({}{}) VALUES({}{}) "
                             "ON CONFLICT({}) DO NOTHING",
                             entity.table, cols, lineage_cols, params, lineage_params, conflict)));
  w->insert_ = std::make_unique<sqlite::Stmt>(std::move(insert));
  if (!differs.empty()) {  // else every field is part of the key: nothing to update
    FH_ASSIGN_OR_RETURN(sqlite::Stmt update,
                        db.Prepare(fmt::format("UPDATE {} SET {}{} WHERE {} AND ({})", entity.table,
                                               sets, lineage_sets, key_where, differs)));
    w->update_ = std::make_unique<sqlite::Stmt>(std::move(update));
  }

  std::string where;
  n = 0;
  for (std::string_view k : entity.key) {
    const FieldDef& f = *entity.FindField(k);
    where +=
        fmt::format("{}{} = ifnull(?{}, 0)", where.empty() ? "" : " AND ", ConflictTerm(f), ++n);
  }
  FH_ASSIGN_OR_RETURN(sqlite::Stmt find,
                      db.Prepare(fmt::format("SELECT id FROM {} WHERE {}", entity.table, where)));
  w->find_id_ = std::make_unique<sqlite::Stmt>(std::move(find));
  return w;
}

std::string EntityWriter::KeyText(const EntityDef& entity, const std::vector<Value>& values) {
  std::string key;
  for (std::string_view k : entity.key) {
    if (!key.empty()) key += '|';
    const std::optional<size_t> i = entity.FieldIndex(k);
    if (i && *i < values.size()) key += govern::ToDisplayText(values[*i]);
  }
  return key;
}

Result<WriteOutcome> EntityWriter::Write(const std::vector<Value>& values, const Lineage& lineage,
                                         std::vector<Violation>& violations, int64_t* id) {
  // References first: a record naming something that is not stored is not stored.
  ref_ids_.assign(entity_.fields.size(), std::nullopt);
  bool rejected = false;
  for (size_t i = 0; i < entity_.fields.size(); ++i) {
    const FieldDef& f = entity_.fields[i];
    const Value& v = values[i];
    if (f.type != FieldType::kRef || v.is_null()) continue;
    Result<std::optional<int64_t>> ref = refs_.Find(f.ref_entity, v.text);
    if (ref.ok() && !*ref && i < lenient_refs_.size() && lenient_refs_[i]) {
      continue;  // stored as null: the checker already recorded the warning
    }
    if (!ref.ok() || !*ref) {
      violations.push_back(Reject(govern::CheckKind::kReference, f.name, v.text,
                                  ref.ok()
                                      ? fmt::format("no {} '{}' is stored", f.ref_entity, v.text)
                                      : ref.status().message()));
      rejected = true;
      continue;
    }
    ref_ids_[i] = **ref;
  }
  if (rejected) return WriteOutcome::kRejected;
  const std::optional<uint64_t> key = track_keys_ ? KeyDigest(values) : std::nullopt;
  if (!key) return WriteStored(values, lineage, violations, id);

  const uint64_t digest = ValuesDigest(values);
  if (const std::optional<BatchKeys::First> seen = batch_keys_.Find(*key)) {
    // The same record again: stored already, and its id is wanted (an external id).
    if (seen->values == static_cast<uint32_t>(digest)) {
      return WriteStored(values, lineage, violations, id);
    }
    violations.push_back(
        Violation{govern::CheckKind::kKey, govern::Severity::kReject, "key", "",
                  Excerpt(KeyText(entity_, values)),
                  BoundMessage(fmt::format(
                      "{} of this batch has the same {} ({}) with other values: the first is kept",
                      seen->line ? fmt::format("line {}", *seen->line) : "an earlier record",
                      fmt::join(entity_.key, ", "), KeyText(entity_, values)))});
    return WriteOutcome::kRejected;
  }
  Result<WriteOutcome> outcome = WriteStored(values, lineage, violations, id);
  if (outcome.ok() && *outcome != WriteOutcome::kRejected) {
    batch_keys_.Insert(*key, digest, lineage.source_line);
  }
  return outcome;
}

Result<WriteOutcome> EntityWriter::WriteStored(const std::vector<Value>& values,
                                               const Lineage& lineage,
                                               std::vector<Violation>& violations, int64_t* id) {
  FH_ASSIGN_OR_RETURN(const bool stale, IsStale(values));
  if (stale) return WriteOutcome::kStale;
  if (!attributes_.empty()) {
    // The row first, then its attributes, which need its id.
    int64_t row_id = 0;
    if (!id) id = &row_id;
    FH_ASSIGN_OR_RETURN(WriteOutcome outcome, WriteRow(values, lineage, violations, id));
    if (outcome == WriteOutcome::kRejected) return outcome;
    if (*id == 0)
      return Internal("{} '{}': stored, but not found", entity_.name, KeyText(entity_, values));
    FH_ASSIGN_OR_RETURN(const bool changed, WriteAttributes(values, *id, lineage));
    return changed ? WriteOutcome::kChanged : outcome;
  }
  return WriteRow(values, lineage, violations, id);
}

Result<bool> EntityWriter::WriteAttributes(const std::vector<Value>& values, int64_t id,
                                           const Lineage& lineage) {
  attribute_values_.resize(attributes_.size());
  for (size_t a = 0; a < attributes_.size(); ++a) {
    const FieldDef& def = attributes_[a];
    const Value& v = values[entity_.fields.size() + a];
    Attribute& out = attribute_values_[a];
    out.name.assign(def.name);
    switch (def.type) {
      case FieldType::kReal:
        out.type = AttributeType::kReal;
        if (!v.is_null()) out.value = v.number;
        break;
      case FieldType::kInt:
        out.type = AttributeType::kInt;
        if (!v.is_null()) out.value = static_cast<int64_t>(v.number);
        break;
      case FieldType::kTime:
        out.type = AttributeType::kTime;
        if (!v.is_null()) out.value = v.time;
        break;
      case FieldType::kBool:
        out.type = AttributeType::kBool;
        if (!v.is_null()) out.value = int64_t{v.boolean ? 1 : 0};
        break;
      default:
        out.type = AttributeType::kText;
        if (!v.is_null()) out.value = v.text;
        break;
    }
    if (v.is_null()) out.value = std::monostate();
  }
  return catalog_.SetAttributes(kind_, id, attribute_values_, lineage.batch_id);
}

Result<WriteOutcome> EntityWriter::WriteRow(const std::vector<Value>& values,
                                            const Lineage& lineage,
                                            std::vector<Violation>& violations, int64_t* id) {
  if (entity_.name == "asset") return WriteAsset(values, lineage, violations, id);
  if (entity_.name == "crosswalk") return WriteCrosswalk(values, lineage, violations);
  Result<bool> changed = Execute(*insert_, values, lineage);
  if (changed.ok() && !*changed && update_ && guard_) {
    FH_ASSIGN_OR_RETURN(const WriteOutcome guarded, GuardedUpdate(values, lineage, violations));
    if (guarded == WriteOutcome::kRejected) return guarded;
    changed = guarded == WriteOutcome::kChanged;
  } else if (changed.ok() && !*changed && update_) {
    changed = Execute(*update_, values, lineage);
  }
  if (!changed.ok()) {
    if (changed.status().code() != StatusCode::kInvalidArgument) return changed.status();
    violations.push_back(Reject(govern::CheckKind::kSchema, "", KeyText(entity_, values),
                                fmt::format("the store refused the record: {}",
                                            ConstraintMessage(changed.status().message()))));
    return WriteOutcome::kRejected;
  }
  const WriteOutcome outcome = *changed ? WriteOutcome::kChanged : WriteOutcome::kUnchanged;
  if (id) {
    // Inserted, updated or left alone, the row is the one with this natural key.
    FH_ASSIGN_OR_RETURN(const std::optional<int64_t> row, FindRowId(values));
    *id = row.value_or(0);
  }
  return outcome;
}

Result<WriteOutcome> EntityWriter::GuardedUpdate(const std::vector<Value>& values,
                                                 const Lineage& lineage,
                                                 std::vector<Violation>& violations) {
  FH_ASSIGN_OR_RETURN(const std::optional<int64_t> row, FindRowId(values));
  std::optional<std::string> refusal;
  if (row) {
    FH_ASSIGN_OR_RETURN(refusal, guard_(*row));
  }
  if (!refusal) {
    FH_ASSIGN_OR_RETURN(const bool changed, Execute(*update_, values, lineage));
    return changed ? WriteOutcome::kChanged : WriteOutcome::kUnchanged;
  }
  // Whether the update would change the row is what the statement finds out: run it, and
  // take it back if it did.
  FH_RETURN_IF_ERROR(db_.Exec("SAVEPOINT guarded_update"));
  Result<bool> changed = Execute(*update_, values, lineage);
  const bool undo = !changed.ok() || *changed;
  FH_RETURN_IF_ERROR(db_.Exec(undo ? "ROLLBACK TO guarded_update; RELEASE guarded_update"
                                   : "RELEASE guarded_update"));
  if (!changed.ok()) return changed.status();
  if (!*changed) return WriteOutcome::kUnchanged;
  violations.push_back(
      Violation{govern::CheckKind::kKey, govern::Severity::kReject, "key", "",
                Excerpt(KeyText(entity_, values)),
                BoundMessage(fmt::format("{} '{}' {}: not written over", entity_.name,
                                         KeyText(entity_, values), *refusal))});
  return WriteOutcome::kRejected;
}

Result<std::optional<int64_t>> EntityWriter::FindRowId(const std::vector<Value>& values) {
  {
    sqlite::Stmt& find = *find_id_;
    int k = 0;
    for (std::string_view key : entity_.key) {
      const size_t i = *entity_.FieldIndex(key);
      const FieldDef& f = entity_.fields[i];
      const Value& v = values[i];
      ++k;
      if (f.type == FieldType::kRef) {
        find.Bind(k, ref_ids_[i]);
      } else if (v.is_null()) {
        find.BindNull(k);
      } else if (f.type == FieldType::kTime) {
        find.Bind(k, v.time);
      } else if (f.type == FieldType::kInt) {
        find.Bind(k, static_cast<int64_t>(v.number));
      } else if (f.type == FieldType::kReal) {
        find.Bind(k, v.number);
      } else {
        find.Bind(k, std::string_view(v.text));
      }
    }
    FH_ASSIGN_OR_RETURN(bool found, find.Step());
    const std::optional<int64_t> row = found ? std::optional<int64_t>(find.Int(0)) : std::nullopt;
    find.Reset();
    return row;
  }
}

void EntityWriter::SetVersionField(size_t index) {
  version_index_ = index;
}

Result<bool> EntityWriter::IsStale(const std::vector<Value>& values) {
  if (!version_index_ || entity_.name == "asset") return false;
  const size_t i = *version_index_;
  const Value& incoming = values[i];
  if (incoming.is_null()) return false;  // nothing to compare: applied
  FH_ASSIGN_OR_RETURN(const std::optional<int64_t> row, FindRowId(values));
  if (!row) return false;  // a new record
  const bool attribute = i >= entity_.fields.size();
  const FieldDef& def = attribute ? attributes_[i - entity_.fields.size()] : entity_.fields[i];
  sqlite::Stmt* st = nullptr;
  if (attribute) {
    FH_ASSIGN_OR_RETURN(st, db_.Cached("SELECT value FROM entity_attribute WHERE entity = ?1 AND "
                                       "record_id = ?2 AND name = ?3"));
    st->Bind(1, entity_.name).Bind(2, *row).Bind(3, def.name);
  } else {
    FH_ASSIGN_OR_RETURN(
        st, db_.Cached(fmt::format("SELECT {} FROM {} WHERE id = ?1", def.column, entity_.table)));
    st->Bind(1, *row);
  }
  FH_ASSIGN_OR_RETURN(bool found, st->Step());
  bool stale = false;
  if (found && !st->IsNull(0)) {
    stale =
        def.type == FieldType::kTime ? st->Int(0) > incoming.time : st->Double(0) > incoming.number;
  }
  st->Reset();
  return stale;
}

namespace {

// Continues a digest over one value as stored, its kind first (a null, a number and a
// text that print alike stay apart); references as the ids they resolve to. Raw bytes, not
// text: this runs twice for every imported record.
uint64_t DigestValue(uint64_t h, const Value& v, const FieldDef& f, std::optional<int64_t> ref) {
  auto bytes = [&h](char kind, const void* data, size_t size) {
    h = Fnv1a64(std::string_view(&kind, 1), h);
    h = Fnv1a64(std::string_view(static_cast<const char*>(data), size), h);
  };
  if (f.type == FieldType::kRef) {
    const int64_t id = ref.value_or(0);  // as the unique index sees it: ifnull(ref, 0)
    bytes('r', &id, sizeof id);
    return h;
  }
  switch (v.kind) {
    case Value::Kind::kNull:
      bytes('n', nullptr, 0);
      break;
    case Value::Kind::kText:
      bytes('t', v.text.data(), v.text.size());
      bytes('\x1f', nullptr, 0);
      break;
    case Value::Kind::kNumber: {
      const double zero_folded = v.number == 0 ? 0.0 : v.number;  // -0 is stored as 0
      bytes('d', &zero_folded, sizeof zero_folded);
      break;
    }
    case Value::Kind::kTime:
      bytes('T', &v.time, sizeof v.time);
      break;
    case Value::Kind::kBool:
      bytes('b', &v.boolean, sizeof v.boolean);
      break;
  }
  return h;
}

}  // namespace

std::optional<uint64_t> EntityWriter::KeyDigest(const std::vector<Value>& values) const {
  uint64_t h = kFnv1a64Offset;
  for (std::string_view k : entity_.key) {
    const size_t i = *entity_.FieldIndex(k);
    // A null key column (other than a reference) makes the key unique to the store: its
    // index treats every null as distinct.
    if (entity_.fields[i].type != FieldType::kRef && values[i].is_null()) return std::nullopt;
    h = DigestValue(h, values[i], entity_.fields[i], ref_ids_[i]);
  }
  return h;
}

uint64_t EntityWriter::ValuesDigest(const std::vector<Value>& values) const {
  uint64_t h = kFnv1a64Offset;
  for (size_t i = 0; i < entity_.fields.size(); ++i)
    h = DigestValue(h, values[i], entity_.fields[i], ref_ids_[i]);
  for (size_t a = 0; a < attributes_.size(); ++a)
    h = DigestValue(h, values[entity_.fields.size() + a], attributes_[a], std::nullopt);
  return h;
}

Result<bool> EntityWriter::Execute(sqlite::Stmt& st, const std::vector<Value>& values,
                                   const Lineage& lineage) {
  // Texts are bound without a copy: values and lineage outlive the statement's run.
  int n = 0;
  for (size_t i = 0; i < entity_.fields.size(); ++i) {
    const FieldDef& f = entity_.fields[i];
    const Value& v = values[i];
    ++n;
    if (v.is_null()) {
      st.BindNull(n);
      continue;
    }
    switch (f.type) {
      case FieldType::kText:
      case FieldType::kEnum:
        if (cipher_ != nullptr && !protected_[i].empty()) {
          encrypted_[i] = cipher_->Encrypt(protected_[i], v.text);
          st.BindStatic(n, encrypted_[i]);
        } else {
          st.BindStatic(n, v.text);
        }
        break;
      case FieldType::kReal:
        st.Bind(n, v.number);
        break;
      case FieldType::kInt:
        st.Bind(n, static_cast<int64_t>(v.number));
        break;
      case FieldType::kTime:
        st.Bind(n, v.time);
        break;
      case FieldType::kBool:
        st.Bind(n, static_cast<int64_t>(v.boolean ? 1 : 0));
        break;
      case FieldType::kRef:
        st.Bind(n, ref_ids_[i]);  // null: a lenient reference to nothing
        break;
    }
  }
  st.BindStatic(++n, lineage.source_system);
  st.BindStatic(++n, lineage.source_object);
  st.Bind(++n, lineage.source_line);
  st.BindStatic(++n, lineage.mapping_version);
  st.Bind(++n, lineage.batch_id);
  Result<bool> row = st.Step();
  // Read before the reset: sqlite3_changes() is the connection's last statement's.
  const bool changed = row.ok() && db_.Changes() > 0;
  st.Reset();
  if (!row.ok()) return row.status();
  return changed;
}

Result<WriteOutcome> EntityWriter::WriteAsset(const std::vector<Value>& values,
                                              const Lineage& lineage,
                                              std::vector<Violation>& violations, int64_t* id) {
  const Value& path = values[*entity_.FieldIndex("path")];
  const Value& description = values[*entity_.FieldIndex("description")];
  Result<Asset> existing = catalog_.FindAsset(path.text);
  if (existing.ok()) {
    const std::optional<std::string> desc =
        description.is_null() ? std::nullopt : std::optional<std::string>(description.text);
    if (id) *id = existing->id;
    if (existing->description == desc) return WriteOutcome::kUnchanged;
    Asset a = *existing;
    a.description = desc;
    a.lineage = lineage;
    Result<int64_t> updated = catalog_.UpsertAsset(a);
    if (!updated.ok()) {
      if (updated.status().code() != StatusCode::kInvalidArgument) return updated.status();
      violations.push_back(
          Reject(govern::CheckKind::kSchema, "path", path.text, updated.status().message()));
      return WriteOutcome::kRejected;
    }
    return WriteOutcome::kChanged;
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  Result<int64_t> created = catalog_.CreateAssetPath(path.text, lineage);
  if (!created.ok()) {
    if (created.status().code() != StatusCode::kInvalidArgument) return created.status();
    violations.push_back(
        Reject(govern::CheckKind::kSchema, "path", path.text, created.status().message()));
    return WriteOutcome::kRejected;
  }
  if (!description.is_null()) {
    FH_ASSIGN_OR_RETURN(Asset a, catalog_.GetAsset(*created));
    a.description = description.text;
    a.lineage = lineage;
    FH_RETURN_IF_ERROR(catalog_.UpsertAsset(a).status());
  }
  if (id) *id = *created;
  return WriteOutcome::kChanged;
}

Result<WriteOutcome> EntityWriter::WriteCrosswalk(const std::vector<Value>& values,
                                                  const Lineage& lineage,
                                                  std::vector<Violation>& violations) {
  const std::string& entity = values[*entity_.FieldIndex("entity")].text;
  const std::string& system = values[*entity_.FieldIndex("source_system")].text;
  const std::string& external = values[*entity_.FieldIndex("external_id")].text;
  const std::string& canonical = values[*entity_.FieldIndex("canonical")].text;
  Result<std::optional<int64_t>> target = refs_.Find(entity, canonical);
  if (!target.ok() || !*target) {
    violations.push_back(Reject(govern::CheckKind::kReference, "canonical", canonical,
                                target.ok() ? fmt::format("no {} '{}' is stored", entity, canonical)
                                            : target.status().message()));
    return WriteOutcome::kRejected;
  }
  FH_ASSIGN_OR_RETURN(EntityKind kind, ParseEntityKind(entity));
  Result<int64_t> current = catalog_.ResolveExternalId(kind, system, external);
  if (current.ok() && *current == **target) return WriteOutcome::kUnchanged;
  if (current.ok()) {
    // The source now says this id is another record: move the mapping.
    FH_RETURN_IF_ERROR(catalog_.UnmapExternalId(kind, system, external));
  }
  Status s = catalog_.MapExternalId(ExternalId{kind, **target, system, external, lineage});
  if (!s.ok()) {
    if (s.code() != StatusCode::kInvalidArgument && s.code() != StatusCode::kAlreadyExists) {
      return s;
    }
    violations.push_back(Reject(govern::CheckKind::kSchema, "external_id", external, s.message()));
    return WriteOutcome::kRejected;
  }
  return WriteOutcome::kChanged;
}

}  // namespace fh
