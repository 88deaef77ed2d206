// factoryhub spc chart|capability|violations|ewma|cusum --hub DIR --tag T [--subgroup N]
//   [--baseline K] [--chart auto|i-mr|xbar-r|xbar-s] [--revise] [--lsl X] [--usl Y]
//   [--target T] [--rules nelson|we] [--from T] [--to T] [--json]
//
// Statistical process control of one tag (analytics/spc/spc_study.h): its values in
// subgroups of N consecutive points, limits from the first K subgroups, run rules,
// capability. The other subcommands of `spc` live in cmd_spc_subcommands.h.
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/spc_config.h"
#include "analytics/spc/spc_json.h"
#include "analytics/spc/spc_study.h"
#include "analytics/spc/spc_svg.h"
#include "analytics/spc/time_weighted_study.h"
#include "cli/cmd_spc_subcommands.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

using analytics::spc::ChartKind;

struct SpcCli {
  std::string hub;
  std::string characteristic;
  std::string tag;
  std::string inspection;
  std::string equipment;
  int subgroup = 1;
  std::string by;     // count, time, order, recorded (default: count for tags, recorded)
  std::string every;  // with --by time
  size_t baseline = 0;
  std::string chart = "auto";
  bool revise = false;
  std::optional<double> lsl, usl, target;
  std::string rules = "nelson";
  std::string from, to;
  bool json = false;
  // EWMA and CUSUM: as given, else the characteristic's (spc.yaml), else the defaults
  std::optional<double> lambda, width, k, h;
  std::optional<double> mu0, sigma;
  std::string svg;                                     // chart: also write this SVG file
  std::optional<analytics::spc::FrozenLimits> frozen;  // a characteristic's newest limits
  std::vector<int> enabled_rules;                      // a characteristic's chosen rules
};

// What is charted, for the text output.
std::string Subject(const SpcCli& o) {
  if (o.inspection.empty()) return o.tag;
  return "inspection " + o.inspection + (o.equipment.empty() ? "" : " on " + o.equipment);
}

// The JSON key and value naming what is charted.
std::pair<std::string, std::string> SubjectJson(const SpcCli& o) {
  return o.inspection.empty() ? std::pair<std::string, std::string>{"tag", o.tag}
                              : std::pair<std::string, std::string>{"inspection", o.inspection};
}

Result<analytics::spc::SpcStudy> StudyOf(Hub& hub, const SpcCli& o);

}  // namespace

Result<analytics::spc::Characteristic> FindCharacteristic(Hub& hub, const std::string& name) {
  const std::string path = (hub.dir() / analytics::spc::kSpcConfigFile).string();
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcConfig config, analytics::spc::SpcConfig::Load(path));
  const analytics::spc::Characteristic* c = config.Find(name);
  if (c) return *c;
  std::string known;
  for (const auto& k : config.characteristics)
    known += (known.empty() ? "" : ", ") + k.name;
  return NotFound("no characteristic '{}' in {} ({})", name, path,
                  known.empty() ? "it defines none" : "it defines " + known);
}

