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

namespace fh::sqlite {
class Db;
}

namespace fh::importer {

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

struct BatchQuality {
  int64_t id = 0;
  int64_t started_at = 0;
  std::string status;
  std::string mapping_version;
  std::string source_object;
  int64_t read = 0;
  int64_t accepted = 0;
  int64_t quarantined = 0;
  int64_t duplicates = 0;
  int64_t warnings = 0;
  DimensionScores dimensions;
  std::vector<govern::CheckTally> checks;
};

struct SourceQuality {
  std::string mapping;
  std::string source_system;
  std::string entity;
  int64_t open_quarantine = 0;
  std::vector<BatchQuality> batches;  // oldest first
};

struct ReasonCount {
  std::string mapping;
  std::string rule;
  std::string field;
  int64_t records = 0;
};

struct QualityReport {
  int64_t generated_at = 0;
  std::string hub_name;
  DimensionScores overall;  // over every latest batch
  int64_t records = 0;      // read by all batches
  int64_t open_quarantine = 0;
  std::vector<SourceQuality> sources;
  std::vector<ReasonCount> top_reasons;  // of open quarantined records
};

// `max_batches`: the trend keeps this many most recent batches per mapping.
Result<QualityReport> BuildQualityReport(sqlite::Db& db, const std::string& hub_name,
                                         int max_batches = 30);
nlohmann::ordered_json QualityReportJson(const QualityReport& report);
// One check's counts as JSON, as import reports and the quality report show them.
nlohmann::ordered_json CheckTallyJson(const govern::CheckTally& tally);
// A self-contained page (inline CSS and SVG charts, no scripts, nothing fetched).
std::string QualityReportHtml(const QualityReport& report);

}  // namespace fh::importer
