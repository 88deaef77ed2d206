// The conditions of the statements (ast.h), evaluated on a series' tags and a measurement's
// name.
#include "api/influxql/ast.h"

#include <re2/re2.h>

#include <algorithm>

namespace fh::api::influxql {

std::string_view TagValue(const TagSet& tags, std::string_view key) {
  auto it = std::lower_bound(tags.begin(), tags.end(), key,
                             [](const auto& kv, std::string_view k) { return kv.first < k; });
  return it != tags.end() && it->first == key ? std::string_view(it->second) : std::string_view();
}

bool TagCondition::Matches(const TagSet& tags) const {
  switch (kind) {
    case Kind::kTrue:
      return true;
    case Kind::kAnd:
      return std::all_of(children.begin(), children.end(),
                         [&](const TagCondition& c) { return c.Matches(tags); });
    case Kind::kOr:
      return std::any_of(children.begin(), children.end(),
                         [&](const TagCondition& c) { return c.Matches(tags); });
    case Kind::kCompare: {
      const std::string_view v = TagValue(tags, key);
      switch (op) {
        case CompareOp::kEq:
          return v == value;
        case CompareOp::kNe:
          return v != value;
        case CompareOp::kMatch:
          return re2::RE2::PartialMatch(v, *regex);
        case CompareOp::kNotMatch:
          return !re2::RE2::PartialMatch(v, *regex);
      }
    }
  }
  return false;
}

bool Source::Matches(std::string_view measurement) const {
  return regex ? re2::RE2::PartialMatch(measurement, *regex) : measurement == name;
}

}  // namespace fh::api::influxql
