// The alarm system's endpoints (docs/alarms.md): the alarms of alarms.yaml with their
// ISA-18.2 states (GET /api/v1/alarms/states), the journal (GET /api/v1/alarms/journal), the
// performance report over it (GET /api/v1/alarms/report), and operators' actions (POST
// /api/v1/alarms/act). States and journal are read as serve's alarm monitor last wrote them
// (every second, and at once after an action).

#include "analytics/alarms/alarm_json.h"
#include "analytics/alarms/alarm_monitor.h"
#include "analytics/alarms/alarm_report.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/time.h"
#include "store/event_session.h"

namespace fh::api {
namespace {

namespace alarms = analytics::alarms;

// `name` parsed as a time, when given.
Status TimeParam(const HttpRequest& req, const char* name, TimestampNs now, TimestampNs& out) {
  if (!req.HasParam(name)) return Status::Ok();
  Result<int64_t> t = ParseTimePoint(req.Param(name), now);
  if (!t.ok()) return InvalidArgument("{} '{}': {}", name, req.Param(name), t.status().message());
  out = *t;
  return Status::Ok();
}

Result<alarms::AlarmConfig> Definitions(RouteServices& s) {
  if (s.alarms) return s.alarms->config();
  return alarms::AlarmConfig::Load((s.hub.dir() / alarms::kAlarmConfigFile).string());
}

}  // namespace

void HandleAlarmStates(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status st = CheckParams(req, {"state", "priority", "equipment", "all"}, &field); !st.ok()) {
    return ReplyError(res, st, field);
  }
  const std::string state = req.Param("state"), priority = req.Param("priority");
  if (!state.empty() && !alarms::ParseAlarmState(state).ok()) {
    return ReplyError(res, alarms::ParseAlarmState(state).status(), "state");
  }
  if (!priority.empty() && !alarms::ParsePriority(priority).ok()) {
    return ReplyError(res, alarms::ParsePriority(priority).status(), "priority");
  }
  const std::string all = req.Param("all");
  if (!all.empty() && all != "true" && all != "false") {
    return ReplyError(res, InvalidArgument("all must be true or false, not '{}'", all), "all");
  }
  Result<alarms::AlarmConfig> config = Definitions(s);
  if (!config.ok()) return ReplyError(res, config.status());
  Result<std::vector<StoredAlarmState>> states = [&] {
    EventSession session = s.hub.OpenEvents();
    return session.alarm_journal().States();
  }();
  if (!states.ok()) return ReplyError(res, states.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& [d, st] : alarms::StatesOfDefinitions(*config, std::move(*states))) {
    if (all != "true" && st.state == "normal") continue;
    if (!state.empty() && st.state != state) continue;
    if (!priority.empty() && alarms::PriorityName(d->priority) != priority) continue;
    if (!d->equipment.starts_with(req.Param("equipment"))) continue;
    list.push_back(alarms::AlarmStateJson(d, st));
  }
  ReplyJson(res, {{"alarms", std::move(list)}, {"defined", config->alarms.size()}});
}

void HandleAlarmJournal(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"alarm", "from", "to", "limit"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  AlarmJournalFilter filter;
  filter.alarm = req.Param("alarm");
  const TimestampNs now = NowNs();
  for (auto [name, out] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
    if (Status s = TimeParam(req, name, now, *out); !s.ok()) return ReplyError(res, s, name);
  }
  const Result<int64_t> limit = LimitParam(req, 100, 100000);
  if (!limit.ok()) return ReplyError(res, limit.status(), "limit");
  filter.limit = *limit;
  Result<std::vector<StoredAlarmEvent>> events = [&] {
    EventSession session = hub.OpenEvents();
    return session.alarm_journal().List(filter);
  }();
  if (!events.ok()) return ReplyError(res, events.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StoredAlarmEvent& e : *events)
    list.push_back(alarms::StoredAlarmEventJson(e));
  ReplyJson(res, {{"events", std::move(list)}});
}

