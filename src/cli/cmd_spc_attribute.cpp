// factoryhub spc attribute --hub DIR --inspection NAME [--equipment GLOB] [--chart p|np|c|u]
//   [--baseline K] [--exclude 15,23 | --center X] [--from T] [--to T] [--svg F] [--json]
// factoryhub spc attribute --hub DIR --characteristic NAME [--from T] [--to T] ...
//
// Attribute charts of inspection results (analytics/spc/attribute_study.h): the failed
// rows of each recorded subgroup, with a phase-I center or a given one.
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analytics/spc/attribute_study.h"
#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/spc_config.h"
#include "analytics/spc/spc_svg.h"
#include "cli/cmd_spc_subcommands.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct AttributeCli {
  std::string hub, characteristic, inspection, equipment, chart = "p", from, to, svg;
  size_t baseline = 0;
  std::vector<size_t> exclude;
  std::optional<double> center;
  bool json = false;
};

// The characteristic's definition (spc.yaml) and its newest frozen center, if any.
Status UseCharacteristic(Hub& hub, AttributeCli& o, analytics::spc::AttributeStudyOptions& a,
                         std::string& center_from) {
  FH_ASSIGN_OR_RETURN(const analytics::spc::Characteristic c,
                      FindCharacteristic(hub, o.characteristic));
  if (!c.attribute) {
    return InvalidArgument(
        "'{}' charts values, not failed inspections: `factoryhub spc chart --characteristic {}`",
        c.name, c.name);
  }
  o.inspection = c.study.inspection;
  o.equipment = c.study.equipment;
  a.chart = *c.attribute;
  a.baseline = c.study.baseline;
  FH_ASSIGN_OR_RETURN(std::optional<analytics::spc::FrozenLimits> frozen,
                      analytics::spc::LatestLimits(hub, c.name));
  if (frozen) {
    a.center = frozen->limits.location.center;
    a.frozen_baseline_to = frozen->baseline_to;
    center_from = fmt::format("frozen, version {}", frozen->version);
  }
  return Status::Ok();
}

Status RunAttribute(AttributeCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  analytics::spc::AttributeStudyOptions a;
  std::string center_from = o.center ? "given" : "";
  if (!o.characteristic.empty()) {
    FH_RETURN_IF_ERROR(UseCharacteristic(*hub, o, a, center_from));
  } else if (o.inspection.empty()) {
    return InvalidArgument("say what to chart: --inspection NAME or --characteristic NAME");
  } else {
    a.chart = *analytics::spc::ParseAttributeChart(o.chart);
    a.baseline = o.baseline;
    a.exclude = o.exclude;
    a.center = o.center;
  }
  a.inspection = o.inspection;
  a.equipment = o.equipment;
  FH_ASSIGN_OR_RETURN(a.range, ParseTimeRange(o.from, o.to));
  FH_ASSIGN_OR_RETURN(analytics::spc::AttributeStudy s, analytics::spc::RunAttributeStudy(*hub, a));
  if (!o.svg.empty()) {
    const std::string title = fmt::format("{} chart of inspection {}{}", s.chart, o.inspection,
                                          o.equipment.empty() ? "" : " on " + o.equipment);
    FH_RETURN_IF_ERROR(WriteChartSvg(o.svg, analytics::spc::AttributeChartSvg(s, title)));
  }
  if (o.json) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (size_t i = 0; i < s.points.size(); ++i) {
      const auto& p = s.points[i];
      points.push_back({{"subgroup", i + 1},
                        {"time", FormatRfc3339(p.ts)},
                        {"inspected", p.inspected},
                        {"failed", p.failed},
                        {s.chart, p.value},
                        {"lcl", p.limits.lower},
                        {"ucl", p.limits.upper},
                        {"out", p.out},
                        {"phase", p.phase_two ? 2 : 1},
                        {"excluded", p.excluded}});
      if (p.out) out.push_back(i + 1);
    }
    PrintJson({{"inspection", o.inspection},
               {"chart", s.chart},
               {"center", s.center},
               {"center_given", a.center.has_value()},
               {"baseline", s.baseline},
               {"excluded", o.exclude},
               {"subgroups", s.points.size()},
               {"left_out", s.left_out},
               {"out_of_control", out},
               {"points", points}});
    return Status::Ok();
  }
  size_t out = 0;
  for (const auto& p : s.points)
    out += p.out;
  fmt::print("{} chart of inspection {}{}: {} subgroups, center {} ({}), {} outside the limits\n",
             s.chart, o.inspection, o.equipment.empty() ? "" : " on " + o.equipment,
             s.points.size(), FormatMeasurement(s.center),
             !center_from.empty()
                 ? center_from
                 : fmt::format(
                       "from the first {}{}", s.baseline,
                       o.exclude.empty() ? "" : fmt::format(" but {}", fmt::join(o.exclude, ", "))),
             out);
  Table t({{"subgroup", true},
           {"time"},
           {"inspected", true},
           {"failed", true},
           {s.chart, true},
           {"lower", true},
           {"upper", true},
           {"phase", true},
           {"signal"}});
  for (size_t i = 0; i < s.points.size(); ++i) {
    const auto& p = s.points[i];
    t.AddRow({std::to_string(i + 1), FormatRfc3339(p.ts), std::to_string(p.inspected),
              std::to_string(p.failed), FormatMeasurement(p.value),
              FormatMeasurement(p.limits.lower), FormatMeasurement(p.limits.upper),
              p.phase_two  ? "2"
              : p.excluded ? "1 (excluded)"
                           : "1",
              p.out ? "beyond-limits" : ""});
  }
  t.Print();
  return Status::Ok();
}

}  // namespace

