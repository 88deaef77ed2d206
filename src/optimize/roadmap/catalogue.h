// A transformation roadmap's catalogue (plan.yaml): the candidate measures in the source
// document's four families — D data integration and governance, T technology, P business
// optimisation, S talent — with their costs, durations, people, prerequisites and effects,
// the horizon in quarters, the budget, the people available and the weights. Effects are
// either measured from the hub (`from:`) or a person's estimate (`estimate:`), and the plan
// says which.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "optimize/mcda/ahp.h"
#include "optimize/roadmap/criteria.h"

namespace fh::optimize {

enum class Family { kData, kTechnology, kProcess, kTalent };
std::string_view FamilyLetter(Family f);  // "D", "T", "P", "S"

// How one criterion's effect of a measure is known.
struct EffectSpec {
  // "estimate" (a number a person entered), or what the hub measures: "downtime" (the share
  // of planned busy time lost to `reasons`), "predictive_maintenance" (that loss times the
  // `model`'s cross-validated recall), "scrap" (the scrap ratio), "completeness" (the
  // data-quality report's completeness of `mapping`'s batches), "defects" (the share of
  // `characteristic`'s inspections that failed, with one of `defect_codes` when given: parts
  // not good the first time).
  std::string from = "estimate";
  double estimate = 0;
  std::string asset;                 // downtime, predictive_maintenance, scrap: the scope
  std::vector<std::string> reasons;  // downtime, predictive_maintenance: stop reason codes
  std::string model;                 // predictive_maintenance
  std::string mapping;               // completeness
  std::string characteristic;        // defects
  std::vector<std::string> defect_codes;
  // The share of the measured loss the measure removes (an estimate, stated as such).
  double share = 1;
  std::string where;  // plan.yaml:LINE
};

// `trains: {qualification: gap}`: as many people as the hub's skill gaps say are missing.
inline constexpr double kTrainTheGap = -1;

struct Measure {
  std::string id;
  std::string name;
  Family family = Family::kData;
  double one_off = 0;                    // spent evenly over the duration
  double running = 0;                    // per quarter once done, to the horizon's end
  int duration = 1;                      // quarters
  double complexity = 0;                 // C_P: 1 (routine) … 5 (hard), entered
  std::map<std::string, double> people;  // qualification → people busy while it runs
  std::map<std::string, double> trains;  // S: qualification → people qualified once done
  std::vector<std::string> requires_;    // ids that must be done before it starts
  std::vector<std::string> excludes;     // ids it cannot be chosen with
  bool mandatory = false;
  std::optional<int> start;              // a fixed start quarter (0-based), when already committed
  std::map<size_t, EffectSpec> effects;  // by criterion index (benefits only)
  std::string where;                     // plan.yaml:LINE
};

struct WeightsSpec {
  // Direct weights by criterion (normalised to sum 1), or AHP judgements.
  std::optional<CriteriaValues> direct;
  std::vector<Judgement> judgements;
  std::string where;
};

struct Catalogue {
  std::string title;
  int start_year = 2027;
  int start_quarter = 1;  // 1..4
  int quarters = 8;
  double budget_per_quarter = 0;       // 0: no limit
  std::optional<double> budget_total;  // over the horizon
  std::string currency = "CNY";
  std::string baseline_window = "30d";  // how far back the hub's measurements look
  // Or a fixed window (times as ParseTimePoint reads them: 2026-11-01, now-7d).
  std::string baseline_from, baseline_to;
  // People who can work on measures at once, by qualification: entered, or (when
  // `people_from_hub`) the people holding it now times `project_share`.
  std::map<std::string, double> people_available;
  bool people_from_hub = false;
  double project_share = 0.25;
  WeightsSpec weights;
  std::vector<Measure> measures;
  std::string file;  // where it was read from, for messages

  // "2027Q3" for quarter index 2.
  std::string QuarterLabel(int index) const;
};

// Parses plan.yaml; errors name the file, line and field.
Result<Catalogue> ParseCatalogue(const std::string& yaml, const std::string& file);
Result<Catalogue> LoadCatalogue(const std::string& path);

// "efficiency=0.4,quality=0.3": weights by criterion name, those left out 0, normalised to
// sum 1 (what --weights and ?weights= take).
Result<CriteriaValues> ParseWeightList(std::string_view text);

// The file a hub keeps its catalogue in, beside oee.yaml.
inline constexpr const char* kPlanCatalogueFile = "plan.yaml";

}  // namespace fh::optimize
