// The raw columns a data set is computed from, per unit, each row a point in time: read
// from the hub's tags (a spec's pattern) or from a file of rows (to score new data).
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/storage.h"

namespace fh::ml {

// What a column holds where it has no value: NaN, which models and metrics skip.
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct UnitColumns {
  std::string unit;                                    // "" when the data has no units
  std::vector<int64_t> time;                           // ascending
  std::map<std::string, std::vector<double>> columns;  // one value per time; NaN: none
};

struct ColumnData {
  std::vector<UnitColumns> units;    // by unit name
  std::vector<std::string> columns;  // every column of any unit, sorted
  std::vector<std::string> tags;     // the tags read (from the hub)
  bool has(const std::string& column) const;
  std::string list() const;  // "a, b, c", for messages
};

// The tags matching `pattern` ({column}, optionally {unit}; docs/ml.md), their points in
// `range`, joined on time within each unit. NotFound when no tag matches.
Result<ColumnData> ReadColumns(Storage& storage, const std::string& pattern, TimeRange range = {});

// Per unit, the latest value of the tags matching `pattern` (which has {unit} and no
// {column}): values that belong to a unit rather than to a time, such as the true
// remaining life after a test engine's last cycle.
Result<std::map<std::string, double>> ReadUnitValues(Storage& storage, const std::string& pattern);

// The latest value of each tag matching `pattern`, by column: what a machine runs at now (a
// set-point search's context). `only` (when not empty): just these tags (an equipment's).
// Matching tags of more than one unit are an error naming them: say which equipment.
// NotFound when no tag matches.
Result<std::map<std::string, double>> ReadLatestColumns(Storage& storage,
                                                        const std::string& pattern,
                                                        const std::vector<std::string>& only = {});

// A file of rows (CSV, JSON, NDJSON, xlsx, as imports read them): every column holds
// numbers, except `unit` (the unit's name) and `time` (RFC 3339, a date or epoch seconds),
// both optional. Without time, rows keep the file's order. Errors say file:line: column.
Result<ColumnData> ReadColumnsFromFile(const std::string& path);

}  // namespace fh::ml
