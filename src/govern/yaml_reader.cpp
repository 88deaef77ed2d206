#include "govern/yaml_reader.h"

#include <algorithm>
#include <cmath>

namespace fh::govern {

Result<YAML::Node> LoadYaml(const std::string& text, std::string_view display_name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return InvalidArgument("{}:{}:{}: {}", display_name, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

Status YamlReader::Error(const YAML::Node& node, std::string_view what) const {
  const YAML::Mark m = node.Mark();
  if (m.line < 0) return InvalidArgument("{}: {}", name_, what);
  return InvalidArgument("{}:{}:{}: {}", name_, m.line + 1, m.column + 1, what);
}

Status YamlReader::FromException(const YAML::Exception& e) const {
  return InvalidArgument("{}:{}:{}: {}", name_, e.mark.line + 1, e.mark.column + 1, e.msg);
}

Status YamlReader::CheckKeys(const YAML::Node& map, std::string_view where,
                             std::span<const std::string_view> allowed) const {
  if (!map.IsMap()) return Error(map, fmt::format("{}: expected a mapping of keys", where));
  for (const auto& kv : map) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
      return Error(kv.first, fmt::format("{}: unknown key '{}' (allowed: {})", where, key, list));
    }
  }
  return Status::Ok();
}

Result<std::string> YamlReader::Scalar(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) return Error(node, fmt::format("{}: expected a single value", what));
  return node.Scalar();
}

Result<std::vector<std::string>> YamlReader::Strings(const YAML::Node& node,
                                                     std::string_view what) const {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (!node.IsSequence()) return Error(node, fmt::format("{}: expected a value or a list", what));
  for (const auto& item : node) {
    FH_ASSIGN_OR_RETURN(std::string s, Scalar(item, what));
    out.push_back(std::move(s));
  }
  return out;
}

Result<bool> YamlReader::Bool(const YAML::Node& node, std::string_view what) const {
  FH_ASSIGN_OR_RETURN(std::string s, Scalar(node, what));
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  return Error(node, fmt::format("{}: expected true or false, not '{}'", what, s));
}

Result<double> YamlReader::Number(const YAML::Node& node, std::string_view what) const {
  FH_ASSIGN_OR_RETURN(std::string s, Scalar(node, what));
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0') {
    return Error(node, fmt::format("{}: expected a number, not '{}'", what, s));
  }
  return v;
}

Result<int64_t> YamlReader::Integer(const YAML::Node& node, std::string_view what, int64_t min,
                                    int64_t max) const {
  FH_ASSIGN_OR_RETURN(double v, Number(node, what));
  if (v != std::floor(v) || v < static_cast<double>(min) || v > static_cast<double>(max)) {
    return Error(node, fmt::format("{}: expected a whole number from {} to {}, not {}", what, min,
                                   max, node.Scalar()));
  }
  return static_cast<int64_t>(v);
}

}  // namespace fh::govern
