#include "ingest/csv_record_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "ingest/csv_dialect.h"
#include "ingest/text_decoder.h"

namespace fh::ingest {
namespace {

constexpr size_t kMaxBatchBytes = 64 << 20;
// Field positions inside a record are 32-bit.
constexpr size_t kMaxRecordBytesLimit = size_t{1} << 30;

int64_t CountLineFeeds(const char* begin, const char* end) {
  return std::count(begin, end, '\n');
}

bool IsBlank(char c) {
  return c == ' ' || c == '\t';
}

const char* SkipBlanks(const char* p, const char* e) {
  while (p != e && IsBlank(*p))
    ++p;
  return p;
}

class CsvRecordReader final : public RecordReader {
 public:
  CsvRecordReader(std::unique_ptr<TextDecoder> decoder, std::string name,
                  const ReaderOptions& options)
      : decoder_(std::move(decoder)),
        name_(std::move(name)),
        options_(options),
        delimiter_(options.delimiter),
        max_record_bytes_(std::clamp<size_t>(options.max_record_bytes, 1, kMaxRecordBytesLimit)),
        block_bytes_(std::max<size_t>(options.block_bytes, 1)) {
    capacity_ = 2 * block_bytes_ + TextDecoder::kMinRead;
    buf_ = std::make_unique_for_overwrite<char[]>(capacity_);
  }

  Result<bool> Next(RecordBatch& batch, size_t max_records) override {
    batch.Clear();
    if (!failed_.ok()) return failed_;
    Result<bool> more = Fill(batch, std::max<size_t>(max_records, 1));
    if (!more.ok()) failed_ = more.status();
    return more;
  }
  std::string_view format() const override { return "csv"; }
  std::string_view encoding() const override { return decoder_->encoding(); }
  std::string_view encoding_detection() const override { return decoder_->detection(); }

 private:
  // A field of the current record: bytes of its text, or of unquoted_ when the field had
  // "" escapes or text after its closing quote.
  struct Field {
    uint32_t offset;
    uint32_t length;
    bool in_unquoted;
  };
  // The record Parse found. Pointers into buf_, valid until the next ReadMore().
  struct Record {
    const char* begin = nullptr;
    const char* end = nullptr;         // before its line terminator
    const char* next = nullptr;        // the next record
    bool quoted = false;               // may span lines
    const char* open_quote = nullptr;  // with kNeedMore: a quoted field not closed yet
    int64_t line = 0;
    int64_t position = 0;  // in the decoded text
  };
  enum class Scan { kRecord, kBlank, kNeedMore };

  Result<bool> Fill(RecordBatch& batch, size_t max_records);
  Status Prime();
  Status ReadMore();
  Result<bool> NextRecord();
  Result<Scan> Parse(const char* p, const char* e);
  Result<Scan> ParseQuoted(const char* p, const char* e);
  void SplitOnBlanks(const char* p, const char* text_end);
  Scan EndRecord(const char* p, const char* stop, const char* e);
  Status Emit(RecordBatch& batch);

  std::string_view FieldText(const Field& f) const {
    return f.in_unquoted ? std::string_view(unquoted_).substr(f.offset, f.length)
                         : std::string_view(record_.begin + f.offset, f.length);
  }
  // Where the field or record that runs to `stop` ends: before the CR of a CRLF.
  const char* TextEnd(const char* begin, const char* stop, const char* e) const {
    if ((stop == e || *stop == '\n') && stop != begin && stop[-1] == '\r') return stop - 1;
    return stop;
  }
  bool Blanks() const { return delimiter_ == kWhitespaceDelimiter; }
  bool IsDelimiter(char c) const { return Blanks() ? IsBlank(c) : c == delimiter_; }
  const char* FindStop(const char* p, const char* e) const {
    if (Blanks()) {
      while (p != e && !IsBlank(*p) && *p != '\n')
        ++p;
      return p;
    }
    while (p != e && *p != delimiter_ && *p != '\n')
      ++p;
    return p;
  }
  void AddColumns(size_t count) {
    while (columns_.size() < count)
      columns_.push_back(std::to_string(columns_.size() + 1));
  }
  Status TooLong(const char* p) const {
    std::string open;
    if (record_.open_quote != nullptr) {
      open = fmt::format(" (a quoted field opened on line {} is still open)",
                         line_ + CountLineFeeds(p, record_.open_quote));
    }
    return InvalidArgument("{}:{}: record longer than {} bytes{}", name_, line_, max_record_bytes_,
                           open);
  }

