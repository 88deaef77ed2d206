// factoryhub spc chart|capability|violations --hub DIR --tag T [--subgroup N] [--baseline K]
//   [--chart auto|i-mr|xbar-r|xbar-s] [--revise] [--lsl X] [--usl Y] [--target T]
//   [--rules nelson|we] [--from T] [--to T] [--json]
//
// Statistical process control of one tag (analytics/spc/spc_study.h): its values in
// subgroups of N consecutive points, limits from the first K subgroups, run rules,
// capability.
#include <functional>
#include <optional>

#include "analytics/spc/spc_study.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

using analytics::spc::ChartKind;

struct SpcCli {
  std::string hub;
  std::string tag;
  int subgroup = 1;
  size_t baseline = 0;
  std::string chart = "auto";
  bool revise = false;
  std::optional<double> lsl, usl, target;
  std::string rules = "nelson";
  std::string from, to;
  bool json = false;
};

// Measurements read best with six significant digits (74.008, not 74.00800000000001).
std::string Num(double v) {
  return fmt::format("{:.6g}", v);
}

nlohmann::ordered_json LimitsJson(const analytics::spc::ControlLimits& l) {
  return {{"cl", l.center}, {"lcl", l.lower}, {"ucl", l.upper}};
}

nlohmann::ordered_json IndexJson(const std::optional<analytics::spc::Index>& i) {
  if (!i) return nullptr;
  return {{"value", i->value}, {"low", i->confidence.low}, {"high", i->confidence.high}};
}

nlohmann::ordered_json CapabilityJson(const analytics::spc::Capability& c) {
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
  };
  return {{"n", c.n},
          {"mean", c.mean},
          {"sigma_within", c.sigma_within},
          {"sigma_overall", c.sigma_overall},
          {"cp", IndexJson(c.cp)},
          {"cpk", IndexJson(c.cpk)},
          {"pp", IndexJson(c.pp)},
          {"ppk", IndexJson(c.ppk)},
          {"cpl", opt(c.cpl)},
          {"cpu", opt(c.cpu)},
          {"cpm", opt(c.cpm)},
          {"confidence_level", c.confidence_level},
          {"normality",
           {{"test", "anderson-darling"},
            {"a2", c.normality.a2},
            {"p_value", c.normality.p_value},
            {"normal", c.normality.normal}}}};
}

nlohmann::ordered_json ViolationsJson(const analytics::spc::SpcStudy& s) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& v : s.violations) {
    out.push_back({{"chart", v.chart},
                   {"rule", v.rule},
                   {"what", v.what},
                   {"subgroup", v.point + 1},
                   {"time", FormatRfc3339(s.points[v.point].ts)},
                   {"subgroups",
                    [&] {
                      nlohmann::ordered_json idx = nlohmann::ordered_json::array();
                      for (size_t p : v.points)
                        idx.push_back(p + 1);
                      return idx;
                    }()},
                   {"phase", v.phase_two ? 2 : 1}});
  }
  return out;
}

Result<analytics::spc::SpcStudy> Study(const SpcCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  analytics::spc::SpcStudyOptions s;
  s.tag = o.tag;
  const TimestampNs now = NowNs();
  if (!o.from.empty()) {
    FH_ASSIGN_OR_RETURN(s.range.from, ParseTimePoint(o.from, now));
  }
  if (!o.to.empty()) {
    FH_ASSIGN_OR_RETURN(s.range.to, ParseTimePoint(o.to, now));
  }
  s.subgroup_size = o.subgroup;
  s.baseline = o.baseline;
  s.chart = o.chart == "i-mr"     ? ChartKind::kIndividuals
            : o.chart == "xbar-r" ? ChartKind::kXbarR
            : o.chart == "xbar-s" ? ChartKind::kXbarS
                                  : ChartKind::kAuto;
  s.revise = o.revise;
  s.spec = {o.lsl, o.usl, o.target};
  s.rules = o.rules == "we" ? analytics::spc::RuleSet::kWesternElectric
                            : analytics::spc::RuleSet::kNelson;
  return analytics::spc::RunSpcStudy(hub->storage(), s);
}

void PrintLimits(const analytics::spc::SpcStudy& s) {
  Table t({{"chart"}, {"center", true}, {"lower", true}, {"upper", true}});
  t.AddRow({s.location_chart, Num(s.limits.location.center), Num(s.limits.location.lower),
            Num(s.limits.location.upper)});
  t.AddRow({s.spread_chart, Num(s.limits.spread.center), Num(s.limits.spread.lower),
            Num(s.limits.spread.upper)});
  t.Print();
}

