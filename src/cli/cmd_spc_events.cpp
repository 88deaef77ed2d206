// factoryhub spc events --hub DIR [--characteristic NAME] [--from T] [--to T] [--active]
//   [--limit N] [--json]
#include "cli/cmd_spc_subcommands.h"

#include "analytics/spc/spc_json.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "store/catalog_session.h"
#include "store/models/spc_event_store.h"

namespace fh::cli {
namespace {

struct EventsCli {
  std::string hub, characteristic, from, to;
  bool active = false;
  int64_t limit = 100;
  bool json = false;
};

Status RunEvents(const EventsCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  SpcEventFilter filter;
  filter.characteristic = o.characteristic;
  filter.active_only = o.active;
  filter.limit = o.limit;
  FH_ASSIGN_OR_RETURN(const TimeRange range, ParseTimeRange(o.from, o.to));
  filter.from = range.from;
  filter.to = range.to;
  std::vector<StoredSpcEvent> events;
  {
    EventSession session = hub->OpenEvents();
    FH_ASSIGN_OR_RETURN(events, session.spc_events().List(filter));
  }
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StoredSpcEvent& e : events)
      list.push_back(analytics::spc::SpcEventJson(e));
    PrintJson({{"events", list}});
    return Status::Ok();
  }
  if (events.empty()) {
    fmt::print(
        "No SPC events{}. serve judges the characteristics of spc.yaml with frozen limits as "
        "their data arrives (factoryhub spc freeze --all).\n",
        o.characteristic.empty() ? "" : " of " + o.characteristic);
    return Status::Ok();
  }
  Table t({{"time"},
           {"characteristic"},
           {"chart"},
           {"rule"},
           {"points", true},
           {"until"},
           {"value", true},
           {"limits", true},
           {"what"}});
  for (const StoredSpcEvent& e : events) {
    t.AddRow({FormatRfc3339(e.ts), e.characteristic, e.chart, e.rule, FormatCount(e.points),
              e.active ? "active" : FormatRfc3339(e.last_ts), fmt::format("{:.6g}", e.value),
              fmt::format("v{}", e.limits_version), e.what});
  }
  t.Print();
  return Status::Ok();
}

}  // namespace

void AddSpcEventsCommand(CLI::App* spc, const ChosenSpcCommand& chosen) {
  auto o = std::make_shared<EventsCli>();
  CLI::App* app = spc->add_subcommand(
      "events",
      "What the live server recorded: run rules and limits that fired on new data, as episodes");
  AddHubOption(app, &o->hub);
  app->add_option("--characteristic", o->characteristic, "Only this characteristic of spc.yaml");
  app->add_option("--from", o->from, "Episodes that began at or after (RFC 3339, now-1d, ...)");
  app->add_option("--to", o->to, "Episodes that began before");
  app->add_flag("--active", o->active, "Only episodes the newest subgroup still fired");
  app->add_option("--limit", o->limit, "At most this many, the newest first")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}))
      ->capture_default_str();
  AddJsonOption(app, &o->json);
  app->footer(
      "Example:\n  factoryhub spc events --hub plant --characteristic bore-cnc-01 --from now-8h");
  app->callback([chosen, o] { *chosen = [o] { return RunEvents(*o); }; });
}

}  // namespace fh::cli
