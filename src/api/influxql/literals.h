// InfluxQL's literals, as the parser (parser.h) reads them: durations (10s, 1h30m, and
// epochs with a unit: 1600000000000ms), time strings, and regular expressions (RE2, which
// reads Go's regexp syntax, as InfluxDB's).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace re2 {
class RE2;
}

namespace fh::api::influxql {

// a + b into *out, false on overflow.
bool SafeAdd(int64_t a, int64_t b, int64_t* out);

// "10s", "1h30m", "1600000000000ms" → ns; the units ns, u, µ, us, ms, s, m, h, d, w.
Result<int64_t> DurationLiteral(std::string_view text);

// '2020-01-01T00:00:00Z', '2020-01-01 00:00:00' (UTC), '2020-01-01' → ns.
Result<int64_t> TimeLiteral(std::string_view text);

// A compiled pattern, or InvalidArgument with RE2's reason.
Result<std::shared_ptr<const re2::RE2>> CompileRegex(const std::string& pattern);

}  // namespace fh::api::influxql
