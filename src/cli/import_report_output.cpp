#include "cli/import_report_output.h"

#include "analytics/quality_report.h"
#include "cli/output.h"

namespace fh::cli {

namespace {

nlohmann::ordered_json ViolationJson(const govern::Violation& v) {
  return {{"check", govern::ToString(v.check)},
          {"rule", v.rule},
          {"severity", govern::ToString(v.severity)},
          {"field", v.field},
          {"value", v.value},
          {"message", v.message}};
}

}  // namespace

nlohmann::ordered_json ImportReportJson(const pipeline::ImportReport& r) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const govern::CheckTally& t : r.checks)
    checks.push_back(analytics::CheckTallyJson(t));
  nlohmann::ordered_json examples = nlohmann::ordered_json::array();
  for (const pipeline::RejectedExample& e : r.examples) {
    nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
    for (const govern::Violation& v : e.reasons)
      reasons.push_back(ViolationJson(v));
    examples.push_back({{"line", e.line}, {"reasons", reasons}});
  }
  nlohmann::ordered_json batch_warnings = nlohmann::ordered_json::array();
  for (const govern::Violation& v : r.batch_warnings)
    batch_warnings.push_back(ViolationJson(v));
  nlohmann::ordered_json doc = {
      {"batch", r.batch_id ? nlohmann::ordered_json(*r.batch_id) : nlohmann::ordered_json()},
      {"read", r.read},
      {"accepted", r.accepted},
      {"quarantined", r.quarantined},
      {"duplicates", r.duplicates},
      {"stale", r.stale},
      {"warnings", r.warnings},
      {"dry_run", r.dry_run},
      {"mapping", r.mapping},
      {"entity", r.entity},
      {"source_system", r.source_system},
      {"source_object", r.source_object},
      {"format", r.format},
      {"encoding", r.encoding},
      {"encoding_detection", r.encoding_detection}};
  if (r.entity == "samples") doc["samples"] = r.samples;
  doc["checks"] = checks;
  doc["batch_warnings"] = batch_warnings;
  doc["rejected_examples"] = examples;
  return doc;
}

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
