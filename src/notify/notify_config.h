// Where the alarms' events go: the `notify` list of the hub's alarms.yaml (docs/alarms.md).
// Each target is a webhook (an HTTP POST of the event as JSON) or an MQTT broker (a
// message on a topic made from the alarm's names), with which events it wants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analytics/alarms/alarm_config.h"
#include "analytics/alarms/alarm_state.h"
#include "common/status.h"
#include "common/time.h"

namespace fh::notify {

// http://HOST[:PORT]/PATH
struct HttpUrl {
  std::string host;
  int port = 80;
  std::string target = "/";  // path and query
  static Result<HttpUrl> Parse(std::string_view url);
};

struct NotifyTarget {
  std::string name;
  enum class Kind : uint8_t { kWebhook, kMqtt } kind = Kind::kWebhook;
  // webhook
  HttpUrl url;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Authorization
  // mqtt
  std::string host;
  int port = 1883;      // 8883 for mqtts://
  bool tls = false;     // mqtts://: TLS, the broker's certificate checked
  std::string ca_file;  // the CA that signed it (PEM); empty: the system's CAs
  // The topic of an event: {alarm}, {equipment}, {priority} and {event} are replaced (an
  // MQTT wildcard or an empty level in a name becomes '_').
  std::string topic = "factoryhub/alarms/{equipment}/{alarm}";
  int qos = 1;
  bool retain = false;
  std::string username, password;
  std::string client_id;  // default factoryhub-notify-NAME
  // Which events: none listed, all of them.
  std::vector<analytics::alarms::Priority> priorities;
  std::vector<analytics::alarms::AlarmEventKind> events;
  std::string equipment;  // a prefix of the alarm's ISA-95 path
  // Delivery: how long one attempt may take, and how often it is tried before the event is
  // given up (counted as failed), waiting 1 s, 2 s, 4 s ... up to a minute between.
  int64_t timeout_ns = 5 * kNanosPerSecond;
  int attempts = 10;

  bool Wants(const analytics::alarms::AlarmDefinition& d,
             analytics::alarms::AlarmEventKind event) const;
  std::string Endpoint() const;  // where it goes, as a status shows it
};

struct NotifyConfig {
  std::vector<NotifyTarget> targets;
  // The `notify` list of alarms.yaml text; errors name the file, line and key.
  static Result<NotifyConfig> Parse(const std::string& yaml, const std::string& file);
  // The file at `path` (no targets when there is none).
  static Result<NotifyConfig> Load(const std::string& path);
};

// The topic `pattern` gives for an event of alarm `d`.
std::string TopicOf(std::string_view pattern, const analytics::alarms::AlarmDefinition& d,
                    analytics::alarms::AlarmEventKind event);

}  // namespace fh::notify
