#include "analytics/quality_report.h"

#include <algorithm>

#include "common/time.h"

namespace fh::analytics {

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

Result<QualityReport> BuildQualityReport(GovernanceStore& gov, const std::string& hub_name,
                                         int max_batches) {
  QualityReport report;
  report.generated_at = NowNs();
  report.hub_name = hub_name;
  FH_ASSIGN_OR_RETURN(const std::vector<GovernedMapping> mappings, gov.GovernedMappings());
  for (const GovernedMapping& m : mappings) {
    SourceQuality src;
    src.mapping = m.mapping;
    src.entity = m.entity;
    src.source_system = m.source_system;
    report.sources.push_back(std::move(src));
  }
  for (SourceQuality& src : report.sources) {
    FH_ASSIGN_OR_RETURN(const std::vector<BatchOutcome> batches,
                        gov.RecentBatches(src.mapping, max_batches));
    for (const BatchOutcome& o : batches) {
      BatchQuality b;
      static_cast<BatchOutcome&>(b) = o;
      src.batches.push_back(std::move(b));
    }
    for (BatchQuality& b : src.batches) {
      FH_ASSIGN_OR_RETURN(b.checks, gov.BatchChecks(b.id));
      for (const govern::CheckTally& t : b.checks) {
        b.dimensions.Add(govern::DimensionOf(t.check), t.checked, t.failed);
      }
      b.dimensions.Finish();
      report.records += b.read;
    }
    FH_ASSIGN_OR_RETURN(src.open_quarantine, gov.CountOpen(src.mapping));
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

  FH_ASSIGN_OR_RETURN(report.top_reasons, gov.TopOpenReasons(20));
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

}  // namespace fh::analytics
