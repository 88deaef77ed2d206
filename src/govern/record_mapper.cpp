#include "govern/record_mapper.h"

#include <charconv>

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "common/personal_mask.h"
#include "common/string_map.h"
#include "common/text_excerpt.h"
#include "govern/expression.h"
#include "govern/timestamp_format.h"
#include "govern/units.h"

namespace fh::govern {

namespace {

constexpr int kUnbound = -1;
// The pseudo-column `_line`: the record's line in its source (1-based; without a header,
// the record's number), for files whose rows carry no id of their own.
constexpr int kLineColumn = -2;
constexpr std::string_view kLineColumnName = "_line";

// The record's line as text, in `buf`.
std::string_view LineText(const ingest::RecordBatch& batch, size_t record, char (&buf)[24]) {
  const auto r = std::to_chars(buf, buf + sizeof buf, batch.line(record));
  return {buf, static_cast<size_t>(r.ptr - buf)};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// Part `part` of `s` split on `sep` (negative from the end), or nullopt when there is none.
std::optional<std::string_view> SplitPart(std::string_view s, std::string_view sep, int part) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  const int n = static_cast<int>(parts.size());
  const int i = part < 0 ? n + part : part;
  if (i < 0 || i >= n) return std::nullopt;
  return parts[static_cast<size_t>(i)];
}

// Parses a number, with "1.234,5" accepted when decimal_comma is set. Leading '+' is fine.
std::optional<double> ParseNumber(std::string_view text, char decimal_comma, std::string& scratch) {
  if (decimal_comma) {
    scratch.clear();
    for (char c : text) {
      if (c == '.' || c == ' ') continue;  // thousands separators
      scratch.push_back(c == ',' ? '.' : c);
    }
    text = scratch;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<bool> ParseBool(std::string_view t) {
  static constexpr std::string_view kTrue[] = {"true", "TRUE", "True", "1",  "yes", "YES",
                                               "Yes",  "y",    "Y",    "是", "on",  "ON"};
  static constexpr std::string_view kFalse[] = {"false", "FALSE", "False", "0",  "no",  "NO",
                                                "No",    "n",     "N",     "否", "off", "OFF"};
  for (std::string_view s : kTrue) {
    if (t == s) return true;
  }
  for (std::string_view s : kFalse) {
    if (t == s) return false;
  }
  return std::nullopt;
}

}  // namespace

// One field's mapping, compiled.
class CompiledField {
 public:
  const FieldMapping* spec = nullptr;
  const FieldDef* def = nullptr;  // null for sample values, timestamps, external ids
  FieldType type = FieldType::kText;
  std::vector<int> from_cols;
  int unit_col = kUnbound;
  std::optional<Expression> expr;
  std::vector<int> expr_cols;
  std::vector<std::optional<double>> expr_values;
  std::optional<UnitConversion> conversion;  // fixed source unit
  const Unit* to_unit = nullptr;             // with unit_from
  StringMap<UnitConversion> unit_cache;
  StringMap<UnitConversion> unit_map;  // unit_map: the unit column's code -> conversion
  std::optional<TimestampParser> time;
  StringMap<std::string> codes;
  const std::vector<std::string>* null_values = nullptr;
  std::string join;     // scratch for joined columns
  std::string numbuf;   // scratch for decimal-comma numbers
  char linebuf[24];     // the record's line as text, for `_line`
  std::string casebuf;  // scratch for case folding
  std::string templated;
  std::string numtext;                        // an expression's number as text, for a code table
  int64_t epoch_ns_per_unit = 1'000'000'000;  // a time computed by expr
  std::optional<int64_t> last_time;           // the previous record's, in source order

  static Result<std::unique_ptr<CompiledField>> Make(const Mapping& m, const FieldMapping& spec,
                                                     const FieldDef* def, FieldType type) {
    auto f = std::make_unique<CompiledField>();
    f->spec = &spec;
    f->def = def;
    f->type = type;
    const std::string where = fmt::format("{}:{}:{}: field '{}'", m.path.empty() ? m.name : m.path,
                                          spec.mark.line, spec.mark.column, spec.target);
    if (spec.expr) {
      Result<Expression> e = Expression::Compile(*spec.expr);
      if (!e.ok()) return InvalidArgument("{}: {}", where, e.status().message());
      f->expr = std::move(*e);
      // A number, or a text: the number as written ("1"), or what the code table makes of
      // it (pass/fail from `measured <= limit`, an enum value from a status code).
      const bool numeric =
          type == FieldType::kReal || type == FieldType::kInt || type == FieldType::kTime;
      if (!numeric && type != FieldType::kText && spec.code_table.empty()) {
        return InvalidArgument(
            "{}: expr gives a number, but the field is {}: add a map (\"1\": pass, \"0\": fail) "
            "from the number to its values",
            where, ToString(type));
      }
      if (!numeric && type == FieldType::kRef) {
        return InvalidArgument("{}: a reference cannot be computed by expr", where);
      }
      if (type == FieldType::kTime) {
        // A computed time is a number of the format's epoch unit (seconds by default).
        const std::string& fmt_name = spec.time_format;
        f->epoch_ns_per_unit = fmt_name == "epoch_ms"   ? 1'000'000
                               : fmt_name == "epoch_us" ? 1'000
                               : fmt_name == "epoch_ns" ? 1
                                                        : 1'000'000'000;
      }
    }
    if (!spec.unit.empty() || !spec.unit_from.empty()) {
      if (type != FieldType::kReal && type != FieldType::kInt) {
        return InvalidArgument("{}: units apply to numbers, but the field is {}", where,
                               ToString(type));
      }
    }
    if (!spec.unit.empty() && !spec.to_unit.empty()) {
      Result<UnitConversion> c = MakeConversion(spec.unit, spec.to_unit);
      if (!c.ok()) return InvalidArgument("{}: {}", where, c.status().message());
      f->conversion = *c;
    }
    if (!spec.unit_from.empty()) {
      if (spec.to_unit.empty()) return InvalidArgument("{}: unit_from needs 'to'", where);
      Result<const Unit*> u = FindUnit(spec.to_unit);
      if (!u.ok()) return InvalidArgument("{}: {}", where, u.status().message());
      f->to_unit = *u;
      for (const auto& [code, unit] : spec.unit_map) {
        // Every unit the table names must convert: a typo fails at load, not per row.
        Result<UnitConversion> c = MakeConversion(unit, spec.to_unit);
        if (!c.ok()) {
          return InvalidArgument("{}: unit_map: '{}' -> '{}': {}", where, code, unit,
                                 c.status().message());
        }
        f->unit_map.emplace(code, *c);
      }
    }
    if (type == FieldType::kTime) {
      TimestampSpec ts;
      ts.format = spec.time_format;
      ts.time_zone = spec.time_zone.empty() ? m.time_zone : spec.time_zone;
      ts.ambiguous = spec.ambiguous;
      ts.nonexistent = spec.nonexistent;
      Result<TimestampParser> p = TimestampParser::Make(ts);
      if (!p.ok()) return InvalidArgument("{}: {}", where, p.status().message());
      f->time = std::move(*p);
    }
    for (const auto& [from, to] : spec.code_table)
      f->codes.emplace(from, to);
    f->null_values = spec.null_values.empty() ? &m.null_values : &spec.null_values;
    if (type == FieldType::kEnum && def) {
      // Catch a code table that maps into a value the entity does not allow at load time.
      for (const auto& [from, to] : spec.code_table) {
        if (std::find(def->enum_values.begin(), def->enum_values.end(), to) ==
            def->enum_values.end()) {
          return InvalidArgument("{}: map: '{}' -> '{}' is not a {} value", where, from, to,
                                 def->name);
        }
      }
    }
    return f;
  }

  Status Bind(const std::vector<std::string>& columns, bool missing_is_null,
              std::string_view where) {
    auto find = [&](const std::string& name, int* out) -> Status {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == name) {
          *out = static_cast<int>(i);
          return Status::Ok();
        }
      }
      if (name == kLineColumnName) {
        *out = kLineColumn;
        return Status::Ok();
      }
      if (missing_is_null) {
        *out = kUnbound;
        return Status::Ok();
      }
      std::string list;
      for (const std::string& c : columns)
        list += (list.empty() ? "'" : ", '") + c + "'";
      return InvalidArgument("{}: field '{}': column '{}' is not in the file (columns: {})", where,
                             spec->target, name, list);
    };
    from_cols.assign(spec->from.size(), kUnbound);
    for (size_t i = 0; i < spec->from.size(); ++i) {
      FH_RETURN_IF_ERROR(find(spec->from[i], &from_cols[i]));
    }
    if (!spec->unit_from.empty()) FH_RETURN_IF_ERROR(find(spec->unit_from, &unit_col));
    if (expr) {
      expr_cols.assign(expr->variables().size(), kUnbound);
      expr_values.assign(expr_cols.size(), std::nullopt);
      for (size_t i = 0; i < expr_cols.size(); ++i) {
        FH_RETURN_IF_ERROR(find(expr->variables()[i], &expr_cols[i]));
      }
    }
    return Status::Ok();
  }

