// Data-driven governance cases: every folder under tests/pipeline/cases is one case —
//   mapping.yaml    the mapping (with its rules)
//   input.*         the file to import
//   expected.json   {"read", "accepted", "quarantined", "duplicates", "warnings"?,
//                    "quarantined_lines": [...],
//                    "reasons": [{"line", "rule", "field"?, "message"? (a part of it)}],
//                    "setup": [{"mapping": "...", "input": "..."}],   (imported first)
//                    "checks": [{"rule", "field"?, "failed"}],   (the report's tallies;
//                                                 failed -1: the report has no such line)
//                    "batch_warnings": [{"rule", "field"?}],     (all of them, in order)
//                    "warned_lines": [...],   (records stored with warnings, in order)
//                    "reasons_exclude": ["text"],   (in no reason: masked personal values)
//                    "stored": [{"entity", "where": "NAME=VALUE", "fields": {...},
//                                "attributes": {...}}],   (one stored record, as `records`
//                                                          shows it; null: no value)
//                    "tag_units": {"tag": "unit"},   (the stored tags' units)
//                    "series": {"tag": [[ts_ns, value], ...]},   (every stored point)
//                    "series_count": {"tag": N},   (how many points are stored)
//                    "stale": N,   (older than the stored version: not applied)
//                    "reimport": true}   (a second import must be all duplicates, and leave
//                                         the quarantine as it was)
// Adding a case needs no C++.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <variant>

#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/hub.h"
#include "store/records/record_query.h"
#include "store/storage.h"
#include "testing/source_dir.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::pipeline {
namespace {

namespace fs = std::filesystem;

fs::path CasesDir() {
  return testing::SourceDir() / "tests" / "pipeline" / "cases";
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(CasesDir(), ec)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

fs::path FindInput(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().stem() == "input") return e.path();
  }
  return {};
}

class GovernanceCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GovernanceCase, MatchesExpected) {
  const fs::path dir = CasesDir() / GetParam();
  std::ifstream in(dir / "expected.json");
  ASSERT_TRUE(in) << "missing " << (dir / "expected.json");
  const nlohmann::json expected = nlohmann::json::parse(in);

  testing::TempDir tmp;
  const fs::path hub_dir = tmp.path() / "hub";
  ASSERT_TRUE(Hub::Init(hub_dir, HubConfig{}).ok());
  Result<std::unique_ptr<Hub>> hub = Hub::Open(hub_dir);
  ASSERT_OK(hub);

  for (const auto& step : expected.value("setup", nlohmann::json::array())) {
    Result<govern::Mapping> m =
        govern::LoadMapping((dir / step["mapping"].get<std::string>()).string());
    ASSERT_OK(m);
    Result<ImportReport> r =
        ImportFile(**hub, *m, (dir / step["input"].get<std::string>()).string(), {});
    ASSERT_OK(r);
  }

  Result<govern::Mapping> mapping = govern::LoadMapping((dir / "mapping.yaml").string());
  if (expected.contains("mapping_error")) {
    ASSERT_FALSE(mapping.ok());
    EXPECT_NE(mapping.status().message().find(expected["mapping_error"].get<std::string>()),
              std::string::npos)
        << mapping.status().ToString();
    return;
  }
  ASSERT_OK(mapping);
  const fs::path input = FindInput(dir);
  ASSERT_FALSE(input.empty()) << "no input.* in " << dir;

  Result<ImportReport> report = ImportFile(**hub, *mapping, input.string(), {});
  if (expected.contains("error")) {
    ASSERT_FALSE(report.ok());
    EXPECT_NE(report.status().message().find(expected["error"].get<std::string>()),
              std::string::npos)
        << report.status().ToString();
    // Nothing of the file is stored; the batch is recorded as failed, saying why.
    CatalogSession session = (*hub)->OpenCatalog();
    Catalog& catalog = session.catalog();
    Result<std::vector<IngestBatch>> batches = catalog.ListBatches();
    ASSERT_OK(batches);
    ASSERT_FALSE(batches->empty());
    EXPECT_EQ(batches->front().status, IngestBatchStatus::kFailed);
    EXPECT_EQ(batches->front().accepted, 0);
    GovernanceStore& gov = session.governance();
    QuarantineFilter all;
    all.status = "";
    Result<std::vector<QuarantinedRecord>> q = gov.ListQuarantine(all);
    ASSERT_OK(q);
    EXPECT_TRUE(q->empty());
    return;
  }
  ASSERT_OK(report);
  EXPECT_EQ(report->read, expected["read"].get<int64_t>());
  EXPECT_EQ(report->accepted, expected["accepted"].get<int64_t>());
  EXPECT_EQ(report->quarantined, expected["quarantined"].get<int64_t>());
  EXPECT_EQ(report->duplicates, expected["duplicates"].get<int64_t>());
  EXPECT_EQ(report->read,
            report->accepted + report->quarantined + report->duplicates + report->stale);
  EXPECT_EQ(report->stale, expected.value("stale", int64_t{0}));
  if (expected.contains("warnings")) {
    EXPECT_EQ(report->warnings, expected["warnings"].get<int64_t>());
  }

