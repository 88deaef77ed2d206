// The hub's YAML files of named definitions (spc.yaml, alarms.yaml): a mapping whose one key
// holds a list of mappings, each with a name no other has. What reading them shares: errors
// that name the file and the line, a value read as a type or said not to be one, the list
// with its names checked, and a file that is not there being no definitions.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/status.h"

namespace fh::analytics {

// InvalidArgument "FILE:LINE: message", the line of `node`.
Status YamlError(const std::string& file, const YAML::Node& node, std::string message);

// `node` as a T, or an error "KEY: 'TEXT' is not WHAT".
template <typename T>
Result<T> YamlAs(const std::string& file, const YAML::Node& node, const std::string& key,
                 const char* what) {
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    return YamlError(file, node, fmt::format("{}: '{}' is not {}", key, node.Scalar(), what));
  }
}

// The list under `key` of the YAML text: a null node when the text is empty or has no such
// key; an error for a syntax error, a key neither `key` nor one of `other_keys` (the file's
// other lists, read by others), or a `key` that is not a list.
Result<YAML::Node> DefinitionList(const std::string& yaml, const std::string& file,
                                  const std::string& key,
                                  std::initializer_list<std::string_view> other_keys = {});

// The start every item of a definitions list shares: `n` is a mapping with none but `keys`
// ("unknown key 'WHERE.KEY'") and a name that is a text, not empty; the name.
Result<std::string> ReadItemName(const std::string& file, const YAML::Node& n,
                                 const std::string& where, std::span<const std::string_view> keys);

// Each item of the list under `key`, read by `read(node, index)`; an item whose name another
// has is an error "NOUN 'NAME' is defined twice".
template <typename Item, typename Read>
Result<std::vector<Item>> ReadDefinitions(const std::string& yaml, const std::string& file,
                                          const std::string& key, std::string_view noun, Read read,
                                          std::initializer_list<std::string_view> other_keys = {}) {
  FH_ASSIGN_OR_RETURN(const YAML::Node list, DefinitionList(yaml, file, key, other_keys));
  std::vector<Item> out;
  if (!list) return out;
  std::set<std::string, std::less<>> names;
  for (size_t i = 0; i < list.size(); ++i) {
    FH_ASSIGN_OR_RETURN(Item item, read(list[i], i));
    if (!names.insert(item.name).second) {
      return YamlError(file, list[i], fmt::format("{} '{}' is defined twice", noun, item.name));
    }
    out.push_back(std::move(item));
  }
  return out;
}

// The text of the file at `path`, or nullopt when there is none (no definitions).
Result<std::optional<std::string>> ReadDefinitionsFile(const std::string& path,
                                                       std::string_view what);

}  // namespace fh::analytics