  // The source columns this field reads that the last Bind did not find.
  void AddUnbound(std::vector<std::pair<std::string, std::string>>& out) const {
    for (size_t i = 0; i < from_cols.size(); ++i) {
      if (from_cols[i] == kUnbound) out.emplace_back(spec->from[i], spec->target);
    }
    if (!spec->unit_from.empty() && unit_col == kUnbound) {
      out.emplace_back(spec->unit_from, spec->target);
    }
    for (size_t i = 0; i < expr_cols.size(); ++i) {
      if (expr_cols[i] == kUnbound) out.emplace_back(expr->variables()[i], spec->target);
    }
  }

  bool IsNullText(std::string_view t) const {
    for (const std::string& n : *null_values) {
      if (t == n) return true;
    }
    return false;
  }
};

struct RecordMapper::Signal {
  // The tag template as literal text and column references, alternating.
  struct Piece {
    std::string literal;
    std::string column;
    int col = kUnbound;
  };
  std::vector<Piece> pieces;
  std::unique_ptr<CompiledField> value;
  std::unique_ptr<CompiledField> quality;
};

RecordMapper::RecordMapper(const Mapping& mapping, const EntityDef* entity)
    : mapping_(mapping), entity_(entity) {}
RecordMapper::~RecordMapper() = default;

Result<std::unique_ptr<RecordMapper>> RecordMapper::Make(const Mapping& mapping) {
  const EntityDef* entity = mapping.is_samples() ? nullptr : FindEntity(mapping.entity);
  if (!mapping.is_samples() && !entity) {
    return InvalidArgument("mapping '{}': unknown entity '{}'", mapping.name, mapping.entity);
  }
  std::unique_ptr<RecordMapper> m(new RecordMapper(mapping, entity));
  if (entity) {
    m->record_fields_ = RecordFields(*entity, mapping);
    m->fields_.resize(m->record_fields_.size());
    for (const FieldMapping& f : mapping.fields) {
      const std::optional<size_t> i = entity->FieldIndex(f.target);
      const FieldDef& def = entity->fields[*i];  // ParseMapping checked the name
      FH_ASSIGN_OR_RETURN(m->fields_[*i], CompiledField::Make(mapping, f, &def, def.type));
    }
    for (size_t a = 0; a < mapping.attributes.size(); ++a) {
      const size_t i = entity->fields.size() + a;
      const FieldDef& def = m->record_fields_[i];
      FH_ASSIGN_OR_RETURN(m->fields_[i],
                          CompiledField::Make(mapping, mapping.attributes[a], &def, def.type));
    }
    if (mapping.external_id) {
      FH_ASSIGN_OR_RETURN(m->external_id_, CompiledField::Make(mapping, *mapping.external_id,
                                                               nullptr, FieldType::kText));
    }
    return m;
  }
  const SamplesMapping& s = *mapping.samples;
  FH_ASSIGN_OR_RETURN(m->timestamp_,
                      CompiledField::Make(mapping, s.timestamp, nullptr, FieldType::kTime));
  for (const SignalMapping& sig : s.signals) {
    Signal out;
    std::string_view t = sig.tag_template;
    while (!t.empty()) {
      const size_t open = t.find('{');
      Signal::Piece piece;
      piece.literal = std::string(t.substr(0, open));
      if (open == std::string_view::npos) {
        out.pieces.push_back(std::move(piece));
        break;
      }
      const size_t close = t.find('}', open);
      if (close == std::string_view::npos) {
        return InvalidArgument("mapping '{}': tag template '{}': unclosed '{{'", mapping.name,
                               sig.tag_template);
      }
      piece.column = std::string(t.substr(open + 1, close - open - 1));
      out.pieces.push_back(std::move(piece));
      t.remove_prefix(close + 1);
    }
    FH_ASSIGN_OR_RETURN(out.value,
                        CompiledField::Make(mapping, sig.value, nullptr, FieldType::kReal));
    if (sig.quality) {
      FH_ASSIGN_OR_RETURN(out.quality,
                          CompiledField::Make(mapping, *sig.quality, nullptr, FieldType::kInt));
    }
    m->signals_.push_back(std::move(out));
  }
  return m;
}

Status RecordMapper::Bind(const std::vector<std::string>& columns, bool missing_is_null) {
  const std::string where = mapping_.path.empty() ? mapping_.name : mapping_.path;
  for (auto& f : fields_) {
    if (f) FH_RETURN_IF_ERROR(f->Bind(columns, missing_is_null, where));
  }
  if (external_id_) FH_RETURN_IF_ERROR(external_id_->Bind(columns, missing_is_null, where));
  if (timestamp_) FH_RETURN_IF_ERROR(timestamp_->Bind(columns, missing_is_null, where));
  for (Signal& s : signals_) {
    FH_RETURN_IF_ERROR(s.value->Bind(columns, missing_is_null, where));
    if (s.quality) FH_RETURN_IF_ERROR(s.quality->Bind(columns, missing_is_null, where));
    for (Signal::Piece& p : s.pieces) {
      if (p.column.empty()) continue;
      p.col = kUnbound;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i] == p.column) p.col = static_cast<int>(i);
      }
      if (p.col == kUnbound && p.column == kLineColumnName) p.col = kLineColumn;
      if (p.col == kUnbound && !missing_is_null) {
        return InvalidArgument("{}: tag template: column '{}' is not in the file", where, p.column);
      }
    }
  }
  return Status::Ok();
}

