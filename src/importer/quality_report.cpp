#include "importer/quality_report.h"

#include <algorithm>

#include "common/time.h"
#include "store/sqlite/db.h"

namespace fh::importer {

namespace {

size_t DimensionIndex(govern::QualityDimension d) {
  for (size_t i = 0; i < kDimensions.size(); ++i) {
    if (kDimensions[i] == d) return i;
  }
  return 0;
}

nlohmann::ordered_json ScoresJson(const DimensionScores& s) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (size_t i = 0; i < kDimensions.size(); ++i) {
    out[std::string(govern::ToString(kDimensions[i]))] =
        s.score[i] ? nlohmann::ordered_json(*s.score[i]) : nlohmann::ordered_json();
  }
  return out;
}

}  // namespace

void DimensionScores::Add(govern::QualityDimension d, int64_t n_checked, int64_t n_failed) {
  const size_t i = DimensionIndex(d);
  checked[i] += n_checked;
  failed[i] += n_failed;
}

void DimensionScores::Finish() {
  for (size_t i = 0; i < score.size(); ++i) {
    score[i] = checked[i] > 0 ? std::optional<double>(1.0 - static_cast<double>(failed[i]) /
                                                                static_cast<double>(checked[i]))
                              : std::nullopt;
  }
}

Result<QualityReport> BuildQualityReport(sqlite::Db& db, const std::string& hub_name,
                                         int max_batches) {
  QualityReport report;
  report.generated_at = NowNs();
  report.hub_name = hub_name;
  FH_ASSIGN_OR_RETURN(sqlite::Stmt mappings,
                      db.Prepare("SELECT mapping_name, max(entity), max(source_system) FROM "
                                 "ingest_batch WHERE mapping_name IS NOT NULL GROUP BY "
                                 "mapping_name ORDER BY mapping_name"));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt batches,
      db.Prepare("SELECT id, started_at, status, ifnull(mapping_version, ''), source_object, "
                 "records_read, accepted, quarantined, duplicates, warnings, replay_of, "
                 "ifnull(message, ''), stale FROM "
                 "ingest_batch "
                 "WHERE mapping_name = ?1 ORDER BY id DESC LIMIT ?2"));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt checks,
                      db.Prepare("SELECT rule, check_kind, severity, field, checked, failed FROM "
                                 "batch_check WHERE batch_id = ?1 ORDER BY rowid"));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt open,
                      db.Prepare("SELECT count(*) FROM quarantine WHERE mapping_name = ?1 AND "
                                 "status = 'open'"));
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, mappings.Step());
    if (!row) break;
    SourceQuality src;
    src.mapping = std::string(mappings.Text(0));
    src.entity = std::string(mappings.Text(1));
    src.source_system = std::string(mappings.Text(2));
    report.sources.push_back(std::move(src));
  }
  for (SourceQuality& src : report.sources) {
    batches.Bind(1, std::string_view(src.mapping)).Bind(2, static_cast<int64_t>(max_batches));
    while (true) {
      FH_ASSIGN_OR_RETURN(bool row, batches.Step());
      if (!row) break;
      BatchQuality b;
      b.id = batches.Int(0);
      b.started_at = batches.Int(1);
      b.status = std::string(batches.Text(2));
      b.mapping_version = std::string(batches.Text(3));
      b.source_object = std::string(batches.Text(4));
      b.read = batches.Int(5);
      b.accepted = batches.Int(6);
      b.quarantined = batches.Int(7);
      b.duplicates = batches.Int(8);
      b.warnings = batches.Int(9);
      if (!batches.IsNull(10)) b.replay_of = batches.Int(10);
      b.message = std::string(batches.Text(11));
      b.stale = batches.Int(12);
      src.batches.push_back(std::move(b));
    }
    batches.Reset();
    std::reverse(src.batches.begin(), src.batches.end());
    for (BatchQuality& b : src.batches) {
      checks.Bind(1, b.id);
      while (true) {
        FH_ASSIGN_OR_RETURN(bool row, checks.Step());
        if (!row) break;
        govern::CheckTally t;
        t.rule = std::string(checks.Text(0));
        t.check = govern::ParseCheckKind(checks.Text(1)).value_or(govern::CheckKind::kSchema);
        t.severity = checks.Text(2) == "warn" ? govern::Severity::kWarn : govern::Severity::kReject;
        t.field = std::string(checks.Text(3));
        t.checked = checks.Int(4);
        t.failed = checks.Int(5);
        b.dimensions.Add(govern::DimensionOf(t.check), t.checked, t.failed);
        b.checks.push_back(std::move(t));
      }
      checks.Reset();
      b.dimensions.Finish();
      report.records += b.read;
    }
    open.Bind(1, std::string_view(src.mapping));
    FH_ASSIGN_OR_RETURN(bool row, open.Step());
    src.open_quarantine = row ? open.Int(0) : 0;
    open.Reset();
    report.open_quarantine += src.open_quarantine;
    // The overall scores are over each source's current batches: its latest completed
    // import and what came after it.
    src.current_from = 0;
    for (size_t i = src.batches.size(); i-- > 0;) {
      const BatchQuality& b = src.batches[i];
      if (b.status == "completed" && !b.replay_of) {
        src.current_from = i;
        break;
      }
    }
    src.current = BatchQuality();
    src.current_batches = 0;
    for (size_t i = src.current_from; i < src.batches.size(); ++i) {
      const BatchQuality& b = src.batches[i];
      if (b.status != "completed") continue;
      if (src.current_batches++ == 0) {
        src.current.id = b.id;
        src.current.started_at = b.started_at;
        src.current.status = b.status;
        src.current.mapping_version = b.mapping_version;
        src.current.source_object = b.source_object;
      }
      src.current.read += b.read;
      src.current.accepted += b.accepted;
      src.current.quarantined += b.quarantined;
      src.current.duplicates += b.duplicates;
      src.current.stale += b.stale;
      src.current.warnings += b.warnings;
      for (const govern::CheckTally& t : b.checks) {
        report.overall.Add(govern::DimensionOf(t.check), t.checked, t.failed);
        src.current.dimensions.Add(govern::DimensionOf(t.check), t.checked, t.failed);
        auto same = std::find_if(
            src.current.checks.begin(), src.current.checks.end(), [&](const govern::CheckTally& c) {
              return c.rule == t.rule && c.check == t.check && c.field == t.field;
            });
        if (same == src.current.checks.end()) {
          src.current.checks.push_back(t);
        } else {
          same->checked += t.checked;
          same->failed += t.failed;
        }
      }
    }
    src.current.dimensions.Finish();
  }
  report.overall.Finish();

  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt reasons,
      db.Prepare(
          "SELECT q.mapping_name, json_extract(r.value, '$.rule'), "
          "coalesce(json_extract(r.value, '$.field'), ''), count(DISTINCT q.id) AS n "
          "FROM quarantine q, "
          "json_each(coalesce((SELECT text FROM quarantine_reasons WHERE id = q.reasons_id), "
          "q.reasons)) r WHERE q.status = 'open' GROUP BY 1, 2, 3 "
          "ORDER BY n DESC, 1, 2, 3 LIMIT 20"));
  while (true) {
    FH_ASSIGN_OR_RETURN(bool row, reasons.Step());
    if (!row) break;
    report.top_reasons.push_back({std::string(reasons.Text(0)), std::string(reasons.Text(1)),
                                  std::string(reasons.Text(2)), reasons.Int(3)});
  }
  return report;
}

