// The MQTT connector against a real mosquitto broker (started here on a free loopback
// port) and a real publisher (libmosquitto, an implementation independent of
// factoryhub's client): messages become points, bad ones are quarantined, a persistent
// session keeps what was published while the connector was away, and a broker restart
// is survived.
#include "connect/mqtt/mqtt_connector.h"

#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "connect/mqtt/sparkplug_b.pb.h"
#include "store/governance/governance_store.h"
#include "testing/deflate.h"
#include "testing/hub_test.h"
#include "testing/mqtt_peers.h"
#include "testing/wait.h"

namespace fh::connect {
namespace {

class MqttConnectorTest : public testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    broker_ = std::make_unique<testing::MosquittoBroker>(tmp_.path(), testing::FreeLoopbackPort());
    ingest_ = std::make_unique<pipeline::StreamIngest>(*hub_);
  }
  void TearDown() override {
    connector_.reset();
    ingest_.reset();
    broker_.reset();
  }
  void StartConnector() {
    MqttConnectorSpec spec;
    spec.name = "line-2";
    spec.port = broker_->port();
    // Long enough that a store write stalled by a loaded machine's fsync does not make the
    // broker drop the session and redeliver (at least once: the counts below are exact).
    spec.keep_alive_s = 60;
    spec.topics = {{"plant/{line}/{machine}/{signal}", "{line}.{machine}.{signal}", false},
                   {"json/{line}/{machine}", "{line}.{machine}.{field}", true, "", "ts"}};
    Start(spec);
  }
  // A Sparkplug B connector of group plant-a (the primary host `host_id` unless empty).
  void StartSparkplug(const std::string& name, const std::string& host_id = "") {
    MqttConnectorSpec spec;
    spec.name = name;
    spec.port = broker_->port();
    spec.sparkplug_groups = {"plant-a"};
    spec.sparkplug_host_id = host_id;
    Start(spec);
  }
  void Start(const MqttConnectorSpec& spec) {
    Result<std::unique_ptr<MqttConnector>> c = MqttConnector::Make(spec, *ingest_);
    ASSERT_OK(c);
    connector_ = std::move(*c);
    connector_->Start();
    WaitFor([&] { return connector_->status().state == "connected"; }, "connected");
  }
  template <typename Fn>
  void WaitFor(Fn done, const char* what, int seconds = 10) {
    testing::WaitUntil(
        done,
        [&] {
          return std::string(what) + "; state " + connector_->status().state + ", " +
                 std::to_string(connector_->status().points) + " points, last error " +
                 connector_->status().last_error;
        },
        seconds);
  }
  size_t Count(const std::string& tag) {
    size_t n = 0;
    Status s = hub_->storage().Scan(tag, {}, [&](auto ts, auto, auto) {
      n += ts.size();
      return true;
    });
    return s.ok() ? n : 0;
  }

  std::unique_ptr<testing::MosquittoBroker> broker_;
  std::unique_ptr<pipeline::StreamIngest> ingest_;
  std::unique_ptr<MqttConnector> connector_;
};

