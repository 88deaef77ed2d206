// factoryhub spc freeze --hub DIR (--characteristic NAME | --all) [--from T] [--to T] [--note S]
// factoryhub spc limits --hub DIR --characteristic NAME [--json]
//
// Phase II: a characteristic's limits, estimated once from its baseline and frozen as a new
// version (analytics/spc/frozen_limits.h); charts and serve's monitor judge by the newest.
#include <fmt/format.h>

#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/spc_config.h"
#include "analytics/spc/spc_json.h"
#include "cli/audit_actor.h"
#include "cli/cmd_spc_subcommands.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"

namespace fh::cli {
namespace {

struct LimitsCli {
  std::string hub, characteristic, from, to, note;
  bool all = false;  // freeze: every characteristic of spc.yaml
  bool json = false;
};

nlohmann::ordered_json FrozenJson(const analytics::spc::FrozenLimits& f) {
  // An attribute chart's center; its limits at the baseline's subgroup size.
  const bool attribute = analytics::spc::ParseAttributeChart(f.chart).has_value();
  return {{"version", f.version},
          {"chart", f.chart},
          {"subgroup_size", f.limits.subgroup_size},
          {"location", analytics::spc::LimitsJson(f.limits.location)},
          {"spread",
           attribute ? nlohmann::ordered_json() : analytics::spc::LimitsJson(f.limits.spread)},
          {"sigma_within", f.limits.sigma_within},
          {"baseline_from", FormatRfc3339(f.baseline_from)},
          {"baseline_to", FormatRfc3339(f.baseline_to)},
          {"subgroups", f.subgroups},
          {"frozen_at", FormatRfc3339(f.frozen_at)},
          {"note", f.note}};
}

void PrintFrozen(const std::string& characteristic, const analytics::spc::FrozenLimits& f) {
  fmt::print("Froze limits v{} of {} from {} subgroups ({} .. {}): {} {} / {} / {}", f.version,
             characteristic, f.subgroups, FormatRfc3339(f.baseline_from),
             FormatRfc3339(f.baseline_to), f.chart, FormatMeasurement(f.limits.location.lower),
             FormatMeasurement(f.limits.location.center),
             FormatMeasurement(f.limits.location.upper));
  if (analytics::spc::ParseAttributeChart(f.chart)) {
    fmt::print(" for subgroups of {}\n", f.limits.subgroup_size);
  } else {
    fmt::print(", {} up to {}\n", f.chart.substr(f.chart.find('-') + 1),
               FormatMeasurement(f.limits.spread.upper));
  }
}

Status RunFreeze(const LimitsCli& o) {
  if (o.all == !o.characteristic.empty()) {
    return InvalidArgument("say which: --characteristic NAME or --all");
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(const TimeRange range, ParseTimeRange(o.from, o.to));
  if (!o.all) {
    FH_ASSIGN_OR_RETURN(analytics::spc::Characteristic c,
                        FindCharacteristic(*hub, o.characteristic));
    FH_ASSIGN_OR_RETURN(analytics::spc::FrozenLimits f,
                        analytics::spc::FreezeLimits(*hub, c, range, o.note));
    FH_RETURN_IF_ERROR(Audit(*hub, "spc.freeze", o.characteristic, FrozenJson(f)));
    if (o.json) {
      PrintJson(FrozenJson(f));
    } else {
      PrintFrozen(o.characteristic, f);
    }
    return Status::Ok();
  }
  // Every characteristic that has the data for it; the others say why not.
  const std::string path = (hub->dir() / analytics::spc::kSpcConfigFile).string();
  FH_ASSIGN_OR_RETURN(analytics::spc::SpcConfig config, analytics::spc::SpcConfig::Load(path));
  if (config.characteristics.empty()) return NotFound("{} defines no characteristic", path);
  nlohmann::ordered_json frozen = nlohmann::ordered_json::array();
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const analytics::spc::Characteristic& c : config.characteristics) {
    Result<analytics::spc::FrozenLimits> f = analytics::spc::FreezeLimits(*hub, c, range, o.note);
    if (!f.ok()) {
      skipped.push_back({{"characteristic", c.name}, {"error", f.status().message()}});
      if (!o.json) fmt::print("Skipped {}: {}\n", c.name, f.status().message());
      continue;
    }
    FH_RETURN_IF_ERROR(Audit(*hub, "spc.freeze", c.name, FrozenJson(*f)));
    nlohmann::ordered_json j = {{"characteristic", c.name}};
    j.update(FrozenJson(*f));
    frozen.push_back(std::move(j));
    if (!o.json) PrintFrozen(c.name, *f);
  }
  if (o.json) PrintJson({{"frozen", frozen}, {"skipped", skipped}});
  if (frozen.empty()) return FailedPrecondition("no characteristic of {} could be frozen", path);
  return Status::Ok();
}

Status RunLimits(const LimitsCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(std::vector<analytics::spc::FrozenLimits> history,
                      analytics::spc::LimitHistory(*hub, o.characteristic));
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& f : history)
      list.push_back(FrozenJson(f));
    PrintJson({{"characteristic", o.characteristic}, {"versions", list}});
    return Status::Ok();
  }
  if (history.empty()) {
    fmt::print(
        "{} has no frozen limits: its charts estimate them from the baseline each time "
        "(freeze them with: factoryhub spc freeze --characteristic {}).\n",
        o.characteristic, o.characteristic);
    return Status::Ok();
  }
  Table t({{"version", true},
           {"frozen"},
           {"chart"},
           {"n", true},
           {"LCL", true},
           {"CL", true},
           {"UCL", true},
           {"spread UCL", true},
           {"baseline"},
           {"note"}});
  for (const auto& f : history) {
    t.AddRow({std::to_string(f.version), FormatRfc3339(f.frozen_at), f.chart,
              std::to_string(f.limits.subgroup_size), FormatMeasurement(f.limits.location.lower),
              FormatMeasurement(f.limits.location.center),
              FormatMeasurement(f.limits.location.upper), FormatMeasurement(f.limits.spread.upper),
              fmt::format("{} subgroups {} .. {}", f.subgroups, FormatRfc3339(f.baseline_from),
                          FormatRfc3339(f.baseline_to)),
              f.note});
  }
  t.Print();
  return Status::Ok();
}

}  // namespace

