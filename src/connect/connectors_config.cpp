#include "connect/connectors_config.h"

#include <fstream>
#include <sstream>

#include "govern/yaml_reader.h"

namespace fh::connect {

namespace {

class ConfigParser : public govern::YamlReader {
 public:
  using YamlReader::YamlReader;

  Result<ConnectorsConfig> Parse(const std::string& text) const {
    FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(text, name_));
    try {
      ConnectorsConfig c;
      if (!root || root.IsNull()) return c;
      FH_RETURN_IF_ERROR(CheckKeys(root, "connectors", {"mqtt"}));
      if (YAML::Node list = root["mqtt"]) {
        if (!list.IsSequence()) return Error(list, "mqtt: expected a list of connectors");
        for (const YAML::Node& item : list) {
          FH_ASSIGN_OR_RETURN(MqttConnectorSpec spec, Mqtt(item));
          c.mqtt.push_back(std::move(spec));
        }
      }
      return c;
    } catch (const YAML::Exception& e) {
      return FromException(e);
    }
  }

 private:
  Result<MqttConnectorSpec> Mqtt(const YAML::Node& node) const {
    FH_RETURN_IF_ERROR(CheckKeys(
        node, "mqtt",
        {"name", "broker", "client_id", "username", "password", "qos", "keep_alive", "topics"}));
    MqttConnectorSpec s;
    if (!node["name"]) return Error(node, "mqtt: missing 'name'");
    FH_ASSIGN_OR_RETURN(s.name, Scalar(node["name"], "mqtt: name"));
    if (!node["broker"]) return Error(node, "mqtt: missing 'broker' (host:port)");
    FH_ASSIGN_OR_RETURN(std::string broker, Scalar(node["broker"], "mqtt: broker"));
    const size_t colon = broker.rfind(':');
    s.host = broker.substr(0, colon);
    if (colon != std::string::npos) {
      const std::string port = broker.substr(colon + 1);
      char* end = nullptr;
      const long p = std::strtol(port.c_str(), &end, 10);
      if (port.empty() || *end != '\0' || p < 1 || p > 65535) {
        return Error(node["broker"], fmt::format("mqtt: broker '{}': expected host:port", broker));
      }
      s.port = static_cast<int>(p);
    }
    if (node["client_id"]) {
      FH_ASSIGN_OR_RETURN(s.client_id, Scalar(node["client_id"], "mqtt: client_id"));
    }
    if (node["username"]) {
      FH_ASSIGN_OR_RETURN(s.username, Scalar(node["username"], "mqtt: username"));
    }
    if (node["password"]) {
      FH_ASSIGN_OR_RETURN(s.password, Scalar(node["password"], "mqtt: password"));
    }
    if (node["qos"]) {
      FH_ASSIGN_OR_RETURN(int64_t qos, Integer(node["qos"], "mqtt: qos", 0, 1));
      s.qos = static_cast<int>(qos);
    }
    if (node["keep_alive"]) {
      FH_ASSIGN_OR_RETURN(int64_t k, Integer(node["keep_alive"], "mqtt: keep_alive", 2, 3600));
      s.keep_alive_s = static_cast<int>(k);
    }
    if (!node["topics"] || !node["topics"].IsSequence()) {
      return Error(node, "mqtt: 'topics' is a list of {topic, tag, payload, value, time}");
    }
    for (const YAML::Node& t : node["topics"]) {
      FH_RETURN_IF_ERROR(CheckKeys(t, "mqtt: topic", {"topic", "tag", "payload", "value", "time"}));
      TopicMappingSpec m;
      if (!t["topic"]) return Error(t, "mqtt: topic: missing 'topic'");
      FH_ASSIGN_OR_RETURN(m.topic, Scalar(t["topic"], "mqtt: topic"));
      if (t["tag"]) {
        FH_ASSIGN_OR_RETURN(m.tag, Scalar(t["tag"], "mqtt: tag"));
      }
      if (t["payload"]) {
        FH_ASSIGN_OR_RETURN(std::string payload, Scalar(t["payload"], "mqtt: payload"));
        if (payload != "json" && payload != "number") {
          return Error(t["payload"], "mqtt: payload: json or number");
        }
        m.json = payload == "json";
      }
      if (t["value"]) {
        FH_ASSIGN_OR_RETURN(m.value, Scalar(t["value"], "mqtt: value"));
      }
      if (t["time"]) {
        FH_ASSIGN_OR_RETURN(m.time, Scalar(t["time"], "mqtt: time"));
      }
      if (Result<TopicMapping> check = TopicMapping::Make(m); !check.ok()) {
        return Error(t, "mqtt: " + check.status().message());
      }
      s.topics.push_back(std::move(m));
    }
    return s;
  }
};

}  // namespace

Result<ConnectorsConfig> ParseConnectorsConfig(const std::string& text,
                                               std::string_view display_name) {
  return ConfigParser(std::string(display_name)).Parse(text);
}

Result<ConnectorsConfig> LoadConnectorsConfig(const std::filesystem::path& hub_dir) {
  const std::filesystem::path path = hub_dir / "connectors.yaml";
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConnectorsConfig{};
  std::stringstream text;
  text << in.rdbuf();
  return ParseConnectorsConfig(text.str(), path.string());
}

}  // namespace fh::connect
