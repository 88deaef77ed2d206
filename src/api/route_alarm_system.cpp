// The alarm system's endpoints (docs/alarms.md): the alarms of alarms.yaml with their
// ISA-18.2 states (GET /api/v1/alarms/states), the journal (GET /api/v1/alarms/journal), the
// performance report over it (GET /api/v1/alarms/report), and operators' actions (POST
// /api/v1/alarms/act). States and journal are read as serve's alarm monitor last wrote them
// (every second, and at once after an action); the live stream (GET /api/v1/alarms/stream)
// is the monitor's own view, as events happen.

#include <charconv>

#include "analytics/alarms/alarm_json.h"
#include "analytics/alarms/alarm_monitor.h"
#include "analytics/alarms/alarm_report.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "common/json_text.h"
#include "common/time.h"
#include "security/role.h"
#include "store/audit/audit_ledger.h"
#include "store/event_session.h"

namespace fh::api {
namespace {

namespace alarms = analytics::alarms;

Result<alarms::AlarmConfig> Definitions(RouteServices& s) {
  if (s.alarms) return s.alarms->config();
  return alarms::AlarmConfig::Load((s.hub.dir() / alarms::kAlarmConfigFile).string());
}

// Which alarms a request asks for: by priority, equipment (a path prefix) and name, within
// the caller's scope.
struct AlarmFilter {
  std::string priority, equipment, alarm, scope;

  static Result<AlarmFilter> Of(const HttpRequest& req, std::string* field) {
    AlarmFilter f{req.Param("priority"), req.Param("equipment"), req.Param("alarm"), req.scope};
    if (!f.priority.empty() && !alarms::ParsePriority(f.priority).ok()) {
      *field = "priority";
      return alarms::ParsePriority(f.priority).status();
    }
    return f;
  }
  bool Wants(const alarms::AlarmDefinition& d) const {
    return (priority.empty() || alarms::PriorityName(d.priority) == priority) &&
           d.equipment.starts_with(equipment) && (alarm.empty() || d.name == alarm) &&
           security::ScopeCovers(scope, d.equipment);
  }
};

// One Server-Sent Event.
std::string ServerSentEvent(std::string_view id, std::string_view event,
                            const nlohmann::ordered_json& data) {
  return fmt::format("id: {}\nevent: {}\ndata: {}\n\n", id, event, JsonText(data));
}

// What a client that last saw event `id` ("STARTED-N") is owed: the events after the N-th,
// when this monitor (STARTED) numbered it.
std::optional<uint64_t> ResumeAfter(std::string_view id, TimestampNs started) {
  const size_t dash = id.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view text, auto& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  };
  int64_t instance = 0;
  uint64_t n = 0;
  if (!number(id.substr(0, dash), instance) || !number(id.substr(dash + 1), n)) return {};
  if (instance != started) return std::nullopt;
  return n;
}

// The live view of the alarms a stream's client asked for: each change as it comes, and all
// their states when it starts (or has fallen too far behind to be sent what it missed).
class AlarmStreamSource {
 public:
  AlarmStreamSource(alarms::AlarmMonitor& monitor, AlarmFilter filter)
      : monitor_(monitor), filter_(std::move(filter)) {}

  std::string Resume(std::optional<uint64_t> after) {
    if (!after || *after > monitor_.EventsAfter(UINT64_MAX).second) return States();
    after_ = *after;
    floods_ = monitor_.Flood().second;
    return Next();
  }

  std::string Next() {
    auto [entries, count] = monitor_.EventsAfter(after_);
    if (count - entries.size() > after_) return States();  // too far behind
    std::string out;
    for (const alarms::LiveAlarmEvent& e : entries) {
      ++after_;
      const alarms::AlarmDefinition* d = monitor_.config().Find(e.entry.alarm);
      if (d == nullptr || !filter_.Wants(*d)) continue;
      out += ServerSentEvent(Id(after_), "alarm", alarms::LiveAlarmEventJson(e));
    }
    if (auto [flood, floods] = monitor_.Flood(); floods != floods_) {  // began or ended
      floods_ = floods;
      out += ServerSentEvent(Id(after_), "flood", alarms::FloodJson(flood));
    }
    return out;
  }

 private:
  std::string States() {
    const alarms::LiveAlarmStates live = monitor_.StatesNow();
    after_ = live.events;
    floods_ = live.floods;
    return ServerSentEvent(
        Id(live.events), "states",
        alarms::LiveStatesJson(monitor_.config(), live, [this](const alarms::AlarmDefinition& d) {
          return filter_.Wants(d);
        }));
  }
  std::string Id(uint64_t n) const { return fmt::format("{}-{}", monitor_.started_at(), n); }

  alarms::AlarmMonitor& monitor_;
  const AlarmFilter filter_;
  uint64_t after_ = 0;   // the events sent or skipped
  uint64_t floods_ = 0;  // the monitor's flood changes sent
};

}  // namespace

