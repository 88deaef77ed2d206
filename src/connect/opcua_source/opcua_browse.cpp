#include "connect/opcua_source/opcua_browse.h"

#include <set>

#include "connect/opcua/status_code.h"

namespace fh::connect {

std::string_view NodeClassName(opcua::NodeClass c) {
  switch (c) {
    case opcua::NodeClass::kObject:
      return "Object";
    case opcua::NodeClass::kVariable:
      return "Variable";
    case opcua::NodeClass::kMethod:
      return "Method";
    case opcua::NodeClass::kObjectType:
      return "ObjectType";
    case opcua::NodeClass::kVariableType:
      return "VariableType";
    case opcua::NodeClass::kReferenceType:
      return "ReferenceType";
    case opcua::NodeClass::kDataType:
      return "DataType";
    case opcua::NodeClass::kView:
      return "View";
    default:
      return "Unspecified";
  }
}

std::string ValueText(const opcua::DataValue& v) {
  std::string text;
  if (!v.has_value || v.value.IsNull()) {
    text = "(no value)";
  } else if (const bool* b = std::get_if<bool>(&v.value.value)) {
    text = *b ? "true" : "false";
  } else if (const std::optional<double> x = v.value.ToDouble(); x && !v.value.is_array) {
    text = fmt::format("{}", *x);
  } else if (const auto* s = std::get_if<std::string>(&v.value.value);
             s && v.value.type == opcua::BuiltinType::kString) {
    text = fmt::format("\"{}\"", *s);
  } else if (const auto* a = std::get_if<std::vector<opcua::Variant>>(&v.value.value)) {
    text = "[";
    for (size_t i = 0; i < a->size() && i < 8; ++i) {
      const std::optional<double> element = (*a)[i].ToDouble();
      text += (i ? ", " : "") + (element ? fmt::format("{}", *element) : std::string("…"));
    }
    text += a->size() > 8 ? fmt::format(", … ({} values)]", a->size()) : "]";
  } else {
    text = fmt::format("({})", opcua::BuiltinTypeName(v.value.type));
  }
  if (v.has_status && !opcua::IsGood(v.status)) text += " " + opcua::StatusName(v.status);
  return text;
}

Result<std::vector<BrowsedNode>> BrowseLevel(opcua::Client& client, const opcua::NodeId& node,
                                             bool read_values) {
  FH_ASSIGN_OR_RETURN(std::vector<opcua::ReferenceDescription> refs, client.Browse(node));
  std::vector<BrowsedNode> out;
  std::set<std::string> seen;
  std::vector<opcua::NodeId> variables;
  std::vector<size_t> where;
  for (const opcua::ReferenceDescription& r : refs) {
    if (!r.is_forward) continue;
    BrowsedNode n;
    n.node = opcua::FormatExpandedNodeId(r.node_id);
    if (!seen.insert(n.node).second) continue;  // two references to one node
    n.browse_name = r.browse_name.name;
    n.node_class = std::string(NodeClassName(r.node_class));
    n.local = r.node_id.namespace_uri.empty() && r.node_id.server_index == 0;
    if (read_values && n.local && r.node_class == opcua::NodeClass::kVariable) {
      variables.push_back(r.node_id.node_id);
      where.push_back(out.size());
    }
    out.push_back(std::move(n));
  }
  if (!variables.empty()) {
    FH_ASSIGN_OR_RETURN(std::vector<opcua::DataValue> values, client.ReadValues(variables));
    for (size_t i = 0; i < values.size() && i < where.size(); ++i)
      out[where[i]].value = std::move(values[i]);
  }
  return out;
}

}  // namespace fh::connect