namespace {

Result<analytics::spc::SpcStudy> Study(SpcCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  if (!o.characteristic.empty()) {
    // The hub's definition; the command line chooses only the time range.
    FH_ASSIGN_OR_RETURN(const analytics::spc::Characteristic c,
                        FindCharacteristic(*hub, o.characteristic));
    FH_RETURN_IF_ERROR(analytics::spc::RefuseAttribute(c));
    const analytics::spc::SpcStudyOptions& d = c.study;
    o.tag = d.tag;
    o.inspection = d.inspection;
    o.equipment = d.equipment;
    o.subgroup = d.subgroup_size;
    o.by = d.group_by == analytics::spc::GroupBy::kDefault
               ? ""
               : std::string(analytics::spc::GroupByName(d.group_by));
    o.every = d.every_ns > 0 ? FormatDuration(d.every_ns) : "";
    o.baseline = d.baseline;
    o.chart = std::string(d.chart == analytics::spc::ChartKind::kAuto
                              ? "auto"
                              : analytics::spc::ChartKindName(d.chart));
    o.revise = d.revise;
    o.lsl = d.spec.lower;
    o.usl = d.spec.upper;
    o.target = d.spec.target;
    o.rules = d.rules == analytics::spc::RuleSet::kWesternElectric ? "we" : "nelson";
    o.enabled_rules = d.enabled_rules;
    if (c.ewma) {
      o.lambda = o.lambda.value_or(c.ewma->lambda);
      o.width = o.width.value_or(c.ewma->width);
    }
    if (c.cusum) {
      o.k = o.k.value_or(c.cusum->k);
      o.h = o.h.value_or(c.cusum->h);
    }
    FH_ASSIGN_OR_RETURN(o.frozen, analytics::spc::LatestLimits(*hub, o.characteristic));
    if (o.frozen && !o.json) {
      fmt::print("Limits v{} of {}, frozen {} from {} subgroups ({} .. {}).\n", o.frozen->version,
                 o.characteristic, FormatRfc3339(o.frozen->frozen_at), o.frozen->subgroups,
                 FormatRfc3339(o.frozen->baseline_from), FormatRfc3339(o.frozen->baseline_to));
    }
  }
  if (o.tag.empty() && o.inspection.empty()) {
    return InvalidArgument(
        "say what to chart: --tag NAME, --inspection CHARACTERISTIC or --characteristic NAME");
  }
  return StudyOf(*hub, o);
}

Result<analytics::spc::SpcStudy> StudyOf(Hub& hub, const SpcCli& o) {
  analytics::spc::SpcStudyOptions s;
  s.tag = o.tag;
  s.inspection = o.inspection;
  s.equipment = o.equipment;
  FH_ASSIGN_OR_RETURN(s.range, ParseTimeRange(o.from, o.to));
  s.subgroup_size = o.subgroup;
  if (!o.by.empty()) {
    FH_ASSIGN_OR_RETURN(s.group_by, analytics::spc::ParseGroupBy(o.by));
  }
  if (!o.every.empty()) {
    FH_ASSIGN_OR_RETURN(s.every_ns, ParseDuration(o.every));
  }
  s.baseline = o.baseline;
  s.chart = o.chart == "i-mr"     ? ChartKind::kIndividuals
            : o.chart == "xbar-r" ? ChartKind::kXbarR
            : o.chart == "xbar-s" ? ChartKind::kXbarS
                                  : ChartKind::kAuto;
  s.revise = o.revise;
  s.spec = {o.lsl, o.usl, o.target};
  s.rules = o.rules == "we" ? analytics::spc::RuleSet::kWesternElectric
                            : analytics::spc::RuleSet::kNelson;
  s.frozen = o.frozen;
  s.enabled_rules = o.enabled_rules;
  return analytics::spc::RunSpcStudy(hub, s);
}

void PrintLimits(const analytics::spc::SpcStudy& s) {
  Table t({{"chart"}, {"center", true}, {"lower", true}, {"upper", true}});
  t.AddRow({s.location_chart, FormatMeasurement(s.limits.location.center),
            FormatMeasurement(s.limits.location.lower),
            FormatMeasurement(s.limits.location.upper)});
  t.AddRow({s.spread_chart, FormatMeasurement(s.limits.spread.center),
            FormatMeasurement(s.limits.spread.lower), FormatMeasurement(s.limits.spread.upper)});
  t.Print();
}

std::string Title(const char* chart, const SpcCli& o) {
  return fmt::format("{} chart of {}", chart,
                     o.characteristic.empty() ? Subject(o) : o.characteristic);
}

Status RunChart(SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  if (!o.svg.empty()) {
    const std::string kind = s.location_chart + "-" + s.spread_chart;
    FH_RETURN_IF_ERROR(
        WriteChartSvg(o.svg, analytics::spc::SpcChartSvg(s, Title(kind.c_str(), o))));
  }
  const size_t phase_one = analytics::spc::PhaseOneCount(s);
  if (o.json) {
    PrintJson(analytics::spc::SpcChartJson(s, {{SubjectJson(o).first, SubjectJson(o).second}}));
    return Status::Ok();
  }
  fmt::print("{} chart of {}: {} subgroups of {} (limits from the first {}{}), sigma within {}\n",
             s.location_chart + "-" + s.spread_chart, Subject(o), s.points.size(),
             s.limits.subgroup_size, phase_one,
             s.excluded.empty() ? "" : fmt::format(", {} left out", s.excluded.size()),
             FormatMeasurement(s.limits.sigma_within));
  PrintLimits(s);
  Table t({{"subgroup", true},
           {"time"},
           {s.location_chart, true},
           {s.spread_chart, true},
           {"phase", true},
           {"signal"}});
  for (const auto& p : s.points) {
    std::string signal;
    for (const auto& v : s.violations) {
      if (v.point == p.index) signal += (signal.empty() ? "" : ",") + v.rule;
    }
    if (p.excluded) signal += (signal.empty() ? "" : ",") + std::string("excluded");
    t.AddRow({std::to_string(p.index + 1), FormatRfc3339(p.ts), FormatMeasurement(p.location),
              FormatMeasurement(p.spread), p.phase_two ? "2" : "1", signal});
  }
  t.Print();
  return Status::Ok();
}

Status RunCapability(SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  if (!s.capability) {
    return InvalidArgument("capability needs --lsl or --usl (or both){}",
                           o.inspection.empty() ? "" : ", or inspections that record them");
  }
  const analytics::spc::Capability& c = *s.capability;
  if (o.json) {
    nlohmann::ordered_json doc = analytics::spc::CapabilityJson(c);
    doc[SubjectJson(o).first] = SubjectJson(o).second;
    doc[s.location_chart] = analytics::spc::LimitsJson(s.limits.location);
    doc[s.spread_chart] = analytics::spc::LimitsJson(s.limits.spread);
    PrintJson(doc);
    return Status::Ok();
  }
  fmt::print(
      "Capability of {}: {} values, mean {}, sigma within {} (from the {} chart), overall {}\n",
      Subject(o), c.n, FormatMeasurement(c.mean), FormatMeasurement(c.sigma_within),
      s.location_chart + "-" + s.spread_chart, FormatMeasurement(c.sigma_overall));
  Table t({{"index"}, {"value", true}, {"95% low", true}, {"95% high", true}});
  auto row = [&](const char* name, const std::optional<analytics::spc::Index>& i) {
    if (i) {
      t.AddRow({name, fmt::format("{:.3f}", i->value), fmt::format("{:.3f}", i->confidence.low),
                fmt::format("{:.3f}", i->confidence.high)});
    }
  };
  row("Cp", c.cp);
  row("Cpk", c.cpk);
  row("Pp", c.pp);
  row("Ppk", c.ppk);
  t.Print();
  fmt::print("Normality (Anderson-Darling): A² {:.3f}, p {:.3f}: {}\n", c.normality.a2,
             c.normality.p_value,
             c.normality.normal ? "no evidence against normality"
                                : "not normal: these indices assume it, read them with care");
  return Status::Ok();
}

Status RunViolations(SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  if (o.json) {
    PrintJson({{SubjectJson(o).first, SubjectJson(o).second},
               {"violations", analytics::spc::ViolationsJson(s)}});
    return Status::Ok();
  }
  if (s.violations.empty()) {
    fmt::print("No violations: every subgroup of {} is within its limits and no run rule fired.\n",
               Subject(o));
    return Status::Ok();
  }
  Table t({{"subgroup", true}, {"time"}, {"chart"}, {"rule"}, {"phase", true}, {"what"}});
  for (const auto& v : s.violations) {
    t.AddRow({std::to_string(v.point + 1), FormatRfc3339(s.points[v.point].ts), v.chart, v.rule,
              v.phase_two ? "2" : "1", v.what});
  }
  t.Print();
  return Status::Ok();
}

Status RunEwma(SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  FH_ASSIGN_OR_RETURN(analytics::spc::TimeWeightedBasis basis,
                      analytics::spc::BasisOf(s, o.mu0, o.sigma));
  const analytics::spc::EwmaParameters defaults;
  const double lambda = o.lambda.value_or(defaults.lambda),
               width = o.width.value_or(defaults.width);
  FH_ASSIGN_OR_RETURN(analytics::spc::EwmaChart e,
                      analytics::spc::EwmaOfStudy(s, lambda, width, basis));
  FH_RETURN_IF_ERROR(WriteChartSvg(o.svg, analytics::spc::EwmaChartSvg(e, Title("EWMA", o))));
  if (o.json) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (size_t i = 0; i < e.points.size(); ++i) {
      points.push_back({{"subgroup", i + 1},
                        {"time", FormatRfc3339(s.points[i].ts)},
                        {"value", s.points[i].location},
                        {"z", e.points[i].z},
                        {"lcl", e.points[i].limits.lower},
                        {"ucl", e.points[i].limits.upper},
                        {"signal", !e.points[i].limits.Contains(e.points[i].z)}});
    }
    PrintJson({{SubjectJson(o).first, SubjectJson(o).second},
               {"chart", "ewma"},
               {"lambda", lambda},
               {"width", width},
               {"target", basis.target},
               {"sigma", basis.sigma},
               {"asymptotic", analytics::spc::LimitsJson(e.asymptotic)},
               {"first_signal", e.first_signal ? nlohmann::ordered_json(*e.first_signal + 1)
                                               : nlohmann::ordered_json()},
               {"points", points}});
    return Status::Ok();
  }
  fmt::print("EWMA of {} (λ {}, L {}): target {}, sigma {} per point; {}\n", Subject(o),
             FormatMeasurement(lambda), FormatMeasurement(width), FormatMeasurement(basis.target),
             FormatMeasurement(basis.sigma),
             e.first_signal ? fmt::format("first signal at subgroup {}", *e.first_signal + 1)
                            : std::string("no signal"));
  Table t({{"subgroup", true},
           {"time"},
           {"value", true},
           {"z", true},
           {"lower", true},
           {"upper", true},
           {"signal"}});
  for (size_t i = 0; i < e.points.size(); ++i) {
    const auto& p = e.points[i];
    t.AddRow({std::to_string(i + 1), FormatRfc3339(s.points[i].ts),
              FormatMeasurement(s.points[i].location), FormatMeasurement(p.z),
              FormatMeasurement(p.limits.lower), FormatMeasurement(p.limits.upper),
              p.limits.Contains(p.z) ? "" : "out"});
  }
  t.Print();
  return Status::Ok();
}

