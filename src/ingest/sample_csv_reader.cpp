#include "ingest/sample_csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <fast_float/fast_float.h>

#include "common/text_trim.h"

namespace fh::ingest {

namespace {

constexpr size_t kMaxQuotedText = 64;
// Bad lines one Next() returns at most (skip_bad_lines): a file of nothing but bad lines
// then costs bounded memory.
constexpr size_t kMaxBadLinesPerCall = 4096;

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Offending text as shown in an error: at most 64 bytes, not cut inside a UTF-8 sequence.
std::string Excerpt(std::string_view text) {
  if (text.size() <= kMaxQuotedText) return std::string(text);
  size_t n = kMaxQuotedText;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
    --n;
  return std::string(text.substr(0, n)) + "...";
}

// A number as written, for the auto time format's hint: "1767225600", "-1.5".
bool LooksLikeNumber(std::string_view s) {
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if ((s[i] < '0' || s[i] > '9') && s[i] != '.' && s[i] != 'e' && s[i] != 'E') return false;
  }
  return true;
}

// Header names of the columns, lower case. Index: 0 timestamp, 1 tag, 2 value, 3 quality.
int ColumnRole(std::string_view name) {
  if (EqualsIgnoreCase(name, "timestamp") || EqualsIgnoreCase(name, "time") ||
      EqualsIgnoreCase(name, "ts")) {
    return 0;
  }
  if (EqualsIgnoreCase(name, "tag") || EqualsIgnoreCase(name, "name") ||
      EqualsIgnoreCase(name, "signal")) {
    return 1;
  }
  if (EqualsIgnoreCase(name, "value")) return 2;
  if (EqualsIgnoreCase(name, "quality")) return 3;
  return -1;
}
constexpr std::string_view kRoleNames[] = {"timestamp", "tag", "value", "quality"};

// "71.234", "-1e-320", "nan", "inf", "-inf" → double, exactly rounded. False if not a
// number or too large for a double (a literal infinity is fine).
bool ParseValue(std::string_view text, double* value, bool* out_of_range) {
  const char* first = text.data();
  const char* last = first + text.size();
  // Clinger's fast path for the common "-71.234": at most 15 digits make an integer that a
  // double holds exactly, and one division by an exact power of ten rounds correctly.
  {
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* p = first;
    const bool negative = p != last && *p == '-';
    p += negative;
    uint64_t mantissa = 0;
    const char* digits = p;
    for (; p != last && static_cast<unsigned char>(*p - '0') <= 9; ++p) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
    }
    size_t count = static_cast<size_t>(p - digits);
    size_t fraction = 0;
    if (p != last && *p == '.') {
      const char* fraction_start = ++p;
      for (; p != last && static_cast<unsigned char>(*p - '0') <= 9; ++p) {
        mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
      }
      fraction = static_cast<size_t>(p - fraction_start);
      count += fraction;
    }
    if (p == last && count >= 1 && count <= 15) {
      double v = static_cast<double>(mantissa) / kPow10[fraction];
      *value = negative ? -v : v;
      return true;
    }
  }
  if (first != last && *first == '+' && last - first > 1 && first[1] != '-') ++first;
  if (first == last) return false;
  fast_float::from_chars_result r = fast_float::from_chars(first, last, *value);
  if (r.ec != std::errc() || r.ptr != last) return false;
  if (std::isinf(*value)) {
    const char c = *first == '-' ? first[1] : *first;
    if (c != 'i' && c != 'I') {
      *out_of_range = true;
      return false;
    }
  }
  return true;
}

// "0".."255" or good/uncertain/bad (any case); empty means good.
bool ParseQuality(std::string_view text, uint32_t* quality) {
  if (text.empty()) {
    *quality = kQualityGood;
    return true;
  }
  if (text[0] >= '0' && text[0] <= '9') {
    if (text.size() > 3) return false;
    uint32_t q = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      q = q * 10 + static_cast<uint32_t>(c - '0');
    }
    if (!IsValidQuality(q)) return false;
    *quality = q;
    return true;
  }
  if (EqualsIgnoreCase(text, "good")) {
    *quality = kQualityGood;
  } else if (EqualsIgnoreCase(text, "uncertain")) {
    *quality = kQualityUncertain;
  } else if (EqualsIgnoreCase(text, "bad")) {
    *quality = kQualityBad;
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<SampleCsvReader>> SampleCsvReader::Open(const std::string& path,
                                                               SampleCsvOptions options) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  if (options.display_name.empty()) options.display_name = path == "-" ? "<stdin>" : path;
  return FromSource(std::move(source), std::move(options));
}

std::unique_ptr<SampleCsvReader> SampleCsvReader::FromBuffer(std::string_view data,
                                                             SampleCsvOptions options) {
  if (options.display_name.empty()) options.display_name = "<buffer>";
  return FromSource(MakeBufferSource(data), std::move(options));
}

