#include "api/governance_json.h"

#include "analytics/quality_report.h"
#include "common/personal_mask.h"
#include "common/time.h"

namespace fh::api {

nlohmann::ordered_json ViolationJson(const govern::Violation& v) {
  return {{"check", govern::ToString(v.check)},
          {"rule", v.rule},
          {"severity", govern::ToString(v.severity)},
          {"field", v.field},
          {"value", v.value},
          {"message", v.message}};
}

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
  // Numbers the source left out (empty, NaN, NA, ...), read as no value: how many records
  // had one, and how many per column.
  nlohmann::ordered_json missing_columns = nlohmann::ordered_json::object();
  for (const auto& [column, count] : r.missing.columns)
    missing_columns[column] = count;
  doc["missing"] = {{"rows", r.missing.rows}, {"columns", std::move(missing_columns)}};
  doc["checks"] = checks;
  doc["batch_warnings"] = batch_warnings;
  doc["rejected_examples"] = examples;
  return doc;
}

nlohmann::ordered_json QuarantinedRecordJson(const QuarantinedRecord& q) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::object();
  for (size_t i = 0; i < q.columns.size() && i < q.fields.size(); ++i) {
    fields[q.columns[i]] = q.fields[i] ? nlohmann::ordered_json(*q.fields[i]) : nullptr;
  }
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const govern::Violation& v : q.reasons)
    reasons.push_back(ViolationJson(v));
  return {{"id", q.id},
          {"batch", q.batch_id},
          {"mapping", q.mapping_name},
          {"entity", q.entity},
          {"source_system", q.source_system},
          {"source_object", q.source_object},
          {"line", q.source_line ? nlohmann::ordered_json(*q.source_line) : nullptr},
          {"offset", q.source_offset ? nlohmann::ordered_json(*q.source_offset) : nullptr},
          {"key", q.record_key ? nlohmann::ordered_json(*q.record_key) : nullptr},
          {"status", q.status},
          {"resolved_by_batch",
           q.resolved_batch_id ? nlohmann::ordered_json(*q.resolved_batch_id) : nullptr},
          {"created_at", FormatRfc3339(q.created_at)},
          {"resolution", q.resolution ? nlohmann::ordered_json(*q.resolution) : nullptr},
          {"resolved_at",
           q.resolved_at ? nlohmann::ordered_json(FormatRfc3339(*q.resolved_at)) : nullptr},
          {"fields", fields},
          {"raw", q.raw},
          {"reasons", reasons}};
}

int MaskPersonalColumns(QuarantinedRecord& q) {
  int masked = 0;
  for (const std::string& column : q.personal_columns) {
    for (size_t i = 0; i < q.columns.size() && i < q.fields.size(); ++i) {
      if (q.columns[i] != column || !q.fields[i] || q.fields[i]->empty()) continue;
      q.raw = MaskInText(q.raw, *q.fields[i]);
      q.fields[i] = MaskPersonal(*q.fields[i]);
      ++masked;
    }
  }
  return masked;
}

}  // namespace fh::api
