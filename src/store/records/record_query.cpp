#include "store/records/record_query.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <variant>

#include "common/number_text.h"
#include "common/personal_mask.h"
#include "common/time.h"
#include "store/governance/governance_store.h"
#include "store/records/entity_writer.h"
#include "store/sqlite/db.h"
#include "store/sqlite/id_array.h"

namespace fh {

using govern::EntityDef;
using govern::FieldDef;
using govern::FieldType;

namespace {

constexpr std::string_view kOps[] = {"<=", ">=", "!=", "=", "<", ">"};  // longest first

// A value to bind: a condition's text as the stored column or attribute holds it.
using BindValue = std::variant<std::string, double, int64_t>;

Result<double> ParseConditionNumber(const RecordCondition& c) {
  double v = 0;
  const auto [end, ec] = std::from_chars(c.value.data(), c.value.data() + c.value.size(), v);
  if (ec != std::errc() || end != c.value.data() + c.value.size() || c.value.empty()) {
    return InvalidArgument("{}: '{}' is not a number", c.name, c.value);
  }
  return v;
}

Result<BindValue> ConditionValue(const RecordCondition& c, FieldType type) {
  switch (type) {
    case FieldType::kReal:
    case FieldType::kInt: {
      FH_ASSIGN_OR_RETURN(double v, ParseConditionNumber(c));
      return BindValue(v);
    }
    case FieldType::kTime: {
      Result<int64_t> t = ParseTimePoint(c.value, NowNs());
      if (!t.ok())
        return InvalidArgument("{}: '{}' is not a time: {}", c.name, c.value, t.status().message());
      return BindValue(*t);
    }
    case FieldType::kBool: {
      if (c.value == "true" || c.value == "1") return BindValue(int64_t{1});
      if (c.value == "false" || c.value == "0") return BindValue(int64_t{0});
      return InvalidArgument("{}: '{}' is not true or false", c.name, c.value);
    }
    default:
      return BindValue(c.value);
  }
}

FieldType AttributeFieldType(AttributeType t) {
  switch (t) {
    case AttributeType::kReal:
      return FieldType::kReal;
    case AttributeType::kInt:
      return FieldType::kInt;
    case AttributeType::kTime:
      return FieldType::kTime;
    case AttributeType::kBool:
      return FieldType::kBool;
    default:
      return FieldType::kText;
  }
}

// The WHERE clause of the conditions over table alias t, and the values it binds (?2...).
struct Where {
  std::string sql;
  std::vector<BindValue> values;
};

// `cipher`: set when some field of the entity is encrypted (`protection` says which).
Result<Where> BuildWhere(sqlite::Db& db, const EntityDef& entity,
                         const std::vector<RecordCondition>& conditions,
                         const FieldProtection* protection, const security::FieldCipher* cipher,
                         std::string_view scope) {
  Where w;
  if (!scope.empty()) {
    const FieldDef* place = govern::PlaceField(entity);
    if (place == nullptr) {
      return FailedPrecondition("{} records have no place in the plant to be under {}", entity.name,
                                scope);
    }
    // As Catalog::ListTags: the path itself, or one below it ("line-2" is not "line-20").
    auto under = [n = w.values.size() + 2](std::string_view column) {
      return fmt::format("({0} = ?{1} OR substr({0}, 1, length(?{1}) + 1) = ?{1} || '/')", column,
                         n);
    };
    w.sql = place->type == FieldType::kRef
                ? fmt::format(" WHERE t.{} IN (SELECT id FROM asset WHERE {})", place->column,
                              under("path"))
                : " WHERE " + under(fmt::format("t.{}", place->column));
    w.values.push_back(std::string(scope));
  }
  for (const RecordCondition& c : conditions) {
    if (std::find(std::begin(kOps), std::end(kOps), c.op) == std::end(kOps)) {
      return InvalidArgument("{}: unknown comparison '{}' (= != < <= > >=)", c.name, c.op);
    }
    w.sql += w.sql.empty() ? " WHERE " : " AND ";
    if (const FieldDef* f = entity.FindField(c.name)) {
      if (f->type == FieldType::kRef) {
        // A reference compares by the key it names, as it was imported.
        const EntityDef* target = govern::FindEntity(f->ref_entity);
        if (!target || target->ref_key.empty()) {
          return InvalidArgument("{}: a reference to {} cannot be compared by key", c.name,
                                 f->ref_entity);
        }
        w.sql += fmt::format("t.{} IN (SELECT id FROM {} WHERE {} {} ?{})", f->column,
                             target->table, target->ref_key, c.op, w.values.size() + 2);
        w.values.push_back(c.value);
      } else if (cipher != nullptr && protection->Protects(entity.name, f->name)) {
        // Stored encrypted: equal values are equal texts under one key (field_cipher.h), so
        // = and != compare with the value's form under each key, and in clear.
        if (c.op != "=" && c.op != "!=") {
          return InvalidArgument("{}: {}.{} is encrypted: it compares with = and != only", c.name,
                                 entity.name, c.name);
        }
        const std::string ad = fmt::format("{}.{}", entity.name, f->name);
        std::string list;
        for (std::string& form : cipher->EqualForms(ad, c.value)) {
          list += fmt::format("{}?{}", list.empty() ? "" : ", ", w.values.size() + 2);
          w.values.push_back(std::move(form));
        }
        w.sql += fmt::format("t.{} {} ({})", f->column, c.op == "=" ? "IN" : "NOT IN", list);
      } else {
        w.sql += fmt::format("t.{} {} ?{}", f->column, c.op, w.values.size() + 2);
        FH_ASSIGN_OR_RETURN(BindValue v, ConditionValue(c, f->type));
        w.values.push_back(std::move(v));
      }
      continue;
    }
    // An attribute: its type is the one the mapping declared (stored with each value).
    FH_ASSIGN_OR_RETURN(
        sqlite::Stmt * type_of,
        db.Cached("SELECT type FROM entity_attribute WHERE entity = ?1 AND name = ?2 LIMIT 1"));
    type_of->Bind(1, entity.name).Bind(2, c.name);
    FH_ASSIGN_OR_RETURN(bool found, type_of->Step());
    const std::string type = found ? std::string(type_of->Text(0)) : std::string();
    type_of->Reset();
    if (!found) {
      std::vector<std::string_view> names;
      for (const FieldDef& f : entity.fields)
        names.push_back(f.name);
      return InvalidArgument(
          "{} has no field '{}' and no stored record has an attribute of that "
          "name (fields: {})",
          entity.name, c.name, fmt::join(names, ", "));
    }
    FH_ASSIGN_OR_RETURN(AttributeType at, ParseAttributeType(type));
    w.sql += fmt::format(
        "EXISTS (SELECT 1 FROM entity_attribute a WHERE a.entity = ?1 AND a.record_id = t.id "
        "AND a.name = ?{} AND a.value {} ?{})",
        w.values.size() + 2, c.op, w.values.size() + 3);
    w.values.push_back(c.name);
    FH_ASSIGN_OR_RETURN(BindValue v, ConditionValue(c, AttributeFieldType(at)));
    w.values.push_back(std::move(v));
  }
  return w;
}

void BindWhere(sqlite::Stmt& st, const EntityDef& entity, const Where& w) {
  st.Bind(1, entity.name);
  for (size_t i = 0; i < w.values.size(); ++i) {
    const int n = static_cast<int>(i) + 2;
    std::visit([&](const auto& v) { st.Bind(n, v); }, w.values[i]);
  }
}

// What ReadRecords reads: the id, then the entity's columns in its fields' order.
std::string SelectedColumns(const EntityDef& entity) {
  std::string cols = "t.id";
  for (const FieldDef& f : entity.fields)
    cols += fmt::format(", t.{}", f.column);
  return cols;
}

std::optional<std::string> ColumnText(sqlite::Stmt& st, int col, const FieldDef& f,
                                      RefResolver& refs) {
  if (st.IsNull(col)) return std::nullopt;
  switch (f.type) {
    case FieldType::kRef: {
      Result<std::string> key = refs.KeyOf(f.ref_entity, st.Int(col));
      return key.ok() ? *key : fmt::format("{} id {}", f.ref_entity, st.Int(col));
    }
    case FieldType::kTime:
      return FormatRfc3339(st.Int(col));
    case FieldType::kBool:
      return st.Int(col) != 0 ? "true" : "false";
    case FieldType::kInt:
      return std::to_string(st.Int(col));
    case FieldType::kReal: {
      std::string text;
      AppendShortestDouble(&text, st.Double(col));
      return text;
    }
    default:
      return std::string(st.Text(col));
  }
}

}  // namespace

Result<RecordCondition> ParseRecordCondition(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    for (std::string_view op : kOps) {
      if (text.substr(i, op.size()) != op) continue;
      RecordCondition c{std::string(text.substr(0, i)), std::string(op),
                        std::string(text.substr(i + op.size()))};
      if (c.name.empty()) break;
      return c;
    }
  }
  return InvalidArgument(
      "'{}': expected NAME OP VALUE, OP one of = != < <= > >= "
      "(standard_cost>=10, email=a@b.cn)",
      text);
}