Status RunCusum(SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  FH_ASSIGN_OR_RETURN(analytics::spc::TimeWeightedBasis basis,
                      analytics::spc::BasisOf(s, o.mu0, o.sigma));
  const analytics::spc::CusumParameters defaults;
  const double k = o.k.value_or(defaults.k), h = o.h.value_or(defaults.h);
  FH_ASSIGN_OR_RETURN(analytics::spc::CusumChart c, analytics::spc::CusumOfStudy(s, k, h, basis));
  FH_RETURN_IF_ERROR(WriteChartSvg(o.svg, analytics::spc::CusumChartSvg(c, Title("CUSUM", o))));
  if (o.json) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (size_t i = 0; i < c.upper.size(); ++i) {
      points.push_back({{"subgroup", i + 1},
                        {"time", FormatRfc3339(s.points[i].ts)},
                        {"value", s.points[i].location},
                        {"c_plus", c.upper[i]},
                        {"c_minus", c.lower[i]},
                        {"signal", c.upper[i] > c.decision || c.lower[i] > c.decision}});
    }
    PrintJson({{SubjectJson(o).first, SubjectJson(o).second},
               {"chart", "cusum"},
               {"k", k},
               {"h", h},
               {"target", basis.target},
               {"sigma", basis.sigma},
               {"decision", c.decision},
               {"first_signal", c.first_signal ? nlohmann::ordered_json(*c.first_signal + 1)
                                               : nlohmann::ordered_json()},
               {"run_length", c.run_length},
               {"points", points}});
    return Status::Ok();
  }
  fmt::print("Tabular CUSUM of {} (k {}, h {}): target {}, sigma {}, decision interval {}; {}\n",
             Subject(o), FormatMeasurement(k), FormatMeasurement(h),
             FormatMeasurement(basis.target), FormatMeasurement(basis.sigma),
             FormatMeasurement(c.decision),
             c.first_signal ? fmt::format("first signal at subgroup {}, the shift began about {} "
                                          "subgroups before",
                                          *c.first_signal + 1, c.run_length)
                            : std::string("no signal"));
  Table t({{"subgroup", true}, {"time"}, {"value", true}, {"C+", true}, {"C-", true}, {"signal"}});
  for (size_t i = 0; i < c.upper.size(); ++i) {
    t.AddRow({std::to_string(i + 1), FormatRfc3339(s.points[i].ts),
              FormatMeasurement(s.points[i].location), FormatMeasurement(c.upper[i]),
              FormatMeasurement(c.lower[i]),
              c.upper[i] > c.decision   ? "up"
              : c.lower[i] > c.decision ? "down"
                                        : ""});
  }
  t.Print();
  return Status::Ok();
}