  // What is in quarantine: lines and reasons.
  std::vector<QuarantinedRecord> quarantined;
  {
    CatalogSession session = (*hub)->OpenCatalog();
    GovernanceStore& gov = session.governance();
    QuarantineFilter f;
    f.batch_id = report->batch_id;
    Result<std::vector<QuarantinedRecord>> list = gov.ListQuarantine(f);
    ASSERT_OK(list);
    quarantined = *list;
  }
  EXPECT_EQ(static_cast<int64_t>(quarantined.size()), report->quarantined);
  std::set<int64_t> lines;
  for (const auto& q : quarantined) {
    lines.insert(q.source_line.value_or(0));
    EXPECT_FALSE(q.raw.empty()) << "quarantined record without its original text";
    EXPECT_FALSE(q.reasons.empty()) << "quarantined record without a reason";
  }
  if (expected.contains("quarantined_lines")) {
    std::set<int64_t> want;
    for (const auto& l : expected["quarantined_lines"])
      want.insert(l.get<int64_t>());
    EXPECT_EQ(lines, want);
  }
  for (const auto& r : expected.value("reasons", nlohmann::json::array())) {
    const int64_t line = r["line"].get<int64_t>();
    const std::string rule = r["rule"].get<std::string>();
    const std::string field = r.value("field", "");
    const std::string message = r.value("message", "");  // a part of it
    bool found = false;
    for (const auto& q : quarantined) {
      if (q.source_line != line) continue;
      for (const auto& v : q.reasons) {
        found |= v.rule == rule && (field.empty() || v.field == field) &&
                 v.message.find(message) != std::string::npos;
      }
    }
    EXPECT_TRUE(found) << "line " << line << ": no reason " << rule << " " << field << " "
                       << message;
  }

  for (const auto& text : expected.value("reasons_exclude", nlohmann::json::array())) {
    for (const auto& q : quarantined) {
      for (const auto& v : q.reasons) {
        EXPECT_EQ(v.message.find(text.get<std::string>()), std::string::npos) << v.message;
        EXPECT_EQ(v.value.find(text.get<std::string>()), std::string::npos) << v.value;
      }
    }
  }