std::vector<std::pair<std::string, std::string>> RecordMapper::UnboundColumns() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : fields_) {
    if (f) f->AddUnbound(out);
  }
  if (timestamp_) timestamp_->AddUnbound(out);
  for (const Signal& s : signals_) {
    s.value->AddUnbound(out);
    if (s.quality) s.quality->AddUnbound(out);
    for (const Signal::Piece& p : s.pieces) {
      if (!p.column.empty() && p.col == kUnbound) out.emplace_back(p.column, "tag");
    }
  }
  return out;
}

bool RecordMapper::MapField(CompiledField& f, const ingest::RecordBatch& batch, size_t record,
                            Value& out, std::vector<Violation>& violations, Lookups* lookups) {
  const FieldMapping& spec = *f.spec;
  const size_t before = violations.size();
  auto fail = [&](CheckKind check, std::string value, std::string message) {
    if (spec.personal) {
      message = MaskInText(message, value);
      value = MaskPersonal(value);
    }
    // Values are quoted bounded: a 10 MB value must not make a 10 MB message.
    violations.push_back(Violation{check, Severity::kReject, std::string(ToString(check)),
                                   spec.target, Excerpt(value), BoundMessage(message)});
    out.SetNull();
    return false;
  };
  auto column = [&](int col) -> std::optional<std::string_view> {
    if (col == kUnbound) return std::nullopt;
    if (col == kLineColumn) return LineText(batch, record, f.linebuf);
    return batch.field(record, static_cast<size_t>(col));
  };

  // 1. The source's text (or, for an expression, its number).
  std::optional<std::string_view> text;
  std::optional<double> number;
  if (f.expr) {
    for (size_t i = 0; i < f.expr_cols.size(); ++i) {
      std::optional<std::string_view> v = column(f.expr_cols[i]);
      f.expr_values[i].reset();
      if (!v) continue;
      const std::string_view t = Trim(*v);
      if (f.IsNullText(t)) continue;
      f.expr_values[i] = ParseNumber(t, spec.decimal_comma, f.numbuf);
      if (!f.expr_values[i]) {
        return fail(CheckKind::kCast, std::string(t),
                    fmt::format("column '{}' is not a number", f.expr->variables()[i]));
      }
    }
    number = f.expr->Evaluate(f.expr_values);
    if (number && (!f.codes.empty() || f.type == FieldType::kText)) {
      // The number becomes text for the code table (1 -> "1", 0.5 -> "0.5").
      f.numtext = ToDisplayText(Value{Value::Kind::kNumber, *number});
      text = f.numtext;
      number.reset();
    }
  } else if (spec.constant) {
    text = *spec.constant;
  } else if (f.from_cols.size() == 1) {
    text = column(f.from_cols[0]);
  } else if (!f.from_cols.empty()) {
    f.join.clear();
    bool any = false;
    for (int col : f.from_cols) {
      std::optional<std::string_view> v = column(col);
      if (!v) continue;
      const std::string_view t = spec.trim ? Trim(*v) : *v;
      if (t.empty()) continue;
      if (any) f.join += spec.separator;
      f.join += t;
      any = true;
    }
    if (any) text = f.join;
  }

  // 2. Cleaning the text: trim, split, null texts, case, code table, default.
  if (text) {
    if (spec.trim) text = Trim(*text);
    if (spec.split) {
      text = SplitPart(*text, *spec.split, spec.part);
      if (text && spec.trim) text = Trim(*text);
    }
    if (text && f.IsNullText(*text)) text.reset();
  }
  if (text && spec.letter_case != LetterCase::kKeep) {
    f.casebuf.assign(*text);
    for (char& c : f.casebuf) {
      if (spec.letter_case == LetterCase::kUpper && c >= 'a' && c <= 'z') c = char(c - 32);
      if (spec.letter_case == LetterCase::kLower && c >= 'A' && c <= 'Z') c = char(c + 32);
    }
    text = f.casebuf;
  }
  if (text && !f.codes.empty()) {
    const auto it = f.codes.find(*text);
    if (it != f.codes.end()) {
      text = it->second;
    } else if (spec.unmapped == Unmapped::kNull) {
      text.reset();
    } else if (spec.unmapped == Unmapped::kReject) {
      return fail(CheckKind::kCodeTable, std::string(*text),
                  fmt::format("code '{}' is not in the field's code table", *text));
    }
  }
  if (!text && !number && spec.default_value) text = *spec.default_value;
  if (text && !spec.template_text.empty()) {
    const size_t at = spec.template_text.find("{value}");
    f.templated.assign(spec.template_text, 0, at);
    f.templated.append(*text);
    f.templated.append(spec.template_text, at + 7);
    text = f.templated;
  }
  if (!text && !number && f.def && !f.def->default_value.empty() && !f.def->required) {
    text = f.def->default_value;
  }
  if (!text && !number) {
    out.SetNull();
    if (f.def && f.def->required) {
      return fail(CheckKind::kRequired, "", "a required field has no value");
    }
    return true;
  }

  // 3. Casting to the canonical type.
  switch (f.type) {
    case FieldType::kText:
      if (number) {
        out.SetText(ToDisplayText(Value{Value::Kind::kNumber, *number}));
      } else {
        out.SetText(*text);
      }
      break;
    case FieldType::kEnum: {
      const auto& allowed = f.def->enum_values;
      if (std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
        std::string list;
        for (std::string_view a : allowed)
          list += (list.empty() ? "" : ", ") + std::string(a);
        return fail(CheckKind::kCast, std::string(*text),
                    fmt::format("'{}' is not a {} (allowed: {})", *text, f.def->name, list));
      }
      out.SetText(*text);
      break;
    }
    case FieldType::kReal:
    case FieldType::kInt: {
      if (!number) {
        number = ParseNumber(*text, spec.decimal_comma, f.numbuf);
        if (!number) {
          return fail(CheckKind::kCast, std::string(*text),
                      fmt::format("'{}' is not a number", *text));
        }
      }
      if (f.conversion) {
        number = f.conversion->Apply(*number);
      } else if (f.to_unit) {
        std::optional<std::string_view> unit = column(f.unit_col);
        const std::string_view u = unit ? Trim(*unit) : std::string_view();
        if (!f.unit_map.empty()) {
          // The column names a machine or a code; the table says its unit.
          const auto mapped = f.unit_map.find(u);
          if (mapped == f.unit_map.end()) {
            return fail(CheckKind::kCodeTable, std::string(u),
                        fmt::format("'{}' (column '{}') is not in the field's unit_map", u,
                                    spec.unit_from));
          }
          number = mapped->second.Apply(*number);
        } else {
          auto it = f.unit_cache.find(u);
          if (it == f.unit_cache.end()) {
            Result<const Unit*> from = FindUnit(u);
            Result<UnitConversion> c = from.ok() ? MakeConversion(**from, *f.to_unit)
                                                 : Result<UnitConversion>(from.status());
            if (!c.ok()) {
              return fail(CheckKind::kCast, std::string(u),
                          fmt::format("unit '{}': {}", u, c.status().message()));
            }
            it = f.unit_cache.emplace(std::string(u), *c).first;
          }
          number = it->second.Apply(*number);
        }
      }
      if (spec.round_digits) {
        // Conversions such as K to °C leave binary noise (298.15 - 273.15 = 25.000000000000034);
        // rounding to the source's precision restores the decimal the export meant.
        const double scale = std::pow(10.0, *spec.round_digits);
        number = std::round(*number * scale) / scale;
      }
      if (!std::isfinite(*number)) {
        return fail(CheckKind::kCast, text ? std::string(*text) : "", "not a finite number");
      }
      if (f.type == FieldType::kInt &&
          (*number != std::floor(*number) || std::fabs(*number) > 9.007199254740992e15)) {
        return fail(CheckKind::kCast, ToDisplayText(Value{Value::Kind::kNumber, *number}),
                    "not a whole number");
      }
      out.SetNumber(*number);
      break;
    }
    case FieldType::kTime: {
      if (number) {
        const double ns = *number * static_cast<double>(f.epoch_ns_per_unit);
        if (!std::isfinite(ns) || std::fabs(ns) > 9.2e18) {
          return fail(CheckKind::kCast, ToDisplayText(Value{Value::Kind::kNumber, *number}),
                      "the computed time is out of range");
        }
        out.SetTime(static_cast<int64_t>(std::llround(ns)));
        break;
      }
      Result<int64_t> t = f.time->Parse(*text, f.last_time);
      if (!t.ok()) {
        return fail(CheckKind::kCast, std::string(*text),
                    fmt::format("'{}' is not a time: {}", *text, t.status().message()));
      }
      f.last_time = *t;  // the order of the source tells a repeated local hour's two apart
      out.SetTime(*t);
      break;
    }
    case FieldType::kBool: {
      const std::optional<bool> b = ParseBool(*text);
      if (!b) {
        return fail(CheckKind::kCast, std::string(*text),
                    fmt::format("'{}' is not true or false", *text));
      }
      out.SetBool(*b);
      break;
    }
    case FieldType::kRef: {
      if (spec.lookup_system.empty() || !lookups) {
        out.SetText(*text);
        break;
      }
      Result<std::optional<std::string>> key =
          lookups->ResolveExternalId(f.def->ref_entity, spec.lookup_system, *text);
      if (!key.ok()) {
        return fail(CheckKind::kCrosswalk, std::string(*text), key.status().message());
      }
      if (!*key) {
        return fail(CheckKind::kCrosswalk, std::string(*text),
                    fmt::format("{} id '{}' of system '{}' is not in the crosswalk",
                                f.def->ref_entity, *text, spec.lookup_system));
      }
      out.SetText(**key);
      break;
    }
  }
  return violations.size() == before;
}

