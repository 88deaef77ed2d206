#include "connect/mqtt/mqtt_config.h"

#include <cstdlib>

#include "connect/mqtt/mqtt_connector.h"
#include "connect/mqtt/topic_mapping.h"

namespace fh::connect {
namespace {

// tls: true (the system's CAs), or { ca, cert, key, server_name }; the files are read now,
// so that a wrong path stops the configuration, not the first connection.
Result<TlsClientSpec> ReadTls(const ConnectorYaml& y, const YAML::Node& node) {
  TlsClientSpec tls;
  if (node.IsScalar()) {
    FH_ASSIGN_OR_RETURN(tls.enabled, y.Bool(node, "mqtt: tls"));
    return tls;
  }
  FH_RETURN_IF_ERROR(y.CheckKeys(node, "mqtt: tls", {"ca", "cert", "key", "server_name"}));
  tls.enabled = true;
  auto file = [&](const char* key, std::string* out) -> Status {
    if (!node[key]) return Status::Ok();
    FH_ASSIGN_OR_RETURN(const std::string path, y.Scalar(node[key], "mqtt: tls"));
    *out = y.FilePath(path);
    return Status::Ok();
  };
  FH_RETURN_IF_ERROR(file("ca", &tls.ca_file));
  FH_RETURN_IF_ERROR(file("cert", &tls.cert_file));
  FH_RETURN_IF_ERROR(file("key", &tls.key_file));
  if (node["server_name"]) {
    FH_ASSIGN_OR_RETURN(tls.server_name, y.Scalar(node["server_name"], "mqtt: tls: server_name"));
  }
  if (Result<std::shared_ptr<const TlsClient>> check = TlsClient::Make(tls); !check.ok()) {
    return y.Error(node, "mqtt: " + check.status().message());
  }
  return tls;
}

Result<MqttConnectorSpec> ReadMqttSpec(const ConnectorYaml& y, const YAML::Node& node) {
  FH_RETURN_IF_ERROR(
      y.CheckKeys(node, "mqtt",
                  {"name", "broker", "client_id", "username", "password", "password_env", "qos",
                   "keep_alive", "topics", "sparkplug", "sparkplug_host", "tls"}));
  MqttConnectorSpec s;
  if (!node["name"]) return y.Error(node, "mqtt: missing 'name'");
  FH_ASSIGN_OR_RETURN(s.name, y.Scalar(node["name"], "mqtt: name"));
  if (node["tls"]) {
    FH_ASSIGN_OR_RETURN(s.tls, ReadTls(y, node["tls"]));
  }
  if (!node["broker"]) return y.Error(node, "mqtt: missing 'broker' (host:port)");
  FH_RETURN_IF_ERROR(
      y.HostPort(node["broker"], "mqtt: broker", s.tls.enabled ? 8883 : 1883, &s.host, &s.port));
  if (node["client_id"]) {
    FH_ASSIGN_OR_RETURN(s.client_id, y.Scalar(node["client_id"], "mqtt: client_id"));
  }
  if (node["username"]) {
    FH_ASSIGN_OR_RETURN(s.username, y.Scalar(node["username"], "mqtt: username"));
  }
  // A secret is never kept in connectors.yaml (a file people copy, mail and commit): it comes
  // from the environment, named by password_env.
  if (node["password"]) {
    return y.Error(node["password"],
                   "mqtt: password: secrets are not kept in connectors.yaml; name an environment "
                   "variable that holds it with password_env: (e.g. password_env: "
                   "FH_MQTT_PASSWORD)");
  }
  if (node["password_env"]) {
    FH_ASSIGN_OR_RETURN(const std::string name,
                        y.Scalar(node["password_env"], "mqtt: password_env"));
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return y.Error(node["password_env"],
                     fmt::format("mqtt: password_env: the environment has no {}", name));
    }
    s.password = value;
  }
  if (node["qos"]) {
    FH_ASSIGN_OR_RETURN(int64_t qos, y.Integer(node["qos"], "mqtt: qos", 0, 1));
    s.qos = static_cast<int>(qos);
  }
  if (node["keep_alive"]) {
    FH_ASSIGN_OR_RETURN(int64_t k, y.Integer(node["keep_alive"], "mqtt: keep_alive", 2, 3600));
    s.keep_alive_s = static_cast<int>(k);
  }
  if (node["sparkplug"]) {
    FH_ASSIGN_OR_RETURN(s.sparkplug_groups, y.Strings(node["sparkplug"], "mqtt: sparkplug"));
  }
  if (node["sparkplug_host"]) {
    FH_ASSIGN_OR_RETURN(s.sparkplug_host_id,
                        y.Scalar(node["sparkplug_host"], "mqtt: sparkplug_host"));
    if (s.sparkplug_groups.empty()) {
      return y.Error(node["sparkplug_host"], "mqtt: sparkplug_host needs 'sparkplug' (its groups)");
    }
    if (s.sparkplug_host_id.empty() ||
        s.sparkplug_host_id.find_first_of("/+#") != std::string::npos) {
      return y.Error(node["sparkplug_host"], "mqtt: sparkplug_host: an id without '/', '+' or '#'");
    }
  }
  if (!node["topics"] && !s.sparkplug_groups.empty()) return s;
  if (!node["topics"] || !node["topics"].IsSequence()) {
    return y.Error(node, "mqtt: 'topics' is a list of {topic, tag, payload, value, time}");
  }
  for (const YAML::Node& t : node["topics"]) {
    FH_RETURN_IF_ERROR(y.CheckKeys(t, "mqtt: topic", {"topic", "tag", "payload", "value", "time"}));
    TopicMappingSpec m;
    if (!t["topic"]) return y.Error(t, "mqtt: topic: missing 'topic'");
    FH_ASSIGN_OR_RETURN(m.topic, y.Scalar(t["topic"], "mqtt: topic"));
    if (t["tag"]) {
      FH_ASSIGN_OR_RETURN(m.tag, y.Scalar(t["tag"], "mqtt: tag"));
    }
    if (t["payload"]) {
      FH_ASSIGN_OR_RETURN(std::string payload, y.Scalar(t["payload"], "mqtt: payload"));
      if (payload != "json" && payload != "number") {
        return y.Error(t["payload"], "mqtt: payload: json or number");
      }
      m.json = payload == "json";
    }
    if (t["value"]) {
      FH_ASSIGN_OR_RETURN(m.value, y.Scalar(t["value"], "mqtt: value"));
    }
    if (t["time"]) {
      FH_ASSIGN_OR_RETURN(m.time, y.Scalar(t["time"], "mqtt: time"));
    }
    if (Result<TopicMapping> check = TopicMapping::Make(m); !check.ok()) {
      return y.Error(t, "mqtt: " + check.status().message());
    }
    s.topics.push_back(std::move(m));
  }
  return s;
}

}  // namespace

Result<ConnectorEntry> ReadMqttEntry(const ConnectorYaml& yaml, const YAML::Node& item) {
  FH_ASSIGN_OR_RETURN(MqttConnectorSpec spec, ReadMqttSpec(yaml, item));
  return EntryOf<MqttConnector>("mqtt", std::move(spec));
}

}  // namespace fh::connect
