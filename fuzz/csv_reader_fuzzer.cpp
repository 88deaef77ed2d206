// libFuzzer harness for the CSV record reader and the text decoder under it. The first
// byte picks the options (delimiter, header, block size, limits); the rest is the file.
// Besides not crashing, what the reader returns must hang together: fields and raw texts
// are valid UTF-8 within their record, lines and offsets only go forward, and for UTF-8
// input each raw text is the input's bytes at the record's offset, on the line it names.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>

#include "ingest/csv_record_reader.h"
#include "ingest/utf8_validate.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool ValidUtf8(std::string_view text) {
  return fh::ingest::CheckUtf8(text.data(), text.size()).stop == fh::ingest::Utf8Check::kEnd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  // Bits 0-1 delimiter, 2-3 header, 4 small blocks, 5-6 their size, 7 tight limits.
  // (';' and '|' take the same path as ','; runs of blanks take their own.)
  static constexpr char kDelimiters[] = {0, ',', fh::ingest::kWhitespaceDelimiter, '\t'};
  static constexpr size_t kSmallBlocks[] = {1, 2, 3, 7};
  fh::ingest::ReaderOptions options;
  options.format = "csv";
  options.encoding = "auto";
  options.delimiter = kDelimiters[mode & 3];
  const int header = (mode >> 2) & 3;
  if (header == 1 || header == 2) options.header = header == 1;
  options.block_bytes = (mode & 0x10) != 0 ? kSmallBlocks[(mode >> 5) & 3] : size_t{1} << 20;
  const bool tight = (mode & 0x80) != 0;
  options.max_record_bytes = tight ? 64 : size_t{16} << 20;
  const size_t max_records = tight ? 1 : 100;

  auto reader = fh::ingest::MakeCsvReader(fh::ingest::MakeBufferSource(input), "fuzz.csv", options);
  if (!reader.ok()) return 0;
  const bool utf8 = (*reader)->encoding() == "utf-8";
  fh::ingest::RecordBatch batch;
  int64_t last_line = 0;
  int64_t last_offset = -1;
  // Every call but the last returns at least one record, and a record takes input bytes.
  for (size_t calls = 0;; ++calls) {
    Check(calls <= size + 1);
    auto more = (*reader)->Next(batch, max_records);
    if (!more.ok()) {
      Check(!(*reader)->Next(batch, max_records).ok());  // failed for good
      break;
    }
    if (!*more) {
      Check(batch.empty());
      break;
    }
    Check(batch.size() >= 1 && batch.size() <= max_records);
    const size_t columns = batch.columns().size();
    for (size_t i = 0; i < batch.size(); ++i) {
      const std::string_view raw = batch.raw(i);
      Check(raw.data() != nullptr);
      Check(raw.size() <= options.max_record_bytes);
      Check(ValidUtf8(raw));
      Check(batch.field_count(i) <= columns);
      for (size_t c = 0; c < batch.field_count(i); ++c) {
        const std::optional<std::string_view> field = batch.field(i, c);
        if (!field) continue;
        Check(field->size() <= raw.size());
        Check(ValidUtf8(*field));
      }
      Check(!batch.field(i, batch.field_count(i)).has_value());
      Check(batch.line(i) > last_line);
      Check(batch.offset(i) >= 0 && batch.offset(i) <= static_cast<int64_t>(input.size()));
      if (utf8) {
        const auto offset = static_cast<size_t>(batch.offset(i));
        Check(batch.offset(i) > last_offset);
        Check(input.substr(offset, raw.size()) == raw);
        Check(batch.line(i) ==
              1 + std::count(input.begin(), input.begin() + static_cast<ptrdiff_t>(offset), '\n'));
      } else {
        Check(batch.offset(i) >= last_offset);
      }
      last_line = batch.line(i);
      last_offset = batch.offset(i);
    }
  }
  return 0;
}
