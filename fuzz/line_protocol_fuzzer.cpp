// libFuzzer harness for the line protocol parser (the body of POST /write). The first byte
// picks the precision; the rest is the body. Besides not crashing, the result must hang
// together: every point added belongs to a valid line, the errors name lines of the body
// in order and quote at most a bounded part of it, every tag name is 1..255 bytes, every
// timestamp storable, and every text value UTF-8 of at most kMaxTextValueBytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/line_protocol.h"
#include "ingest/utf8_validate.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto precision = static_cast<fh::TimeUnit>(data[0] % 6);
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  fh::ingest::LineProtocolParser parser;
  fh::SampleBatch batch;
  const fh::ingest::LineProtocolResult r = parser.Parse(body, precision, 42, batch);
  Check(r.points == static_cast<int64_t>(batch.size()));
  Check(r.lines >= static_cast<int64_t>(r.errors.size()));
  int64_t newlines = 0;
  for (char c : body)
    newlines += c == '\n';
  int64_t previous = 0;
  for (const auto& e : r.errors) {
    Check(e.line > previous && e.line <= newlines + 1);
    Check(!e.message.empty() && e.text.size() <= body.size());
    // What a message quotes is capped (a few quotes of kMaxQuotedBytes and "...(N bytes)").
    Check(e.message.size() <= 4 * fh::ingest::kMaxQuotedBytes + 400);
    previous = e.line;
  }
  for (const std::string& name : batch.tag_names())
    Check(!name.empty() && name.size() <= fh::kMaxTagNameBytes);
  for (fh::TimestampNs ts : batch.ts())
    Check(fh::IsStorableTimestamp(ts));
  for (const fh::TextSample& t : r.texts) {
    Check(!t.tag.empty() && t.tag.size() <= fh::kMaxTagNameBytes);
    Check(fh::IsStorableTimestamp(t.ts));
    Check(t.value.size() <= fh::kMaxTextValueBytes);
    Check(fh::ingest::CheckUtf8(t.value.data(), t.value.size()).stop ==
          fh::ingest::Utf8Check::kEnd);
  }
  // Parsing again into the same batch, with the parser's caches warm, adds the same points.
  const fh::ingest::LineProtocolResult again = parser.Parse(body, precision, 42, batch);
  Check(again.points == r.points && again.errors.size() == r.errors.size());
  Check(again.texts == r.texts);
  Check(batch.size() == 2 * static_cast<size_t>(r.points));
  return 0;
}