void AddNoOptions(CLI::App*, SpcCli*) {}

void AddChartOptions(CLI::App* app, SpcCli* o) {
  app->add_option("--svg", o->svg, "Also write the chart as an SVG file to look at");
}

void AddEwmaOptions(CLI::App* app, SpcCli* o) {
  AddChartOptions(app, o);
  app->add_option("--lambda", o->lambda,
                  "Weight of the newest point, in (0, 1] (default: the characteristic's, or 0.2)")
      ->check(CLI::Range(1e-9, 1.0));
  app->add_option("--width", o->width, "Limits at L sigma (default: the characteristic's, or 3)")
      ->check(CLI::PositiveNumber);
  app->add_option("--mu0", o->mu0, "Target mean (default: the phase-I center)");
  app->add_option("--sigma", o->sigma, "Known sigma of one value (default: sigma within)")
      ->check(CLI::PositiveNumber);
}

void AddCusumOptions(CLI::App* app, SpcCli* o) {
  AddChartOptions(app, o);
  app->add_option(
         "--k", o->k,
         "Reference value in sigma (default: the characteristic's, or 0.5: a 1-sigma shift)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--h", o->h, "Decision interval in sigma (default: the characteristic's, or 5)")
      ->check(CLI::PositiveNumber);
  app->add_option("--mu0", o->mu0, "Target mean (default: the phase-I center)");
  app->add_option("--sigma", o->sigma, "Known sigma of one value (default: sigma within)")
      ->check(CLI::PositiveNumber);
}

