#include "ingest/json_record_reader.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "ingest/input_window.h"
#include "ingest/json_array_splitter.h"
#include "ingest/json_flattener.h"

namespace fh::ingest {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

bool IsUtf8Name(std::string_view encoding) {
  std::string lower;
  for (char c : encoding) {
    if (c != '-' && c != '_') lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return lower == "auto" || lower == "utf8";
}

class JsonRecordReader final : public RecordReader {
 public:
  JsonRecordReader(std::unique_ptr<ByteSource> source, std::string display_name,
                   size_t max_record_bytes, bool ndjson)
      : display_name_(display_name),
        max_record_bytes_(max_record_bytes),
        ndjson_(ndjson),
        input_(std::move(source)),
        splitter_(&input_, display_name, max_record_bytes),
        flattener_(std::move(display_name)) {}

  Result<bool> Next(RecordBatch& batch, size_t max_records) override {
    if (!failed_.ok()) return failed_;
    batch.Clear();
    if (batch.columns() != flattener_.columns()) batch.mutable_columns() = flattener_.columns();
    Status status = Fill(batch, std::max<size_t>(max_records, 1));
    if (!status.ok()) {
      failed_ = status;
      return status;
    }
    return !batch.empty();
  }

  std::string_view format() const override { return ndjson_ ? "ndjson" : "json"; }
  std::string_view encoding() const override { return "utf-8"; }

 private:
  struct Record {
    std::string_view text;
    int64_t line;
    int64_t offset;
  };

  Status Fill(RecordBatch& batch, size_t max_records) {
    if (!started_) {
      FH_RETURN_IF_ERROR(SkipByteOrderMark());
      started_ = true;
    }
    size_t fields = 0;
    while (batch.size() < max_records &&
           batch.arena_bytes() + fields * kFieldRefBytes < kRecordBatchBytes) {
      FH_ASSIGN_OR_RETURN(const std::optional<Record> record, NextRecord());
      if (!record) break;
      FH_RETURN_IF_ERROR(flattener_.Append(record->text, record->line, record->offset, batch));
      fields += batch.field_count(batch.size() - 1);
    }
    return Status::Ok();
  }

  Result<std::optional<Record>> NextRecord() {
    if (ndjson_) return NextLine();
    FH_ASSIGN_OR_RETURN(const auto element, splitter_.Next());
    if (!element) return std::optional<Record>();
    return std::optional<Record>(Record{element->text, element->line, element->offset});
  }

  Status SkipByteOrderMark() {
    while (input_.data().size() < 4) {
      FH_ASSIGN_OR_RETURN(const bool more, input_.Fill());
      if (!more) break;
    }
    const std::string_view head = input_.data();
    if (head.starts_with("\xEF\xBB\xBF")) {
      input_.Consume(3);
      return Status::Ok();
    }
    const auto starts = [&](std::string_view bytes) { return head.starts_with(bytes); };
    std::string_view found;
    std::string_view from = "UTF-16";
    if (starts(std::string_view("\xFF\xFE\x00\x00", 4)) ||
        starts(std::string_view("\x00\x00\xFE\xFF", 4))) {
      found = "UTF-32 (byte order mark)";
      from = "UTF-32";
    } else if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
      found = "UTF-16 (byte order mark)";
    } else if (head.size() >= 2 && (head[0] == '\0' || head[1] == '\0')) {
      found = "UTF-16 or UTF-32 (it has NUL bytes)";
    }
    if (found.empty()) return Status::Ok();
    return InvalidArgument(
        "{}:1: the text is {}, but JSON must be UTF-8 (RFC 8259): convert it first, e.g. "
        "iconv -f {} -t UTF-8",
        display_name_, found, from);
  }

  Result<std::optional<Record>> NextLine() {
    while (true) {
      std::string_view data = input_.data();
      const void* newline = scan_ < data.size()
                                ? std::memchr(data.data() + scan_, '\n', data.size() - scan_)
                                : nullptr;
      size_t length;
      size_t consumed;
      if (newline != nullptr) {
        length = static_cast<size_t>(static_cast<const char*>(newline) - data.data());
        consumed = length + 1;
      } else {
        scan_ = data.size();
        if (scan_ <= max_record_bytes_) {
          FH_ASSIGN_OR_RETURN(const bool more, input_.Fill());
          if (more) continue;
        }
        data = input_.data();
        if (data.empty()) return std::optional<Record>();
        length = consumed = data.size();
      }
      scan_ = 0;
      ++line_;
      if (length > max_record_bytes_) {
        return InvalidArgument("{}:{}: line longer than {} bytes (the record size limit)",
                               display_name_, line_, max_record_bytes_);
      }
      std::string_view text = data.substr(0, length);
      if (text.ends_with('\r')) text.remove_suffix(1);
      const int64_t offset = input_.offset();
      input_.Consume(consumed);
      if (!IsBlank(text)) return std::optional<Record>(Record{text, line_, offset});
    }
  }

  std::string display_name_;
  size_t max_record_bytes_;
  bool ndjson_;
  InputWindow input_;
  JsonArraySplitter splitter_;  // JSON only
  JsonFlattener flattener_;
  bool started_ = false;
  Status failed_;
  size_t scan_ = 0;   // NDJSON: bytes of data() known to hold no newline
  int64_t line_ = 0;  // NDJSON: lines consumed
};

}  // namespace

Result<std::unique_ptr<RecordReader>> MakeJsonReader(std::unique_ptr<ByteSource> source,
                                                     std::string display_name,
                                                     const ReaderOptions& options, bool ndjson) {
  if (!IsUtf8Name(options.encoding)) {
    return InvalidArgument(
        "{}: JSON is always UTF-8 (RFC 8259), not {}: convert the file first, e.g. iconv -f {} "
        "-t UTF-8",
        display_name, options.encoding, options.encoding);
  }
  const size_t max_record_bytes = std::clamp<size_t>(options.max_record_bytes, 1, kMaxRecordBytes);
  return std::unique_ptr<RecordReader>(std::make_unique<JsonRecordReader>(
      std::move(source), std::move(display_name), max_record_bytes, ndjson));
}

}  // namespace fh::ingest
