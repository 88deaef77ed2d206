// SPC characteristics defined once in the hub's spc.yaml (docs/cli.md#spc), so that the
// CLI, the API and the dashboard chart the same thing the same way: what is measured (a
// tag, or an inspection characteristic on some equipment), how it is grouped and charted,
// the baseline, the run rules and the specification.
#pragma once

#include <string>
#include <vector>

#include "analytics/spc/attribute_study.h"
#include "analytics/spc/spc_study.h"
#include "analytics/spc/time_weighted.h"
#include "common/status.h"

namespace fh::analytics::spc {

struct Characteristic {
  std::string name;
  SpcStudyOptions study;  // everything but the time range
  // `chart: p|np|c|u`: an attribute characteristic of inspections (attribute_study.h),
  // a subgroup being the rows of one inspected_at on one machine and a failed row a
  // defective unit or a nonconformity; its baseline gives the center.
  std::optional<AttributeChart> attribute;
  // Also judged live by an EWMA and a tabular CUSUM (`ewma:`, `cusum:`), and the defaults
  // of `spc ewma|cusum --characteristic`.
  std::optional<EwmaParameters> ewma;
  std::optional<CusumParameters> cusum;
};

struct SpcConfig {
  std::vector<Characteristic> characteristics;

  const Characteristic* Find(std::string_view name) const;
  // Parses spc.yaml text; errors name the file, line and key.
  static Result<SpcConfig> Parse(const std::string& yaml, const std::string& file);
  // The file at `path`, or no characteristics when there is none.
  static Result<SpcConfig> Load(const std::string& path);
};

inline constexpr const char* kSpcConfigFile = "spc.yaml";

// InvalidArgument for an attribute characteristic, which the variables charts (X̄, I, EWMA,
// CUSUM, capability) cannot chart: it says what does.
Status RefuseAttribute(const Characteristic& c);

}  // namespace fh::analytics::spc
