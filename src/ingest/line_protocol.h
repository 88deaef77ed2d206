// InfluxDB line protocol, so that agents which write to InfluxDB (Telegraf, PLC gateways,
// edge scripts) can write to factoryhub unchanged:
//
//   machine,line=2,id=m7 temperature=71.5,speed=1480i,running=t,state="cutting" 1767225600000000000
//
// Each field of a line is one point. Its tag name is the measurement, the line's tags
// sorted by key as key=value, and the field, joined by '/':
// "machine/id=m7/line=2/temperature". Integers (1480i, 7u), floats and booleans (t, true,
// f, false ...: 1 and 0) are stored as doubles; a string field ("cutting", with quotes
// and backslashes escaped by a backslash) is a text value (model/text_sample.h) of the same tag
// naming, at most kMaxTextValueBytes of UTF-8. The timestamp is optional (the server's time then)
// and scaled by the request's precision; it must be storable (IsStorableTimestamp).
//
// A line is valid or invalid as a whole: valid lines' points go into the batch and their
// text values into the result, invalid ones are reported with their line number and why,
// for the caller to quarantine. Errors quote at most kMaxQuotedBytes of what they quote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/sample.h"
#include "model/text_sample.h"

namespace fh::ingest {

// Line protocol's boolean spellings, as 1 and 0: t, T, true, True, TRUE and f, ..., FALSE.
// Other live sources (MQTT payloads) read booleans by the same rule.
bool ParseBooleanText(std::string_view text, double* out);

// The `precision` parameter of InfluxDB's write endpoints: ns, us, ms, s, and v1's n, u,
// m (minutes), h (hours) (empty: nanoseconds), as the unit of line protocol timestamps.
// InvalidArgument names the accepted values.
Result<TimeUnit> ParsePrecision(std::string_view text);

// The most bytes of a value (a field value, a key, a timestamp) an error message quotes:
// longer ones are cut there and followed by "...(N bytes)", so that a 10 MB value does not
// make a 10 MB error.
inline constexpr size_t kMaxQuotedBytes = 200;

struct LineError {
  int64_t line = 0;     // 1-based, in the body
  std::string text;     // the line as sent, whole
  std::string message;  // what is wrong, and where in the line
};

struct LineProtocolResult {
  int64_t lines = 0;   // lines that are neither blank nor comments
  int64_t points = 0;  // added to the batch
  // The string fields of the valid lines, in order (not in `points`).
  std::vector<TextSample> texts;
  std::vector<LineError> errors;
};

// Parses line after line, reusing its buffers: one per connection or worker, not per
// request. Not thread-safe.
class LineProtocolParser {
 public:
  // Appends the numeric points of every valid line of `body` to `batch` and returns its
  // text values; `now` stamps lines without a timestamp.
  LineProtocolResult Parse(std::string_view body, TimeUnit precision, TimestampNs now,
                           SampleBatch& batch);

 private:
  // One line into batch and texts; an error message, or empty when it was stored.
  std::string ParseLine(std::string_view line, TimeUnit precision, TimestampNs now,
                        SampleBatch& batch, std::vector<TextSample>& texts);

  struct Field {
    std::string_view key;  // escaped, as in the line
    double value = 0;
    bool is_text = false;
    std::string_view text;  // a string field's value between its quotes, escaped
  };
  struct Pair {
    std::string_view key, value;  // escaped
  };
  std::vector<Pair> tags_;
  std::vector<Field> fields_;
  std::string name_;     // the point's tag name being built
  std::string scratch_;  // unescaping
};

}  // namespace fh::ingest
