// AlarmMonitor: serve's live alarms. Every alarm of the hub's alarms.yaml follows its data
// as the stream ingest stores it (Observe, through a PointJudgeQueue: the ingest does not
// wait), through the same condition (alarm_condition.h) and ISA-18.2 state machine
// (alarm_state.h) that `alarms evaluate` applies to history. Every `every` it lets time act
// (on- and off-delays, stale tags, shelves that expire, re-alarms), follows the SPC
// episodes serve's SPC monitor recorded (spc alarms), applies the operators' actions the
// CLI queued in events.db, and writes what happened: the journal and each changed alarm's
// state, in one transaction (a restarted server continues from them).
//
// Two clocks: a condition's delays and staleness run on its data's time, advanced between
// values by the server's clock (a tag whose last value, stamped T, came a minute ago is at
// T + 1 min: a backfill of old data is not stale while it keeps coming); an operator's
// actions, shelves and re-alarms run on the server's clock.
//
// Operators act through Act (the API) or the CLI's queue: acknowledge, shelve (timed or
// one-shot), unshelve, reset, remove from / return to service, comment — each journalled
// with who, when and their comment. Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analytics/alarms/alarm_condition.h"
#include "analytics/alarms/alarm_config.h"
#include "analytics/alarms/alarm_flood.h"
#include "analytics/alarms/alarm_journal.h"
#include "analytics/alarms/alarm_state.h"
#include "analytics/point_judge_queue.h"
#include "common/periodic_thread.h"
#include "common/status.h"
#include "common/time.h"
#include "model/connector_status.h"
#include "store/hub.h"

namespace fh::analytics::alarms {

struct AlarmMonitorOptions {
  int64_t every_ns = kNanosPerSecond;          // time, SPC episodes, queued actions, writing
  size_t max_queued = size_t{1} << 18;         // points (PointJudgeQueue)
  std::function<TimestampNs()> clock = NowNs;  // the server's clock (tests set their own)
  // What raised a model alarm that activates at `ts`, journalled as the activation's comment
  // (an anomaly detector: the signals that moved); "" says nothing. Called under the
  // monitor's lock: it must not call back into the monitor.
  std::function<std::string(const AlarmDefinition&, TimestampNs ts)> explain;
};

// An operator's action.
enum class AlarmAction : uint8_t {
  kAcknowledge,
  kShelve,
  kUnshelve,
  kReset,
  kRemoveFromService,
  kReturnToService,
  kComment,
};
std::string_view AlarmActionName(AlarmAction a);  // "acknowledge", "shelve", ... "comment"
Result<AlarmAction> ParseAlarmAction(std::string_view text);

struct OperatorAction {
  std::string alarm;
  AlarmAction action = AlarmAction::kAcknowledge;
  std::optional<TimestampNs> until;  // shelve: its end; none: until the alarm clears
  std::string user;
  std::string comment;
};

// One alarm as the console lists it.
struct AlarmView {
  const AlarmDefinition* definition = nullptr;
  AlarmStateName state = AlarmStateName::kNormal;
  AlarmStateSnapshot flags;
  double last_value = 0;  // NaN: none yet
  TimestampNs last_ts = 0;
  TimestampNs changed_at = 0;  // its last event
};

// A flood as a live view sees it (alarm_flood.h); inactive: none now.
struct FloodView {
  bool active = false;
  TimestampNs since = 0;
  std::string_view first_out;  // the alarm's name
  TimestampNs first_out_at = 0;
  int peak = 0;
  int in_window = 0;  // annunciations within the last 10 minutes
};

// What a live view starts from: every alarm's state (alarms.yaml's order) and whether it
// chatters, the flood, and how many events were journalled up to it.
struct LiveAlarmStates {
  std::vector<StoredAlarmState> states;
  std::vector<bool> chattering;
  FloodView flood;
  uint64_t events = 0;
  uint64_t floods = 0;  // how often a flood began or ended (a view sends a change)
};

// An event as a live view sees it (the stream, notifications): the journal's entry, and who
// acted and why.
struct LiveAlarmEvent {
  JournalEntry entry;
  std::string user, comment;
};

class AlarmMonitor {
 public:
  // `hub` must outlive the monitor. Nothing is read yet: Load() does.
  AlarmMonitor(Hub& hub, AlarmConfig config, AlarmMonitorOptions options = {});
  ~AlarmMonitor();  // Stop()s
  AlarmMonitor(const AlarmMonitor&) = delete;
  AlarmMonitor& operator=(const AlarmMonitor&) = delete;

