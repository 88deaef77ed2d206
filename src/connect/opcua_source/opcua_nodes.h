// The nodes a connector subscribes to, found on the server (docs/connectors.md#opc-ua): a
// node id as written, a browse path walked from the Objects folder, or every variable
// under a node, each with the tag it becomes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_client.h"
#include "connect/opcua_source/opcua_spec.h"

namespace fh::connect {

struct OpcUaItem {
  opcua::NodeId node;
  std::string tag;  // with the connector's tag_prefix
  std::chrono::milliseconds sampling{0};
  std::optional<double> deadband, deadband_percent;
};

struct ResolvedNodes {
  std::vector<OpcUaItem> items;
  // What could not be found, one line each: the node entry's connectors.yaml line and why.
  std::vector<std::string> problems;
};

// Finds `spec`'s nodes on the server `client` is connected to. A node entry that cannot be
// found is a problem, not an error (the others are still collected); an error is a failed
// request. Two entries giving one tag: the first wins, the second is a problem.
Result<ResolvedNodes> ResolveNodes(opcua::Client& client, const OpcUaConnectorSpec& spec);

// "{path}", "{browse_name}" and "{node}" of `tag_template` filled in.
std::string ExpandTagTemplate(std::string_view tag_template, std::string_view path,
                              std::string_view browse_name, std::string_view node);

}  // namespace fh::connect
