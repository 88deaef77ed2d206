// Looking at an OPC UA server's address space, one level at a time, for the person writing a
// connector's nodes: `factoryhub opcua browse` walks it, the dashboard's browser
// (GET /api/v1/opcua/browse) opens one node per click.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_client.h"

namespace fh::connect {

struct BrowsedNode {
  std::string browse_name;
  std::string node;                       // its node id, as connectors.yaml writes it
  std::string node_class;                 // Object, Variable, Method, ...
  bool local = true;                      // on this server (not a reference into another one)
  std::optional<opcua::DataValue> value;  // a variable's, when asked
};

// The nodes `node` references forward (hierarchically: organizes, components, properties),
// each once; with `read_values`, the variables' values in one Read.
Result<std::vector<BrowsedNode>> BrowseLevel(opcua::Client& client, const opcua::NodeId& node,
                                             bool read_values);

// A value as a person reads it: 1042, true, "O0002", [5, -2.5, 100], with a status that is
// not Good after it.
std::string ValueText(const opcua::DataValue& v);
std::string_view NodeClassName(opcua::NodeClass c);

}  // namespace fh::connect