TEST_F(MqttConnectorTest, MessagesBecomePointsAndBadOnesAreQuarantined) {
  ASSERT_NO_FATAL_FAILURE(StartConnector());
  testing::MqttPublisher pub(broker_->port());
  for (int i = 0; i < 500; ++i)
    pub.Publish("plant/l2/m7/temp", std::to_string(20 + i % 10));
  pub.Publish("json/l2/m7", R"({"ts": 1767225600000, "speed": 1480, "torque": 41.5})");
  pub.Publish("plant/l2/m7/temp", "hot");        // not a number
  pub.Publish("json/l2/m8", R"({"speed": 1})");  // no time
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().messages >= 503; }, "503 messages");
  const ConnectorStatus s = connector_->status();
  // QoS 1 delivers at least once: when the connector had to reconnect (a sanitizer build on
  // a loaded machine can miss a keep-alive), or the publisher's client sent a message again
  // before the broker's acknowledgement reached it, copies arrive, and each counts, stored
  // or quarantined. Without a copy, every count is exact.
  if (s.reconnects == 0 && s.messages == 503) {
    EXPECT_EQ(s.messages, 503);
    EXPECT_EQ(s.points, 502);
    EXPECT_EQ(s.quarantined, 2);
    EXPECT_EQ(Count("l2.m7.temp"), 500u);  // arrival times: one per message at most
  } else {
    EXPECT_GE(s.points, 502);
    EXPECT_GE(s.quarantined, 2);
    EXPECT_GE(Count("l2.m7.temp"), 500u);
  }
  Result<std::optional<Sample>> speed = hub_->storage().Latest("l2.m7.speed");
  ASSERT_TRUE(speed.ok() && speed->has_value());
  EXPECT_EQ((*speed)->value, 1480);
  EXPECT_EQ((*speed)->ts, 1767225600000000000);
  EXPECT_EQ(Count("l2.m7.torque"), 1u);

  CatalogSession session = hub_->OpenCatalog();
  QuarantineFilter filter;
  filter.mapping_name = "mqtt";
  Result<std::vector<QuarantinedRecord>> q = session.governance().ListQuarantine(filter);
  ASSERT_OK(q);
  ASSERT_EQ(static_cast<int64_t>(q->size()), s.quarantined);
  std::set<std::string> distinct;
  for (const QuarantinedRecord& r : *q)
    distinct.insert(r.reasons.at(0).message);
  const std::vector<std::string> reasons(distinct.begin(), distinct.end());
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0], "payload 'hot' is not a number");
  EXPECT_EQ(reasons[1], "payload has no 'ts' (the time)");
}

TEST_F(MqttConnectorTest, ThePersistentSessionKeepsWhatWasPublishedWhileAway) {
  ASSERT_NO_FATAL_FAILURE(StartConnector());  // subscribes: the broker now knows the session
  connector_->Stop();
  {
    testing::MqttPublisher pub(broker_->port());
    for (int i = 0; i < 200; ++i)
      pub.Publish("plant/l1/m1/rpm", std::to_string(1000 + i));
    pub.WaitAcked();
  }
  connector_->Start();
  // 200 queued messages, each stored before it is acknowledged: under the sanitizers on a
  // loaded machine that can take longer than the usual wait.
  WaitFor([&] { return connector_->status().points == 200; }, "200 points after returning", 60);
  EXPECT_EQ(connector_->status().reconnects, 0);  // stopped, not lost
}

TEST_F(MqttConnectorTest, ABrokerRestartIsSurvivedWithBackoff) {
  ASSERT_NO_FATAL_FAILURE(StartConnector());
  broker_->Stop();
  // Tried again while the broker is away: attempts are no reconnections.
  WaitFor(
      [&] {
        return connector_->status().last_error.find("Connection refused") != std::string::npos;
      },
      "a refused connection attempt");
  EXPECT_NE(connector_->status().state, "connected");
  EXPECT_EQ(connector_->status().reconnects, 0);
  broker_->Start();
  WaitFor([&] { return connector_->status().state == "connected"; }, "reconnected");
  EXPECT_EQ(connector_->status().reconnects, 1);
  testing::MqttPublisher pub(broker_->port());
  pub.Publish("plant/l3/m1/temp", "5");
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().points == 1; }, "a point after the restart");
}

TEST_F(MqttConnectorTest, SparkplugNodesAreStoredAndAskedForARebirthOnAGap) {
  StartSparkplug("sparkplug");
  testing::MqttSubscriber commands(broker_->port(), "spBv1.0/plant-a/NCMD/#");

  sparkplug_test::Payload birth;
  birth.set_timestamp(1767225600000);
  birth.set_seq(0);
  auto* m = birth.add_metrics();
  m->set_name("Temperature");
  m->set_alias(7);
  m->set_datatype(10);
  m->set_double_value(20.5);
  auto data = [](uint64_t seq, double v) {
    sparkplug_test::Payload p;
    p.set_timestamp(1767225600000 + seq * 1000);
    p.set_seq(seq);
    auto* metric = p.add_metrics();
    metric->set_alias(7);
    metric->set_datatype(10);
    metric->set_double_value(v);
    return p.SerializeAsString();
  };
  testing::MqttPublisher pub(broker_->port());
  pub.Publish("spBv1.0/plant-a/NBIRTH/edge-1", birth.SerializeAsString());
  pub.Publish("spBv1.0/plant-a/NDATA/edge-1", data(1, 21.5));
  pub.Publish("spBv1.0/plant-a/NDATA/edge-1", data(5, 25.5));  // 2 to 4 never came
  pub.WaitAcked();
  // 3, and the connector's own rebirth request, which its subscription also brings.
  WaitFor([&] { return connector_->status().messages >= 3; }, "3 messages");
  EXPECT_EQ(Count("plant-a/edge-1/Temperature"), 3u);
  Result<std::optional<Sample>> online = hub_->storage().Latest("plant-a/edge-1/online");
  ASSERT_TRUE(online.ok() && online->has_value());
  EXPECT_EQ((*online)->value, 1);
  // The gap: the connector asked the node to be born again.
  const std::vector<std::string> rebirth = commands.WaitFor("spBv1.0/plant-a/NCMD/edge-1");
  ASSERT_EQ(rebirth.size(), 1u);
  sparkplug_test::Payload request;
  ASSERT_TRUE(request.ParseFromString(rebirth[0]));
  EXPECT_EQ(request.metrics(0).name(), "Node Control/Rebirth");
  EXPECT_TRUE(request.metrics(0).boolean_value());
}