  std::unique_ptr<TextDecoder> decoder_;
  std::string name_;
  ReaderOptions options_;
  char delimiter_;
  size_t max_record_bytes_;
  size_t block_bytes_;
  Status failed_;

  // [pos_, end_) of buf_ is decoded text not parsed yet; buf_[0] is decoded position
  // buf_base_.
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
  int64_t buf_base_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;  // the line at pos_

  bool primed_ = false;  // delimiter and header known
  bool has_header_ = false;
  std::vector<std::string> columns_;

  Record record_;
  std::vector<Field> fields_;
  std::string unquoted_;
};

Result<bool> CsvRecordReader::Fill(RecordBatch& batch, size_t max_records) {
  if (!primed_) FH_RETURN_IF_ERROR(Prime());
  if (batch.columns() != columns_) batch.mutable_columns() = columns_;
  while (batch.size() < max_records && batch.arena_bytes() < kMaxBatchBytes) {
    FH_ASSIGN_OR_RETURN(bool more, NextRecord());
    if (!more) break;
    FH_RETURN_IF_ERROR(Emit(batch));
  }
  return !batch.empty();
}

// Reads a sample (kCsvSampleRecords lines or kCsvSampleBytes), settles the delimiter and
// the header from it, and consumes the header.
Status CsvRecordReader::Prime() {
  primed_ = true;
  int64_t lines = 0;
  while (!eof_ && end_ - pos_ < kCsvSampleBytes &&
         lines < static_cast<int64_t>(kCsvSampleRecords)) {
    const size_t before = end_;
    FH_RETURN_IF_ERROR(ReadMore());
    lines += CountLineFeeds(buf_.get() + before, buf_.get() + end_);
  }
  if (delimiter_ == 0) {
    delimiter_ = DetectCsvDelimiter(std::string_view(buf_.get() + pos_, end_ - pos_), eof_);
  }
  // Errors in the sample are left for the reading proper to report.
  std::vector<std::vector<std::string>> rows;
  const char* e = buf_.get() + end_;
  for (const char* p = buf_.get() + pos_; p != e && rows.size() < kCsvSampleRecords;) {
    Result<Scan> scan = Parse(p, e);
    if (!scan.ok() || *scan == Scan::kNeedMore) break;
    p = record_.next;
    if (*scan == Scan::kBlank) continue;
    std::vector<std::string>& row = rows.emplace_back();
    for (const Field& f : fields_)
      row.emplace_back(FieldText(f));
  }
  has_header_ = options_.header.has_value() ? *options_.header : LooksLikeCsvHeader(rows);
  if (!has_header_) {
    size_t width = 0;
    for (const auto& row : rows)
      width = std::max(width, row.size());
    AddColumns(width);
    return Status::Ok();
  }
  FH_ASSIGN_OR_RETURN(bool any, NextRecord());
  if (any) {
    std::vector<std::string_view> names;
    for (const Field& f : fields_)
      names.push_back(FieldText(f));
    columns_ = CsvColumnNames(names);
  }
  return Status::Ok();
}

// Keeps the unparsed text, moved to the front, and appends at least a block of decoded
// text, or as much as there is already: a record longer than a block is then rescanned a
// logarithmic number of times, not once per block.
Status CsvRecordReader::ReadMore() {
  const size_t tail = end_ - pos_;
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, tail);
    buf_base_ += static_cast<int64_t>(pos_);
    pos_ = 0;
    end_ = tail;
  }
  const size_t want = std::max(tail, block_bytes_);
  if (capacity_ < end_ + want + TextDecoder::kMinRead) {
    const size_t capacity = std::max(capacity_ * 2, end_ + want + TextDecoder::kMinRead);
    auto buf = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(buf.get(), buf_.get(), end_);
    buf_ = std::move(buf);
    capacity_ = capacity;
  }
  for (size_t read = 0; read < want && !eof_ && capacity_ - end_ >= TextDecoder::kMinRead;) {
    FH_ASSIGN_OR_RETURN(size_t got, decoder_->Read(buf_.get() + end_, capacity_ - end_));
    if (got == 0) eof_ = true;
    end_ += got;
    read += got;
  }
  return Status::Ok();
}

