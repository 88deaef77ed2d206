#include "govern/rule_spec.h"

#include "common/enum_names.h"

namespace fh::govern {

namespace {

constexpr EnumNames<CheckKind, 16> kCheckNames = {{
    {CheckKind::kNotNull, "not_null"},
    {CheckKind::kUnique, "unique"},
    {CheckKind::kRange, "range"},
    {CheckKind::kRegex, "regex"},
    {CheckKind::kInSet, "in_set"},
    {CheckKind::kReference, "reference"},
    {CheckKind::kMonotonic, "monotonic"},
    {CheckKind::kFreshness, "freshness"},
    {CheckKind::kCompare, "compare"},
    {CheckKind::kRowCountChange, "row_count_change"},
    {CheckKind::kRequired, "required"},
    {CheckKind::kCast, "cast"},
    {CheckKind::kCodeTable, "code_table"},
    {CheckKind::kCrosswalk, "crosswalk"},
    {CheckKind::kSchema, "schema"},
    {CheckKind::kKey, "key"},
}};

constexpr EnumNames<QualityDimension, 5> kDimensionNames = {{
    {QualityDimension::kCompleteness, "completeness"},
    {QualityDimension::kValidity, "validity"},
    {QualityDimension::kUniqueness, "uniqueness"},
    {QualityDimension::kTimeliness, "timeliness"},
    {QualityDimension::kConsistency, "consistency"},
}};

}  // namespace

std::string_view ToString(CheckKind kind) {
  return EnumToString(kCheckNames, kind);
}

std::optional<CheckKind> ParseRuleKind(std::string_view name) {
  for (const auto& [k, n] : kCheckNames) {
    if (n == name && k <= CheckKind::kRowCountChange) return k;
  }
  return std::nullopt;
}

std::optional<CheckKind> ParseCheckKind(std::string_view name) {
  for (const auto& [k, n] : kCheckNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string_view ToString(Severity s) {
  return s == Severity::kReject ? "reject" : "warn";
}

std::string_view ToString(QualityDimension d) {
  return EnumToString(kDimensionNames, d);
}

QualityDimension DimensionOf(CheckKind kind) {
  switch (kind) {
    case CheckKind::kNotNull:
    case CheckKind::kRequired:
      return QualityDimension::kCompleteness;
    case CheckKind::kUnique:
    case CheckKind::kKey:
      return QualityDimension::kUniqueness;
    case CheckKind::kFreshness:
      return QualityDimension::kTimeliness;
    case CheckKind::kReference:
    case CheckKind::kCompare:
    case CheckKind::kMonotonic:
    case CheckKind::kRowCountChange:
    case CheckKind::kCrosswalk:
      return QualityDimension::kConsistency;
    case CheckKind::kRange:
    case CheckKind::kRegex:
    case CheckKind::kInSet:
    case CheckKind::kCast:
    case CheckKind::kCodeTable:
    case CheckKind::kSchema:
      return QualityDimension::kValidity;
  }
  return QualityDimension::kValidity;
}

}  // namespace fh::govern
