// factoryhub alarms list|journal|report and the operators' actions (ack, shelve, unshelve,
// reset, remove, return, comment): the live alarms of alarms.yaml as the server running
// them last wrote them, and actions queued for it (docs/alarms.md).
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "analytics/alarms/alarm_json.h"
#include "analytics/alarms/alarm_monitor.h"
#include "analytics/alarms/alarm_report.h"
#include "cli/audit_actor.h"
#include "cli/cmd_alarms_shared.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "store/event_session.h"

namespace fh::cli {
namespace {

namespace alarms = analytics::alarms;

struct ListCli {
  std::string hub;
  bool all = false;
  bool json = false;
};

struct JournalCli {
  std::string hub;
  std::string alarm, from, to;
  int64_t limit = 100;
  bool json = false;
};

struct ReportCli {
  std::string hub;
  std::string from, to;
  int operators = 1;
  bool json = false;
};

struct ActCli {
  alarms::AlarmAction action = alarms::AlarmAction::kAcknowledge;
  std::string hub;
  std::string alarm;
  std::string user, comment;
  std::string duration, until;
  bool one_shot = false;
  std::string wait = "5s";
};

Result<alarms::AlarmConfig> Definitions(const Hub& hub) {
  return alarms::AlarmConfig::Load((hub.dir() / alarms::kAlarmConfigFile).string());
}

Status RunList(const ListCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(alarms::AlarmConfig config, Definitions(*hub));
  Result<std::vector<StoredAlarmState>> states = [&] {
    EventSession session = hub->OpenEvents();
    return session.alarm_journal().States();
  }();
  if (!states.ok()) return states.status();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  Table t({{"alarm"}, {"state"}, {"priority"}, {"equipment"}, {"active since"}, {"shelved until"}});
  for (const auto& [d, s] : alarms::StatesOfDefinitions(config, std::move(*states))) {
    if (!o.all && s.state == "normal") continue;
    list.push_back(alarms::AlarmStateJson(d, s));
    t.AddRow({d->name, s.state, std::string(alarms::PriorityName(d->priority)), d->equipment,
              s.active ? FormatRfc3339(s.active_since) : "",
              s.shelving == "timed"      ? FormatRfc3339(s.shelved_until)
              : s.shelving == "one-shot" ? "it clears"
                                         : ""});
  }
  if (o.json) {
    PrintJson(nlohmann::ordered_json{{"alarms", std::move(list)}});
    return Status::Ok();
  }
  if (config.alarms.empty()) {
    fmt::print("No alarms: {} defines none (docs/alarms.md).\n", alarms::kAlarmConfigFile);
  } else if (t.empty()) {
    fmt::print("All {} alarms are normal.\n", config.alarms.size());
  } else {
    t.Print();
  }
  return Status::Ok();
}

Status RunJournal(const JournalCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(TimeRange range, ParseTimeRange(o.from, o.to));
  AlarmJournalFilter filter{o.alarm, range.from, range.to, o.limit};
  Result<std::vector<StoredAlarmEvent>> events = [&] {
    EventSession session = hub->OpenEvents();
    return session.alarm_journal().List(filter);
  }();
  if (!events.ok()) return events.status();
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const StoredAlarmEvent& e : *events)
      list.push_back(alarms::StoredAlarmEventJson(e));
    PrintJson(nlohmann::ordered_json{{"events", std::move(list)}});
    return Status::Ok();
  }
  if (events->empty()) {
    fmt::print("No alarm events{}.\n", o.alarm.empty() ? "" : " of " + o.alarm);
    return Status::Ok();
  }
  Table t({{"time"}, {"alarm"}, {"event"}, {"state"}, {"value", true}, {"user"}, {"comment"}});
  for (const StoredAlarmEvent& e : *events) {
    t.AddRow({FormatRfc3339(e.ts), e.alarm, e.event + (e.annunciated ? " *" : ""), e.state,
              e.value ? FormatValue(*e.value) : "", e.user, e.comment});
  }
  t.Print();
  return Status::Ok();
}