// A node as Tahu's and node's sparkplug clients run one: its will (NDEATH) was written
// before its birth; a stale will of its previous session comes after the birth; its data
// is compressed.
TEST_F(MqttConnectorTest, ASparkplugNodesDeathReadsOfflineAndCompressedDataIsStored) {
  StartSparkplug("sparkplug");

  const uint64_t now_ms = static_cast<uint64_t>(NowNs() / 1'000'000);
  auto death = [&](uint64_t bd_seq) {
    sparkplug_test::Payload p;
    p.set_timestamp(now_ms - 60'000);  // when the session began
    auto* m = p.add_metrics();
    m->set_name("bdSeq");
    m->set_datatype(8);
    m->set_long_value(bd_seq);
    return p.SerializeAsString();
  };
  sparkplug_test::Payload birth;
  birth.set_timestamp(now_ms);
  birth.set_seq(0);
  auto* bd = birth.add_metrics();
  bd->set_name("bdSeq");
  bd->set_datatype(8);
  bd->set_long_value(4);
  auto* m = birth.add_metrics();
  m->set_name("Temperature");
  m->set_alias(7);
  m->set_datatype(10);
  m->set_double_value(20.5);
  auto* mode = birth.add_metrics();
  mode->set_name("Mode");
  mode->set_datatype(12);
  mode->set_string_value("AUTO");
  // NDATA seq 1, GZIP-compressed as Tahu's PayloadUtil.compress wraps it.
  sparkplug_test::Payload data;
  data.set_timestamp(now_ms + 1000);
  data.set_seq(1);
  auto* d = data.add_metrics();
  d->set_alias(7);
  d->set_double_value(21.5);
  const std::string plain = data.SerializeAsString();
  const std::string gz = testing::Deflate(plain, 16 + 15);
  sparkplug_test::Payload wrapper;
  wrapper.set_seq(1);
  wrapper.set_uuid("SPBV1.0_COMPRESSED");
  wrapper.set_body(gz);
  auto* algorithm = wrapper.add_metrics();
  algorithm->set_name("algorithm");
  algorithm->set_datatype(12);
  algorithm->set_string_value("GZIP");
  sparkplug_test::Payload bomb = wrapper;
  bomb.set_seq(2);
  bomb.set_body("\x1f\x8b not gzip");

  auto online = [&]() {
    Result<std::optional<Sample>> s = hub_->storage().Latest("plant-a/edge-1/online");
    return s.ok() && s->has_value() ? (*s)->value : -1;
  };
  testing::MqttPublisher pub(broker_->port());
  pub.Publish("spBv1.0/plant-a/NBIRTH/edge-1", birth.SerializeAsString());
  pub.Publish("spBv1.0/plant-a/NDEATH/edge-1", death(3));  // session 3's, stale
  pub.Publish("spBv1.0/plant-a/NDATA/edge-1", wrapper.SerializeAsString());
  pub.Publish("spBv1.0/plant-a/NDATA/edge-1", bomb.SerializeAsString());
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().messages >= 4; }, "4 messages");
  EXPECT_EQ(online(), 1);  // the stale will did not take the node offline
  Result<std::optional<Sample>> t = hub_->storage().Latest("plant-a/edge-1/Temperature");
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->value, 21.5);
  EXPECT_EQ(Count("plant-a/edge-1/bdSeq"), 0u);
  EXPECT_EQ(connector_->status().quarantined, 1);  // the damaged GZIP body
  EXPECT_EQ(connector_->status().skipped, 1);      // Mode, a string

  pub.Publish("spBv1.0/plant-a/NDEATH/edge-1", death(4));  // the session's own will
  pub.WaitAcked();
  WaitFor([&] { return online() == 0; }, "the node offline after its death");
  {
    CatalogSession session = hub_->OpenCatalog();
    QuarantineFilter filter;
    filter.mapping_name = "mqtt";
    Result<std::vector<QuarantinedRecord>> q = session.governance().ListQuarantine(filter);
    ASSERT_OK(q);
    ASSERT_EQ(q->size(), 1u);
    EXPECT_EQ(q->at(0).reasons.at(0).message.substr(0, 35), "sparkplug: the GZIP body is damaged");
  }
}

