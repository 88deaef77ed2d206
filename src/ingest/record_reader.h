// RecordReader: streams the records of one export file (CSV, JSON array, NDJSON, xlsx)
// as RecordBatches. OpenRecordReader picks the reader from the options or the content.
//
// Errors say where: "orders.csv:12: unterminated quoted field". A file that cannot be read
// at all (wrong encoding, truncated zip, not the format) fails with such an error; the
// pipeline then stores nothing of it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "ingest/byte_source.h"
#include "ingest/record_batch.h"

namespace fh::ingest {

// ReaderOptions::delimiter for text whose fields are separated by runs of spaces and tabs,
// with blanks at the start and end of a line ignored, as in fixed-width numeric dumps such
// as NASA's C-MAPSS files. A literal single space would make every extra blank an empty
// field, which no such file means, so ' ' stands for this instead.
inline constexpr char kWhitespaceDelimiter = ' ';

struct ReaderOptions {
  // "auto" (from the file name's extension, then the content), "csv", "json", "ndjson",
  // "xlsx".
  std::string format = "auto";
  // Text encoding: "auto" (BOM, else valid UTF-8, else GB18030), "utf-8", "utf-16le",
  // "utf-16be", "utf-16" (BOM required), "gbk", "gb18030", or any name iconv knows.
  std::string encoding = "auto";
  // CSV: the delimiter, kWhitespaceDelimiter for runs of blanks, or 0 to detect among
  // , ; tab | and then runs of blanks.
  char delimiter = 0;
  // CSV and xlsx: whether the first row is a header; unset = detect.
  std::optional<bool> header;
  // xlsx: the sheet's name, or empty for the first sheet.
  std::string sheet;
  // A record longer than this is an error (protects memory from a runaway quote).
  size_t max_record_bytes = 16 << 20;
  // Bytes read from the source at a time (CSV, JSON). Default 1 MiB; tests use a few bytes
  // to cut records and characters across reads. Must be at least 1.
  size_t block_bytes = 1 << 20;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Clears `batch` and fills it with up to `max_records` records (at least one unless the
  // input is exhausted). Returns false once there are no more records. Columns are known
  // after the first call.
  virtual Result<bool> Next(RecordBatch& batch, size_t max_records) = 0;
  // "csv", "json", "ndjson" or "xlsx".
  virtual std::string_view format() const = 0;
  // The encoding the text was read in ("utf-8", "gb18030", ...).
  virtual std::string_view encoding() const = 0;
  // How an `auto` encoding was told, and how sure (TextDecoder::detection()); empty when
  // the mapping named it, or the format fixes it (JSON and xlsx are UTF-8).
  virtual std::string_view encoding_detection() const { return {}; }
};

// `display_name` prefixes error messages (usually the file's name).
Result<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path,
                                                       const ReaderOptions& options);
Result<std::unique_ptr<RecordReader>> OpenRecordReader(std::unique_ptr<ByteSource> source,
                                                       std::string display_name,
                                                       const ReaderOptions& options);

}  // namespace fh::ingest
