#include "govern/record_mapper.h"

#include <charconv>

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>

#include "common/personal_mask.h"
#include "common/text_excerpt.h"
#include "common/text_trim.h"
#include "govern/compiled_field.h"

namespace fh::govern {

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
      out.quality->counts_missing = false;  // a missing quality is a good one
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
      const std::string_view t = TrimSpace(*v);
      if (f.IsNullText(t) || IsMissingNumberText(t)) continue;
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
      const std::string_view t = spec.trim ? TrimSpace(*v) : *v;
      if (t.empty()) continue;
      if (any) f.join += spec.separator;
      f.join += t;
      any = true;
    }
    if (any) text = f.join;
  }

  // 2. Cleaning the text: trim, split, null texts, case, code table, default.
  if (text) {
    if (spec.trim) text = TrimSpace(*text);
    if (spec.split) {
      text = SplitPart(*text, *spec.split, spec.part);
      if (text && spec.trim) text = TrimSpace(*text);
    }
    if (text && (f.IsNullText(*text) || (f.reads_number && IsMissingNumberText(*text)))) {
      text.reset();
    }
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
    if (f.counts_missing) {
      ++f.missing;
      missing_in_record_ = true;
    }
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
        const std::string_view u = unit ? TrimSpace(*unit) : std::string_view();
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

MissingNumbers RecordMapper::missing_numbers() const {
  MissingNumbers out;
  out.rows = missing_rows_;
  std::map<std::string, int64_t> by_label;
  auto add = [&](const CompiledField* f) {
    if (f && f->counts_missing && f->missing > 0) by_label[f->missing_label] += f->missing;
  };
  for (const auto& f : fields_)
    add(f.get());
  for (const Signal& s : signals_)
    add(s.value.get());
  out.columns.assign(by_label.begin(), by_label.end());
  return out;
}

bool RecordMapper::MapRecord(const ingest::RecordBatch& batch, size_t record,
                             std::vector<Value>& values, std::vector<Violation>& violations,
                             Lookups* lookups) {
  values.resize(record_fields_.size());
  const MissingRowCounter count(*this);
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
  const MissingRowCounter count(*this);
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
      out.tag += part ? TrimSpace(*part) : std::string_view();
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
