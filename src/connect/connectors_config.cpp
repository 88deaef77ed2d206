#include "connect/connectors_config.h"

#include <fstream>
#include <sstream>

#include "common/time.h"
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
      FH_RETURN_IF_ERROR(CheckKeys(root, "connectors", {"mqtt", "modbus"}));
      if (YAML::Node list = root["mqtt"]) {
        if (!list.IsSequence()) return Error(list, "mqtt: expected a list of connectors");
        for (const YAML::Node& item : list) {
          FH_ASSIGN_OR_RETURN(MqttConnectorSpec spec, Mqtt(item));
          c.mqtt.push_back(std::move(spec));
        }
      }
      if (YAML::Node list = root["modbus"]) {
        if (!list.IsSequence()) return Error(list, "modbus: expected a list of devices");
        for (const YAML::Node& item : list) {
          FH_ASSIGN_OR_RETURN(ModbusConnectorSpec spec, Modbus(item));
          c.modbus.push_back(std::move(spec));
        }
      }
      return c;
    } catch (const YAML::Exception& e) {
      return FromException(e);
    }
  }

 private:
  // host:port, the port defaulting to `default_port`.
  Status HostPort(const YAML::Node& node, std::string_view what, int default_port,
                  std::string* host, int* port) const {
    FH_ASSIGN_OR_RETURN(std::string text, Scalar(node, what));
    const size_t colon = text.rfind(':');
    *host = text.substr(0, colon);
    *port = default_port;
    if (colon != std::string::npos) {
      const std::string digits = text.substr(colon + 1);
      char* end = nullptr;
      const long p = std::strtol(digits.c_str(), &end, 10);
      if (digits.empty() || *end != '\0' || p < 1 || p > 65535) {
        return Error(node, fmt::format("{} '{}': expected host:port", what, text));
      }
      *port = static_cast<int>(p);
    }
    if (host->empty()) return Error(node, fmt::format("{} '{}': no host", what, text));
    return Status::Ok();
  }

  Result<std::chrono::milliseconds> Millis(const YAML::Node& node, std::string_view what) const {
    FH_ASSIGN_OR_RETURN(std::string text, Scalar(node, what));
    Result<int64_t> ns = ParseDuration(text);
    if (!ns.ok() || *ns < 1'000'000) {
      return Error(
          node, fmt::format("{}: '{}' is not a duration of 1ms or more (500ms, 1s)", what, text));
    }
    return std::chrono::milliseconds(*ns / 1'000'000);
  }

  Result<ModbusConnectorSpec> Modbus(const YAML::Node& node) const {
    FH_RETURN_IF_ERROR(CheckKeys(
        node, "modbus", {"name", "device", "unit", "poll", "timeout", "tag_prefix", "registers"}));
    ModbusConnectorSpec s;
    if (!node["name"]) return Error(node, "modbus: missing 'name'");
    FH_ASSIGN_OR_RETURN(s.name, Scalar(node["name"], "modbus: name"));
    if (!node["device"]) return Error(node, "modbus: missing 'device' (host:port)");
    FH_RETURN_IF_ERROR(HostPort(node["device"], "modbus: device", 502, &s.host, &s.port));
    if (node["unit"]) {
      FH_ASSIGN_OR_RETURN(int64_t unit, Integer(node["unit"], "modbus: unit", 0, 247));
      s.unit = static_cast<int>(unit);
    }
    if (node["poll"]) {
      FH_ASSIGN_OR_RETURN(s.poll, Millis(node["poll"], "modbus: poll"));
    }
    if (node["timeout"]) {
      FH_ASSIGN_OR_RETURN(s.timeout, Millis(node["timeout"], "modbus: timeout"));
    }
    if (node["tag_prefix"]) {
      FH_ASSIGN_OR_RETURN(s.tag_prefix, Scalar(node["tag_prefix"], "modbus: tag_prefix"));
    }
    if (!node["registers"] || !node["registers"].IsSequence()) {
      return Error(node, "modbus: 'registers' is a list of {name, address, function, type, ...}");
    }
    for (const YAML::Node& r : node["registers"]) {
      FH_RETURN_IF_ERROR(CheckKeys(
          r, "modbus: register",
          {"name", "address", "function", "type", "word_order", "scale", "offset", "unit"}));
      RegisterSpec reg;
      if (!r["name"] || !r["address"]) return Error(r, "modbus: a register needs name and address");
      FH_ASSIGN_OR_RETURN(reg.name, Scalar(r["name"], "modbus: register: name"));
      FH_ASSIGN_OR_RETURN(int64_t address,
                          Integer(r["address"], "modbus: register: address", 0, 65535));
      reg.address = static_cast<int>(address);
      if (r["function"]) {
        FH_ASSIGN_OR_RETURN(std::string f, Scalar(r["function"], "modbus: register: function"));
        Result<ModbusFunction> fn = ParseModbusFunction(f);
        if (!fn.ok()) return Error(r["function"], "modbus: register: " + fn.status().message());
        reg.function = *fn;
        if (reg.function == ModbusFunction::kCoil ||
            reg.function == ModbusFunction::kDiscreteInput) {
          reg.type = ModbusType::kBool;
        }
      }
      if (r["type"]) {
        FH_ASSIGN_OR_RETURN(std::string t, Scalar(r["type"], "modbus: register: type"));
        Result<ModbusType> type = ParseModbusType(t);
        if (!type.ok()) return Error(r["type"], "modbus: register: " + type.status().message());
        reg.type = *type;
      }
      if (r["word_order"]) {
        FH_ASSIGN_OR_RETURN(std::string order,
                            Scalar(r["word_order"], "modbus: register: word_order"));
        if (order != "big" && order != "little") {
          return Error(r["word_order"],
                       "modbus: register: word_order: big (high word first) or little");
        }
        reg.big_endian_words = order == "big";
      }
      if (r["scale"]) {
        FH_ASSIGN_OR_RETURN(reg.scale, Number(r["scale"], "modbus: register: scale"));
      }
      if (r["offset"]) {
        FH_ASSIGN_OR_RETURN(reg.offset, Number(r["offset"], "modbus: register: offset"));
      }
      if (r["unit"]) {
        FH_ASSIGN_OR_RETURN(reg.unit, Scalar(r["unit"], "modbus: register: unit"));
      }
      if (Status ok = CheckRegister(reg); !ok.ok()) return Error(r, "modbus: " + ok.message());
      s.registers.push_back(std::move(reg));
    }
    return s;
  }

  Result<MqttConnectorSpec> Mqtt(const YAML::Node& node) const {
    FH_RETURN_IF_ERROR(CheckKeys(node, "mqtt",
                                 {"name", "broker", "client_id", "username", "password", "qos",
                                  "keep_alive", "topics", "sparkplug", "sparkplug_host"}));
    MqttConnectorSpec s;
    if (!node["name"]) return Error(node, "mqtt: missing 'name'");
    FH_ASSIGN_OR_RETURN(s.name, Scalar(node["name"], "mqtt: name"));
    if (!node["broker"]) return Error(node, "mqtt: missing 'broker' (host:port)");
    FH_RETURN_IF_ERROR(HostPort(node["broker"], "mqtt: broker", 1883, &s.host, &s.port));
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
    if (node["sparkplug"]) {
      FH_ASSIGN_OR_RETURN(s.sparkplug_groups, Strings(node["sparkplug"], "mqtt: sparkplug"));
    }
    if (node["sparkplug_host"]) {
      FH_ASSIGN_OR_RETURN(s.sparkplug_host_id,
                          Scalar(node["sparkplug_host"], "mqtt: sparkplug_host"));
      if (s.sparkplug_groups.empty()) {
        return Error(node["sparkplug_host"], "mqtt: sparkplug_host needs 'sparkplug' (its groups)");
      }
      if (s.sparkplug_host_id.empty() ||
          s.sparkplug_host_id.find_first_of("/+#") != std::string::npos) {
        return Error(node["sparkplug_host"], "mqtt: sparkplug_host: an id without '/', '+' or '#'");
      }
    }
    if (!node["topics"] && !s.sparkplug_groups.empty()) return s;
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

Result<std::vector<std::unique_ptr<Connector>>> MakeConnectors(ConnectorsConfig config,
                                                               pipeline::StreamIngest& ingest) {
  std::vector<std::unique_ptr<Connector>> out;
  for (MqttConnectorSpec& spec : config.mqtt) {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<MqttConnector> c,
                        MqttConnector::Make(std::move(spec), ingest));
    out.push_back(std::move(c));
  }
  for (ModbusConnectorSpec& spec : config.modbus) {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<ModbusConnector> c,
                        ModbusConnector::Make(std::move(spec), ingest));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace fh::connect
