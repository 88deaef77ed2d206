#include "cli/demo_anomaly.h"

#include <fstream>

#include <fmt/format.h>

#include "common/time.h"
#include "ml/model_registry.h"
#include "ml/pca/detector_training.h"
#include "store/catalog_session.h"

namespace fh::cli {

Result<sim::FaultPlan> WriteDemoFaults(const std::filesystem::path& dir, TimestampNs from) {
  constexpr int64_t kCycle = 30 * kNanosPerMinute;
  sim::FaultPlan plan;
  for (int k = 0; k < 48; ++k) {
    sim::Fault f;
    const bool joint = k % 2 == 0;
    f.name = fmt::format("{}-{}", joint ? "cnc-02-torque-power" : "cnc-04-torque-step", k / 2 + 1);
    f.kind = joint ? sim::FaultKind::kJoint : sim::FaultKind::kStep;
    f.machine = joint ? "cnc-02" : "cnc-04";
    f.change = joint ? std::map<std::string, double>{{"torque", 3}, {"power", -0.6}}
                     : std::map<std::string, double>{{"torque", 6}};
    f.start = from + k * kCycle + 5 * kNanosPerMinute;
    f.end = f.start + 4 * kNanosPerMinute;
    plan.Add(std::move(f));
  }
  const std::filesystem::path path = dir / kDemoFaultsFile;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "# Faults the demo injects into its live sensors (docs/anomaly.md): judge the\n"
         "# detector on them with factoryhub anomaly evaluate line-1-anomaly --faults "
         "demo-faults.yaml\n"
      << plan.ToYaml();
  if (!out.flush()) return IOError("{}: cannot write the demo's faults", path.string());
  return plan;
}

Result<bool> TrainDemoDetector(Hub& hub, TimestampNs from, TimestampNs to) {
  {
    CatalogSession session = hub.OpenCatalog();
    ml::ModelRegistry registry(session.models());
    if (registry.Get(ml::ModelRef{kDemoDetector, std::nullopt}).ok()) return false;
  }
  const std::string text = fmt::format(
      "name: {}\n"
      "signals: line-1.{{unit}}.{{column}}\n"
      "columns: [spindle_speed, torque, power]\n"
      "equipment: acme/shanghai/machining/line-1\n"
      "normal: {{from: {}, to: {}}}\n"
      "running: {{signal: spindle_speed, above: 100}}\n",
      kDemoDetector, FormatRfc3339(from), FormatRfc3339(to));
  FH_ASSIGN_OR_RETURN(ml::DetectorSpec spec, ml::DetectorSpec::Parse(text, "the demo's detector"));
  FH_RETURN_IF_ERROR(ml::TrainDetectorOnHub(hub, spec, true).status());
  return true;
}

}  // namespace fh::cli
