// alarms.yaml's notify list (notify/notify_config.h): targets read with their filters,
// topics made from an alarm's names, and errors that name the file, the line and the key.
#include <gmock/gmock.h>

#include "notify/notify_config.h"
#include "testing/status_matchers.h"

namespace fh::notify {
namespace {

namespace alarms = analytics::alarms;
using ::testing::HasSubstr;

TEST(NotifyConfigTest, ReadsWebhooksAndBrokersBesideTheAlarms) {
  ::setenv("FH_TEST_HOOK_TOKEN", "s3cret", 1);
  Result<NotifyConfig> c = NotifyConfig::Parse(R"(
alarms:
  - {name: oven-high, type: high, tag: oven.temp, limit: 230}
notify:
  - name: control-room
    webhook: http://alarms.plant.local:9000/hooks/factoryhub?src=hub
    headers: {Authorization: 'Bearer ${FH_TEST_HOOK_TOKEN}', X-Plant: acme}
    priorities: [critical, high]
    events: [activated, cleared]
    equipment: acme/line-1
    timeout: 2s
    attempts: 3
  - name: scada
    mqtt: mqtt://[::1]:1884
    topic: plant/{equipment}/{alarm}/{event}
    qos: 0
    retain: true
)",
                                               "alarms.yaml");
  ASSERT_OK(c);
  ASSERT_EQ(c->targets.size(), 2u);
  const NotifyTarget& hook = c->targets[0];
  EXPECT_EQ(hook.kind, NotifyTarget::Kind::kWebhook);
  EXPECT_EQ(hook.url.host, "alarms.plant.local");
  EXPECT_EQ(hook.url.port, 9000);
  EXPECT_EQ(hook.url.target, "/hooks/factoryhub?src=hub");
  ASSERT_EQ(hook.headers.size(), 2u);
  EXPECT_EQ(hook.headers[0].second, "Bearer s3cret");  // from the environment
  EXPECT_EQ(hook.headers[1].second, "acme");
  EXPECT_EQ(hook.timeout_ns, 2 * kNanosPerSecond);
  EXPECT_EQ(hook.attempts, 3);
  alarms::AlarmDefinition d;
  d.name = "oven-high";
  d.priority = alarms::Priority::kHigh;
  d.equipment = "acme/line-1/oven";
  EXPECT_TRUE(hook.Wants(d, alarms::AlarmEventKind::kActivated));
  EXPECT_FALSE(hook.Wants(d, alarms::AlarmEventKind::kAcknowledged));
  d.priority = alarms::Priority::kLow;
  EXPECT_FALSE(hook.Wants(d, alarms::AlarmEventKind::kActivated));
  d.priority = alarms::Priority::kHigh;
  d.equipment = "acme/line-2";
  EXPECT_FALSE(hook.Wants(d, alarms::AlarmEventKind::kActivated));

