#include "notify/alarm_notifier.h"

#include <algorithm>

#include "analytics/alarms/alarm_json.h"
#include "common/json_text.h"
#include "connect/mqtt/mqtt_publisher.h"
#include "notify/webhook_client.h"

namespace fh::notify {

namespace alarms = analytics::alarms;

// One target: its queue, its thread, and how it has fared.
struct AlarmNotifier::Target {
  struct Message {
    std::string topic;  // mqtt
    std::string body;
    uint64_t seq = 0;  // its place in the queue's order (Enqueue's)
  };

  Target(NotifyTarget target, const NotifierOptions& notifier_options,
         std::atomic<bool>& notifier_stopping)
      : spec(std::move(target)), options(notifier_options), stopping(notifier_stopping) {
    status.name = spec.name;
    status.kind = "notify";
    status.endpoint = spec.Endpoint();
    status.state = "idle";
    if (spec.kind == NotifyTarget::Kind::kMqtt) {
      mqtt = std::make_unique<connect::MqttPublisher>(connect::MqttPublisherSpec{
          spec.host, spec.port, spec.client_id, spec.username, spec.password,
          connect::TlsClientSpec{.enabled = spec.tls, .ca_file = spec.ca_file}});
    }
  }

  void Enqueue(Message m) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (queue.size() >= options.max_queued) {
        queue.pop_front();
        ++status.errors;
        status.last_error =
            fmt::format("more than {} events waiting: the oldest given up", options.max_queued);
      }
      m.seq = ++enqueued;
      queue.push_back(std::move(m));
      status.points = static_cast<int64_t>(queue.size());
    }
    wake.notify_one();
  }

  // One attempt: OK when delivered; the error says why not, and whether to try again.
  Status Attempt(const Message& m, bool* retry) {
    *retry = true;
    if (spec.kind == NotifyTarget::Kind::kMqtt) {
      Status s = mqtt->Publish(m.topic, m.body, spec.qos, spec.retain);
      *retry = s.code() == StatusCode::kUnavailable;
      return s;
    }
    Result<int> code = PostJson(spec.url, spec.headers, m.body, spec.timeout_ns);
    if (!code.ok()) return code.status();
    if (*code >= 200 && *code < 300) return Status::Ok();
    // A receiver's 4xx says this request will never do (but for timeouts and rate limits).
    *retry = *code >= 500 || *code == 408 || *code == 429;
    return Unavailable("the webhook answered {}", *code);
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) break;
      const Message m = queue.front();
      status.state = "sending";
      lock.unlock();
      auto backoff = options.first_backoff;
      int attempt = 1;
      bool delivered = false, given_up = false;
      std::string error;
      while (!stopping) {
        bool retry = false;
        Status s = Attempt(m, &retry);
        if (s.ok()) {
          delivered = true;
          break;
        }
        error = s.message();
        if (!retry || attempt >= spec.attempts) {
          given_up = true;
          break;
        }
        ++attempt;
        lock.lock();
        ++status.reconnects;
        status.last_error = error;
        status.state = "backoff";
        wake.wait_for(lock, backoff, [&] { return stopping.load(); });
        status.state = "sending";
        lock.unlock();
        backoff = std::min(backoff * 2, options.max_backoff);
      }
      lock.lock();
      if (delivered || given_up) {
        // The queue's front is still `m`, unless Enqueue gave it up meanwhile.
        if (!queue.empty() && queue.front().seq == m.seq) queue.pop_front();
        if (delivered) ++status.messages;
        if (given_up) {
          ++status.errors;
          status.last_error = fmt::format("given up after {} attempt{}: {}", attempt,
                                          attempt == 1 ? "" : "s", error);
        }
      }
      status.points = static_cast<int64_t>(queue.size());
      status.state = "idle";
    }
    status.state = "stopped";
  }

  const NotifyTarget spec;
  const NotifierOptions& options;
  std::atomic<bool>& stopping;
  std::unique_ptr<connect::MqttPublisher> mqtt;
  std::mutex mu;  // guards queue and status
  std::condition_variable wake;
  std::deque<Message> queue;
  uint64_t enqueued = 0;
  ConnectorStatus status;
  std::thread thread;
};

AlarmNotifier::AlarmNotifier(const alarms::AlarmMonitor& monitor, NotifyConfig config,
                             NotifierOptions options)
    : monitor_(monitor), options_(options) {
  for (NotifyTarget& t : config.targets)
    targets_.push_back(std::make_unique<Target>(std::move(t), options_, stopping_));
}

AlarmNotifier::~AlarmNotifier() {
  Stop();
}

void AlarmNotifier::Start() {
  if (dispatcher_.joinable() || targets_.empty()) return;
  after_ = monitor_.EventsAfter(UINT64_MAX).second;
  for (auto& t : targets_)
    t->thread = std::thread([t = t.get()] { t->Run(); });
  dispatcher_ = std::thread([this] { Dispatch(); });
}

void AlarmNotifier::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (auto& t : targets_) {
    {
      std::lock_guard<std::mutex> lock(t->mu);  // so that its wait sees stopping_
    }
    t->wake.notify_all();
    if (t->thread.joinable()) t->thread.join();
  }
}

void AlarmNotifier::Dispatch() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll_every, [&] { return stopping_.load(); });
    auto [events, count] = monitor_.EventsAfter(after_);
    if (count - events.size() > after_) {  // fell more than the monitor keeps behind
      const uint64_t missed = count - events.size() - after_;
      for (auto& t : targets_) {
        std::lock_guard<std::mutex> tl(t->mu);
        t->status.errors += static_cast<int64_t>(missed);
        t->status.last_error = fmt::format("{} events came too fast to be taken", missed);
      }
    }
    after_ = count;
    for (const alarms::LiveAlarmEvent& e : events) {
      const alarms::AlarmDefinition* d = monitor_.config().Find(e.entry.alarm);
      if (d == nullptr) continue;
      std::string body;
      for (auto& t : targets_) {
        if (!t->spec.Wants(*d, e.entry.event.kind)) continue;
        if (body.empty()) body = JsonText(alarms::LiveAlarmEventJson(e));
        t->Enqueue({t->spec.kind == NotifyTarget::Kind::kMqtt
                        ? TopicOf(t->spec.topic, *d, e.entry.event.kind)
                        : std::string(),
                    body, 0});
      }
    }
  }
}

std::vector<ConnectorStatus> AlarmNotifier::status() const {
  std::vector<ConnectorStatus> out;
  for (const auto& t : targets_) {
    std::lock_guard<std::mutex> lock(t->mu);
    out.push_back(t->status);
  }
  return out;
}

}  // namespace fh::notify