bool RecordMapper::MapRecord(const ingest::RecordBatch& batch, size_t record,
                             std::vector<Value>& values, std::vector<Violation>& violations,
                             Lookups* lookups) {
  values.resize(record_fields_.size());
  bool ok = true;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i]) {
      ok &= MapField(*fields_[i], batch, record, values[i], violations, lookups);
      continue;
    }
    // Not mapped: the entity's default, else null.
    const FieldDef& def = record_fields_[i];
    if (def.default_value.empty()) {
      values[i].SetNull();
    } else if (def.type == FieldType::kReal || def.type == FieldType::kInt) {
      values[i].SetNumber(std::strtod(std::string(def.default_value).c_str(), nullptr));
    } else if (def.type == FieldType::kBool) {
      values[i].SetBool(def.default_value == "true");
    } else {
      values[i].SetText(def.default_value);
    }
  }
  return ok;
}

std::string_view RecordMapper::ExternalId(const ingest::RecordBatch& batch, size_t record) {
  if (!external_id_) return {};
  std::vector<Violation> ignored;
  if (!MapField(*external_id_, batch, record, scratch_, ignored, nullptr) || scratch_.is_null()) {
    return {};
  }
  return scratch_.text;
}

bool RecordMapper::MapSamples(const ingest::RecordBatch& batch, size_t record,
                              std::vector<MappedSample>& samples,
                              std::vector<Violation>& violations) {
  Value ts;
  if (!MapField(*timestamp_, batch, record, ts, violations, nullptr)) return false;
  if (ts.is_null()) {
    violations.push_back(Violation{CheckKind::kRequired, Severity::kReject, "required", "timestamp",
                                   "", "the record has no timestamp"});
    return false;
  }
  if (!IsStorableTimestamp(ts.time)) {  // INT64_MAX: the store would refuse the whole import
    violations.push_back(Violation{CheckKind::kCast, Severity::kReject, "cast", "timestamp",
                                   ToDisplayText(ts),
                                   "out of range: the store keeps 1677-09-21T00:12:43.145224192Z.."
                                   "2262-04-11T23:47:16.854775806Z"});
    return false;
  }
  const size_t first = samples.size();
  bool ok = true;
  Value v;
  Value q;
  for (Signal& s : signals_) {
    if (!MapField(*s.value, batch, record, v, violations, nullptr)) {
      ok = false;
      continue;
    }
    if (v.is_null()) continue;
    uint32_t quality = kQualityGood;
    if (s.quality) {
      if (!MapField(*s.quality, batch, record, q, violations, nullptr)) {
        ok = false;
        continue;
      }
      if (!q.is_null()) {
        if (q.number < 0 || q.number > 4294967295.0) {
          violations.push_back(Violation{CheckKind::kCast, Severity::kReject, "cast", "quality",
                                         ToDisplayText(q), "quality must be 0..2^32-1"});
          ok = false;
          continue;
        }
        quality = static_cast<uint32_t>(q.number);
      }
    }
    MappedSample& out = samples.emplace_back();
    out.signal = static_cast<uint32_t>(&s - signals_.data());
    out.timestamp = ts.time;
    out.value = v.number;
    out.quality = quality;
    for (const Signal::Piece& p : s.pieces) {
      out.tag += p.literal;
      if (p.column.empty()) continue;
      char line[24];
      std::optional<std::string_view> part = p.col == kUnbound ? std::nullopt
                                             : p.col == kLineColumn
                                                 ? LineText(batch, record, line)
                                                 : batch.field(record, static_cast<size_t>(p.col));
      out.tag += part ? Trim(*part) : std::string_view();
    }
  }
  if (!ok) {
    samples.resize(first);  // a record is stored whole or not at all
    return false;
  }
  if (samples.size() == first) {
    // Nothing to store: not an accepted record (it would count as one), a visible one.
    violations.push_back(Violation{CheckKind::kRequired, Severity::kReject, "required", "value", "",
                                   signals_.size() == 1
                                       ? "the record has no value"
                                       : "the record has no value in any of its signals"});
    return false;
  }
  return true;
}

}  // namespace fh::govern