void AddSpcAttributeCommand(CLI::App* sub, const ChosenSpcCommand& chosen) {
  {
    auto o = std::make_shared<AttributeCli>();
    CLI::App* app = sub->add_subcommand(
        "attribute",
        "p, np, c or u chart of inspection results: failed rows per recorded subgroup");
    AddHubOption(app, &o->hub);
    CLI::Option* inspection =
        app->add_option("--inspection", o->inspection, "The inspection characteristic");
    CLI::Option* characteristic = app->add_option(
        "--characteristic", o->characteristic,
        "Or an attribute characteristic of the hub's spc.yaml (chart: p|np|c|u): its inspection, "
        "chart and baseline, judged by its frozen center when it has one");
    characteristic->excludes(inspection);
    app->add_option("--equipment", o->equipment, "Only equipment whose path matches (a glob)");
    app->add_option("--chart", o->chart,
                    "p (default: fraction failed), np (number failed), c (failures per "
                    "subgroup), u (failures per unit)")
        ->check(CLI::IsMember({"p", "np", "c", "u"}));
    app->add_option("--from", o->from, "Start of the inspections");
    app->add_option("--to", o->to, "End of the inspections, exclusive");
    app->add_option("--baseline", o->baseline,
                    "Phase I: the first K subgroups set the center, the rest are judged by it "
                    "(default: all)");
    app->add_option("--exclude", o->exclude,
                    "Phase-I subgroups (1-based) left out of the center: assignable causes found")
        ->delimiter(',');
    CLI::Option* center = app->add_option(
        "--center", o->center,
        "The center given (a standard, or frozen earlier): every subgroup is phase II");
    center->excludes("--baseline")->excludes("--exclude");
    for (const char* given : {"--equipment", "--chart", "--baseline", "--exclude", "--center"})
      characteristic->excludes(given);
    app->add_option("--svg", o->svg, "Also write the chart as an SVG file to look at");
    AddJsonOption(app, &o->json);
    app->footer(
        "Example:\n  factoryhub spc attribute --hub plant --inspection seal_check --chart p "
        "--baseline 30 --exclude 15,23");
    app->callback([chosen, o] { *chosen = [o] { return RunAttribute(*o); }; });
  }
}

}  // namespace fh::cli