Result<const security::FieldCipher*> RecordStore::CipherFor(const EntityDef& entity) {
  if (protection_ == nullptr || !protection_->enabled()) return nullptr;
  bool any = false;
  for (const FieldDef& f : entity.fields)
    any = any || protection_->Protects(entity.name, f.name);
  if (!any) return nullptr;
  return protection_->Cipher(db_);
}

Result<int64_t> RecordStore::Count(const EntityDef& entity,
                                   const std::vector<RecordCondition>& conditions,
                                   std::string_view scope) {
  FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, CipherFor(entity));
  FH_ASSIGN_OR_RETURN(Where w, BuildWhere(db_, entity, conditions, protection_, cipher, scope));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format("SELECT count(*) FROM {} t{}", entity.table, w.sql)));
  BindWhere(st, entity, w);
  FH_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<std::vector<StoredRecord>> RecordStore::Find(const EntityDef& entity,
                                                    const std::vector<RecordCondition>& conditions,
                                                    int64_t limit, std::string_view scope) {
  FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, CipherFor(entity));
  FH_ASSIGN_OR_RETURN(Where w, BuildWhere(db_, entity, conditions, protection_, cipher, scope));
  const std::string cols = SelectedColumns(entity);
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format("SELECT {} FROM {} t{} ORDER BY t.id LIMIT {}", cols,
                                              entity.table, w.sql, std::max<int64_t>(limit, 0))));
  BindWhere(st, entity, w);
  return ReadRecords(st, entity, cipher);
}

