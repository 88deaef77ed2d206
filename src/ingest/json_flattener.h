// JsonFlattener: turns one JSON object's text into one record of a RecordBatch.
//
// Nested objects become dotted column names ("machine.id"); an empty nested object and
// every array are kept as their JSON text; strings as their unescaped UTF-8; numbers
// exactly as written (no reformatting through double); true/false as text; null as an
// absent field. Columns are discovered as keys appear and keep their first-seen order, so
// a record's fields follow the columns known when it was read (later columns absent).
// When two keys flatten to the same name ({"a.b":1,"a":{"b":2}}), the last one wins.
//
// Parsing is simdjson On-Demand (error codes only, nothing throws); the object's text is
// copied into a reused padded buffer first. Not thread-safe; one per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "common/status.h"
#include "common/string_map.h"
#include "ingest/record_batch.h"

namespace fh::ingest {

class JsonFlattener {
 public:
  // Objects and arrays nested deeper than this are an error (bounds recursion).
  static constexpr int kMaxDepth = 128;

  explicit JsonFlattener(std::string display_name);

  // Parses `text` (one JSON value, whose first byte is on `line`) and appends it to `batch`
  // as one record, adding any new columns to both columns() and batch.mutable_columns().
  // A value that is not an object or not valid JSON is InvalidArgument "name:line: ...",
  // with the line of the offending byte when simdjson says where it is; nothing is
  // appended then.
  Status Append(std::string_view text, int64_t line, int64_t offset, RecordBatch& batch);

  // Every column seen so far, in first-seen order.
  const std::vector<std::string>& columns() const { return columns_; }

 private:
  using Value = simdjson::ondemand::value;
  struct Slot {
    uint64_t record = 0;  // the slot holds a value only when this is the current record
    bool null = false;
    std::string_view text;  // into the padded buffer or simdjson's string buffer
  };

  // `fields` counts the members read (an empty nested object is kept as "{}").
  Status Flatten(simdjson::ondemand::object object, int depth, size_t* fields);
  Status AddValue(Value& value, int depth);
  Status ReadScalar(Value& value, simdjson::ondemand::json_type type, std::string_view* text,
                    bool* null);
  // Validates a value that is kept as text (an array), since skipping it would not.
  Status Check(Value& value, simdjson::ondemand::json_type type, int depth);
  Status Set(std::string_view text, bool null);  // the value of path_
  Status JsonError(simdjson::error_code error);
  Status Error(const char* where, std::string_view what);

  std::string display_name_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
  std::unique_ptr<char[]> padded_;
  size_t padded_capacity_ = 0;
  std::string_view text_;  // the object being read, in padded_
  int64_t line_ = 0;       // of text_[0]

  std::vector<std::string> columns_;
  StringMap<size_t> index_;
  std::vector<Slot> slots_;  // by column
  uint64_t record_ = 0;
  std::vector<uint32_t> previous_order_;  // column of each value, in the order last read
  size_t values_in_record_ = 0;
  std::string path_;  // dotted name of the value being read
};

}  // namespace fh::ingest
