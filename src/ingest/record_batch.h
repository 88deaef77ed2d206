// RecordBatch: a block of records read from an export (CSV row, JSON object, xlsx row),
// before any mapping. Fields are UTF-8 text or absent (null); a record remembers where it
// came from (line, byte offset) and its original text, so that a rejected record can be
// quarantined whole and its error can say where it is.
//
// Storage is columnar-ish and allocation-free in steady state: every field's bytes live in
// one arena string, fields are (offset, length) pairs, records index into them. Clear()
// keeps the capacity, so a reader that refills one batch allocates only while it grows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fh::ingest {

// A reader cuts a batch at about this much field text plus field references, so that a few
// huge records do not make one huge batch.
inline constexpr size_t kRecordBatchBytes = 8 << 20;
inline constexpr size_t kFieldRefBytes = 8;
// RecordBatch addresses its arena with 32 bits: one record must stay far below that.
inline constexpr size_t kMaxRecordBytes = 512 << 20;

class RecordBatch {
 public:
  // Column names: the header, a JSON object's keys (nested ones as "a.b"), or "1", "2", ...
  // when the source has no header. Readers may add columns while filling a batch (a JSON
  // key seen for the first time); earlier records then lack the new fields (null).
  const std::vector<std::string>& columns() const { return columns_; }
  std::vector<std::string>& mutable_columns() { return columns_; }
  // The index of `name` in columns(), or nullopt.
  std::optional<size_t> ColumnIndex(std::string_view name) const;

  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }

  // The field's text, or nullopt when absent (JSON null or missing key, a short CSV row).
  // An empty CSV field is present and empty; mappings decide whether it counts as null.
  std::optional<std::string_view> field(size_t record, size_t column) const {
    const RecordRef& r = records_[record];
    if (column >= r.field_count) return std::nullopt;
    const FieldRef& f = fields_[r.first_field + column];
    if (f.length == kNull) return std::nullopt;
    return std::string_view(arena_).substr(f.offset, f.length);
  }
  size_t field_count(size_t record) const { return records_[record].field_count; }
  // 1-based line of the record's first line in the source (the row number for xlsx).
  int64_t line(size_t record) const { return records_[record].line; }
  // Byte offset of the record in the source as read (before any re-encoding).
  int64_t offset(size_t record) const { return records_[record].offset; }
  // The record's original text (decoded to UTF-8), without its line terminator.
  std::string_view raw(size_t record) const {
    const RecordRef& r = records_[record];
    return std::string_view(arena_).substr(r.raw_offset, r.raw_length);
  }

  // Empties the batch, keeping columns and capacity.
  void Clear() {
    arena_.clear();
    fields_.clear();
    records_.clear();
  }

  // Building a record: BeginRecord, then AddField/AddNull per column in order, then
  // EndRecord with its raw text.
  void BeginRecord(int64_t line, int64_t offset) {
    records_.push_back(RecordRef{fields_.size(), 0, line, offset, 0, 0});
  }
  void AddField(std::string_view text) {
    fields_.push_back(
        FieldRef{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(text.size())});
    arena_.append(text);
    ++records_.back().field_count;
  }
  void AddNull() {
    fields_.push_back(FieldRef{0, kNull});
    ++records_.back().field_count;
  }
  void EndRecord(std::string_view raw) {
    RecordRef& r = records_.back();
    r.raw_offset = static_cast<uint32_t>(arena_.size());
    r.raw_length = static_cast<uint32_t>(raw.size());
    arena_.append(raw);
  }
  // Bytes held by the fields and raw texts, for readers that bound a batch by size.
  size_t arena_bytes() const { return arena_.size(); }

 private:
  static constexpr uint32_t kNull = std::numeric_limits<uint32_t>::max();
  struct FieldRef {
    uint32_t offset;
    uint32_t length;  // kNull when absent
  };
  struct RecordRef {
    size_t first_field;
    uint32_t field_count;
    int64_t line;
    int64_t offset;
    uint32_t raw_offset;
    uint32_t raw_length;
  };
  std::vector<std::string> columns_;
  std::string arena_;  // < 4 GiB per batch: readers cap batches far below that
  std::vector<FieldRef> fields_;
  std::vector<RecordRef> records_;
};

}  // namespace fh::ingest