Result<std::vector<StoredRecord>> RecordStore::FindByIds(const EntityDef& entity,
                                                         std::span<const int64_t> ids) {
  FH_ASSIGN_OR_RETURN(const security::FieldCipher* cipher, CipherFor(entity));
  const std::string cols = SelectedColumns(entity);
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format(
          "SELECT {} FROM {} t WHERE t.id IN (SELECT value FROM json_each(?1)) ORDER BY t.id", cols,
          entity.table)));
  st.Bind(1, std::string_view(sqlite::IdArrayJson(ids)));
  return ReadRecords(st, entity, cipher);
}

Result<std::vector<StoredRecord>> RecordStore::ReadRecords(sqlite::Stmt& st,
                                                           const EntityDef& entity,
                                                           const security::FieldCipher* cipher) {
  RefResolver refs(db_);
  std::vector<StoredRecord> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    StoredRecord& r = out.emplace_back();
    r.id = st.Int(0);
    for (size_t i = 0; i < entity.fields.size(); ++i) {
      const FieldDef& f = entity.fields[i];
      std::optional<std::string> text = ColumnText(st, static_cast<int>(i) + 1, f, refs);
      if (text && cipher != nullptr && security::FieldCipher::IsEncrypted(*text)) {
        FH_ASSIGN_OR_RETURN(*text,
                            cipher->Decrypt(fmt::format("{}.{}", entity.name, f.name), *text));
      }
      r.fields.emplace_back(std::string(f.name), std::move(text));
    }
    for (std::string_view k : entity.key) {
      const size_t i = *entity.FieldIndex(k);
      if (!r.key.empty()) r.key += '|';
      r.key += r.fields[i].second.value_or("");
    }
  }
  FH_ASSIGN_OR_RETURN(sqlite::Stmt attrs,
                      db_.Prepare("SELECT name, type, value FROM entity_attribute WHERE entity = "
                                  "?1 AND record_id = ?2 ORDER BY name"));
  for (StoredRecord& r : out) {
    attrs.Bind(1, entity.name).Bind(2, r.id);
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, attrs.Step());
      if (!row) break;
      Attribute& a = r.attributes.emplace_back();
      a.name = std::string(attrs.Text(0));
      FH_ASSIGN_OR_RETURN(a.type, ParseAttributeType(attrs.Text(1)));
      if (a.type == AttributeType::kText) {
        a.value = std::string(attrs.Text(2));
      } else if (a.type == AttributeType::kReal) {
        a.value = attrs.Double(2);
      } else {
        a.value = attrs.Int(2);
      }
    }
    attrs.Reset();
  }
  return out;
}

