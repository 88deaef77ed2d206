#include "analytics/alarms/alarm_monitor.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/enum_names.h"
#include "store/event_session.h"
#include "store/models/alarm_journal_store.h"
#include "store/models/spc_event_store.h"

namespace fh::analytics::alarms {
namespace {

constexpr EnumNames<AlarmAction, 7> kActionNames = {{{AlarmAction::kAcknowledge, "acknowledge"},
                                                     {AlarmAction::kShelve, "shelve"},
                                                     {AlarmAction::kUnshelve, "unshelve"},
                                                     {AlarmAction::kReset, "reset"},
                                                     {AlarmAction::kRemoveFromService, "remove"},
                                                     {AlarmAction::kReturnToService, "return"},
                                                     {AlarmAction::kComment, "comment"}}};

constexpr size_t kRecentEvents = 1000;  // kept for EventsAfter
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// SPC episodes are polled with this overlap: one whose row was stamped before a poll and
// committed after it is still seen (and not taken twice: `seen`).
constexpr int64_t kSpcOverlapNs = 10 * kNanosPerSecond;

StoredAlarmState StoredOf(std::string_view name, const AlarmState& s, TimestampNs now) {
  const AlarmStateSnapshot f = s.Snapshot();
  StoredAlarmState out;
  out.alarm = std::string(name);
  out.state = std::string(AlarmStateText(s.state()));
  out.active = f.active;
  out.acknowledged = f.acknowledged;
  out.latched = f.latched;
  out.shelving = std::string(ShelvingText(f.shelving));
  out.shelved_until = f.shelved_until;
  out.suppressed = f.suppressed;
  out.out_of_service = f.out_of_service;
  out.active_since = f.active_since;
  out.acknowledged_at = f.acknowledged_at;
  out.updated_at = now;
  return out;
}

}  // namespace

std::string_view AlarmActionName(AlarmAction a) {
  return EnumToString(kActionNames, a);
}

Result<AlarmAction> ParseAlarmAction(std::string_view text) {
  return EnumParse(kActionNames, "alarm action", text);
}

AlarmMonitor::AlarmMonitor(Hub& hub, AlarmConfig config, AlarmMonitorOptions options)
    : hub_(hub), config_(std::move(config)), options_(options), started_at_(options_.clock()) {
  StringMap<uint32_t> tag_ids;
  auto route = [&](const std::string& tag, uint32_t alarm, Input input, bool coupled) {
    auto [it, added] = tag_ids.try_emplace(tag, static_cast<uint32_t>(own_routes_.size()));
    if (added) own_routes_.emplace_back(), coupled_routes_.emplace_back();
    (coupled ? coupled_routes_ : own_routes_)[it->second].push_back({alarm, input});
    has_coupled_ |= coupled;
  };
  alarms_.reserve(config_.alarms.size());
  for (size_t i = 0; i < config_.alarms.size(); ++i) {
    const AlarmDefinition& d = config_.alarms[i];
    alarms_.push_back(Live{&d, AlarmCondition(d), AlarmState(d.latched, d.re_alarm_ns), kNaN});
    const auto a = static_cast<uint32_t>(i);
    by_name_.emplace(d.name, a);
    // A value is judged against the set-point and suppression of its time: those routes
    // first (a batch's points are judged in the order stored).
    const bool coupled = d.suppressed_when || d.type == AlarmType::kDeviation;
    if (d.suppressed_when) route(d.suppressed_when->tag, a, Input::kSuppressor, true);
    if (d.type == AlarmType::kDeviation) route(d.setpoint, a, Input::kSetpoint, true);
    if (d.type != AlarmType::kSpc) route(d.tag, a, Input::kValue, coupled);
  }
  queue_ = std::make_unique<PointJudgeQueue>(
      std::move(tag_ids), [this](const QueuedPoints& p) { Judge(p); }, options_.max_queued);
  status_.kind = "alarms";
  status_.name = "alarms";
  status_.endpoint = kAlarmConfigFile;
  status_.state = "stopped";
}

AlarmMonitor::~AlarmMonitor() {
  Stop();
}

Status AlarmMonitor::Load(TimestampNs now) {
  Result<std::vector<StoredAlarmState>> stored = [&] {
    EventSession session = hub_.OpenEvents();
    return session.alarm_journal().States();
  }();
  if (!stored.ok()) return stored.status();
  std::lock_guard<std::mutex> lock(mu_);
  for (const StoredAlarmState& s : *stored) {
    auto found = by_name_.find(std::string_view(s.alarm));
    if (found == by_name_.end()) continue;  // no longer defined
    Live& live = alarms_[found->second];
    AlarmStateSnapshot f;
    f.active = s.active;
    f.acknowledged = s.acknowledged;
    f.latched = s.latched;
    const Result<Shelving> shelving = ParseShelving(s.shelving);
    f.shelving = shelving.ok() ? *shelving : Shelving::kUnshelved;
    f.shelved_until = s.shelved_until;
    f.suppressed = s.suppressed;
    f.out_of_service = s.out_of_service;
    f.active_since = s.active_since;
    f.acknowledged_at = s.acknowledged_at;
    live.state.Restore(f);
    live.condition.Restore(f.active);
    live.changed_at = s.updated_at;
  }
  // What the set-point and suppressing tags hold now.
  for (uint32_t a = 0; a < alarms_.size(); ++a) {
    const AlarmDefinition& d = *alarms_[a].d;
    auto latest = [&](const std::string& tag, Input input) -> Status {
      Result<std::optional<Sample>> s = hub_.storage().Latest(tag);
      if (!s.ok() && s.status().code() == StatusCode::kNotFound) return Status::Ok();
      if (!s.ok()) return s.status();
      if (*s) Feed(a, input, (*s)->ts, (*s)->value);
      return Status::Ok();
    };
    if (d.suppressed_when) FH_RETURN_IF_ERROR(latest(d.suppressed_when->tag, Input::kSuppressor));
    if (d.type == AlarmType::kDeviation) FH_RETURN_IF_ERROR(latest(d.setpoint, Input::kSetpoint));
    if (d.type == AlarmType::kStale) {  // stale counts from its last value, from now on
      Result<std::optional<Sample>> s = hub_.storage().Latest(d.tag);
      if (!s.ok() && s.status().code() != StatusCode::kNotFound) return s.status();
      if (s.ok() && *s) {
        alarms_[a].condition.Seed((*s)->ts, (*s)->value);
        alarms_[a].last_ts = (*s)->ts;
        alarms_[a].last_value = (*s)->value;
        alarms_[a].received_at = now;
      }
    }
  }
  spc_polled_ = now - options_.every_ns;
  return Status::Ok();
}

void AlarmMonitor::Observe(const SampleBatch& stored) {
  queue_->Observe(stored);
}

void AlarmMonitor::Judge(const QueuedPoints& points) {
  // Alarms of their own tag only: tag by tag, each alarm its tag's values one after another
  // while its state is in cache.
  const size_t n = points.size();
  const auto tags = static_cast<uint32_t>(own_routes_.size());
  by_tag_points_.Group(points, tags);
  std::lock_guard<std::mutex> lock(mu_);
  judged_at_ = options_.clock();
  for (uint32_t t = 0; t < tags; ++t) {
    const std::span<const TimestampNs> ts = by_tag_points_.ts(t);
    const std::span<const double> values = by_tag_points_.values(t);
    for (const Route& r : own_routes_[t]) {
      for (size_t i = 0; i < ts.size(); ++i)
        Feed(r.alarm, r.input, ts[i], values[i]);
    }
  }
  // Alarms that read other tags (a set-point, a suppressing state): in the order stored, so
  // that each value meets what held at its time.
  if (has_coupled_) {
    for (size_t k = 0; k < n; ++k) {
      for (const Route& r : coupled_routes_[points.tag[k]])
        Feed(r.alarm, r.input, points.ts[k], points.value[k]);
    }
  }
  status_.points += static_cast<int64_t>(n);
  by_tag_points_.Trim(2 * options_.max_queued);
}

void AlarmMonitor::Feed(uint32_t alarm, Input input, TimestampNs ts, double value) {
  Live& live = alarms_[alarm];
  switch (input) {
    case Input::kSuppressor: {
      const std::vector<double>& states = live.d->suppressed_when->states;
      const bool suppressed = std::find(states.begin(), states.end(), value) != states.end();
      if (auto e = live.state.Suppress(suppressed, ts)) Journal(alarm, *e, kNaN);
      return;
    }
    case Input::kSetpoint:
      live.condition.Setpoint(value);
      return;
    case Input::kValue:
      live.last_value = value;
      live.last_ts = ts;
      live.received_at = judged_at_;
      while (auto c = live.condition.Advance(ts))
        Apply(alarm, *c);
      if (auto c = live.condition.Add(ts, value)) Apply(alarm, *c);
      return;
  }
}

void AlarmMonitor::Apply(uint32_t alarm, const ConditionChange& c) {
  const std::optional<AlarmEvent> e = alarms_[alarm].state.Condition(c.active, c.ts);
  if (!e) return;
  const AlarmDefinition& d = *alarms_[alarm].d;
  std::string why;
  if (e->kind == AlarmEventKind::kActivated && d.type == AlarmType::kModel && options_.explain)
    why = options_.explain(d, c.ts);
  Journal(alarm, *e, c.value, "", std::move(why));
}

void AlarmMonitor::Journal(uint32_t alarm, const AlarmEvent& e, double value, std::string user,
                           std::string comment) {
  Live& live = alarms_[alarm];
  live.changed_at = e.ts;
  recent_.push_back({{live.d->name, live.d->equipment, live.d->priority, e, value}, user, comment});
  pending_.push_back({alarm, e, value, std::move(user), std::move(comment)});
  dirty_.insert(alarm);
  if (recent_.size() > kRecentEvents) recent_.pop_front();
  ++journalled_;
  if (e.kind == AlarmEventKind::kActivated) live.chatter.Activated(e.ts);
  if (e.annunciated) {
    ++status_.alarms;
    if (flood_.Annunciated(alarm, e.ts)) {
      ++floods_;
      status_.state = "flood";
    }
  }
}

Result<AlarmEvent> AlarmMonitor::ActLocked(Live& live, const OperatorAction& a, TimestampNs now) {
  switch (a.action) {
    case AlarmAction::kAcknowledge:
      return live.state.Acknowledge(now);
    case AlarmAction::kShelve:
      return live.state.Shelve(now, a.until);
    case AlarmAction::kUnshelve:
      return live.state.Unshelve(now);
    case AlarmAction::kReset:
      return live.state.Reset(now);
    case AlarmAction::kRemoveFromService:
      return live.state.RemoveFromService(now);
    case AlarmAction::kReturnToService:
      return live.state.ReturnToService(now);
    case AlarmAction::kComment:
      if (a.comment.empty()) return InvalidArgument("a comment needs its text");
      return AlarmEvent{AlarmEventKind::kComment, now, live.state.state(), false};
  }
  return Internal("unknown alarm action");
}

Result<AlarmEvent> AlarmMonitor::Act(const OperatorAction& a, TimestampNs now) {
  Result<AlarmEvent> done = [&]() -> Result<AlarmEvent> {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = by_name_.find(std::string_view(a.alarm));
    if (found == by_name_.end()) {
      return NotFound("no alarm '{}' in {}", a.alarm, kAlarmConfigFile);
    }
    Result<AlarmEvent> e = ActLocked(alarms_[found->second], a, now);
    if (!e.ok()) {
      return Status(e.status().code(),
                    fmt::format("cannot {} alarm '{}': {}", AlarmActionName(a.action), a.alarm,
                                e.status().message()));
    }
    Journal(found->second, *e, kNaN, a.user, a.comment);
    return e;
  }();
  if (!done.ok()) return done;
  FH_RETURN_IF_ERROR(Write(now));  // an operator's action is on disk when it is answered
  return done;
}

Status AlarmMonitor::FollowSpc(TimestampNs now) {
  const TimestampNs from = spc_polled_ - kSpcOverlapNs;
  spc_polled_ = now;
  for (uint32_t a = 0; a < alarms_.size(); ++a) {
    const AlarmDefinition& d = *alarms_[a].d;
    if (d.type != AlarmType::kSpc) continue;
    SpcEventFilter f;
    f.characteristic = d.characteristic;
    f.updated_from = from;
    f.limit = 100000;
    Result<std::vector<StoredSpcEvent>> episodes = [&] {
      EventSession session = hub_.OpenEvents();
      return session.spc_events().List(f);
    }();
    if (!episodes.ok()) return episodes.status();
    std::reverse(episodes->begin(), episodes->end());  // oldest first
    std::lock_guard<std::mutex> lock(mu_);
    Live& live = alarms_[a];
    // What changed since the last poll, as edges in time order (an episode first seen
    // already ended opens and closes; its end may come after another's start).
    struct Edge {
      TimestampNs ts;
      int delta;
      double value;
    };
    std::vector<Edge> edges;
    for (const StoredSpcEvent& e : *episodes) {
      const auto key = std::make_tuple(e.chart, e.rule, e.ts);
      auto seen = live.seen.find(key);
      if (seen != live.seen.end() && seen->second.active == e.active) continue;  // nothing new
      if (seen == live.seen.end()) edges.push_back({e.ts, +1, e.value});
      if (!e.active) edges.push_back({e.last_ts, -1, e.value});
      live.seen[key] = {e.active, now};
    }
    std::stable_sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
      if (x.ts != y.ts) return x.ts < y.ts;
      return x.delta > y.delta;  // one opening as another closes: no gap
    });
    for (const Edge& e : edges) {
      const bool was = live.open > 0;
      live.open += e.delta;
      if ((live.open > 0) != was) Apply(a, {live.open > 0, e.ts, e.value});
    }
    // An ended episode is forgotten once no poll can return it again.
    std::erase_if(live.seen, [&](const auto& kv) {
      return !kv.second.active && kv.second.at < from - 2 * kSpcOverlapNs;
    });
  }
  return Status::Ok();
}