void AddSpcLimitsCommands(CLI::App* sub, const ChosenSpcCommand& chosen) {
  for (const bool freeze : {true, false}) {
    auto o = std::make_shared<LimitsCli>();
    CLI::App* app =
        freeze ? sub->add_subcommand("freeze",
                                     "Freeze a characteristic's limits from its baseline as a "
                                     "new version (phase II judges by them)")
               : sub->add_subcommand("limits", "A characteristic's frozen limits, every version");
    AddHubOption(app, &o->hub);
    CLI::Option* one =
        app->add_option("--characteristic", o->characteristic, "A characteristic of spc.yaml");
    if (!freeze) one->required();
    if (freeze) {
      app->add_flag("--all", o->all,
                    "Every characteristic of spc.yaml (those without enough data are skipped, "
                    "saying why)")
          ->excludes(one);
      app->add_option("--from", o->from, "Start of the values the baseline is taken from");
      app->add_option("--to", o->to, "End of those values, exclusive");
      app->add_option("--note", o->note, "Why (kept with the version)");
    }
    AddJsonOption(app, &o->json);
    app->footer(
        fmt::format("Example:\n  factoryhub spc {} --hub plant --characteristic bore-cnc-01",
                    freeze ? "freeze" : "limits"));
    app->callback([chosen, o, freeze] {
      *chosen = [o, freeze] { return freeze ? RunFreeze(*o) : RunLimits(*o); };
    });
  }
}

}  // namespace fh::cli
