// factoryhub oee [PATH] --hub DIR [--from T] [--to T] [--by whole|shift|day|week|month]
//   [--level equipment|line|area|site|enterprise] [--losses] [--config FILE] [--json]
//
// Overall equipment effectiveness of the equipment under PATH (analytics/oee/), from the
// recorded states, the work orders' counts and the hub's oee.yaml (shift calendar).
#include "analytics/oee/oee_json.h"
#include "analytics/oee/oee_report.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

using namespace analytics::oee;

struct OeeCli {
  std::string hub;
  analytics::oee::OeeQueryText query;
  std::string config;
  bool losses = false;
  bool json = false;
};

std::string Percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}", *v * 100) : "-";
}

std::string Hours(double seconds) {
  return fmt::format("{:.2f}", seconds / 3600);
}

void PrintLosses(const OeeReport& r) {
  fmt::print("\nWhere the time went (hours):\n");
  Table w({{"step"}, {"hours", true}, {"of planned", true}});
  const double pot = r.waterfall.empty() ? 0 : r.waterfall.front().seconds;
  for (const WaterfallStep& s : r.waterfall) {
    w.AddRow(
        {s.name, Hours(s.seconds), pot > 0 ? fmt::format("{:.1f}%", 100 * s.seconds / pot) : "-"});
  }
  w.Print();
  if (r.reasons.empty()) return;
  fmt::print("\nStops by reason (Pareto):\n");
  Table t({{"kind"},
           {"reason"},
           {"category"},
           {"hours", true},
           {"stops", true},
           {"share", true},
           {"cumulative", true}});
  for (const ReasonLoss& l : r.reasons) {
    t.AddRow({l.kind, l.code.empty() ? "-" : l.code, l.category.empty() ? "-" : l.category,
              Hours(l.seconds), std::to_string(l.stops), fmt::format("{:.1f}%", l.share * 100),
              fmt::format("{:.1f}%", l.cumulative * 100)});
  }
  t.Print();
}

Status Run(const OeeCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  const std::string config_path =
      o.config.empty() ? (hub->dir() / kOeeConfigFile).string() : o.config;
  if (!o.config.empty() && !std::filesystem::exists(o.config)) {
    return NotFound("{}: no such OEE settings file", o.config);
  }
  FH_ASSIGN_OR_RETURN(OeeConfig config, OeeConfig::Load(config_path));
  FH_ASSIGN_OR_RETURN(OeeQuery query, ParseOeeQuery(o.query, NowNs()));
  FH_ASSIGN_OR_RETURN(OeeReport report, ComputeOeeReport(*hub, config, query));
  if (o.json) {
    PrintJson(OeeReportJson(report, o.losses));
    return Status::Ok();
  }
  for (const std::string& w : report.warnings)
    fmt::print(stderr, "factoryhub: warning: {}\n", w);
  if (report.units == 0) {
    fmt::print("No equipment {}has recorded states or work orders in {} .. {}.\n",
               query.path.empty() ? "" : "under " + query.path + " ",
               FormatRfc3339(query.window.from), FormatRfc3339(query.window.to));
    return Status::Ok();
  }
  fmt::print("OEE of {} asset{} {}from {} to {}:\n", report.units, report.units == 1 ? "" : "s",
             query.path.empty() ? "" : "under " + query.path + " ",
             FormatRfc3339(query.window.from), FormatRfc3339(query.window.to));
  Table t({{"asset"},
           {"period"},
           {"availability %", true},
           {"performance %", true},
           {"quality %", true},
           {"OEE %", true},
           {"planned h", true},
           {"running h", true},
           {"produced", true},
           {"good", true}});
  auto add = [&](const OeeRow& r) {
    t.AddRow({r.asset.empty() ? "(all)" : r.asset, r.period, Percent(r.kpis.availability),
              Percent(r.kpis.performance), Percent(r.kpis.quality), Percent(r.kpis.oee),
              Hours(NanosToSeconds(r.totals.PlannedBusyNs())), Hours(NanosToSeconds(r.kpis.apt_ns)),
              fmt::format("{:.0f}", r.totals.produced), fmt::format("{:.0f}", r.totals.good)});
  };
  for (const OeeRow& r : report.rows)
    add(r);
  if (report.rows.size() > 1) {
    OeeRow total = report.total;
    total.asset = "total";
    total.period = query.path.empty() ? "all" : query.path;
    add(total);
  }
  t.Print();
  if (o.losses) PrintLosses(report);
  return Status::Ok();
}

}  // namespace

Command RegisterOee(CLI::App& parent) {
  auto o = std::make_shared<OeeCli>();
  CLI::App* sub = parent.add_subcommand(
      "oee",
      "Overall equipment effectiveness (ISO 22400-2) by equipment, line or site, and by "
      "shift, day, week or month, with the losses");
  sub->add_option("path", o->query.path,
                  "The asset (ISA-95 path) whose equipment to include (default: all)");
  AddHubOption(sub, &o->hub);
  sub->add_option("--from", o->query.from,
                  "Start of the window (RFC 3339, a date, now-7d; default: a day before --to)");
  sub->add_option("--to", o->query.to, "End of the window, exclusive (default: now)");
  sub->add_option("--by", o->query.by,
                  "Cut the window by whole (default), shift, day, week or month")
      ->check(CLI::IsMember({"whole", "shift", "day", "week", "month"}));
  sub->add_option("--level", o->query.level,
                  "Roll up to equipment (default), line, area, site or enterprise")
      ->check(CLI::IsMember({"equipment", "line", "area", "site", "enterprise"}));
  sub->add_flag("--losses", o->losses,
                "Also the loss waterfall and the stop reasons by time lost (Pareto)");
  sub->add_option("--config", o->config,
                  "OEE settings (shift calendar, cycle times) instead of the hub's oee.yaml");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub oee --hub plant acme/shanghai/machining --by shift --from now-7d\n"
      "  factoryhub oee --hub plant --level line --by day --losses --from 2026-03-01 "
      "--to 2026-04-01\n"
      "Settings: the hub's oee.yaml (docs/oee.md): time zone, shifts, breaks, holidays,\n"
      "micro-stops, performance convention, ideal cycle times.");
  return {sub, [o] { return Run(*o); }};
}

}  // namespace fh::cli