std::unique_ptr<SampleCsvReader> SampleCsvReader::FromSource(std::unique_ptr<ByteSource> source,
                                                             SampleCsvOptions options) {
  return std::unique_ptr<SampleCsvReader>(
      new SampleCsvReader(std::move(source), std::move(options)));
}

SampleCsvReader::SampleCsvReader(std::unique_ptr<ByteSource> source, SampleCsvOptions options)
    : source_(std::move(source)), options_(std::move(options)) {
  options_.batch_points = std::max<size_t>(options_.batch_points, 1);
  options_.block_bytes = std::max<size_t>(options_.block_bytes, 1);
  options_.max_line_bytes = std::max<size_t>(options_.max_line_bytes, 1);
  capacity_ = options_.block_bytes;
  buf_ = std::make_unique_for_overwrite<char[]>(capacity_);
  last_ts_text_.reserve(64);
}

SampleCsvReader::~SampleCsvReader() = default;

Status SampleCsvReader::Fill() {
  const size_t tail = end_ - pos_;
  if (tail > options_.max_line_bytes) {
    return InvalidArgument("{}:{}: line longer than {} bytes", options_.display_name,
                           lines_read_ + 1, options_.max_line_bytes);
  }
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, tail);
    pos_ = 0;
    end_ = tail;
  }
  if (end_ == capacity_) {  // one line fills the buffer: make it longer
    size_t capacity = capacity_ * 2;
    auto buf = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(buf.get(), buf_.get(), end_);
    buf_ = std::move(buf);
    capacity_ = capacity;
  }
  FH_ASSIGN_OR_RETURN(size_t got, source_->Read(buf_.get() + end_,
                                                std::min(options_.block_bytes, capacity_ - end_)));
  if (got == 0) eof_ = true;
  end_ += got;
  return Status::Ok();
}

Result<bool> SampleCsvReader::Next(SampleBatch* out) {
  out->Clear();
  bad_lines_.clear();
  line_runs_.clear();
  new_line_run_ = true;
  if (!failed_.ok()) return failed_;
  // Small inputs should not pay for a full batch; the columns keep their capacity after.
  out->Reserve(std::min<size_t>(options_.batch_points, 4096));
  while (out->size() < options_.batch_points) {
    const char* line = buf_.get() + pos_;
    const char* end = buf_.get() + end_;
    const auto* newline = static_cast<const char*>(std::memchr(line, '\n', end - line));
    if (newline == nullptr) {
      if (!eof_) {
        Status s = Fill();
        if (!s.ok()) {
          failed_ = s;
          return s;
        }
        continue;
      }
      if (line == end) break;
      newline = end;  // the last line has no line feed
    }
    ++lines_read_;
    pos_ = newline == end ? end_ : static_cast<size_t>(newline + 1 - buf_.get());
    Status s = ParseLine(line, newline, out);
    if (!s.ok()) [[unlikely]] {
      if (SkipBadLine(s, line, newline)) {
        if (bad_lines_.size() >= kMaxBadLinesPerCall) break;
        continue;
      }
      failed_ = s;
      return s;
    }
  }
  return !out->empty() || !bad_lines_.empty();
}

int64_t SampleCsvReader::point_line(size_t i) const {
  auto after = std::upper_bound(line_runs_.begin(), line_runs_.end(), i,
                                [](size_t p, const LineRun& run) { return p < run.first_point; });
  if (after == line_runs_.begin()) return 0;
  return static_cast<int64_t>(i) + std::prev(after)->line_delta;
}

bool SampleCsvReader::SkipBadLine(const Status& error, const char* begin, const char* end) {
  if (!options_.skip_bad_lines || fatal_ || error.code() != StatusCode::kInvalidArgument)
    return false;
  if (end != begin && end[-1] == '\r') --end;
  std::string_view message = error.message();
  const std::string where = fmt::format("{}:{}: ", options_.display_name, lines_read_);
  if (message.starts_with(where)) message.remove_prefix(where.size());
  bad_lines_.push_back({lines_read_, std::string(begin, end), std::string(message)});
  new_line_run_ = true;
  return true;
}

