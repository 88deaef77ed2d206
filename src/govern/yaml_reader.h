// Reading YAML documents (mappings, training specs) with errors that say file:line:column
// and what was expected. yaml-cpp reports errors by exception: LoadYaml and the callers'
// try blocks turn them into Status values.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace fh::govern {

// Parses `text`; a syntax error names `display_name`, line and column.
Result<YAML::Node> LoadYaml(const std::string& text, std::string_view display_name);

// Typed reads of a document's nodes; each error names the file and the node's position.
class YamlReader {
 public:
  explicit YamlReader(std::string display_name) : name_(std::move(display_name)) {}

  Status Error(const YAML::Node& node, std::string_view what) const;
  // Every key of `map` must be one of `allowed`.
  Status CheckKeys(const YAML::Node& map, std::string_view where,
                   std::span<const std::string_view> allowed) const;
  Status CheckKeys(const YAML::Node& map, std::string_view where,
                   std::initializer_list<std::string_view> allowed) const {
    return CheckKeys(map, where,
                     std::span<const std::string_view>(allowed.begin(), allowed.size()));
  }
  Result<std::string> Scalar(const YAML::Node& node, std::string_view what) const;
  // A value or a list of values.
  Result<std::vector<std::string>> Strings(const YAML::Node& node, std::string_view what) const;
  Result<bool> Bool(const YAML::Node& node, std::string_view what) const;
  Result<double> Number(const YAML::Node& node, std::string_view what) const;
  // A whole number in [min, max].
  Result<int64_t> Integer(const YAML::Node& node, std::string_view what, int64_t min,
                          int64_t max) const;
  // A yaml-cpp exception (a bad conversion) as an error at its position.
  Status FromException(const YAML::Exception& e) const;

 protected:
  std::string name_;
};

}  // namespace fh::govern