Status AlarmMonitor::ApplyQueuedActions(TimestampNs now) {
  Result<std::vector<AlarmActionRequest>> queued = [&] {
    EventSession session = hub_.OpenEvents();
    return session.alarm_journal().PendingActions();
  }();
  if (!queued.ok()) return queued.status();
  for (const AlarmActionRequest& q : *queued) {
    std::string outcome = "applied";
    Result<AlarmAction> action = ParseAlarmAction(q.action);
    if (!action.ok()) {
      outcome = action.status().message();
    } else {
      Result<AlarmEvent> e = Act({q.alarm, *action, q.until, q.user, q.comment}, now);
      if (!e.ok()) outcome = e.status().message();
    }
    EventSession session = hub_.OpenEvents();
    FH_RETURN_IF_ERROR(session.alarm_journal().FinishAction(q.id, outcome, now));
  }
  return Status::Ok();
}

Status AlarmMonitor::RunOnce(TimestampNs now) {
  queue_->JudgeQueued();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (uint32_t a = 0; a < alarms_.size(); ++a) {
      Live& live = alarms_[a];
      if (live.received_at != 0) {  // the data's time now
        const TimestampNs data_now = live.last_ts + (now - live.received_at);
        while (auto c = live.condition.Advance(data_now))
          Apply(a, *c);
      }
      while (auto e = live.state.Tick(now))
        Journal(a, *e, kNaN);
    }
    if (flood_.Tick(now)) {
      ++floods_;
      status_.state = "monitoring";
    }
    ++status_.messages;
  }
  FH_RETURN_IF_ERROR(FollowSpc(now));
  FH_RETURN_IF_ERROR(ApplyQueuedActions(now));
  return Write(now);
}