Status SampleCsvReader::ParseLine(const char* begin, const char* end, SampleBatch* out) {
  if (static_cast<size_t>(end - begin) > options_.max_line_bytes) [[unlikely]] {
    return Fatal(InvalidArgument("{}:{}: line longer than {} bytes", options_.display_name,
                                 lines_read_, options_.max_line_bytes));
  }
  if (end != begin && end[-1] == '\r') --end;
  if (lines_read_ == 1 && end - begin >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) {
    begin += 3;  // UTF-8 byte order mark
  }
  if (begin == end || IsBlank(*begin)) {
    if (TrimBlanks(std::string_view(begin, static_cast<size_t>(end - begin))).empty()) {
      new_line_run_ = true;
      return Status::Ok();  // blank line
    }
  }
  Fields fields;
  // Fast path: split at commas; quotes (rare) take the careful path.
  bool quoted = false;
  for (const char* p = begin;;) {
    const auto* comma = static_cast<const char*>(std::memchr(p, ',', end - p));
    const char* field_end = comma != nullptr ? comma : end;
    if (fields.count < kMaxFields) {
      std::string_view text(p, field_end - p);
      if (!text.empty() && (IsBlank(text.front()) || IsBlank(text.back()))) {
        text = TrimBlanks(std::string_view(p, static_cast<size_t>(field_end - p)));
      }
      if (!text.empty() && text.front() == '"') quoted = true;
      fields.text[fields.count] = text;
    }
    ++fields.count;
    if (comma == nullptr) break;
    p = comma + 1;
  }
  if (quoted || (fields.count > kMaxFields && std::memchr(begin, '"', end - begin) != nullptr))
      [[unlikely]] {
    fields = Fields();
    FH_RETURN_IF_ERROR(SplitQuoted(begin, end, &fields));
  }
  if (!seen_first_line_) [[unlikely]] {
    seen_first_line_ = true;
    bool is_header = false;
    if (Status s = FirstLine(begin, end, &is_header); !s.ok()) return Fatal(s);
    if (is_header) {
      new_line_run_ = true;
      return Status::Ok();
    }
  }
  return AddPoint(fields, out);
}

// RFC 4180 fields: "a ""b"", c" is the text a "b", c. Blanks around a field are dropped,
// inside quotes kept. A quoted field ends on its line: tag names hold no line breaks.
Status SampleCsvReader::SplitQuoted(const char* begin, const char* end, Fields* fields) {
  const char* p = begin;
  while (true) {
    while (p != end && IsBlank(*p))
      ++p;
    std::string_view text;
    if (p != end && *p == '"') {
      const char* open = p;
      std::string& s = scratch_[std::min(fields->count, kMaxFields)];
      s.clear();
      ++p;
      while (true) {
        const auto* q = static_cast<const char*>(std::memchr(p, '"', end - p));
        if (q == nullptr) {
          return FieldError(ColumnName(fields->count), "unterminated quote",
                            std::string_view(open, end - open));
        }
        s.append(p, q);
        p = q + 1;
        if (p == end || *p != '"') break;
        s.push_back('"');  // "" inside quotes
        ++p;
      }
      while (p != end && IsBlank(*p))
        ++p;
      if (p != end && *p != ',') {
        const auto* next = static_cast<const char*>(std::memchr(p, ',', end - p));
        return FieldError(ColumnName(fields->count), "text after the closing quote",
                          std::string_view(open, (next != nullptr ? next : end) - open));
      }
      text = s;
    } else {
      const auto* comma = static_cast<const char*>(std::memchr(p, ',', end - p));
      const char* field_end = comma != nullptr ? comma : end;
      text = TrimBlanks(std::string_view(p, static_cast<size_t>(field_end - p)));
      p = field_end;
    }
    if (fields->count < kMaxFields) fields->text[fields->count] = text;
    ++fields->count;
    if (p == end) return Status::Ok();
    ++p;  // the comma
  }
}

// The first non-blank line is a header when its first field starts with a letter (a
// timestamp never does). Its names then say where each column is.
Status SampleCsvReader::FirstLine(const char* begin, const char* end, bool* is_header) {
  Fields fields;
  FH_RETURN_IF_ERROR(SplitQuoted(begin, end, &fields));
  const std::string_view first = fields.text[0];
  *is_header = !first.empty() &&
               ((first[0] >= 'a' && first[0] <= 'z') || (first[0] >= 'A' && first[0] <= 'Z'));
  if (!*is_header) return Status::Ok();
  has_header_ = true;
  const std::string_view file = options_.display_name;
  if (fields.count < 3 || fields.count > kMaxFields) {
    return InvalidArgument(
        "{}:{}: header has {} columns; expected 3 or 4 (timestamp,tag,value[,quality])", file,
        lines_read_, fields.count);
  }
  size_t col[kMaxFields] = {kMaxFields, kMaxFields, kMaxFields, kMaxFields};
  for (size_t i = 0; i < fields.count; ++i) {
    const int role = ColumnRole(fields.text[i]);
    if (role < 0) {
      return InvalidArgument(
          "{}:{}: unknown column '{}' in header (expected timestamp|time|ts, tag|name|signal, "
          "value, quality)",
          file, lines_read_, Excerpt(fields.text[i]));
    }
    if (col[role] != kMaxFields) {
      return InvalidArgument("{}:{}: header names the {} column twice ('{}' and '{}')", file,
                             lines_read_, kRoleNames[role], fields.text[col[role]], fields.text[i]);
    }
    col[role] = i;
  }
  for (int role = 0; role < 3; ++role) {
    if (col[role] == kMaxFields) {
      return InvalidArgument("{}:{}: header has no {} column", file, lines_read_, kRoleNames[role]);
    }
  }
  col_ts_ = col[0];
  col_tag_ = col[1];
  col_value_ = col[2];
  col_quality_ = col[3];
  header_fields_ = fields.count;
  header_names_.clear();
  for (size_t i = 0; i < fields.count; ++i) {
    if (i > 0) header_names_ += ',';
    header_names_ += ColumnName(i);
  }
  return Status::Ok();
}

