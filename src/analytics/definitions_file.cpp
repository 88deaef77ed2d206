#include "analytics/definitions_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fh::analytics {

Status YamlError(const std::string& file, const YAML::Node& node, std::string message) {
  return InvalidArgument("{}:{}: {}", file, node.Mark().line + 1, message);
}

Result<YAML::Node> DefinitionList(const std::string& yaml, const std::string& file,
                                  const std::string& key,
                                  std::initializer_list<std::string_view> other_keys) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    return InvalidArgument("{}:{}: {}", file, e.mark.line + 1, e.msg);
  }
  if (!root || root.IsNull()) return YAML::Node();
  if (!root.IsMap()) {
    return YamlError(file, root, fmt::format("expected a mapping with the key '{}'", key));
  }
  for (const auto& kv : root) {
    const std::string name = kv.first.Scalar();
    if (name != key && std::find(other_keys.begin(), other_keys.end(), name) == other_keys.end()) {
      return YamlError(file, kv.first, fmt::format("unknown key '{}'", kv.first.Scalar()));
    }
  }
  YAML::Node list = root[key];
  if (!list || list.IsNull()) return YAML::Node();
  if (!list.IsSequence()) return YamlError(file, list, key + " must be a list");
  return list;
}

Result<std::string> ReadItemName(const std::string& file, const YAML::Node& n,
                                 const std::string& where, std::span<const std::string_view> keys) {
  if (!n.IsMap()) return YamlError(file, n, where + " must be a mapping");
  for (const auto& kv : n) {
    const std::string key = kv.first.Scalar();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      return YamlError(file, kv.first, fmt::format("unknown key '{}.{}'", where, key));
    }
  }
  if (!n["name"]) return YamlError(file, n, where + " needs a name");
  FH_ASSIGN_OR_RETURN(std::string name,
                      YamlAs<std::string>(file, n["name"], where + ".name", "a text"));
  if (name.empty()) return YamlError(file, n["name"], where + ".name is empty");
  return name;
}

Result<std::optional<std::string>> ReadDefinitionsFile(const std::string& path,
                                                       std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("{}: cannot read the {}", path, what);
  std::ostringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

}  // namespace fh::analytics