  // Restores each alarm's state as the last server left it, and what its set-point and
  // suppressing tags hold now.
  Status Load(TimestampNs now);
  // The stream ingest's hook (see PointJudgeQueue).
  void Observe(const SampleBatch& stored);
  // What the thread runs every `every` (see above).
  Status RunOnce(TimestampNs now);
  // An operator's action now: the event journalled, NotFound for an alarm alarms.yaml does
  // not define, FailedPrecondition saying why it does not apply. Written at once.
  Result<AlarmEvent> Act(const OperatorAction& action, TimestampNs now);

  void Start();
  void Stop();  // judges what is queued and writes what is pending; idempotent

  std::vector<AlarmView> Alarms() const;
  const AlarmConfig& config() const { return config_; }
  ConnectorStatus status() const;  // kind "alarms" at GET /api/v1/connectors
  // A live view (GET /api/v1/alarms/stream): every alarm's state now (above); then the events after
  // the `after`-th, with the count so far (the newest 1000 are kept: a view further behind starts
  // again from the states).
  LiveAlarmStates StatesNow() const;
  // The flood now, and how many floods began or ended so far (cheap: a view polls it).
  std::pair<FloodView, uint64_t> Flood() const;
  std::pair<std::vector<LiveAlarmEvent>, uint64_t> EventsAfter(uint64_t after) const;
  // When this monitor started: tells one server's event numbers from another's.
  TimestampNs started_at() const { return started_at_; }

 private:
  enum class Input : uint8_t { kValue, kSetpoint, kSuppressor };
  struct Live {
    const AlarmDefinition* d;
    AlarmCondition condition;
    AlarmState state;
    double last_value;
    TimestampNs last_ts = 0;      // of the last value (the data's time)
    TimestampNs received_at = 0;  // when it came (the server's clock)
    TimestampNs changed_at = 0;
    ChatterDetector chatter;
    // spc alarms: how many of the characteristic's episodes are open now, and those seen
    // (whether active, when seen)
    int open = 0;
    struct Seen {
      bool active;
      TimestampNs at;
    };
    std::map<std::tuple<std::string, std::string, TimestampNs>, Seen> seen;
  };
  struct Route {
    uint32_t alarm;
    Input input;
  };
  struct Pending {  // an event to write
    uint32_t alarm;
    AlarmEvent event;
    double value;
    std::string user, comment;
  };

  void Judge(const QueuedPoints& points);
  void Feed(uint32_t alarm, Input input, TimestampNs ts, double value);
  void Apply(uint32_t alarm, const ConditionChange& c);
  void Journal(uint32_t alarm, const AlarmEvent& e, double value, std::string user = {},
               std::string comment = {});
  Status FollowSpc(TimestampNs now);
  Status ApplyQueuedActions(TimestampNs now);
  Result<AlarmEvent> ActLocked(Live& live, const OperatorAction& a, TimestampNs now);
  Status Write(TimestampNs now);
  FloodView FloodLocked() const;

  Hub& hub_;
  const AlarmConfig config_;
  const AlarmMonitorOptions options_;
  const TimestampNs started_at_;
  // By tag id: the routes of alarms that read only their own tag, and of the others.
  std::vector<std::vector<Route>> own_routes_, coupled_routes_;
  bool has_coupled_ = false;
  PointsByTag by_tag_points_;  // Judge's scratch
  TimestampNs judged_at_ = 0;  // the server's clock during a Judge (under mu_)
  std::unique_ptr<PointJudgeQueue> queue_;
  StringMap<uint32_t> by_name_;  // alarm -> its index in alarms_

  mutable std::mutex mu_;  // guards what follows
  std::vector<Live> alarms_;
  std::vector<Pending> pending_;
  std::set<uint32_t> dirty_;           // alarms whose state changed since the last write
  std::deque<LiveAlarmEvent> recent_;  // the newest events, for EventsAfter
  uint64_t journalled_ = 0;
  FloodTracker flood_;
  uint64_t floods_ = 0;  // floods begun and ended
  TimestampNs spc_polled_ = INT64_MIN;
  ConnectorStatus status_;

  std::mutex write_mu_;  // one Write at a time
  PeriodicThread thread_;
};

}  // namespace fh::analytics::alarms