Status RunChart(const SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  const size_t phase_one =
      std::count_if(s.points.begin(), s.points.end(), [](const auto& p) { return !p.phase_two; });
  if (o.json) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const auto& p : s.points) {
      points.push_back({{"subgroup", p.index + 1},
                        {"time", FormatRfc3339(p.ts)},
                        {s.location_chart, p.location},
                        {s.spread_chart, p.spread},
                        {"phase", p.phase_two ? 2 : 1},
                        {"excluded", p.excluded}});
    }
    PrintJson(
        {{"tag", o.tag},
         {"chart", s.location_chart + "-" + s.spread_chart},
         {"subgroup_size", s.limits.subgroup_size},
         {"subgroups", s.points.size()},
         {"baseline", phase_one},
         {s.location_chart, LimitsJson(s.limits.location)},
         {s.spread_chart, LimitsJson(s.limits.spread)},
         {"sigma_within", s.limits.sigma_within},
         {"excluded",
          [&] {
            nlohmann::ordered_json e = nlohmann::ordered_json::array();
            for (size_t i : s.excluded)
              e.push_back(i + 1);
            return e;
          }()},
         {"points", points},
         {"violations", ViolationsJson(s)},
         {"capability", s.capability ? CapabilityJson(*s.capability) : nlohmann::ordered_json()}});
    return Status::Ok();
  }
  fmt::print("{} chart of {}: {} subgroups of {} (limits from the first {}{}), sigma within {}\n",
             s.location_chart + "-" + s.spread_chart, o.tag, s.points.size(),
             s.limits.subgroup_size, phase_one,
             s.excluded.empty() ? "" : fmt::format(", {} left out", s.excluded.size()),
             Num(s.limits.sigma_within));
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
    t.AddRow({std::to_string(p.index + 1), FormatRfc3339(p.ts), Num(p.location), Num(p.spread),
              p.phase_two ? "2" : "1", signal});
  }
  t.Print();
  return Status::Ok();
}

Status RunCapability(const SpcCli& o) {
  if (!o.lsl && !o.usl) return InvalidArgument("capability needs --lsl or --usl (or both)");
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  const analytics::spc::Capability& c = *s.capability;
  if (o.json) {
    nlohmann::ordered_json doc = CapabilityJson(c);
    doc["tag"] = o.tag;
    doc[s.location_chart] = LimitsJson(s.limits.location);
    doc[s.spread_chart] = LimitsJson(s.limits.spread);
    PrintJson(doc);
    return Status::Ok();
  }
  fmt::print(
      "Capability of {}: {} values, mean {}, sigma within {} (from the {} chart), overall {}\n",
      o.tag, c.n, Num(c.mean), Num(c.sigma_within), s.location_chart + "-" + s.spread_chart,
      Num(c.sigma_overall));
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

Status RunViolations(const SpcCli& o) {
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcStudy s, Study(o));
  if (o.json) {
    PrintJson({{"tag", o.tag}, {"violations", ViolationsJson(s)}});
    return Status::Ok();
  }
  if (s.violations.empty()) {
    fmt::print("No violations: every subgroup of {} is within its limits and no run rule fired.\n",
               o.tag);
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

void AddStudyOptions(CLI::App* sub, SpcCli* o) {
  AddHubOption(sub, &o->hub);
  sub->add_option("--tag", o->tag, "The tag to chart")->required();
  sub->add_option("--subgroup", o->subgroup,
                  "Consecutive values per subgroup (default 1: individuals and moving ranges)")
      ->check(CLI::Range(1, 1000));
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
    Status (*run)(const SpcCli&);
  };
  static constexpr View kViews[] = {
      {"chart", "The control chart: limits from the baseline, every subgroup, its signals", "",
       RunChart},
      {"capability", "Cp, Cpk, Pp, Ppk with confidence intervals, and a normality check",
       " --lsl 73.95 --usl 74.05", RunCapability},
      {"violations", "Subgroups outside the limits and run rules that fired, phase I and II",
       " --rules we", RunViolations},
  };
  auto chosen = std::make_shared<std::function<Status()>>();
  for (const View& view : kViews) {
    auto o = std::make_shared<SpcCli>();  // each view its own options
    CLI::App* app = sub->add_subcommand(view.name, view.description);
    AddStudyOptions(app, o.get());
    app->footer(
        fmt::format("Example:\n  factoryhub spc {} --hub plant --tag ring.diameter --subgroup 5 "
                    "--baseline 25{}",
                    view.name, view.example_flags));
    app->callback([chosen, o, run = view.run] { *chosen = [o, run] { return run(*o); }; });
  }
  return {sub, [chosen] { return *chosen ? (*chosen)() : Status::Ok(); }};
}

}  // namespace fh::cli