Status AlarmMonitor::Write(TimestampNs now) {
  std::lock_guard<std::mutex> writing(write_mu_);
  std::vector<Pending> events;
  std::vector<StoredAlarmState> states;
  {
    std::lock_guard<std::mutex> lock(mu_);
    events.swap(pending_);
    for (uint32_t a : dirty_)
      states.push_back(StoredOf(alarms_[a].d->name, alarms_[a].state, now));
    dirty_.clear();
  }
  if (events.empty() && states.empty()) return Status::Ok();
  std::vector<AlarmJournalRow> rows;
  rows.reserve(events.size());
  for (const Pending& p : events) {
    const AlarmDefinition& d = *alarms_[p.alarm].d;
    AlarmJournalRow r;
    r.alarm = d.name;
    r.equipment = d.equipment;
    r.priority = PriorityName(d.priority);
    r.event = AlarmEventText(p.event.kind);
    r.state = AlarmStateText(p.event.state);
    r.ts = p.event.ts;
    r.annunciated = p.event.annunciated;
    if (std::isfinite(p.value)) r.value = p.value;
    r.user = p.user;
    r.comment = p.comment;
    r.recorded_at = now;
    rows.push_back(r);
  }
  Status s = [&] {
    EventSession session = hub_.OpenEvents();
    return session.alarm_journal().Record(rows, states);
  }();
  if (!s.ok()) {
    // Kept for the next write, before what came since; the states are taken again.
    std::lock_guard<std::mutex> lock(mu_);
    events.insert(events.end(), std::make_move_iterator(pending_.begin()),
                  std::make_move_iterator(pending_.end()));
    pending_.swap(events);
    for (const StoredAlarmState& st : states)
      dirty_.insert(by_name_.find(std::string_view(st.alarm))->second);
    ++status_.errors;
    status_.last_error = s.message();
  }
  return s;
}

