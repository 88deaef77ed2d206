#include "connect/connectors_config.h"

#include <fstream>
#include <sstream>

namespace fh::connect {

Result<ConnectorsConfig> ParseConnectorsConfig(const std::string& text,
                                               std::string_view display_name) {
  const ConnectorYaml yaml{std::string(display_name)};
  FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(text, display_name));
  try {
    ConnectorsConfig c;
    if (!root || root.IsNull()) return c;
    std::vector<std::string_view> keys;
    for (const ConnectorProtocol& p : ConnectorProtocols())
      keys.push_back(p.key);
    FH_RETURN_IF_ERROR(yaml.CheckKeys(root, "connectors", keys));
    for (const ConnectorProtocol& p : ConnectorProtocols()) {
      const YAML::Node list = root[std::string(p.key)];
      if (!list) continue;
      if (!list.IsSequence()) {
        return yaml.Error(list, fmt::format("{}: expected a list of {}", p.key, p.items));
      }
      for (const YAML::Node& item : list) {
        FH_ASSIGN_OR_RETURN(ConnectorEntry entry, p.read(yaml, item));
        c.connectors.push_back(std::move(entry));
      }
    }
    return c;
  } catch (const YAML::Exception& e) {
    return yaml.FromException(e);
  }
}

Result<ConnectorsConfig> LoadConnectorsConfig(const std::filesystem::path& hub_dir) {
  const std::filesystem::path path = hub_dir / "connectors.yaml";
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConnectorsConfig{};
  std::stringstream text;
  text << in.rdbuf();
  return ParseConnectorsConfig(text.str(), path.string());
}

Result<std::vector<std::unique_ptr<Connector>>> MakeConnectors(const ConnectorsConfig& config,
                                                               pipeline::StreamIngest& ingest) {
  std::vector<std::unique_ptr<Connector>> out;
  for (const ConnectorEntry& entry : config.connectors) {
    Result<std::unique_ptr<Connector>> c = entry.make(ingest);
    if (!c.ok()) return c.status().WithContext(fmt::format("{} '{}'", entry.protocol, entry.name));
    out.push_back(std::move(c).value());
  }
  return out;
}

}  // namespace fh::connect