Status RunReport(const ReportCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(TimeRange range, DefaultedRange(o.from, o.to));
  Result<std::vector<StoredAlarmEvent>> events = [&] {
    EventSession session = hub->OpenEvents();
    return session.alarm_journal().List(
        {.from = range.from, .to = range.to, .limit = INT64_MAX, .oldest_first = true});
  }();
  if (!events.ok()) return events.status();
  FH_ASSIGN_OR_RETURN(std::vector<alarms::JournalEntry> journal, alarms::JournalOf(*events));
  const alarms::AlarmReport report =
      alarms::ReportAlarms(journal, range, {.operators = o.operators});
  if (o.json) {
    PrintJson(alarms::AlarmReportJson(report));
    return Status::Ok();
  }
  fmt::print("The alarm journal of {}: {} events.\n", hub->dir().string(), journal.size());
  PrintAlarmReport(report);
  return Status::Ok();
}

Status RunAct(const ActCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(alarms::AlarmConfig config, Definitions(*hub));
  if (!config.Find(o.alarm)) {
    return NotFound("no alarm '{}' in {}", o.alarm,
                    (hub->dir() / alarms::kAlarmConfigFile).string());
  }
  const TimestampNs now = NowNs();
  AlarmActionRequest request;
  request.alarm = o.alarm;
  request.action = std::string(alarms::AlarmActionName(o.action));
  request.user = o.user;
  if (request.user.empty()) {
    const char* user = std::getenv("USER");
    request.user = user && *user ? user : "cli";
  }
  request.comment = o.comment;
  request.requested_at = now;
  if (o.action == alarms::AlarmAction::kShelve) {
    const int given = !o.duration.empty() + !o.until.empty() + o.one_shot;
    if (given != 1) return InvalidArgument("shelve needs one of --for, --until or --one-shot");
    if (!o.duration.empty()) {
      FH_ASSIGN_OR_RETURN(const int64_t d, ParseDuration(o.duration));
      request.until = now + d;
    }
    if (!o.until.empty()) {
      FH_ASSIGN_OR_RETURN(const int64_t t, ParseTimePoint(o.until, now));
      request.until = t;
    }
  }
  if (o.action == alarms::AlarmAction::kComment && o.comment.empty()) {
    return InvalidArgument("comment needs --comment TEXT");
  }
  FH_ASSIGN_OR_RETURN(const int64_t wait, ParseDuration(o.wait));
  int64_t id;
  {
    EventSession session = hub->OpenEvents();
    FH_ASSIGN_OR_RETURN(id, session.alarm_journal().RequestAction(request));
  }
  // The server running the hub's alarms applies it within a second.
  const TimestampNs deadline = now + wait;
  std::optional<AlarmActionRequest> done;
  while (true) {
    {
      EventSession session = hub->OpenEvents();
      FH_ASSIGN_OR_RETURN(done, session.alarm_journal().Action(id));
      if (done && !done->outcome && NowNs() >= deadline) {
        // Withdrawn, so that a server started later does not act on an old request.
        FH_RETURN_IF_ERROR(session.alarm_journal().FinishAction(
            id, "withdrawn: no server applied it in time", NowNs()));
        FH_ASSIGN_OR_RETURN(done, session.alarm_journal().Action(id));
      }
    }
    if (!done || done->outcome) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!done || !done->outcome) return Internal("the action {} disappeared", id);
  if (*done->outcome == "applied") {
    nlohmann::json detail = {{"user", request.user}, {"comment", request.comment}};
    if (request.until) detail["until"] = FormatRfc3339(*request.until);
    FH_RETURN_IF_ERROR(Audit(*hub, "alarm." + request.action, o.alarm, std::move(detail)));
    fmt::print("{}: {} by {}.\n", o.alarm, request.action, request.user);
    return Status::Ok();
  }
  if (done->outcome->starts_with("withdrawn")) {
    return Unavailable(
        "no server applied it within {}: is `factoryhub serve --hub {}` running (with "
        "alarms.yaml)? The request is withdrawn.",
        o.wait, hub->dir().string());
  }
  return FailedPrecondition("{}", *done->outcome);
}

void AddList(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen) {
  auto o = std::make_shared<ListCli>();
  CLI::App* sub = parent->add_subcommand(
      "list", "The alarms standing now (not normal), with their ISA-18.2 states");
  AddHubOption(sub, &o->hub);
  sub->add_flag("--all", o->all, "Every alarm of alarms.yaml, the normal ones too");
  AddJsonOption(sub, &o->json);
  sub->footer("Example:\n  factoryhub alarms list --hub plant");
  sub->callback([chosen, o] { *chosen = [o] { return RunList(*o); }; });
}