void HandleAlarmStream(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  if (!s.alarms) {
    return ReplyError(res, FailedPrecondition("this server runs no alarms ({} defines none)",
                                              alarms::kAlarmConfigFile));
  }
  std::string field;
  if (Status st = CheckParams(req, {"priority", "equipment", "alarm"}, &field); !st.ok()) {
    return ReplyError(res, st, field);
  }
  Result<AlarmFilter> filter = AlarmFilter::Of(req, &field);
  if (!filter.ok()) return ReplyError(res, filter.status(), field);
  if (const alarms::AlarmDefinition* d = s.alarms->config().Find(filter->alarm);
      !filter->alarm.empty() && (d == nullptr || !security::ScopeCovers(req.scope, d->equipment))) {
    return ReplyError(res, NotFound("no alarm '{}' in {}", filter->alarm, alarms::kAlarmConfigFile),
                      "alarm");
  }
  auto source = std::make_shared<AlarmStreamSource>(*s.alarms, std::move(*filter));
  // EventSource sends the last id it saw when it reconnects.
  const std::optional<uint64_t> after =
      ResumeAfter(req.Header("Last-Event-ID"), s.alarms->started_at());
  res.SetContent("retry: 2000\n\n" + source->Resume(after), "text/event-stream");
  res.SetHeader("Cache-Control", "no-cache");
  res.SetHeader("X-Accel-Buffering", "no");  // nginx: pass each event on as it comes
  res.stream = std::make_shared<HttpEventStream>();
  res.stream->next = [source] { return source->Next(); };
}

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
  // A live server adds what only it knows: which alarms chatter, and the flood.
  std::optional<alarms::LiveAlarmStates> live;
  if (s.alarms) live = s.alarms->StatesNow();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& [d, st] : alarms::StatesOfDefinitions(*config, std::move(*states))) {
    if (all != "true" && st.state == "normal") continue;
    if (!state.empty() && st.state != state) continue;
    if (!priority.empty() && alarms::PriorityName(d->priority) != priority) continue;
    if (!d->equipment.starts_with(req.Param("equipment"))) continue;
    if (!security::ScopeCovers(req.scope, d->equipment)) continue;  // another part of the plant
    nlohmann::ordered_json a = alarms::AlarmStateJson(d, st);
    if (live && d != nullptr) {
      const size_t i = static_cast<size_t>(d - config->alarms.data());
      a["chattering"] = i < live->chattering.size() && live->chattering[i];
    }
    list.push_back(std::move(a));
  }
  ReplyJson(res, {{"alarms", std::move(list)},
                  {"defined", config->alarms.size()},
                  {"flood", live ? alarms::FloodJson(live->flood) : nullptr}});
}

void HandleAlarmJournal(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"alarm", "from", "to", "limit"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  AlarmJournalFilter filter;
  filter.alarm = req.Param("alarm");
  filter.scope = req.scope;  // a scoped principal reads its part of the plant's journal
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
        {.from = range.from,
         .to = range.to,
         .limit = INT64_MAX,
         .oldest_first = true,
         .scope = req.scope});  // a scoped principal's report covers its part of the plant
  }();
  if (!events.ok()) return ReplyError(res, events.status());
  Result<std::vector<alarms::JournalEntry>> journal = alarms::JournalOf(*events);
  if (!journal.ok()) return ReplyError(res, journal.status());
  ReplyJson(res, alarms::AlarmReportJson(alarms::ReportAlarms(*journal, range, options)));
}

void HandleAlarmAct(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  const Result<nlohmann::json> json = JsonBody(req);
  if (!json.ok()) return ReplyError(res, json.status(), "body");
  const nlohmann::json& body = *json;
  alarms::OperatorAction a;
  std::string action, until, duration;
  for (auto [key, out] : {std::pair{"alarm", &a.alarm}, std::pair{"action", &action},
                          std::pair{"user", &a.user}, std::pair{"comment", &a.comment},
                          std::pair{"until", &until}, std::pair{"for", &duration}}) {
    if (Status st = BodyText(body, key, *out); !st.ok()) return ReplyError(res, st, key);
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
  // On a hub with users, the journal names who authenticated: nobody acts in another's name.
  if (!req.user.empty()) {
    if (!a.user.empty() && a.user != req.user) {
      return ReplyError(res, PermissionDenied("user: you are {}, not {}", req.user, a.user),
                        "user");
    }
    a.user = req.user;
  }
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
  if (!s.alarms) {
    return ReplyError(res, FailedPrecondition("this server runs no alarms ({} defines none)",
                                              alarms::kAlarmConfigFile));
  }
  // A scoped operator acts on its part of the plant's alarms; the others answer as unknown.
  if (const alarms::AlarmDefinition* d = s.alarms->config().Find(a.alarm);
      d != nullptr && !security::ScopeCovers(req.scope, d->equipment)) {
    return ReplyError(res, NotFound("no alarm '{}' in {}", a.alarm, alarms::kAlarmConfigFile),
                      "alarm");
  }
  Result<alarms::AlarmEvent> e = s.alarms->Act(a, now);
  if (!e.ok())
    return ReplyError(res, e.status(),
                      e.status().code() == StatusCode::kNotFound ? "alarm" : "action");
  // The operator's action in the audit ledger (the alarm journal has it too; the ledger makes
  // it provable).
  nlohmann::json detail = {{"event", alarms::AlarmEventText(e->kind)}, {"comment", a.comment}};
  if (a.until) detail["until"] = FormatRfc3339(*a.until);
  if (Status audited = RecordAudit(s.hub, {a.user, "alarm." + action, a.alarm, std::move(detail)});
      !audited.ok()) {
    return ReplyError(res, audited.WithContext("the action was applied, but recording it in the "
                                               "audit ledger failed"));
  }
  ReplyJson(res, {{"alarm", a.alarm},
                  {"event", alarms::AlarmEventText(e->kind)},
                  {"ts", FormatRfc3339(e->ts)},
                  {"state", alarms::AlarmStateText(e->state)},
                  {"user", a.user}});
}

}  // namespace fh::api
