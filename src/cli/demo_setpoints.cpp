#include "cli/demo_setpoints.h"

#include <nlohmann/json.hpp>

#include "cli/demo_erp.h"
#include "cli/output.h"
#include "common/json_text.h"
#include "optimize/setpoint/setpoint_run.h"

namespace fh::cli {
namespace {

// examples/ai4i2020/controls.yaml, with the demo plant's path of the mill. The bounds are what
// the mill's spindle is run at (the training data reach 1,168 to 2,886 rpm and 3.8 to 76.6
// N·m); the floor is the demo's throughput: the mill's power below 5.5 kW cuts too slowly.
constexpr const char* kControls =
    R"(# Set-points of line 2's mill-01 (docs/optimize.md#set-points): the spindle speed and
# torque that minimise the failure model's predicted risk, the mill's other inputs (air and
# process temperature, tool wear, product variant) held at its latest values, and its
# mechanical power, what sets the cutting rate, kept at or above 5.5 kW.
# factoryhub optimize --hub DEMO --controls ai4i-controls.yaml
model: ai4i-machine-failure
controls:
  - { name: rotational_speed_rpm, min: 1300, max: 2200, step: 10, unit: rpm }
  - { name: torque_Nm, min: 20, max: 65, limits: [25, 60], unit: N·m }   # the torque's spec limits
context:
  equipment: acme/shanghai/machining/line-2/mill-01
objective: { minimize: risk }
constraints:
  - { name: mechanical_power_W, expr: "torque_Nm * rotational_speed_rpm * 2 * pi / 60", min: 5500 }
search: { seed: 42 }
)";

}  // namespace

Result<DemoSetpoints> RecommendDemoSetpoints(Hub& hub, const std::filesystem::path& dir) {
  namespace sp = optimize::setpoint;
  const std::filesystem::path path = dir / kDemoControlsFile;
  FH_RETURN_IF_ERROR(WriteDemoFile(path, kControls));
  FH_RETURN_IF_ERROR(WriteDemoFile(dir / kDemoControlsBodyFile,
                                   JsonText(nlohmann::json{{"yaml", kControls}}) + "\n"));
  FH_ASSIGN_OR_RETURN(sp::ControlsSpec spec, sp::ParseControlsSpec(kControls, path.string()));
  sp::RunRequest request;
  request.spec = std::move(spec);
  FH_ASSIGN_OR_RETURN(const sp::RunResult run, sp::RunSetpointSearch(hub, request));
  const sp::SetpointResult& r = run.result;
  std::string setpoints;
  for (size_t i = 0; i < r.controls.size(); ++i) {
    setpoints +=
        fmt::format("{}{} {:.4g}", i ? ", " : "", r.controls[i].name, r.recommended.controls[i]);
    if (r.current) setpoints += fmt::format(" (now {:.4g})", r.current->controls[i]);
  }
  DemoSetpoints out;
  out.summary = fmt::format("{}: failure risk {} -> {} at {}; {} evaluations in {}", r.model,
                            r.current ? fmt::format("{:.4f}", r.current->prediction) : "?",
                            fmt::format("{:.4f}", r.recommended.prediction), setpoints,
                            FormatCount(r.evaluations), FormatSeconds(r.seconds));
  return out;
}

}  // namespace fh::cli
