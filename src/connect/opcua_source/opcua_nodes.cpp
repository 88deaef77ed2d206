#include "connect/opcua_source/opcua_nodes.h"

#include <unordered_set>

namespace fh::connect {
namespace {

// Properties (EURange, EngineeringUnits, ...) are variables too, but describe their parent:
// not signals to collect.
constexpr uint32_t kPropertyType = 68;

bool IsProperty(const opcua::ReferenceDescription& r) {
  return r.type_definition.node_id.IsNumeric(0, kPropertyType);
}

// A browse name in a path: "2:Speed" names its namespace; "Speed" matches any.
bool NameMatches(const opcua::QualifiedName& name, std::string_view segment) {
  const size_t colon = segment.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      segment.substr(0, colon).find_first_not_of("0123456789") == std::string_view::npos) {
    return std::to_string(name.namespace_index) == segment.substr(0, colon) &&
           name.name == segment.substr(colon + 1);
  }
  return name.name == segment;
}

// The node `path` ("Machine/Spindle/Speed") leads to from the Objects folder.
Result<opcua::NodeId> WalkBrowsePath(opcua::Client& client, std::string_view path) {
  opcua::NodeId at = opcua::NodeId::Numeric(0, opcua::node_ids::kObjectsFolder);
  std::string walked = "Objects";
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty()) continue;
    FH_ASSIGN_OR_RETURN(std::vector<opcua::ReferenceDescription> refs, client.Browse(at));
    const opcua::ReferenceDescription* next = nullptr;
    for (const opcua::ReferenceDescription& r : refs) {
      if (r.is_forward && NameMatches(r.browse_name, segment)) {
        next = &r;
        break;
      }
    }
    if (next == nullptr) {
      return NotFound("no '{}' under {} ({} references there)", segment, walked, refs.size());
    }
    at = next->node_id.node_id;
    walked += "/" + std::string(segment);
  }
  return at;
}

// A tag name's default for a node id: its identifier's text ("Machine.Speed" of
// "ns=2;s=Machine.Speed", "i=2258" for a numeric one).
std::string DefaultTagOf(const opcua::NodeId& id) {
  if (id.type == opcua::NodeIdType::kString) return id.text;
  return opcua::FormatNodeId(id);
}

struct Collector {
  const OpcUaConnectorSpec& spec;
  ResolvedNodes& out;
  std::unordered_set<std::string> tags;

  void Add(const OpcUaNodeSpec& entry, opcua::NodeId node, std::string tag) {
    tag = spec.tag_prefix + tag;
    if (!IsValidTagName(tag)) {
      out.problems.push_back(fmt::format("connectors.yaml:{}: the tag of {} would be {} bytes",
                                         entry.line, opcua::FormatNodeId(node), tag.size()));
      return;
    }
    if (!tags.insert(tag).second) {
      out.problems.push_back(fmt::format("connectors.yaml:{}: tag '{}' of {} is given already",
                                         entry.line, tag, opcua::FormatNodeId(node)));
      return;
    }
    out.items.push_back({std::move(node), std::move(tag),
                         entry.sampling.value_or(spec.sampling_interval), entry.deadband,
                         entry.deadband_percent});
  }
};