void AddStudyOptions(CLI::App* sub, SpcCli* o) {
  AddHubOption(sub, &o->hub);
  CLI::Option* tag = sub->add_option("--tag", o->tag, "The tag to chart");
  CLI::Option* inspection = sub->add_option(
      "--inspection", o->inspection,
      "Or an inspection characteristic: its recorded subgroups (one instant on one machine)");
  tag->excludes(inspection);
  sub->add_option("--characteristic", o->characteristic,
                  "Or a characteristic of the hub's spc.yaml (what, how, baseline, specs)")
      ->excludes(tag)
      ->excludes(inspection);
  sub->add_option("--equipment", o->equipment,
                  "With --inspection: only equipment whose path matches (a glob)")
      ->needs(inspection);

  sub->add_option("--subgroup", o->subgroup,
                  "Consecutive values per subgroup (default 1: individuals and moving ranges); "
                  "with --by time or order, the first N of each")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--by", o->by,
                  "How values become subgroups: count (tags' default), time (buckets of "
                  "--every), order (each work order's inspections), recorded (inspections' "
                  "default: one instant on one machine)")
      ->check(CLI::IsMember({"count", "time", "order", "recorded"}));
  sub->add_option("--every", o->every, "With --by time: the bucket width (1h, 15m)")
      ->type_name("DURATION");
  sub->add_option("--baseline", o->baseline,
                  "Phase I: the first K subgroups set the limits, the rest are judged by them "
                  "(default: all)");
  sub->add_option("--chart", o->chart, "auto (default), i-mr, xbar-r or xbar-s")
      ->check(CLI::IsMember({"auto", "i-mr", "xbar-r", "xbar-s"}));
  sub->add_flag("--revise", o->revise,
                "Leave out-of-control phase-I subgroups out of the limits, one at a time (X̄-R)");
  sub->add_option("--lsl", o->lsl, "Lower specification limit");
  sub->add_option("--usl", o->usl, "Upper specification limit");
  sub->add_option("--target", o->target, "Target value (for Cpm)");
  sub->add_option("--rules", o->rules,
                  "Run rules: nelson (default, all eight) or we (Western "
                  "Electric, four)")
      ->check(CLI::IsMember({"nelson", "we"}));
  sub->add_option("--from", o->from, "Start of the values (RFC 3339, now-1d, epoch seconds)");
  sub->add_option("--to", o->to, "End of the values, exclusive");
  AddJsonOption(sub, &o->json);
}

}  // namespace

