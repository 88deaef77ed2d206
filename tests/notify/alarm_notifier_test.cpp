// Alarm notifications (notify/alarm_notifier.h) delivered to real receivers: a webhook
// served by cpp-httplib and a mosquitto broker read through libmosquitto, both independent
// of factoryhub. Delivery in order with retries and back-off, a refused request given up at
// once, a dead receiver that blocks nothing and whose queue stays bounded, and a broker that
// restarts.
#include <atomic>
#include <mutex>
#include <thread>

#include <gmock/gmock.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "analytics/alarms/alarm_monitor.h"
#include "notify/alarm_notifier.h"
#include "testing/hub_test.h"
#include "testing/mqtt_peers.h"
#include "testing/wait.h"

namespace fh::notify {
namespace {

namespace alarms = analytics::alarms;
using fh::testing::WaitUntil;
using ::testing::HasSubstr;

constexpr const char* kAlarms = R"(
alarms:
  - {name: oven-high, type: high, tag: oven.temp, limit: 230, priority: high,
     equipment: acme/line-1/oven}
  - {name: flow-low, type: low, tag: feed.flow, limit: 3, priority: low, equipment: acme/line-2}
)";

// A webhook receiver: answers each POST with the next of `answers` (then 200) and keeps
// the bodies it answered 2xx.
class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::vector<int> answers = {}) : answers_(std::move(answers)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      const int status = posts_ < answers_.size() ? answers_[posts_] : 200;
      ++posts_;
      EXPECT_EQ(req.get_header_value("Content-Type"), "application/json");
      EXPECT_EQ(req.get_header_value("X-Plant"), "acme");
      if (status / 100 == 2) accepted_.push_back(nlohmann::json::parse(req.body));
      res.status = status;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~WebhookReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<nlohmann::json> accepted() {
    std::lock_guard<std::mutex> lock(mu_);
    return accepted_;
  }
  size_t posts() {
    std::lock_guard<std::mutex> lock(mu_);
    return posts_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<int> answers_;
  size_t posts_ = 0;
  std::vector<nlohmann::json> accepted_;
};

class AlarmNotifierTest : public fh::testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    Result<alarms::AlarmConfig> config = alarms::AlarmConfig::Parse(kAlarms, "alarms.yaml");
    ASSERT_OK(config);
    monitor_ = std::make_unique<alarms::AlarmMonitor>(*hub_, *config);
    ASSERT_OK(monitor_->Load(NowNs()));
  }
  NotifyConfig Targets(const std::string& notify) {
    Result<NotifyConfig> c = NotifyConfig::Parse(std::string(kAlarms) + notify, "alarms.yaml");
    EXPECT_OK(c);
    return c.ok() ? *c : NotifyConfig{};
  }
  static NotifierOptions Fast() {
    NotifierOptions o;
    o.poll_every = std::chrono::milliseconds(10);
    o.first_backoff = std::chrono::milliseconds(20);
    o.max_backoff = std::chrono::milliseconds(100);
    return o;
  }
  // The oven too hot (activated), then acknowledged; the feed low (a low-priority alarm).
  void Events() {
    const TimestampNs now = NowNs();
    SampleBatch b;
    b.Add("oven.temp", now - kNanosPerSecond, 236);
    b.Add("feed.flow", now - kNanosPerSecond, 1);
    monitor_->Observe(b);
    ASSERT_OK(monitor_->RunOnce(now));
    ASSERT_OK(monitor_->Act({.alarm = "oven-high",
                             .action = alarms::AlarmAction::kAcknowledge,
                             .user = "li.wei",
                             .comment = "checking the burner"},
                            now));
  }
  ConnectorStatus StatusOf(const AlarmNotifier& n, const std::string& name) {
    for (const ConnectorStatus& st : n.status()) {
      if (st.name == name) return st;
    }
    ADD_FAILURE() << "no status of " << name;
    return {};
  }
  std::unique_ptr<alarms::AlarmMonitor> monitor_;
};

