#include "cli/import_report_output.h"

#include "api/governance_json.h"

#include "cli/output.h"

namespace fh::cli {

void PrintImportReport(const pipeline::ImportReport& r, const std::string& what) {
  fmt::print("{} {} ({} {}, {}) with mapping {} -> {}\n", what, r.source_object, r.format,
             r.encoding, r.source_system, r.mapping, r.entity);
  std::vector<std::pair<std::string, std::string>> rows = {
      {"batch", r.batch_id ? std::to_string(*r.batch_id) : "(dry run: nothing stored)"},
      {"read", FormatCount(r.read)},
      {"accepted", FormatCount(r.accepted)},
      {"quarantined", FormatCount(r.quarantined)},
      {"duplicates", FormatCount(r.duplicates)}};
  if (r.stale > 0) {
    rows.emplace_back("stale",
                      FormatCount(r.stale) + " (older than the stored version: not applied)");
  }
  rows.emplace_back("warnings", FormatCount(r.warnings));
  if (r.entity == "samples") rows.emplace_back("samples", FormatCount(r.samples));
  if (r.missing.rows > 0) {
    std::string columns;
    for (const auto& [column, count] : r.missing.columns)
      columns += fmt::format("{}{}: {}", columns.empty() ? "" : ", ", column, FormatCount(count));
    rows.emplace_back("missing", fmt::format("numbers missing in {} records (read as no value): {}",
                                             FormatCount(r.missing.rows), columns));
  }
  if (!r.encoding_detection.empty()) {
    rows.emplace_back("encoding",
                      fmt::format("{} (detected: {})", r.encoding, r.encoding_detection));
  }
  PrintKeyValues(rows);
  Table checks(
      {{"check"}, {"dimension"}, {"severity"}, {"field"}, {"checked", true}, {"failed", true}});
  for (const govern::CheckTally& t : r.checks) {
    checks.AddRow({t.rule, std::string(govern::ToString(govern::DimensionOf(t.check))),
                   std::string(govern::ToString(t.severity)), t.field, FormatCount(t.checked),
                   FormatCount(t.failed)});
  }
  if (!checks.empty()) {
    fmt::print("\n");
    checks.Print();
  }
  for (const govern::Violation& v : r.batch_warnings) {
    fmt::print("\nwarning: {}: {}\n", v.rule, v.message);
  }
  if (!r.examples.empty()) {
    fmt::print("\nRejected records (first {}):\n", r.examples.size());
    for (const pipeline::RejectedExample& e : r.examples) {
      for (const govern::Violation& v : e.reasons) {
        fmt::print("  line {}: {}{}{}: {}\n", e.line, v.rule, v.field.empty() ? "" : " ", v.field,
                   v.message);
      }
    }
  }
}

}  // namespace fh::cli