// Finds the next record, reading more as needed, and moves past it. False at the end.
Result<bool> CsvRecordReader::NextRecord() {
  while (true) {
    const char* p = buf_.get() + pos_;
    const char* e = buf_.get() + end_;
    if (p == e) {
      if (eof_) return false;
      FH_RETURN_IF_ERROR(ReadMore());
      continue;
    }
    FH_ASSIGN_OR_RETURN(Scan scan, Parse(p, e));
    if (scan == Scan::kNeedMore) {
      if (end_ - pos_ > max_record_bytes_) {
        // The line-at-a-time scan stops at the first missing line feed: see whether the
        // cause is an open quote, to say so.
        if (record_.open_quote == nullptr) (void)ParseQuoted(p, e);
        return TooLong(p);
      }
      FH_RETURN_IF_ERROR(ReadMore());
      continue;
    }
    pos_ = static_cast<size_t>(record_.next - buf_.get());
    if (scan == Scan::kBlank) {
      ++line_;
      continue;
    }
    if (static_cast<size_t>(record_.end - p) > max_record_bytes_) return TooLong(p);
    record_.line = line_;
    record_.position = buf_base_ + (p - buf_.get());
    line_ += 1 + (record_.quoted ? CountLineFeeds(p, record_.end) : 0);
    return true;
  }
}

// The record at p: the common case of a line without quotes, split with memchr.
Result<CsvRecordReader::Scan> CsvRecordReader::Parse(const char* p, const char* e) {
  record_.begin = p;
  record_.open_quote = nullptr;
  const auto* lf = static_cast<const char*>(std::memchr(p, '\n', e - p));
  if (lf == nullptr && !eof_) return Scan::kNeedMore;
  const char* line_end = lf != nullptr ? lf : e;
  const char* text_end = TextEnd(p, line_end, e);
  record_.next = lf != nullptr ? lf + 1 : e;
  if (text_end == p || (Blanks() && SkipBlanks(p, text_end) == text_end)) return Scan::kBlank;
  if (std::memchr(p, '"', text_end - p) != nullptr) return ParseQuoted(p, e);
  record_.end = text_end;
  record_.quoted = false;
  fields_.clear();
  if (Blanks()) {
    SplitOnBlanks(p, text_end);
    return Scan::kRecord;
  }
  for (const char* f = p;;) {
    const auto* d = static_cast<const char*>(std::memchr(f, delimiter_, text_end - f));
    const char* field_end = d != nullptr ? d : text_end;
    fields_.push_back({static_cast<uint32_t>(f - p), static_cast<uint32_t>(field_end - f), false});
    if (d == nullptr) break;
    f = d + 1;
  }
  return Scan::kRecord;
}

// The fields of a line without quotes in whitespace mode; it has at least one.
void CsvRecordReader::SplitOnBlanks(const char* p, const char* text_end) {
  for (const char* f = SkipBlanks(p, text_end); f != text_end;) {
    const char* stop = f;
    while (stop != text_end && !IsBlank(*stop))
      ++stop;
    fields_.push_back({static_cast<uint32_t>(f - p), static_cast<uint32_t>(stop - f), false});
    f = SkipBlanks(stop, text_end);
  }
}

// Ends the record at `stop`, its line feed or e.
CsvRecordReader::Scan CsvRecordReader::EndRecord(const char* p, const char* stop, const char* e) {
  record_.end = TextEnd(p, stop, e);
  record_.next = stop == e ? e : stop + 1;
  record_.quoted = true;
  return Scan::kRecord;
}

