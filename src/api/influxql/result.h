// What an InfluxQL statement answers, and its JSON exactly as InfluxDB 1.x writes it (Go's
// encoding/json): {"results":[{"statement_id":0,"series":[{"name":..,"tags":{..},"columns":
// [..],"values":[[..]]}]}]}, floats in Go's shortest form (3, not 3.0; 1e-07 as 1e-7),
// strings with <, > and & escaped, an empty name, tags and series left out.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "api/influxql/ast.h"

namespace fh::api::influxql {

struct TimeCell {
  int64_t ns = 0;
};

// null, integer, float, string, boolean, time.
using Cell = std::variant<std::monostate, int64_t, double, std::string, bool, TimeCell>;

struct ResultSeries {
  std::string name;
  TagSet tags;  // written when not empty
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> values;
  // InfluxDB 1.x cuts a series into pieces of 10,000 rows and, answering without chunking,
  // joins them again but keeps the first piece's "partial": true. Clients read past it;
  // it is written for the same bytes.
  bool Partial() const { return values.size() > kInfluxRowsPerPiece; }
  static constexpr size_t kInfluxRowsPerPiece = 10'000;
};

struct StatementResult {
  std::vector<ResultSeries> series;
  std::string error;  // when not empty, the statement failed and `series` is not written
};

// `epoch_unit_ns`: 0 writes times as RFC 3339 with trimmed nanoseconds, else as whole
// numbers of that many ns (the `epoch` parameter: 1 for ns, 1000000 for ms ...).
// Without the newline InfluxDB ends its body with (ReplyJsonText adds it).
std::string EncodeResults(const std::vector<StatementResult>& results, int64_t epoch_unit_ns);

// Go's strconv.FormatFloat(v, 'f' or 'e', -1, 64) as encoding/json chooses; NaN and
// infinities, which JSON cannot hold, as null.
void AppendGoFloat(double v, std::string* out);

// The `epoch` parameter (n, ns, u, µ, us, ms, s, m, h) as ns per unit; 0 for "" (RFC 3339).
bool ParseEpochParameter(std::string_view text, int64_t* unit_ns);

}  // namespace fh::api::influxql
