// SampleCsvReader: streams long-form sample CSV (timestamp,tag,value[,quality]) into
// SampleBatches. The input of `factoryhub write`; the format is described in
// docs/csv-samples.md.
//
// Reads its input in blocks of SampleCsvOptions::block_bytes and keeps only the current
// block (plus the line that crosses into the next), so memory does not grow with the file.
// A reader is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "ingest/byte_source.h"
#include "model/sample.h"

namespace fh::ingest {

struct SampleCsvOptions {
  // Names the input in error messages ("FILE:LINE: ..."). Empty: the path given to Open,
  // or "<stdin>" for "-".
  std::string display_name;
  // How timestamps are written. nullopt (the default, "auto"): RFC 3339 text, and a
  // numeric timestamp is an error that asks for --epoch. A unit: numbers of that unit
  // since the epoch (see ParseEpoch).
  std::optional<TimeUnit> epoch_unit;
  // Most points one Next() call puts into a batch. Default 262144 points (≈ 6 MiB of
  // columns). Must be at least 1.
  size_t batch_points = 262144;
  // Bytes read from the input at a time. Default 4 MiB. Tests use a few bytes to split
  // lines across blocks. Must be at least 1.
  size_t block_bytes = 4 << 20;
  // Longest accepted line, in bytes; a longer one is an error rather than unbounded
  // memory. Default 1 MiB.
  size_t max_line_bytes = 1 << 20;
  // A malformed data line is kept in bad_lines() and reading goes on, instead of failing the
  // reader. The header, an unreadable input and a line longer than max_line_bytes still fail.
  bool skip_bad_lines = false;
};

// A data line the reader could not read (SampleCsvOptions::skip_bad_lines).
struct BadSampleLine {
  int64_t line = 0;
  std::string raw;      // as read, without its line break
  std::string message;  // "field 'value': not a number: 'abc'"
};

class SampleCsvReader {
 public:
  // Opens a file, or standard input for "-". Reads nothing yet.
  static Result<std::unique_ptr<SampleCsvReader>> Open(const std::string& path,
                                                       SampleCsvOptions options = {});
  // Reads from memory (tests, benchmarks, fuzzing). `data` must outlive the reader.
  static std::unique_ptr<SampleCsvReader> FromBuffer(std::string_view data,
                                                     SampleCsvOptions options = {});
  // Reads from any source (e.g. an HTTP body stream).
  static std::unique_ptr<SampleCsvReader> FromSource(std::unique_ptr<ByteSource> source,
                                                     SampleCsvOptions options = {});

  ~SampleCsvReader();
  SampleCsvReader(const SampleCsvReader&) = delete;
  SampleCsvReader& operator=(const SampleCsvReader&) = delete;

  // Clears *out and fills it with the next points, at most options.batch_points, in file
  // order. Returns true when *out holds points, false at the end of the input (and *out is
  // empty). An error is InvalidArgument "FILE:LINE: ..." for bad input or IOError; *out then
  // holds the points of the lines before the bad one, and the reader stays failed (every
  // later call returns the same error). With skip_bad_lines, true also when only
  // bad_lines() holds something: a run of bad lines is returned in slices, so that memory
  // stays bounded.
  Result<bool> Next(SampleBatch* out);

  // The lines the last Next() skipped (skip_bad_lines), in order.
  const std::vector<BadSampleLine>& bad_lines() const { return bad_lines_; }
  // The line of point `i` of the batch the last Next() returned. Kept as runs of points on
  // consecutive lines (a new run after a blank, header or bad line), not a number per point.
  int64_t point_line(size_t i) const;

  // Physical lines consumed so far (blank lines and the header included).
  int64_t lines_read() const { return lines_read_; }
  // Whether the input started with a header line (known after the first Next()).
  bool has_header() const { return has_header_; }

 private:
  SampleCsvReader(std::unique_ptr<ByteSource> source, SampleCsvOptions options);

  static constexpr size_t kMaxFields = 4;
  struct Fields {
    std::string_view text[kMaxFields];
    size_t count = 0;  // may exceed kMaxFields: only the first ones are kept
  };

  Status Fill();  // moves the partial line to the front and reads the next block
  Status ParseLine(const char* begin, const char* end, SampleBatch* out);
  // Keeps a line's error in bad_lines_ when it is the line's own and skip_bad_lines is set.
  bool SkipBadLine(const Status& error, const char* begin, const char* end);
  Status Fatal(Status error) {
    fatal_ = true;
    return error;
  }
  Status SplitQuoted(const char* begin, const char* end, Fields* fields);
  Status FirstLine(const char* begin, const char* end, bool* is_header);
  Status AddPoint(const Fields& fields, SampleBatch* out);
  Status ParseTimestamp(std::string_view text, int64_t* ns);
  std::string_view ColumnName(size_t index) const;
  Status FieldError(std::string_view field, std::string_view problem, std::string_view text) const;
  Status FieldCountError(size_t got) const;

  std::unique_ptr<ByteSource> source_;
  SampleCsvOptions options_;
  std::unique_ptr<char[]> buf_;  // [pos_, end_) holds unparsed bytes
  size_t capacity_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool seen_first_line_ = false;  // header detection done
  bool has_header_ = false;
  Status failed_;
  bool fatal_ = false;  // the last error is the input's, not one line's
  int64_t lines_read_ = 0;
  std::vector<BadSampleLine> bad_lines_;
  // Points from `first_point` on are on line first_point + `line_delta` (until the next run).
  struct LineRun {
    size_t first_point;
    int64_t line_delta;
  };
  std::vector<LineRun> line_runs_;
  bool new_line_run_ = true;  // the next point starts a run (after a line without a point)

  // Where each column is: from the header, or timestamp,tag,value[,quality].
  // col_quality_ == kMaxFields: no quality column.
  size_t col_ts_ = 0, col_tag_ = 1, col_value_ = 2, col_quality_ = 3;
  size_t header_fields_ = 0;  // 0: no header, so 3 or 4 fields per line
  std::string header_names_;  // "tag,timestamp,value", for the field-count error

  // The previous line's timestamp text and value: lines often repeat a timestamp.
  std::string last_ts_text_;
  int64_t last_ts_ = 0;
  bool have_last_ts_ = false;
  // Unescaped quoted fields of the current line (the last one for fields past the 4th).
  std::string scratch_[kMaxFields + 1];
};

}  // namespace fh::ingest