std::string AttributeText(const Attribute& a) {
  if (const auto* text = std::get_if<std::string>(&a.value)) return *text;
  if (const auto* number = std::get_if<double>(&a.value)) {
    std::string out;
    AppendShortestDouble(&out, *number);
    return out;
  }
  if (const auto* integer = std::get_if<int64_t>(&a.value)) {
    if (a.type == AttributeType::kTime) return FormatRfc3339(*integer);
    if (a.type == AttributeType::kBool) return *integer ? "true" : "false";
    return std::to_string(*integer);
  }
  return "";
}

Status RecordStore::MaskPersonal(const EntityDef& entity, std::vector<StoredRecord>& records) {
  GovernanceStore gov(db_);
  FH_ASSIGN_OR_RETURN(const std::vector<std::string> personal, gov.PersonalFields(entity.name));
  if (personal.empty()) return Status::Ok();
  const auto is_personal = [&](std::string_view name) {
    return std::find(personal.begin(), personal.end(), name) != personal.end();
  };
  for (StoredRecord& r : records) {
    for (auto& [name, value] : r.fields) {
      if (value && is_personal(name)) value = fh::MaskPersonal(*value);
    }
    for (Attribute& a : r.attributes) {
      if (!is_personal(a.name)) continue;
      a.value = fh::MaskPersonal(AttributeText(a));
      a.type = AttributeType::kText;  // a masked number is a text
    }
  }
  return Status::Ok();
}

nlohmann::ordered_json StoredRecordJson(const StoredRecord& r) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  for (const auto& [name, value] : r.fields)
    fields[name] = value ? nlohmann::ordered_json(*value) : nullptr;
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();
  for (const Attribute& a : r.attributes) {
    nlohmann::ordered_json v = AttributeText(a);
    if (const auto* number = std::get_if<double>(&a.value)) v = *number;
    if (const auto* integer = std::get_if<int64_t>(&a.value)) {
      if (a.type == AttributeType::kInt) v = *integer;
      if (a.type == AttributeType::kBool) v = *integer != 0;
    }
    attributes[a.name] = std::move(v);
  }
  return {{"id", r.id},
          {"key", r.key},
          {"fields", std::move(fields)},
          {"attributes", std::move(attributes)}};
}

}  // namespace fh