TEST_F(AlarmNotifierTest, AWebhookGetsItsEventsInOrderThroughFailures) {
  WebhookReceiver receiver({503, 503});  // down twice, then up
  AlarmNotifier notifier(*monitor_,
                         Targets(fmt::format("notify:\n  - {{name: room, webhook: "
                                             "'http://127.0.0.1:{}/hook', priorities: high, "
                                             "headers: {{X-Plant: acme}}}}\n",
                                             receiver.port())),
                         Fast());
  notifier.Start();
  Events();
  WaitUntil([&] { return receiver.accepted().size() >= 2; },
            [&] { return fmt::format("{} posts", receiver.posts()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // nothing more comes
  const std::vector<nlohmann::json> got = receiver.accepted();
  ASSERT_EQ(got.size(), 2u);  // flow-low is low: not for this target
  EXPECT_EQ(got[0]["alarm"], "oven-high");
  EXPECT_EQ(got[0]["event"], "activated");
  EXPECT_EQ(got[0]["value"], 236);
  EXPECT_EQ(got[0]["equipment"], "acme/line-1/oven");
  EXPECT_EQ(got[1]["event"], "acknowledged");
  EXPECT_EQ(got[1]["user"], "li.wei");
  EXPECT_EQ(got[1]["comment"], "checking the burner");
  EXPECT_EQ(receiver.posts(), 4u);
  const ConnectorStatus st = StatusOf(notifier, "room");
  EXPECT_EQ(st.kind, "notify");
  EXPECT_EQ(st.messages, 2);
  EXPECT_EQ(st.reconnects, 2);  // the two 503s, retried
  EXPECT_EQ(st.errors, 0);
  EXPECT_EQ(st.points, 0);
}

// A 4xx says the request will never do: given up at once, and the next event goes on.
TEST_F(AlarmNotifierTest, ARefusedEventIsGivenUpAtOnce) {
  WebhookReceiver receiver({400});
  AlarmNotifier notifier(
      *monitor_,
      Targets(fmt::format("notify:\n  - {{name: room, webhook: 'http://127.0.0.1:{}/hook', "
                          "events: [activated, acknowledged], headers: {{X-Plant: acme}}}}\n",
                          receiver.port())),
      Fast());
  notifier.Start();
  Events();
  WaitUntil([&] { return StatusOf(notifier, "room").messages == 2; },
            [&] { return fmt::format("{} posts", receiver.posts()); });
  EXPECT_EQ(receiver.posts(), 3u);  // oven activated (refused), flow activated, oven ack
  const ConnectorStatus st = StatusOf(notifier, "room");
  EXPECT_EQ(st.errors, 1);
  EXPECT_EQ(st.reconnects, 0);
  EXPECT_THAT(st.last_error, HasSubstr("given up after 1 attempt: the webhook answered 400"));
}

// Nobody listens: the alarms go on at full speed, the target keeps trying, and its queue
// keeps the newest `max_queued` events.
TEST_F(AlarmNotifierTest, ADeadReceiverBlocksNothingAndItsQueueIsBounded) {
  const int port = fh::testing::FreeLoopbackPort();  // nothing listens there
  NotifierOptions options = Fast();
  options.max_queued = 3;
  options.first_backoff = options.max_backoff = std::chrono::milliseconds(5000);
  AlarmNotifier notifier(
      *monitor_,
      Targets(
          fmt::format("notify:\n  - {{name: dead, webhook: 'http://127.0.0.1:{}/hook'}}\n", port)),
      options);
  notifier.Start();
  const auto start = std::chrono::steady_clock::now();
  Events();  // three events
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(monitor_->Act({.alarm = "flow-low",
                             .action = alarms::AlarmAction::kComment,
                             .user = "x",
                             .comment = fmt::format("note {}", i)},
                            NowNs()));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  // The overflow gives up the oldest; the first attempt fails and waits to be retried.
  WaitUntil(
      [&] {
        const ConnectorStatus st = StatusOf(notifier, "dead");
        return st.errors >= 2 && st.reconnects >= 1;
      },
      [&] { return StatusOf(notifier, "dead").last_error; });
  const ConnectorStatus st = StatusOf(notifier, "dead");
  EXPECT_EQ(st.state, "backoff");
  EXPECT_EQ(st.messages, 0);
  EXPECT_LE(st.points, 3);
  EXPECT_GE(st.reconnects, 1);
  notifier.Stop();  // within its back-off wait, not after it
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(AlarmNotifierTest, AnMqttBrokerGetsEachEventOnItsTopicAcrossARestart) {
  fh::testing::MosquittoBroker broker(tmp_.path(), fh::testing::FreeLoopbackPort());  // started
  AlarmNotifier notifier(
      *monitor_,
      Targets(fmt::format("notify:\n  - {{name: scada, mqtt: '127.0.0.1:{}', retain: true, "
                          "topic: 'plant/{{equipment}}/{{alarm}}/{{event}}'}}\n",
                          broker.port())),
      Fast());
  notifier.Start();
  {
    fh::testing::MqttSubscriber subscriber(broker.port(), "plant/#");
    Events();
    const std::vector<std::string> activated =
        subscriber.WaitFor("plant/acme/line-1/oven/oven-high/activated");
    ASSERT_EQ(activated.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(activated[0])["value"], 236);
    EXPECT_EQ(subscriber.WaitFor("plant/acme/line-2/flow-low/activated").size(), 1u)
        << StatusOf(notifier, "scada").last_error << " " << StatusOf(notifier, "scada").messages;
    EXPECT_EQ(subscriber.WaitFor("plant/acme/line-1/oven/oven-high/acknowledged").size(), 1u);
  }
  broker.Stop();
  ASSERT_OK(monitor_->Act({.alarm = "oven-high",
                           .action = alarms::AlarmAction::kComment,
                           .user = "li.wei",
                           .comment = "burner nozzle replaced"},
                          NowNs()));
  WaitUntil([&] { return StatusOf(notifier, "scada").reconnects >= 1; },
            [&] {
              const ConnectorStatus st = StatusOf(notifier, "scada");
              return fmt::format("{} delivered, {} queued, state {}", st.messages, st.points,
                                 st.state);
            });
  broker.Start();
  fh::testing::MqttSubscriber again(broker.port(), "plant/#");  // retained: there when it comes
  const std::vector<std::string> comment =
      again.WaitFor("plant/acme/line-1/oven/oven-high/comment");
  ASSERT_EQ(comment.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(comment[0])["comment"], "burner nozzle replaced");
  WaitUntil([&] { return StatusOf(notifier, "scada").messages == 4; },
            [&] {
              const ConnectorStatus st = StatusOf(notifier, "scada");
              return fmt::format("{} delivered, {} queued: {}", st.messages, st.points,
                                 st.last_error);
            });
  EXPECT_EQ(StatusOf(notifier, "scada").errors, 0);
}

}  // namespace
}  // namespace fh::notify
