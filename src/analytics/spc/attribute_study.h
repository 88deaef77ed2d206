// Attribute charts of inspection results (Montgomery chapter 7): each subgroup is the rows
// of one inspected_at on one machine, as recorded; a failed row is a defective unit (p, np)
// and a nonconformity (c, u). The center (p̄, n p̄, c̄, ū) comes from the first `baseline`
// subgroups (phase I; all by default) without those `exclude` names (assignable causes found),
// or is given (`center`: a standard, or limits frozen earlier); every subgroup is then judged
// against limits around it, the later ones as phase II.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/spc/control_limits.h"
#include "common/status.h"
#include "model/sample.h"
#include "store/hub.h"

namespace fh::analytics::spc {

enum class AttributeChart { kP, kNp, kC, kU };

std::string_view AttributeChartName(AttributeChart chart);  // "p", "np", "c", "u"
std::optional<AttributeChart> ParseAttributeChart(std::string_view name);

// The 3-sigma limits of one subgroup of `n` units around the chart's center (Montgomery
// chapter 7; for np the center is n p̄), the lower one at least 0, a fraction at most 1.
ControlLimits AttributeLimitsAround(AttributeChart chart, double center, double n);

struct AttributeStudyOptions {
  std::string inspection;
  std::string equipment;  // glob over the machines' paths; empty: any
  TimeRange range;
  AttributeChart chart = AttributeChart::kP;
  size_t baseline = 0;           // phase-I subgroups (0: all)
  std::vector<size_t> exclude;   // 1-based phase-I subgroups left out of the center
  std::optional<double> center;  // given: no phase I
  // With a center frozen from a baseline (spc freeze): subgroups up to this time are its
  // phase I, the later ones phase II.
  TimestampNs frozen_baseline_to = INT64_MIN;
};

struct AttributePoint {
  TimestampNs ts = 0;
  int64_t inspected = 0;
  int64_t failed = 0;
  double value = 0;  // p, np, c or u
  ControlLimits limits;
  bool out = false;
  bool phase_two = false;
  bool excluded = false;  // left out of the center
};

struct AttributeStudy {
  std::string chart;  // "p", "np", "c", "u"
  double center = 0;
  size_t baseline = 0;  // phase-I subgroups (0 when the center was given)
  std::vector<AttributePoint> points;
  size_t left_out = 0;  // np and c: subgroups of another size than the most common
};

// NotFound when the inspection has no rows; InvalidArgument for fewer than 2 subgroups.
Result<AttributeStudy> RunAttributeStudy(Hub& hub, const AttributeStudyOptions& options);

}  // namespace fh::analytics::spc