Command RegisterSpc(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "spc", "Statistical process control of a tag: control charts, run rules, capability");
  sub->require_subcommand(1);
  struct View {
    const char* name;
    const char* description;
    const char* example_flags;  // after the shared example's
    Status (*run)(SpcCli&);
    void (*options)(CLI::App*, SpcCli*);
  };
  static constexpr View kViews[] = {
      {"chart", "The control chart: limits from the baseline, every subgroup, its signals", "",
       RunChart, AddChartOptions},
      {"capability", "Cp, Cpk, Pp, Ppk with confidence intervals, and a normality check",
       " --lsl 73.95 --usl 74.05", RunCapability, AddNoOptions},
      {"violations", "Subgroups outside the limits and run rules that fired, phase I and II",
       " --rules we", RunViolations, AddNoOptions},
      {"ewma", "EWMA of the subgroups (exact limits) against the phase-I center and sigma",
       " --lambda 0.2 --width 3", RunEwma, AddEwmaOptions},
      {"cusum", "Tabular CUSUM of the subgroups: C+ and C- against h sigma, when the shift began",
       " --k 0.5 --h 5", RunCusum, AddCusumOptions},
  };
  auto chosen = std::make_shared<std::function<Status()>>();
  for (const View& view : kViews) {
    auto o = std::make_shared<SpcCli>();  // each view its own options
    CLI::App* app = sub->add_subcommand(view.name, view.description);
    AddStudyOptions(app, o.get());
    view.options(app, o.get());
    app->footer(
        fmt::format("Example:\n  factoryhub spc {} --hub plant --tag ring.diameter --subgroup 5 "
                    "--baseline 25{}",
                    view.name, view.example_flags));
    app->callback([chosen, o, run = view.run] { *chosen = [o, run] { return run(*o); }; });
  }
  AddSpcLimitsCommands(sub, chosen);
  AddSpcAttributeCommand(sub, chosen);
  AddSpcEventsCommand(sub, chosen);
  return {sub, [chosen] { return *chosen ? (*chosen)() : Status::Ok(); }};
}

}  // namespace fh::cli