// A payload past 16 MiB is quarantined unread (its first 4 KiB kept), and the messages
// around it are stored.
TEST_F(MqttConnectorTest, AHugePayloadIsQuarantinedUnread) {
  ASSERT_NO_FATAL_FAILURE(StartConnector());
  testing::MqttPublisher pub(broker_->port());
  pub.Publish("plant/l2/m7/temp", "1");
  pub.Publish("json/l2/m7", std::string((16 << 20) + 1, ' '));
  pub.Publish("plant/l2/m7/temp", "2");
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().messages == 3; }, "3 messages");
  EXPECT_EQ(connector_->status().points, 2);
  EXPECT_EQ(connector_->status().quarantined, 1);
  CatalogSession session = hub_->OpenCatalog();
  QuarantineFilter filter;
  filter.mapping_name = "mqtt";
  Result<std::vector<QuarantinedRecord>> q = session.governance().ListQuarantine(filter);
  ASSERT_OK(q);
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ(q->at(0).reasons.at(0).message,
            "a payload of 16777217 bytes: more than 16 MiB is not decoded");
}

TEST_F(MqttConnectorTest, JsonObjectMembersThatAreNoNumbersAreCounted) {
  ASSERT_NO_FATAL_FAILURE(StartConnector());
  testing::MqttPublisher pub(broker_->port());
  pub.Publish("json/l2/m7", R"({"ts": 1767225600000, "speed": 1480, "mode": "auto", "ok": true})");
  pub.Publish("plant/l2/m7/temp", " nan ");
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().messages == 2; }, "2 messages");
  const ConnectorStatus s = connector_->status();
  EXPECT_EQ(s.points, 2);       // speed, ok
  EXPECT_EQ(s.skipped, 1);      // mode
  EXPECT_EQ(s.quarantined, 1);  // nan
}

// Subscribed to every group ("+"), the primary host receives its own retained STATE
// (spBv1.0/STATE/<id>): Sparkplug, but no data and nothing to quarantine.
TEST_F(MqttConnectorTest, AHostsOwnStateIsNoBadMessage) {
  MqttConnectorSpec spec;
  spec.name = "host";
  spec.port = broker_->port();
  spec.sparkplug_groups = {"+"};
  spec.sparkplug_host_id = "factoryhub";
  Result<std::unique_ptr<MqttConnector>> c = MqttConnector::Make(spec, *ingest_);
  ASSERT_OK(c);
  connector_ = std::move(*c);
  connector_->Start();
  WaitFor([&] { return connector_->status().messages >= 1; }, "the host's own STATE");
  testing::MqttPublisher pub(broker_->port());
  pub.Publish("spBv1.0/plant-a/NJUNK/edge-1", "x");
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().messages >= 2; }, "2 messages");
  EXPECT_EQ(connector_->status().quarantined, 1);  // NJUNK, not the STATE
  CatalogSession session = hub_->OpenCatalog();
  QuarantineFilter filter;
  filter.mapping_name = "mqtt";
  Result<std::vector<QuarantinedRecord>> q = session.governance().ListQuarantine(filter);
  ASSERT_OK(q);
  ASSERT_EQ(q->size(), 1u);
  EXPECT_EQ(q->at(0).reasons.at(0).message.substr(0, 57),
            "topic 'spBv1.0/plant-a/NJUNK/edge-1' is not Sparkplug B: ");
}