Status SampleCsvReader::AddPoint(const Fields& fields, SampleBatch* out) {
  if (header_fields_ != 0 ? fields.count != header_fields_
                          : fields.count < 3 || fields.count > kMaxFields) [[unlikely]] {
    return FieldCountError(fields.count);
  }
  int64_t ts;
  FH_RETURN_IF_ERROR(ParseTimestamp(fields.text[col_ts_], &ts));

  const std::string_view tag = fields.text[col_tag_];
  if (!IsValidTagName(tag)) [[unlikely]] {
    return FieldError("tag", tag.empty() ? "empty" : "longer than 255 bytes", tag);
  }

  const std::string_view value_text = fields.text[col_value_];
  double value;
  bool out_of_range = false;
  if (!ParseValue(value_text, &value, &out_of_range)) [[unlikely]] {
    return FieldError("value", out_of_range ? "out of range for a double" : "not a number",
                      value_text);
  }

  uint32_t quality = kQualityGood;
  if (col_quality_ < fields.count) {
    const std::string_view quality_text = fields.text[col_quality_];
    if (!ParseQuality(quality_text, &quality)) [[unlikely]] {
      return FieldError("quality", "not 0-255 or good/uncertain/bad", quality_text);
    }
  }
  if (new_line_run_) [[unlikely]] {
    line_runs_.push_back({out->size(), lines_read_ - static_cast<int64_t>(out->size())});
    new_line_run_ = false;
  }
  out->Add(tag, ts, value, quality);
  return Status::Ok();
}

Status SampleCsvReader::ParseTimestamp(std::string_view text, int64_t* ns) {
  if (have_last_ts_ && text.size() == last_ts_text_.size() &&
      std::memcmp(text.data(), last_ts_text_.data(), text.size()) == 0) {
    *ns = last_ts_;
    return Status::Ok();
  }
  Result<int64_t> parsed =
      options_.epoch_unit ? ParseEpoch(text, *options_.epoch_unit) : ParseRfc3339(text);
  if (!parsed.ok()) [[unlikely]] {
    if (text.empty()) return FieldError("timestamp", "empty", text);
    if (!options_.epoch_unit && LooksLikeNumber(text)) {
      return FieldError("timestamp",
                        "a number, not an RFC 3339 time: pass --epoch s|ms|us|ns to say its unit",
                        text);
    }
    return FieldError("timestamp", parsed.status().message(), text);
  }
  if (!IsStorableTimestamp(*parsed)) [[unlikely]] {  // INT64_MAX: reserved by the store
    return FieldError("timestamp",
                      "out of range (the store keeps 1677-09-21T00:12:43.145224192Z.."
                      "2262-04-11T23:47:16.854775806Z)",
                      text);
  }
  *ns = *parsed;
  last_ts_ = *ns;
  last_ts_text_.assign(text);
  have_last_ts_ = true;
  return Status::Ok();
}

std::string_view SampleCsvReader::ColumnName(size_t index) const {
  if (index == col_ts_) return kRoleNames[0];
  if (index == col_tag_) return kRoleNames[1];
  if (index == col_value_) return kRoleNames[2];
  if (index == col_quality_) return kRoleNames[3];
  return "extra";
}

Status SampleCsvReader::FieldError(std::string_view field, std::string_view problem,
                                   std::string_view text) const {
  return InvalidArgument("{}:{}: field '{}': {}: '{}'", options_.display_name, lines_read_, field,
                         problem, Excerpt(text));
}

Status SampleCsvReader::FieldCountError(size_t got) const {
  if (header_fields_ != 0) {
    return InvalidArgument("{}:{}: expected {} fields ({} as in the header), got {}",
                           options_.display_name, lines_read_, header_fields_, header_names_, got);
  }
  return InvalidArgument("{}:{}: expected 3 or 4 fields (timestamp,tag,value[,quality]), got {}",
                         options_.display_name, lines_read_, got);
}

}  // namespace fh::ingest
