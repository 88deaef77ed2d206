#include "store/governance/quarantine_bounds.h"

#include <fmt/format.h>

#include "common/text_excerpt.h"

namespace fh {

namespace {

// Room for "…(cut 18446744073709551615 of 18446744073709551615 bytes, fnv1a64 0123456789abcdef)".
constexpr size_t kMarkerBytes = 96;

}  // namespace

std::string Fnv1a64Hex(std::string_view text) {
  return fmt::format("{:016x}", Fnv1a64(text));
}

std::string BoundQuarantineText(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes || max_bytes <= kMarkerBytes) return std::string(text);
  const std::string_view kept = Utf8Prefix(text, max_bytes - kMarkerBytes);
  return fmt::format("{}…(cut {} of {} bytes, fnv1a64 {})", kept, text.size() - kept.size(),
                     text.size(), Fnv1a64Hex(text));
}

QuarantinedRecord Bounded(const QuarantinedRecord& q) {
  QuarantinedRecord out;
  out.id = q.id;
  out.batch_id = q.batch_id;
  out.mapping_name = q.mapping_name;
  out.entity = q.entity;
  out.source_system = q.source_system;
  out.source_object = BoundQuarantineText(q.source_object, 1024);
  out.source_line = q.source_line;
  out.source_offset = q.source_offset;
  out.columns.reserve(q.columns.size());
  for (const std::string& c : q.columns)
    out.columns.push_back(BoundQuarantineText(c, 1024));
  out.fields.reserve(q.fields.size());
  for (const std::optional<std::string>& f : q.fields) {
    out.fields.push_back(f ? std::optional<std::string>(BoundQuarantineText(*f)) : std::nullopt);
  }
  out.raw = BoundQuarantineText(q.raw);
  out.reasons.reserve(q.reasons.size());
  for (const govern::Violation& v : q.reasons) {
    out.reasons.push_back(govern::Violation{v.check, v.severity, Excerpt(v.rule), Excerpt(v.field),
                                            Excerpt(v.value), BoundMessage(v.message)});
  }
  if (q.record_key) out.record_key = BoundQuarantineText(*q.record_key, 1024);
  out.status = q.status;
  out.resolved_batch_id = q.resolved_batch_id;
  out.created_at = q.created_at;
  out.personal_columns = q.personal_columns;  // the mapping's column names, not the data
  return out;
}

}  // namespace fh