TEST_F(MqttConnectorTest, AsSparkplugPrimaryHostItsStateIsOnlineWhileConnected) {
  StartSparkplug("host", "factoryhub");
  {
    // Retained: a node subscribing later still learns the host is online.
    testing::MqttSubscriber nodes(broker_->port(), "spBv1.0/STATE/#");
    const std::vector<std::string> online = nodes.WaitFor("spBv1.0/STATE/factoryhub");
    ASSERT_GE(online.size(), 1u);
    const nlohmann::json birth = nlohmann::json::parse(online.back());
    EXPECT_EQ(birth["online"], true);
    EXPECT_GT(birth["timestamp"].get<int64_t>(), 1767225600000);
  }
  testing::MqttSubscriber nodes(broker_->port(), "spBv1.0/STATE/#");
  ASSERT_EQ(nodes.WaitFor("spBv1.0/STATE/factoryhub").size(), 1u);  // the retained online
  connector_->Stop();
  std::vector<std::string> states;
  for (int i = 0; i < 100 && states.size() < 2; ++i) {
    states = nodes.WaitFor("spBv1.0/STATE/factoryhub");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(states.size(), 2u);
  const nlohmann::json offline = nlohmann::json::parse(states[1]);
  EXPECT_EQ(offline["online"], false);
  // The same timestamp as the birth: the offline of this session.
  EXPECT_EQ(offline["timestamp"], nlohmann::json::parse(states[0])["timestamp"]);
}

}  // namespace
}  // namespace fh::connect

namespace fh::connect {
namespace {

// The bookkeeping of a live source, on random messages through a real broker: repeats of
// one series at one time (a device re-sending), bad messages among them. Every message is
// counted, each bad one is quarantined, every good value is stored, and the last one sent
// for a series and time is the one kept (InfluxDB's rule for live writes) — nothing lost,
// nothing else.
TEST_F(MqttConnectorTest, TheStoreHoldsEveryGoodValueLastWriteWins) {
  ASSERT_NO_FATAL_FAILURE(StartConnector());
  testing::MqttPublisher pub(broker_->port());
  std::mt19937 rng(1203);
  std::map<std::pair<std::string, int64_t>, double> model;
  int64_t points = 0, bad = 0;
  constexpr int kMessages = 300;
  for (int i = 0; i < kMessages; ++i) {
    const std::string machine = "m" + std::to_string(rng() % 3);
    const int64_t ts_ms = 1767225600000 + static_cast<int64_t>(rng() % 20) * 1000;
    if (rng() % 10 == 0) {
      pub.Publish("json/inv/" + machine, R"({"speed": 1})");  // no time: quarantined
      ++bad;
      continue;
    }
    const int speed = static_cast<int>(rng() % 100);
    pub.Publish("json/inv/" + machine, "{\"ts\": " + std::to_string(ts_ms) +
                                           ", \"speed\": " + std::to_string(speed) + "}");
    model[{"inv." + machine + ".speed", ts_ms * 1'000'000}] = speed;
    ++points;
  }
  pub.WaitAcked();
  WaitFor([&] { return connector_->status().messages >= kMessages; }, "every message");
  const ConnectorStatus s = connector_->status();
  std::map<std::pair<std::string, int64_t>, double> stored;
  for (const char* m : {"m0", "m1", "m2"}) {
    const std::string tag = std::string("inv.") + m + ".speed";
    (void)hub_->storage().Scan(tag, {}, [&](auto ts, auto value, auto) {
      for (size_t i = 0; i < ts.size(); ++i)
        stored[{tag, ts[i]}] = value[i];
      return true;
    });
  }
  if (s.messages == kMessages) {
    EXPECT_EQ(s.points, points);
    EXPECT_EQ(s.quarantined, bad);
    EXPECT_EQ(stored, model);
    return;
  }
  // QoS 1 is at least once: under load a message can arrive twice, and a late copy of an
  // older message may then win its (tag, time). Every message is still counted, every
  // good one stored under its key, every bad one quarantined.
  EXPECT_GE(s.points, points);
  EXPECT_GE(s.quarantined, bad);
  EXPECT_EQ(s.points + s.quarantined, s.messages);
  ASSERT_EQ(stored.size(), model.size());
  for (auto it = stored.begin(), m = model.begin(); it != stored.end(); ++it, ++m)
    EXPECT_EQ(it->first, m->first);
}

}  // namespace
}  // namespace fh::connect