void AlarmMonitor::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.state = "monitoring";
    status_.connected_since = NowNs();
  }
  queue_->Start();
  thread_.Start(std::chrono::nanoseconds(options_.every_ns), [this] {
    const Status s = RunOnce(options_.clock());
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mu_);
    status_.last_error = s.message();
  });
}

void AlarmMonitor::Stop() {
  queue_->Stop();
  thread_.Stop();
  (void)Write(options_.clock());  // best effort: what is left of the last second
  std::lock_guard<std::mutex> lock(mu_);
  status_.state = "stopped";
  status_.connected_since = 0;
}

std::vector<AlarmView> AlarmMonitor::Alarms() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<AlarmView> out;
  out.reserve(alarms_.size());
  for (const Live& l : alarms_) {
    out.push_back(
        {l.d, l.state.state(), l.state.Snapshot(), l.last_value, l.last_ts, l.changed_at});
  }
  return out;
}

ConnectorStatus AlarmMonitor::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

LiveAlarmStates AlarmMonitor::StatesNow() const {
  const TimestampNs now = options_.clock();
  std::lock_guard<std::mutex> lock(mu_);
  LiveAlarmStates out;
  out.states.reserve(alarms_.size());
  for (const Live& l : alarms_) {
    out.states.push_back(StoredOf(l.d->name, l.state, now));
    // On its data's clock, as the delays run (a spc alarm's on the server's).
    out.chattering.push_back(
        l.chatter.Chattering(l.received_at != 0 ? l.last_ts + (now - l.received_at) : now));
  }
  out.flood = FloodLocked();
  out.events = journalled_;
  out.floods = floods_;
  return out;
}

FloodView AlarmMonitor::FloodLocked() const {
  FloodView out;
  if (const auto& f = flood_.flood()) {
    out = {true, f->since, alarms_[f->first_out].d->name, f->first_out_at, f->peak, 0};
  }
  out.in_window = flood_.in_window();
  return out;
}

std::pair<FloodView, uint64_t> AlarmMonitor::Flood() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {FloodLocked(), floods_};
}

std::pair<std::vector<LiveAlarmEvent>, uint64_t> AlarmMonitor::EventsAfter(uint64_t after) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<LiveAlarmEvent> out;
  const uint64_t first = journalled_ - recent_.size();  // the number of recent_.front()
  for (uint64_t n = std::max(after, first); n < journalled_; ++n)
    out.push_back(recent_[n - first]);
  return {std::move(out), journalled_};
}

}  // namespace fh::analytics::alarms