// Every variable below `node` to `depth` levels of objects and folders, by browse path.
Status CollectUnder(opcua::Client& client, const OpcUaNodeSpec& entry, const opcua::NodeId& node,
                    const std::string& path, int depth, Collector& c,
                    std::unordered_set<std::string>& visited) {
  FH_ASSIGN_OR_RETURN(std::vector<opcua::ReferenceDescription> refs, client.Browse(node));
  for (const opcua::ReferenceDescription& r : refs) {
    if (!r.is_forward || !r.node_id.namespace_uri.empty() || r.node_id.server_index != 0) continue;
    const opcua::NodeId& child = r.node_id.node_id;
    // Address spaces have cycles (Organizes back up, shared folders): each node once.
    if (!visited.insert(opcua::FormatNodeId(child)).second) continue;
    const std::string child_path =
        path.empty() ? r.browse_name.name : path + "." + r.browse_name.name;
    if (r.node_class == opcua::NodeClass::kVariable) {
      if (IsProperty(r)) continue;
      c.Add(entry, child,
            ExpandTagTemplate(entry.tag, child_path, r.browse_name.name, DefaultTagOf(child)));
    } else if (r.node_class == opcua::NodeClass::kObject && depth > 1) {
      FH_RETURN_IF_ERROR(CollectUnder(client, entry, child, child_path, depth - 1, c, visited));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string ExpandTagTemplate(std::string_view tag_template, std::string_view path,
                              std::string_view browse_name, std::string_view node) {
  std::string out;
  out.reserve(tag_template.size() + path.size());
  for (size_t i = 0; i < tag_template.size();) {
    bool replaced = false;
    for (auto [name, value] : {std::pair{std::string_view("{path}"), path},
                               std::pair{std::string_view("{browse_name}"), browse_name},
                               std::pair{std::string_view("{node}"), node}}) {
      if (tag_template.substr(i, name.size()) == name) {
        out += value;
        i += name.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += tag_template[i++];
  }
  return out;
}

Result<ResolvedNodes> ResolveNodes(opcua::Client& client, const OpcUaConnectorSpec& spec) {
  ResolvedNodes out;
  Collector c{spec, out, {}};
  for (const OpcUaNodeSpec& entry : spec.nodes) {
    if (!entry.node.empty()) {
      FH_ASSIGN_OR_RETURN(opcua::NodeId id, opcua::ParseNodeId(entry.node));
      std::string tag = entry.tag.empty() ? DefaultTagOf(id)
                                          : ExpandTagTemplate(entry.tag, DefaultTagOf(id),
                                                              DefaultTagOf(id), DefaultTagOf(id));
      c.Add(entry, std::move(id), std::move(tag));
      continue;
    }
    if (!entry.browse_path.empty()) {
      Result<opcua::NodeId> id = WalkBrowsePath(client, entry.browse_path);
      if (!id.ok()) {
        if (id.status().code() != StatusCode::kNotFound) return id.status();
        out.problems.push_back(fmt::format("connectors.yaml:{}: browse_path '{}': {}", entry.line,
                                           entry.browse_path, id.status().message()));
        continue;
      }
      const size_t slash = entry.browse_path.find_last_of('/');
      const std::string last =
          slash == std::string::npos ? entry.browse_path : entry.browse_path.substr(slash + 1);
      std::string path = entry.browse_path;
      std::replace(path.begin(), path.end(), '/', '.');
      c.Add(entry, *id,
            entry.tag.empty() ? last : ExpandTagTemplate(entry.tag, path, last, DefaultTagOf(*id)));
      continue;
    }
    // under: a node id, or a browse path from Objects.
    Result<opcua::NodeId> root = entry.under.find('=') != std::string::npos
                                     ? opcua::ParseNodeId(entry.under)
                                     : WalkBrowsePath(client, entry.under);
    if (!root.ok()) {
      if (root.status().code() != StatusCode::kNotFound) return root.status();
      out.problems.push_back(fmt::format("connectors.yaml:{}: under '{}': {}", entry.line,
                                         entry.under, root.status().message()));
      continue;
    }
    const size_t before = out.items.size();
    std::unordered_set<std::string> visited{opcua::FormatNodeId(*root)};
    FH_RETURN_IF_ERROR(CollectUnder(client, entry, *root, "", entry.depth, c, visited));
    if (out.items.size() == before) {
      out.problems.push_back(
          fmt::format("connectors.yaml:{}: no variable under '{}' within {} "
                      "levels",
                      entry.line, entry.under, entry.depth));
    }
  }
  return out;
}

}  // namespace fh::connect
