// QualityReport: the data-quality report of a hub, from what every import recorded (its
// counters and the per-check tallies in batch_check). Per mapping (a source object into an
// entity): each batch's DAMA dimension scores — completeness, validity, uniqueness,
// timeliness, consistency — so their trend shows, and the latest batch's checks in detail.
//
// A dimension's score is the share of checks that passed: 1 - failed / checked over the
// checks of that dimension. A dimension no check measured has no score (not 100%).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "govern/rule_checker.h"
#include "govern/rule_spec.h"
#include "store/governance/governance_store.h"

namespace fh::analytics {

inline constexpr std::array<govern::QualityDimension, 5> kDimensions = {
    govern::QualityDimension::kCompleteness, govern::QualityDimension::kValidity,
    govern::QualityDimension::kUniqueness, govern::QualityDimension::kTimeliness,
    govern::QualityDimension::kConsistency};

struct DimensionScores {
  std::array<std::optional<double>, 5> score;  // by kDimensions order
  std::array<int64_t, 5> checked{};
  std::array<int64_t, 5> failed{};
  void Add(govern::QualityDimension d, int64_t checked, int64_t failed);
  void Finish();  // computes score from the counts
};

// A batch's recorded counts with its check tallies and the scores they give.
struct BatchQuality : BatchOutcome {
  DimensionScores dimensions;
  std::vector<govern::CheckTally> checks;
};

struct SourceQuality {
  std::string mapping;
  std::string source_system;
  std::string entity;
  int64_t open_quarantine = 0;
  std::vector<BatchQuality> batches;  // oldest first
  // Where the source's current state begins in `batches`: its latest completed import
  // (not a replay), followed by the replays and imports since. A small replay after a
  // big import must not stand for the source alone.
  size_t current_from = 0;
  // Those batches together: their counts and check tallies summed, their scores; `id` is
  // the import's. What the text and HTML reports show per source.
  BatchQuality current;
  size_t current_batches = 0;
};

struct QualityReport {
  int64_t generated_at = 0;
  std::string hub_name;
  DimensionScores overall;  // over every source's current batches (current_from on)
  int64_t records = 0;      // read by all batches
  int64_t open_quarantine = 0;
  std::vector<SourceQuality> sources;
  std::vector<ReasonCount> top_reasons;  // of open quarantined records
};

// A score as a percentage for people: one decimal, but never "100.0%" for a score below 1
// nor "0.0%" above 0 (99.994% is "99.99%"); "n/a" when nothing was measured.
std::string FormatScore(const std::optional<double>& score);

// `max_batches`: the trend keeps this many most recent batches per mapping.
Result<QualityReport> BuildQualityReport(GovernanceStore& gov, const std::string& hub_name,
                                         int max_batches = 30);
nlohmann::ordered_json QualityReportJson(const QualityReport& report);
// One check's counts as JSON, as import reports and the quality report show them.
nlohmann::ordered_json CheckTallyJson(const govern::CheckTally& tally);
// A self-contained page (inline CSS and SVG charts, no scripts, nothing fetched).
std::string QualityReportHtml(const QualityReport& report);

}  // namespace fh::analytics
