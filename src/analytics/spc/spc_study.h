// An SPC study of one tag: its stored values in a time range, grouped into subgroups of n
// consecutive values, charted (I-MR for n = 1, X̄-R for n up to 10, X̄-S above), with
// limits estimated from the first `baseline` subgroups (phase I) and frozen for the rest
// (phase II), the run rules on the location chart, points outside the spread chart, and
// capability against the spec limits. What `factoryhub spc` prints.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/spc/capability.h"
#include "analytics/spc/control_limits.h"
#include "analytics/spc/run_rules.h"
#include "analytics/spc/subgrouping.h"
#include "common/status.h"
#include "model/sample.h"
#include "store/hub.h"
#include "store/storage.h"

namespace fh::analytics::spc {

enum class ChartKind { kAuto, kIndividuals, kXbarR, kXbarS };

// Limits estimated once from a baseline and frozen for monitoring (phase II): subgroups up
// to the end of the baseline are phase I, the later ones are judged by these limits.
struct FrozenLimits {
  int version = 0;
  VariablesLimits limits;
  std::string chart;  // "xbar-r", "xbar-s", "i-mr"
  TimestampNs baseline_from = 0;
  TimestampNs baseline_to = 0;  // the first value of the last baseline subgroup
  size_t subgroups = 0;         // in the baseline
  TimestampNs frozen_at = 0;
  std::string note;
};

struct SpcStudyOptions {
  // The data: a tag's values in subgroups of subgroup_size consecutive values, or the
  // recorded subgroups of an inspection characteristic (the rows of one inspected_at and
  // equipment), on equipment whose path matches `equipment` (a glob; empty: any).
  std::string tag;
  std::string inspection;
  std::string equipment;
  TimeRange range;
  int subgroup_size = 1;  // tags: consecutive values per subgroup; a last, shorter one is left out
  // How values become subgroups (subgrouping.h): tags by count (default) or time;
  // inspections as recorded (default), or by order, time or count. With time and order,
  // subgroup_size >= 2 takes the first n values of each.
  GroupBy group_by = GroupBy::kDefault;
  int64_t every_ns = 0;  // group_by time: the bucket width
  ChartKind chart = ChartKind::kAuto;
  size_t baseline = 0;  // phase-I subgroups (0: all of them)
  bool revise = false;  // drop out-of-control phase-I subgroups and estimate again (X̄-R)
  SpecLimits spec;      // capability when it has a limit
  RuleSet rules = RuleSet::kNelson;
  std::vector<int> enabled_rules;      // rule numbers of the set (empty: all)
  std::optional<FrozenLimits> frozen;  // use these limits instead of estimating them
};

struct SubgroupPoint {
  size_t index = 0;     // 0-based
  TimestampNs ts = 0;   // of its first value
  double location = 0;  // X̄ or the value
  double spread = 0;    // R, S or the moving range (0 for the first individual)
  bool phase_two = false;
  bool excluded = false;  // dropped from the phase-I estimate
};

// A point outside the spread chart's limits, or a run rule of the location chart.
struct SpcViolation {
  std::string chart;  // "xbar", "i", "r", "s", "mr"
  std::string rule;   // "beyond-limits" or the run rule's id
  std::string what;
  size_t point = 0;
  std::vector<size_t> points;
  bool phase_two = false;
};

struct SpcStudy {
  std::string location_chart;  // "xbar" or "i"
  std::string spread_chart;    // "r", "s" or "mr"
  VariablesLimits limits;
  std::vector<size_t> excluded;
  std::vector<SubgroupPoint> points;
  std::vector<SpcViolation> violations;
  std::optional<Capability> capability;  // of the phase-I values
  size_t values = 0;
  size_t left_out = 0;  // inspection subgroups of another size than the most common
};

// Subgroups in time order, each with the time of its first value.
struct SpcSubgroups {
  std::vector<std::vector<double>> groups;
  std::vector<TimestampNs> ts;
  size_t values = 0;
  size_t left_out = 0;
  SpecLimits recorded_spec;  // the newest inspection's limits and target, when recorded
};

// Reads the subgroups the options name (a tag from `storage`, or inspections from the
// hub's catalog). NotFound for an unknown tag or an inspection with no rows.
Result<SpcSubgroups> ReadSpcSubgroups(Hub& hub, const SpcStudyOptions& options);

// The study of those subgroups (options.spec, or the recorded spec when it has none).
// InvalidArgument when there are fewer than 2 subgroups.
Result<SpcStudy> StudySubgroups(const SpcSubgroups& data, const SpcStudyOptions& options);

// ReadSpcSubgroups then StudySubgroups.
Result<SpcStudy> RunSpcStudy(Hub& hub, const SpcStudyOptions& options);

std::string_view ChartKindName(ChartKind kind);

}  // namespace fh::analytics::spc
