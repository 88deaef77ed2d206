#include "govern/rule_spec.h"

#include <array>
#include <utility>

namespace fh::govern {

namespace {

constexpr std::array<std::pair<CheckKind, std::string_view>, 16> kCheckNames = {{
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

}  // namespace

std::string_view ToString(CheckKind kind) {
  for (const auto& [k, name] : kCheckNames) {
    if (k == kind) return name;
  }
  return "?";
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
  switch (d) {
    case QualityDimension::kCompleteness:
      return "completeness";
    case QualityDimension::kValidity:
      return "validity";
    case QualityDimension::kUniqueness:
      return "uniqueness";
    case QualityDimension::kTimeliness:
      return "timeliness";
    case QualityDimension::kConsistency:
      return "consistency";
  }
  return "?";
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
