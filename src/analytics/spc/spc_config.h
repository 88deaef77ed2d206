// SPC characteristics defined once in the hub's spc.yaml (docs/cli.md#spc), so that the
// CLI, the API and the dashboard chart the same thing the same way: what is measured (a
// tag, or an inspection characteristic on some equipment), how it is grouped and charted,
// the baseline, the run rules and the specification.
#pragma once

#include <string>
#include <vector>

#include "analytics/spc/spc_study.h"
#include "analytics/spc/time_weighted.h"
#include "common/status.h"

namespace fh::analytics::spc {

struct Characteristic {
  std::string name;
  SpcStudyOptions study;  // everything but the time range
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

}  // namespace fh::analytics::spc