  const NotifyTarget& scada = c->targets[1];
  EXPECT_EQ(scada.kind, NotifyTarget::Kind::kMqtt);
  EXPECT_EQ(scada.host, "::1");
  EXPECT_EQ(scada.port, 1884);
  EXPECT_EQ(scada.qos, 0);
  EXPECT_TRUE(scada.retain);
  EXPECT_EQ(scada.client_id, "factoryhub-notify-scada");
  d.equipment = "acme/line-1/oven";
  EXPECT_EQ(TopicOf(scada.topic, d, alarms::AlarmEventKind::kCleared),
            "plant/acme/line-1/oven/oven-high/cleared");
  EXPECT_TRUE(scada.Wants(d, alarms::AlarmEventKind::kComment));  // no filter: every event
}

// A name must not make a topic with wildcards or empty levels: the broker would refuse it.
TEST(NotifyConfigTest, TopicsHaveNoWildcardsOrEmptyLevels) {
  alarms::AlarmDefinition d;
  d.name = "a+b#c";
  d.equipment = "/plant//press/";
  EXPECT_EQ(TopicOf("x/{equipment}/{alarm}/{priority}", d, alarms::AlarmEventKind::kActivated),
            "x/_/plant/_/press/_/a_b_c/medium");
  d.equipment = "";
  EXPECT_EQ(TopicOf("x/{equipment}/{alarm}", d, alarms::AlarmEventKind::kActivated), "x/_/a_b_c");
}

TEST(NotifyConfigTest, NoListIsNoTargets) {
  Result<NotifyConfig> c = NotifyConfig::Parse("alarms: []\n", "alarms.yaml");
  ASSERT_OK(c);
  EXPECT_TRUE(c->targets.empty());
}

TEST(NotifyConfigTest, ErrorsNameTheLineAndTheKey) {
  struct Case {
    const char* yaml;
    const char* says;
  };
  const Case cases[] = {
      {"notify:\n  - {name: a}\n", "alarms.yaml:2: notify 'a' needs a webhook"},
      {"notify:\n  - {name: a, webhook: http://x, mqtt: y}\n", "needs a webhook (http://...) or"},
      {"notify:\n  - {name: a, webhook: https://x/hook}\n", "https is not supported yet"},
      {"notify:\n  - {name: a, webhook: ftp://x}\n", "is not an http:// address"},
      {"notify:\n  - {name: a, webhook: 'http://x:99999/'}\n", "not a port"},
      {"notify:\n  - {name: a, mqtt: broker, topic: 'a/+/b'}\n", "without + or #"},
      {"notify:\n  - {name: a, mqtt: broker, qos: 2}\n", "qos: 0 or 1"},
      {"notify:\n  - {name: a, mqtt: broker, headers: {x: y}}\n", "headers is for a webhook"},
      {"notify:\n  - {name: a, webhook: 'http://x', topic: t}\n", "topic is for mqtt"},
      {"notify:\n  - {name: a, mqtt: b, priorities: [urgent]}\n", "priority"},
      {"notify:\n  - {name: a, mqtt: b, events: [exploded]}\n", "exploded"},
      {"notify:\n  - {name: a, mqtt: b, timeout: soon}\n", "timeout: a duration"},
      {"notify:\n  - {name: a, mqtt: b, attempts: 0}\n", "attempts: 1 to 1000"},
      {"notify:\n  - {name: a, mqtt: b, colour: red}\n", "unknown key 'notify[0].colour'"},
      {"notify:\n  - {name: a, mqtt: b}\n  - {name: a, mqtt: c}\n",
       "alarms.yaml:3: notify target 'a' is defined twice"},
      {"notify:\n  - {name: a, webhook: \"http://x/\\r\\nX-Evil: 1\"}\n", "line break"},
      {"notifications: []\n", "unknown key 'notifications'"},
  };
  for (const Case& c : cases) {
    Result<NotifyConfig> r = NotifyConfig::Parse(c.yaml, "alarms.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_THAT(r.status().message(), HasSubstr(c.says)) << c.yaml;
  }
}

// The alarms' own reader leaves the notify list to this one, and the other way round.
TEST(NotifyConfigTest, AlarmsAndNotifyShareTheFile) {
  const char* yaml = "alarms:\n  - {name: x, type: high, tag: t, limit: 1}\nnotify: []\n";
  Result<alarms::AlarmConfig> a = alarms::AlarmConfig::Parse(yaml, "alarms.yaml");
  ASSERT_OK(a);
  EXPECT_EQ(a->alarms.size(), 1u);
  EXPECT_OK(NotifyConfig::Parse(yaml, "alarms.yaml"));
}

}  // namespace
}  // namespace fh::notify

namespace fh::notify {
namespace {

TEST(NotifyConfigTest, ABrokersPasswordComesFromTheEnvironment) {
  const std::string yaml =
      "notify:\n  - {name: scada, mqtt: 'b:1883', topic: t, username: hub, password_env: "
      "FH_TEST_NOTIFY_PW}\n";
  ::setenv("FH_TEST_NOTIFY_PW", "pw", 1);
  Result<NotifyConfig> c = NotifyConfig::Parse(yaml, "alarms.yaml");
  ASSERT_OK(c);
  EXPECT_EQ(c->targets[0].password, "pw");
  ::unsetenv("FH_TEST_NOTIFY_PW");
  EXPECT_THAT(NotifyConfig::Parse(yaml, "alarms.yaml").status().message(),
              ::testing::HasSubstr("password_env: the environment has no FH_TEST_NOTIFY_PW"));
  EXPECT_THAT(NotifyConfig::Parse("notify:\n  - {name: s, mqtt: 'b:1883', topic: t, password: "
                                  "x}\n",
                                  "alarms.yaml")
                  .status()
                  .message(),
              ::testing::HasSubstr("secrets are not kept in alarms.yaml"));
}

}  // namespace
}  // namespace fh::notify

namespace fh::notify {
namespace {

TEST(NotifyConfigTest, AWebhooksCredentialsComeFromTheEnvironment) {
  auto error = [](const std::string& headers) {
    Result<NotifyConfig> c = NotifyConfig::Parse(
        "notify:\n  - {name: h, webhook: 'http://x:1/', headers: " + headers + "}\n", "a.yaml");
    return c.ok() ? std::string() : c.status().message();
  };
  EXPECT_THAT(error("{Authorization: Bearer abc}"),
              ::testing::HasSubstr("credentials are not kept in alarms.yaml"));
  EXPECT_THAT(error("{X-Api-Key: abc}"),
              ::testing::HasSubstr("credentials are not kept in alarms.yaml"));
  ::unsetenv("FH_TEST_UNSET");
  EXPECT_THAT(error("{Authorization: 'Bearer ${FH_TEST_UNSET}'}"),
              ::testing::HasSubstr("the environment has no FH_TEST_UNSET"));
  EXPECT_THAT(error("{X-Plant: '${'}"), ::testing::HasSubstr("'${' without its '}'"));
  EXPECT_EQ(error("{X-Plant: acme}"), "");
}

}  // namespace
}  // namespace fh::notify
