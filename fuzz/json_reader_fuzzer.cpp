// libFuzzer harness for the JSON and NDJSON record readers. The first byte picks NDJSON
// (low bit) and the batch size; the rest is the input. Any input must end in records or
// an InvalidArgument error that names the input, never a crash, a hang, or a batch that
// breaks RecordBatch's promises.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "ingest/json_record_reader.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fh::ingest;
  if (size == 0) return 0;
  const bool ndjson = (data[0] & 1) != 0;
  const size_t max_records = 1 + (data[0] >> 1) % 8;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  ReaderOptions options;
  options.max_record_bytes = 4096;  // exercise the limit, and keep runs fast

  auto reader = MakeJsonReader(MakeBufferSource(input), "fuzz.json", options, ndjson);
  Check(reader.ok());
  RecordBatch batch;
  size_t columns = 0;
  int64_t previous_offset = -1;
  while (true) {
    auto more = (*reader)->Next(batch, max_records);
    if (!more.ok()) {
      Check(more.status().code() == fh::StatusCode::kInvalidArgument);
      Check(more.status().message().starts_with("fuzz.json:"));
      // A failed reader stays failed.
      auto again = (*reader)->Next(batch, max_records);
      Check(!again.ok() && again.status().message() == more.status().message());
      break;
    }
    if (!*more) {
      Check(batch.empty());
      auto after = (*reader)->Next(batch, max_records);
      Check(after.ok() && !*after);
      break;
    }
    Check(!batch.empty() && batch.size() <= max_records);
    Check(batch.columns().size() >= columns);  // columns only grow
    columns = batch.columns().size();
    Check(std::set<std::string>(batch.columns().begin(), batch.columns().end()).size() == columns);
    for (size_t r = 0; r < batch.size(); ++r) {
      // raw is the record's text exactly where offset says, and line counts to it.
      const std::string_view raw = batch.raw(r);
      const int64_t offset = batch.offset(r);
      Check(offset > previous_offset);
      previous_offset = offset;
      Check(static_cast<size_t>(offset) + raw.size() <= input.size());
      Check(input.substr(static_cast<size_t>(offset), raw.size()) == raw);
      const auto newlines = std::count(input.begin(), input.begin() + offset, '\n');
      Check(batch.line(r) == 1 + newlines);
      Check(raw.size() <= options.max_record_bytes);
      Check(batch.field_count(r) <= batch.columns().size());
      for (size_t c = 0; c < batch.field_count(r); ++c) {
        if (auto field = batch.field(r, c))
          Check(simdjson::validate_utf8(field->data(), field->size()));
      }
    }
  }
  return 0;
}
