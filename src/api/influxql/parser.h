// InfluxQL text → statements (ast.h). What is parsed:
//   SELECT <fields> FROM <sources> [WHERE <tags and time>] [GROUP BY time(i[, offset]), tags | *]
//          [fill(null|none|previous|linear|<number>)] [ORDER BY time [ASC|DESC]]
//          [LIMIT n] [OFFSET n] [SLIMIT n] [SOFFSET n]
//   SHOW DATABASES | MEASUREMENTS | TAG KEYS | TAG VALUES WITH KEY ... | FIELD KEYS | SERIES |
//        RETENTION POLICIES [ON db], with FROM, WHERE, LIMIT and OFFSET where InfluxQL has them
//   CREATE DATABASE <name> [WITH ...]
// Time in WHERE: `time` compared with now() ± durations, RFC 3339 or 'YYYY-MM-DD[ HH:MM:SS]'
// strings, epoch numbers with a unit (1600000000000ms) or bare nanoseconds; ANDed with the
// tag condition, never ORed (as InfluxDB requires). Anything else is refused with InfluxDB's
// style of message: "found X, expected Y at line 1, char N".
#pragma once

#include <string_view>
#include <vector>

#include "api/influxql/ast.h"
#include "common/status.h"

namespace fh::api::influxql {

// `now_ns` is what now() means. InvalidArgument says what is wrong and where.
Result<std::vector<Statement>> Parse(std::string_view query, int64_t now_ns);

}  // namespace fh::api::influxql
