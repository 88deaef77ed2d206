// CompiledField: one field's mapping (FieldMapping) compiled for RecordMapper — its source
// columns bound to positions, its expression, unit conversions, timestamp parser and code
// table ready, and the scratch buffers that keep mapping a record free of allocation.
// Internal to govern/record_mapper.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/string_map.h"
#include "govern/entity_schema.h"
#include "govern/expression.h"
#include "govern/field_text.h"
#include "govern/mapping.h"
#include "govern/timestamp_format.h"
#include "govern/units.h"

namespace fh::govern {

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
  // A number read from the source as written (no code table): pandas' missing texts
  // (IsMissingNumberText) read as no value too, and the values missing are counted, under
  // `missing_label` (the source column, or the field), for the import's report.
  bool reads_number = false;
  bool counts_missing = false;
  std::string missing_label;
  int64_t missing = 0;
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
    f->reads_number =
        (type == FieldType::kReal || type == FieldType::kInt) && spec.code_table.empty();
    f->counts_missing = f->reads_number;
    f->missing_label = spec.from.size() == 1                 ? spec.from[0]
                       : spec.expr && spec.target == "value" ? *spec.expr
                                                             : spec.target;
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

}  // namespace fh::govern