  // Stored records, read as `factoryhub records` reads them.
  for (const auto& want : expected.value("stored", nlohmann::json::array())) {
    CatalogSession session = (*hub)->OpenCatalog();
    const govern::EntityDef* entity = govern::FindEntity(want["entity"].get<std::string>());
    ASSERT_NE(entity, nullptr);
    Result<RecordCondition> where = ParseRecordCondition(want["where"].get<std::string>());
    ASSERT_OK(where);
    Result<std::vector<StoredRecord>> found = session.records().Find(*entity, {*where}, 10);
    ASSERT_OK(found);
    ASSERT_EQ(found->size(), 1u) << "records where " << want["where"];
    const StoredRecord& r = found->front();
    // Held here: items() of a temporary would outlive it.
    const nlohmann::json want_fields = want.value("fields", nlohmann::json::object());
    const nlohmann::json want_attributes = want.value("attributes", nlohmann::json::object());
    for (const auto& [name, value] : want_fields.items()) {
      const std::string& field = name;  // clang 14 cannot capture a structured binding
      const auto it = std::find_if(r.fields.begin(), r.fields.end(),
                                   [&](const auto& f) { return f.first == field; });
      ASSERT_NE(it, r.fields.end()) << name;
      if (value.is_null()) {
        EXPECT_FALSE(it->second) << name << " = " << it->second.value_or("");
      } else {
        EXPECT_EQ(it->second.value_or("(null)"), value.get<std::string>()) << name;
      }
    }
    for (const auto& [name, value] : want_attributes.items()) {
      const std::string& attribute = name;  // clang 14 cannot capture a structured binding
      const auto it = std::find_if(r.attributes.begin(), r.attributes.end(),
                                   [&](const Attribute& a) { return a.name == attribute; });
      ASSERT_NE(it, r.attributes.end()) << name;
      nlohmann::json got;
      std::visit(
          [&](const auto& v) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) got = v;
          },
          it->value);
      EXPECT_EQ(got, value) << name;
    }
  }
  const nlohmann::json tag_units = expected.value("tag_units", nlohmann::json::object());
  for (const auto& [tag, unit] : tag_units.items()) {
    CatalogSession session = (*hub)->OpenCatalog();
    Catalog& catalog = session.catalog();
    Result<TagMeta> meta = catalog.FindTag(tag);
    ASSERT_OK(meta) << tag << ": " << meta.status().ToString();
    EXPECT_EQ(meta->unit.value_or(""), unit.get<std::string>()) << tag;
  }

  const nlohmann::json series_count = expected.value("series_count", nlohmann::json::object());
  for (const auto& [tag, count] : series_count.items()) {
    int64_t points = 0;
    const Status scanned = (*hub)->storage().Scan(
        tag, TimeRange{},
        [&](std::span<const TimestampNs> ts, std::span<const double>, std::span<const uint32_t>) {
          points += static_cast<int64_t>(ts.size());
          return true;
        });
    ASSERT_OK(scanned) << tag << ": " << scanned.ToString();
    EXPECT_EQ(points, count.get<int64_t>()) << tag;
  }
  const nlohmann::json series = expected.value("series", nlohmann::json::object());
  for (const auto& [tag, points] : series.items()) {
    std::vector<std::pair<int64_t, double>> got;
    const Status scanned = (*hub)->storage().Scan(
        tag, TimeRange{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()},
        [&](std::span<const TimestampNs> ts, std::span<const double> value,
            std::span<const uint32_t>) {
          for (size_t i = 0; i < ts.size(); ++i)
            got.emplace_back(ts[i], value[i]);
          return true;
        });
    ASSERT_OK(scanned) << tag << ": " << scanned.ToString();
    std::vector<std::pair<int64_t, double>> want;
    for (const auto& p : points)
      want.emplace_back(p[0].get<int64_t>(), p[1].get<double>());
    EXPECT_EQ(got, want) << tag;
  }

  // The records stored with warnings, by line, as `report warnings` lists them.
  if (expected.contains("warned_lines")) {
    CatalogSession session = (*hub)->OpenCatalog();
    GovernanceStore& gov = session.governance();
    Result<std::vector<RecordWarning>> warned = gov.ListWarnings(*report->batch_id, 1000);
    ASSERT_OK(warned);
    std::vector<int64_t> warned_lines;
    for (const RecordWarning& w : *warned) {
      warned_lines.push_back(w.source_line.value_or(0));
      EXPECT_FALSE(w.reasons.empty());
      for (const govern::Violation& v : w.reasons)
        EXPECT_EQ(v.severity, govern::Severity::kWarn);
    }
    EXPECT_EQ(warned_lines, expected["warned_lines"].get<std::vector<int64_t>>());
    EXPECT_EQ(static_cast<int64_t>(warned->size()), report->warnings);
  }
  // Batch-level warnings (row counts, fields that took their default).
  if (expected.contains("batch_warnings")) {
    std::vector<std::string> got, want;
    for (const govern::Violation& v : report->batch_warnings)
      got.push_back(v.rule + ":" + v.field);
    for (const auto& w : expected["batch_warnings"])
      want.push_back(w["rule"].get<std::string>() + ":" + w.value("field", ""));
    EXPECT_EQ(got, want);
  }
  // Per check, how many records failed it: what the quality report says.
  for (const auto& c : expected.value("checks", nlohmann::json::array())) {
    const std::string rule = c["rule"].get<std::string>();
    const std::string field = c.value("field", "");
    int64_t failed = -1;
    for (const govern::CheckTally& t : report->checks) {
      if (t.rule == rule && t.field == field) failed = t.failed;
    }
    EXPECT_EQ(failed, c["failed"].get<int64_t>()) << "check " << rule << " " << field;
  }

  if (expected.value("reimport", false)) {
    Result<ImportReport> again = ImportFile(**hub, *mapping, input.string(), {});
    ASSERT_OK(again);
    EXPECT_EQ(again->accepted, 0) << "re-importing the same file changed the store";
    EXPECT_EQ(again->duplicates, report->accepted + report->duplicates);
    EXPECT_EQ(again->stale, report->stale);
    EXPECT_EQ(again->quarantined, report->quarantined);
    // The same records are quarantined again under their open entries: none is resolved
    // by the re-import, and none is added.
    CatalogSession session = (*hub)->OpenCatalog();
    GovernanceStore& gov = session.governance();
    QuarantineFilter all;
    all.status = "";
    all.mapping_name = mapping->name;
    Result<std::vector<QuarantinedRecord>> entries = gov.ListQuarantine(all);
    ASSERT_OK(entries);
    EXPECT_EQ(static_cast<int64_t>(entries->size()), report->quarantined);
    for (const QuarantinedRecord& q : *entries)
      EXPECT_EQ(q.status, "open") << "line " << q.source_line.value_or(0);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GovernanceCase, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           std::string name = p.param;
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace fh::pipeline