void AddJournal(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen) {
  auto o = std::make_shared<JournalCli>();
  CLI::App* sub = parent->add_subcommand(
      "journal", "Every alarm event with who and when (acknowledgements, shelving, comments)");
  AddHubOption(sub, &o->hub);
  sub->add_option("--alarm", o->alarm, "Only this alarm's");
  sub->add_option("--from", o->from, "Start (RFC 3339, a date, now-8h)");
  sub->add_option("--to", o->to, "End, exclusive");
  sub->add_option("--limit", o->limit, "At most this many, newest first (default 100)")
      ->check(CLI::PositiveNumber);
  AddJsonOption(sub, &o->json);
  sub->footer("Example:\n  factoryhub alarms journal --hub plant --from now-8h");
  sub->callback([chosen, o] { *chosen = [o] { return RunJournal(*o); }; });
}

void AddReport(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen) {
  auto o = std::make_shared<ReportCli>();
  CLI::App* sub = parent->add_subcommand(
      "report", "The alarm system's performance over the journal (EEMUA 191 / ISA-18.2)");
  AddHubOption(sub, &o->hub);
  sub->add_option("--from", o->from, "Start (default: a day before --to)");
  sub->add_option("--to", o->to, "End, exclusive (default: now)");
  sub->add_option("--operators", o->operators, "Operator positions sharing the alarms")
      ->check(CLI::PositiveNumber);
  AddJsonOption(sub, &o->json);
  sub->footer("Example:\n  factoryhub alarms report --hub plant --from now-7d --operators 2");
  sub->callback([chosen, o] { *chosen = [o] { return RunReport(*o); }; });
}

void AddAction(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen, const char* name,
               alarms::AlarmAction action, const char* description) {
  auto o = std::make_shared<ActCli>();
  o->action = action;
  CLI::App* sub = parent->add_subcommand(name, description);
  AddHubOption(sub, &o->hub);
  sub->add_option("alarm", o->alarm, "The alarm's name in alarms.yaml")->required();
  sub->add_option("--user", o->user, "Who acts (default: $USER)");
  sub->add_option("--comment", o->comment, "Why, for the journal");
  if (action == alarms::AlarmAction::kShelve) {
    sub->add_option("--for", o->duration, "Shelved this long (e.g. 2h)");
    sub->add_option("--until", o->until, "Shelved until this time");
    sub->add_flag("--one-shot", o->one_shot, "Shelved until the alarm next clears");
  }
  sub->add_option("--wait", o->wait,
                  "How long to wait for the running server to apply it (default 5s)");
  sub->footer(fmt::format(
      "The server running the hub's alarms (factoryhub serve) applies it and journals it.\n"
      "Example:\n  factoryhub alarms {} --hub plant oven-high{}",
      name,
      action == alarms::AlarmAction::kShelve ? " --for 2h --comment 'burner being serviced'"
                                             : " --comment 'operator on the way'"));
  sub->callback([chosen, o] { *chosen = [o] { return RunAct(*o); }; });
}

}  // namespace

void AddAlarmStateCommands(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen) {
  AddList(parent, chosen);
  AddJournal(parent, chosen);
  AddReport(parent, chosen);
  using A = alarms::AlarmAction;
  AddAction(parent, chosen, "ack", A::kAcknowledge, "Acknowledge an alarm");
  AddAction(parent, chosen, "shelve", A::kShelve,
            "Shelve an alarm: hidden for a time, or until it clears");
  AddAction(parent, chosen, "unshelve", A::kUnshelve, "Unshelve an alarm");
  AddAction(parent, chosen, "reset", A::kReset, "Reset a latched alarm that has cleared");
  AddAction(parent, chosen, "remove", A::kRemoveFromService,
            "Take an alarm out of service (maintenance)");
  AddAction(parent, chosen, "return", A::kReturnToService, "Return an alarm to service");
  AddAction(parent, chosen, "comment", A::kComment, "Add a comment to an alarm's journal");
}

}  // namespace fh::cli