// A record with a quote somewhere: field by field, a quoted field possibly across lines.
Result<CsvRecordReader::Scan> CsvRecordReader::ParseQuoted(const char* p, const char* e) {
  fields_.clear();
  unquoted_.clear();
  auto offset = [p](const char* at) { return static_cast<uint32_t>(at - p); };
  for (const char* f = p;;) {
    if (Blanks()) {
      // Blanks before a field are no part of it; before the line's end they end the record
      // (Parse saw that it has a field).
      f = SkipBlanks(f, e);
      const char* lf = f != e && *f == '\r' ? f + 1 : f;  // CRLF
      if (lf == e && !eof_) return Scan::kNeedMore;
      if (lf == e || *lf == '\n') return EndRecord(p, lf, e);
    }
    Field field;
    const char* stop;  // the delimiter or line feed after the field, or e
    if (f != e && *f == '"') {
      const char* segment = f + 1;  // text not copied to unquoted_ yet
      const size_t start = unquoted_.size();
      bool escaped = false;
      const char* close;
      while (true) {
        close = static_cast<const char*>(std::memchr(segment, '"', e - segment));
        if (close == nullptr || (close + 1 == e && !eof_)) {  // "" may follow
          if (!eof_) {
            record_.open_quote = f;
            return Scan::kNeedMore;
          }
          return InvalidArgument("{}:{}: quoted field never closed (it opens on this line)", name_,
                                 line_ + CountLineFeeds(p, f));
        }
        if (close + 1 == e || close[1] != '"') break;
        unquoted_.append(segment, close + 1);
        segment = close + 2;
        escaped = true;
      }
      stop = FindStop(close + 1, e);
      if (stop == e && !eof_) return Scan::kNeedMore;
      const char* after_end = TextEnd(close + 1, stop, e);
      if (!escaped && after_end == close + 1) {
        field = {offset(segment), static_cast<uint32_t>(close - segment), false};
      } else {
        unquoted_.append(segment, close);
        unquoted_.append(close + 1, after_end);
        field = {static_cast<uint32_t>(start), static_cast<uint32_t>(unquoted_.size() - start),
                 true};
      }
    } else {
      stop = FindStop(f, e);
      if (stop == e && !eof_) return Scan::kNeedMore;
      field = {offset(f), static_cast<uint32_t>(TextEnd(f, stop, e) - f), false};
    }
    fields_.push_back(field);
    if (stop != e && IsDelimiter(*stop)) {
      f = stop + 1;
      continue;
    }
    return EndRecord(p, stop, e);
  }
}

Status CsvRecordReader::Emit(RecordBatch& batch) {
  const size_t count = fields_.size();
  if (count > columns_.size()) {
    if (has_header_) {
      return InvalidArgument("{}:{}: {} fields, header has {}", name_, record_.line, count,
                             columns_.size());
    }
    AddColumns(count);
    batch.mutable_columns() = columns_;
  }
  batch.BeginRecord(record_.line, decoder_->SourceOffset(record_.position));
  for (const Field& f : fields_)
    batch.AddField(FieldText(f));
  for (size_t i = count; i < columns_.size(); ++i)
    batch.AddNull();
  batch.EndRecord(std::string_view(record_.begin, record_.end - record_.begin));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<RecordReader>> MakeCsvReader(std::unique_ptr<ByteSource> source,
                                                    std::string display_name,
                                                    const ReaderOptions& options) {
  const char d = options.delimiter;
  if (d == '"' || d == '\n' || d == '\r') {
    return InvalidArgument("{}: the delimiter cannot be a quote or a line break", display_name);
  }
  TextDecoderOptions decoding;
  decoding.encoding = options.encoding;
  decoding.block_bytes = options.block_bytes;
  FH_ASSIGN_OR_RETURN(std::unique_ptr<TextDecoder> decoder,
                      TextDecoder::Open(std::move(source), display_name, decoding));
  return std::unique_ptr<RecordReader>(
      std::make_unique<CsvRecordReader>(std::move(decoder), std::move(display_name), options));
}

}  // namespace fh::ingest
