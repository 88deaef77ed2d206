#include "connect/modbus/modbus_config.h"

#include "connect/modbus/modbus_connector.h"

namespace fh::connect {
namespace {

Result<ModbusConnectorSpec> ReadModbusSpec(const ConnectorYaml& y, const YAML::Node& node) {
  FH_RETURN_IF_ERROR(y.CheckKeys(
      node, "modbus", {"name", "device", "unit", "poll", "timeout", "tag_prefix", "registers"}));
  ModbusConnectorSpec s;
  if (!node["name"]) return y.Error(node, "modbus: missing 'name'");
  FH_ASSIGN_OR_RETURN(s.name, y.Scalar(node["name"], "modbus: name"));
  if (!node["device"]) return y.Error(node, "modbus: missing 'device' (host:port)");
  FH_RETURN_IF_ERROR(y.HostPort(node["device"], "modbus: device", 502, &s.host, &s.port));
  if (node["unit"]) {
    FH_ASSIGN_OR_RETURN(int64_t unit, y.Integer(node["unit"], "modbus: unit", 0, 247));
    s.unit = static_cast<int>(unit);
  }
  if (node["poll"]) {
    FH_ASSIGN_OR_RETURN(s.poll, y.Millis(node["poll"], "modbus: poll"));
  }
  if (node["timeout"]) {
    FH_ASSIGN_OR_RETURN(s.timeout, y.Millis(node["timeout"], "modbus: timeout"));
  }
  if (node["tag_prefix"]) {
    FH_ASSIGN_OR_RETURN(s.tag_prefix, y.Scalar(node["tag_prefix"], "modbus: tag_prefix"));
  }
  if (!node["registers"] || !node["registers"].IsSequence()) {
    return y.Error(node, "modbus: 'registers' is a list of {name, address, function, type, ...}");
  }
  for (const YAML::Node& r : node["registers"]) {
    FH_RETURN_IF_ERROR(y.CheckKeys(
        r, "modbus: register",
        {"name", "address", "function", "type", "word_order", "scale", "offset", "unit"}));
    RegisterSpec reg;
    if (!r["name"] || !r["address"]) return y.Error(r, "modbus: a register needs name and address");
    FH_ASSIGN_OR_RETURN(reg.name, y.Scalar(r["name"], "modbus: register: name"));
    FH_ASSIGN_OR_RETURN(int64_t address,
                        y.Integer(r["address"], "modbus: register: address", 0, 65535));
    reg.address = static_cast<int>(address);
    if (r["function"]) {
      FH_ASSIGN_OR_RETURN(std::string f, y.Scalar(r["function"], "modbus: register: function"));
      Result<ModbusFunction> fn = ParseModbusFunction(f);
      if (!fn.ok()) return y.Error(r["function"], "modbus: register: " + fn.status().message());
      reg.function = *fn;
      if (reg.function == ModbusFunction::kCoil || reg.function == ModbusFunction::kDiscreteInput) {
        reg.type = ModbusType::kBool;
      }
    }
    if (r["type"]) {
      FH_ASSIGN_OR_RETURN(std::string t, y.Scalar(r["type"], "modbus: register: type"));
      Result<ModbusType> type = ParseModbusType(t);
      if (!type.ok()) return y.Error(r["type"], "modbus: register: " + type.status().message());
      reg.type = *type;
    }
    if (r["word_order"]) {
      FH_ASSIGN_OR_RETURN(std::string order,
                          y.Scalar(r["word_order"], "modbus: register: word_order"));
      if (order != "big" && order != "little") {
        return y.Error(r["word_order"],
                       "modbus: register: word_order: big (high word first) or little");
      }
      reg.big_endian_words = order == "big";
    }
    if (r["scale"]) {
      FH_ASSIGN_OR_RETURN(reg.scale, y.Number(r["scale"], "modbus: register: scale"));
    }
    if (r["offset"]) {
      FH_ASSIGN_OR_RETURN(reg.offset, y.Number(r["offset"], "modbus: register: offset"));
    }
    if (r["unit"]) {
      FH_ASSIGN_OR_RETURN(reg.unit, y.Scalar(r["unit"], "modbus: register: unit"));
    }
    if (Status ok = CheckRegister(reg); !ok.ok()) return y.Error(r, "modbus: " + ok.message());
    s.registers.push_back(std::move(reg));
  }
  return s;
}

}  // namespace

Result<ConnectorEntry> ReadModbusEntry(const ConnectorYaml& yaml, const YAML::Node& item) {
  FH_ASSIGN_OR_RETURN(ModbusConnectorSpec spec, ReadModbusSpec(yaml, item));
  return EntryOf<ModbusConnector>("modbus", std::move(spec));
}

}  // namespace fh::connect