void HandleAlarmReport(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"from", "to", "operators"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  const TimestampNs now = NowNs() / kNanosPerSecond * kNanosPerSecond;
  TimeRange range{INT64_MIN, now};
  if (Status s = TimeParam(req, "to", now, range.to); !s.ok()) return ReplyError(res, s, "to");
  range.from = range.to - kNanosPerDay;
  if (Status s = TimeParam(req, "from", now, range.from); !s.ok()) {
    return ReplyError(res, s, "from");
  }
  if (range.from >= range.to) {
    return ReplyError(res, InvalidArgument("from must be before to"), "from");
  }
  alarms::AlarmReportOptions options;
  if (req.HasParam("operators")) {
    const std::string n = req.Param("operators");
    const int operators = std::atoi(n.c_str());
    if (operators < 1 || operators > 1000 || std::to_string(operators) != n) {
      return ReplyError(res, InvalidArgument("operators must be 1 to 1000, not '{}'", n),
                        "operators");
    }
    options.operators = operators;
  }
  Result<std::vector<StoredAlarmEvent>> events = [&] {
    EventSession session = hub.OpenEvents();
    return session.alarm_journal().List(
        {.from = range.from, .to = range.to, .limit = INT64_MAX, .oldest_first = true});
  }();
  if (!events.ok()) return ReplyError(res, events.status());
  Result<std::vector<alarms::JournalEntry>> journal = alarms::JournalOf(*events);
  if (!journal.ok()) return ReplyError(res, journal.status());
  ReplyJson(res, alarms::AlarmReportJson(alarms::ReportAlarms(*journal, range, options)));
}

void HandleAlarmAct(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  if (!s.alarms) {
    return ReplyError(res, FailedPrecondition("this server runs no alarms ({} defines none)",
                                              alarms::kAlarmConfigFile));
  }
  const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return ReplyError(res, InvalidArgument("the body must be a JSON object"), "body");
  }
  auto text = [&](const char* key, std::string& out) -> Status {
    if (!body.contains(key)) return Status::Ok();
    if (!body[key].is_string()) return InvalidArgument("{} must be a text", key);
    out = body[key].get<std::string>();
    return Status::Ok();
  };
  alarms::OperatorAction a;
  std::string action, until, duration;
  for (auto [key, out] : {std::pair{"alarm", &a.alarm}, std::pair{"action", &action},
                          std::pair{"user", &a.user}, std::pair{"comment", &a.comment},
                          std::pair{"until", &until}, std::pair{"for", &duration}}) {
    if (Status st = text(key, *out); !st.ok()) return ReplyError(res, st, key);
  }
  for (const auto& [key, value] : body.items()) {
    if (key != "alarm" && key != "action" && key != "user" && key != "comment" && key != "until" &&
        key != "for") {
      return ReplyError(res, InvalidArgument("unknown key '{}'", key), key);
    }
  }
  if (a.alarm.empty()) return ReplyError(res, InvalidArgument("alarm is required"), "alarm");
  Result<alarms::AlarmAction> parsed = alarms::ParseAlarmAction(action);
  if (!parsed.ok()) return ReplyError(res, parsed.status(), "action");
  a.action = *parsed;
  if (a.user.empty()) a.user = "api";
  const TimestampNs now = NowNs();
  if (!until.empty() && !duration.empty()) {
    return ReplyError(res, InvalidArgument("give until or for, not both"), "for");
  }
  if (!until.empty()) {
    Result<int64_t> t = ParseTimePoint(until, now);
    if (!t.ok()) return ReplyError(res, t.status(), "until");
    a.until = *t;
  }
  if (!duration.empty()) {
    Result<int64_t> d = ParseDuration(duration);
    if (!d.ok()) return ReplyError(res, d.status(), "for");
    a.until = now + *d;
  }
  if (a.until && a.action != alarms::AlarmAction::kShelve) {
    return ReplyError(res, InvalidArgument("until and for are for shelve"), "for");
  }
  Result<alarms::AlarmEvent> e = s.alarms->Act(a, now);
  if (!e.ok())
    return ReplyError(res, e.status(),
                      e.status().code() == StatusCode::kNotFound ? "alarm" : "action");
  ReplyJson(res, {{"alarm", a.alarm},
                  {"event", alarms::AlarmEventText(e->kind)},
                  {"ts", FormatRfc3339(e->ts)},
                  {"state", alarms::AlarmStateText(e->state)},
                  {"user", a.user}});
}

}  // namespace fh::api
