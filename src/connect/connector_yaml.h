// Reading an entry of connectors.yaml: the typed reads of YamlReader (errors say
// file:line:column) plus what every protocol's entry has, an address and durations.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"
#include "govern/yaml_reader.h"

namespace fh::connect {

class ConnectorYaml : public govern::YamlReader {
 public:
  using YamlReader::YamlReader;

  // host:port, the port defaulting to `default_port`.
  Status HostPort(const YAML::Node& node, std::string_view what, int default_port,
                  std::string* host, int* port) const;
  // A file named in the file being read: relative to its folder.
  std::string FilePath(const std::string& path) const;
  // A duration of 1 ms or more ("500ms", "1s").
  Result<std::chrono::milliseconds> Millis(const YAML::Node& node, std::string_view what) const;
};

}  // namespace fh::connect