std::string FormatScore(const std::optional<double>& score) {
  if (!score) return "n/a";
  const double percent = *score * 100;
  if (*score >= 1.0) return "100%";
  if (*score <= 0.0) return "0%";
  // More decimals until the text no longer claims all or nothing.
  for (int decimals = 1; decimals < 6; ++decimals) {
    std::string text = fmt::format("{:.{}f}", percent, decimals);
    const double shown = std::stod(text);
    if (shown < 100 && shown > 0) return text + "%";
  }
  return percent < 50 ? "<0.00001%" : ">99.99999%";
}

nlohmann::ordered_json CheckTallyJson(const govern::CheckTally& t) {
  return {{"rule", t.rule},
          {"check", govern::ToString(t.check)},
          {"dimension", govern::ToString(govern::DimensionOf(t.check))},
          {"severity", govern::ToString(t.severity)},
          {"field", t.field},
          {"checked", t.checked},
          {"failed", t.failed}};
}

nlohmann::ordered_json QualityReportJson(const QualityReport& r) {
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const SourceQuality& s : r.sources) {
    nlohmann::ordered_json batches = nlohmann::ordered_json::array();
    for (const BatchQuality& b : s.batches) {
      nlohmann::ordered_json checks = nlohmann::ordered_json::array();
      for (const govern::CheckTally& t : b.checks)
        checks.push_back(CheckTallyJson(t));
      batches.push_back({{"batch", b.id},
                         {"started_at", FormatRfc3339(b.started_at)},
                         {"status", b.status},
                         {"mapping_version", b.mapping_version},
                         {"source_object", b.source_object},
                         {"read", b.read},
                         {"accepted", b.accepted},
                         {"quarantined", b.quarantined},
                         {"duplicates", b.duplicates},
                         {"stale", b.stale},
                         {"warnings", b.warnings},
                         {"replay_of", b.replay_of ? nlohmann::ordered_json(*b.replay_of)
                                                   : nlohmann::ordered_json()},
                         {"message", b.message},
                         {"dimensions", ScoresJson(b.dimensions)},
                         {"checks", checks}});
    }
    sources.push_back({{"mapping", s.mapping},
                       {"source_system", s.source_system},
                       {"entity", s.entity},
                       {"open_quarantine", s.open_quarantine},
                       {"batches", batches}});
  }
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const ReasonCount& c : r.top_reasons) {
    reasons.push_back(
        {{"mapping", c.mapping}, {"rule", c.rule}, {"field", c.field}, {"records", c.records}});
  }
  return {{"hub", r.hub_name},
          {"generated_at", FormatRfc3339(r.generated_at)},
          {"records", r.records},
          {"open_quarantine", r.open_quarantine},
          {"dimensions", ScoresJson(r.overall)},
          {"sources", sources},
          {"top_open_reasons", reasons}};
}

}  // namespace fh::importer
