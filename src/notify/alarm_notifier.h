// AlarmNotifier: tells the world about alarms. Every event serve's alarm monitor journals
// (alarm_monitor.h) goes, as JSON, to each target of alarms.yaml's `notify` list that wants
// it (notify_config.h): a webhook POST or an MQTT message. Nothing waits for it: a thread
// takes the monitor's new events every `poll_every` and queues them per target; each target
// delivers its queue in order on its own thread, retrying a failed attempt after 1 s, 2 s,
// 4 s ... (up to `max_backoff`) until `attempts` are spent, so that one dead receiver
// delays neither the ingest, the alarms, nor the other targets. A queue holds at most
// `max_queued` events: past it the oldest are given up and counted (the journal keeps them
// all). Each target's figures appear at GET /api/v1/connectors as kind "notify".
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analytics/alarms/alarm_monitor.h"
#include "model/connector_status.h"
#include "notify/notify_config.h"

namespace fh::notify {

struct NotifierOptions {
  std::chrono::milliseconds poll_every{100};
  size_t max_queued = 10000;  // per target
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::milliseconds max_backoff{60000};
};

class AlarmNotifier {
 public:
  // `monitor` must outlive the notifier. Sends only events journalled after Start().
  AlarmNotifier(const analytics::alarms::AlarmMonitor& monitor, NotifyConfig config,
                NotifierOptions options = {});
  ~AlarmNotifier();  // Stop()s
  AlarmNotifier(const AlarmNotifier&) = delete;
  AlarmNotifier& operator=(const AlarmNotifier&) = delete;

  void Start();
  // Stops taking events and ends each delivery after its current attempt; what is still
  // queued is not sent (it stays in the journal).
  void Stop();

  // Per target: messages = delivered, errors = given up, points = queued now,
  // reconnects = attempts that failed and were retried, last_error = why the last failed.
  std::vector<ConnectorStatus> status() const;

 private:
  struct Target;

  void Dispatch();

  const analytics::alarms::AlarmMonitor& monitor_;
  const NotifierOptions options_;
  std::vector<std::unique_ptr<Target>> targets_;
  uint64_t after_ = 0;  // the monitor's events taken (Dispatch's)
  std::atomic<bool> stopping_ = false;
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread dispatcher_;
};

}  // namespace fh::notify
