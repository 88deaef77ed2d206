// InfluxQL statements, as parsed from a /query request (parser.h) and run against the hub's
// store (select_statement.h, show_statement.h). Only what Grafana's InfluxDB data source and
// the InfluxDB 1.x client libraries send is represented; the parser refuses the rest by name.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace re2 {
class RE2;
}

namespace fh::api::influxql {

// A series' tags, sorted by key: as line protocol named them (series_index.h).
using TagSet = std::vector<std::pair<std::string, std::string>>;

// The value of `key` in `tags`, "" when the series has no such tag (as InfluxDB compares).
std::string_view TagValue(const TagSet& tags, std::string_view key);

enum class CompareOp { kEq, kNe, kMatch, kNotMatch };

// A condition on tags: `"line" = '2'`, `"id" =~ /^m[0-9]+$/`, combined with AND and OR.
// kTrue is the empty condition. Regular expressions are RE2's (the syntax of Go's regexp,
// which InfluxDB uses) and match anywhere in the value unless anchored.
struct TagCondition {
  enum class Kind { kTrue, kAnd, kOr, kCompare };
  Kind kind = Kind::kTrue;
  std::vector<TagCondition> children;  // kAnd, kOr
  std::string key;                     // kCompare
  CompareOp op = CompareOp::kEq;
  std::string value;                      // kEq, kNe
  std::shared_ptr<const re2::RE2> regex;  // kMatch, kNotMatch

  bool Matches(const TagSet& tags) const;
};

// Inclusive bounds on time, ns since the epoch.
struct TimeBounds {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  bool has_lo = false;
  bool has_hi = false;
};

struct Condition {
  TagCondition tags;
  TimeBounds time;
};

// FROM "m", FROM "rp"."m", FROM "db"."rp"."m" (the last name is the measurement) or FROM /re/.
struct Source {
  std::string name;
  std::shared_ptr<const re2::RE2> regex;

  bool Matches(std::string_view measurement) const;
};

// One expression of the SELECT list: a field, `*`, or a function of one field.
struct FieldExpr {
  std::string function;  // lower case; empty for a raw field
  std::string field;     // "*" for every field
  double argument = 0;   // percentile(field, N): N
  std::string alias;     // AS "name"; empty: the function's (or the field's) name
};

enum class Fill { kNull, kNone, kValue, kPrevious, kLinear };

struct SelectStatement {
  std::vector<FieldExpr> fields;
  std::vector<Source> sources;
  Condition where;
  int64_t interval = 0;  // GROUP BY time(interval[, offset]), ns; 0: no time grouping
  int64_t interval_offset = 0;
  std::vector<std::string> group_tags;  // GROUP BY "a", "b"
  bool group_all_tags = false;          // GROUP BY *
  Fill fill = Fill::kNull;
  double fill_value = 0;
  bool descending = false;                                 // ORDER BY time DESC
  int64_t limit = 0, offset = 0, slimit = 0, soffset = 0;  // 0: none
};

struct ShowStatement {
  enum class Kind {
    kDatabases,
    kMeasurements,
    kTagKeys,
    kTagValues,
    kFieldKeys,
    kRetentionPolicies,
    kSeries
  };
  Kind kind = Kind::kDatabases;
  std::vector<Source> sources;  // FROM; empty: every measurement
  // SHOW MEASUREMENTS WITH MEASUREMENT = 'm' | =~ /re/.
  std::vector<Source> measurement_filter;
  // SHOW TAG VALUES WITH KEY = "k" | IN ("a", "b") | != "k" | =~ /re/ | !~ /re/.
  CompareOp key_op = CompareOp::kEq;
  std::vector<std::string> keys;
  std::shared_ptr<const re2::RE2> key_regex;
  Condition where;
  int64_t limit = 0, offset = 0;
};

struct CreateDatabase {
  std::string name;
};

using Statement = std::variant<SelectStatement, ShowStatement, CreateDatabase>;

}  // namespace fh::api::influxql
