// An OPC UA server's address space for the dashboard's node picker (docs/api.md):
// GET /api/v1/opcua/browse opens one node per request — the server of a configured connector
// (connector=NAME, with its identity and security) or any opc.tcp endpoint (policy None) — and
// answers its children with node ids, classes and the variables' values. Engineers only: it makes
// the hub connect to the address given, which a viewer must not be able to point at the plant's
// network.
#include "api/http_reply.h"
#include "api/routes.h"
#include "connect/connectors_config.h"
#include "connect/opcua/status_code.h"
#include "connect/opcua_source/opcua_browse.h"
#include "connect/opcua_source/opcua_connector.h"
#include "connect/opcua_source/opcua_spec.h"

namespace fh::api {
namespace {

// Short: a worker thread waits for the server.
constexpr std::chrono::milliseconds kBrowseTimeout{5000};

}  // namespace

void HandleOpcUaBrowse(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"endpoint", "connector", "node", "values"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  opcua::ClientOptions options;  // anonymous, policy None: an endpoint given as it is
  std::string endpoint = req.Param("endpoint");
  const std::string connector = req.Param("connector");
  if (endpoint.empty() == connector.empty()) {
    return ReplyError(res,
                      InvalidArgument("give endpoint (opc.tcp://host:port) or connector (the "
                                      "name of an opcua entry of connectors.yaml)"),
                      endpoint.empty() ? "endpoint" : "connector");
  }
  if (!connector.empty()) {
    Result<connect::ConnectorsConfig> config = connect::LoadConnectorsConfig(hub.dir());
    if (!config.ok()) return ReplyError(res, config.status());
    const connect::OpcUaConnectorSpec* spec = nullptr;
    for (const connect::OpcUaConnectorSpec* s : config->Specs<connect::OpcUaConnectorSpec>()) {
      if (s->name == connector) spec = s;
    }
    if (spec == nullptr) {
      return ReplyError(res, NotFound("connectors.yaml has no opcua connector '{}'", connector),
                        "connector");
    }
    // The connector's own settings: its user, its security and the hub's trust list.
    endpoint = spec->endpoint;
    options = connect::OpcUaClientOptions(*spec);
  } else if (!endpoint.starts_with("opc.tcp://")) {
    return ReplyError(res, InvalidArgument("endpoint: opc.tcp://host:port[/path]"), "endpoint");
  }
  opcua::NodeId node = opcua::NodeId::Numeric(0, opcua::node_ids::kObjectsFolder);
  if (const std::string text = req.Param("node"); !text.empty()) {
    Result<opcua::NodeId> parsed = opcua::ParseNodeId(text);
    if (!parsed.ok()) return ReplyError(res, parsed.status(), "node");
    node = *parsed;
  }
  const std::string values = req.Param("values");
  if (!values.empty() && values != "true" && values != "false") {
    return ReplyError(res, InvalidArgument("values must be true or false"), "values");
  }
  options.session_name = "factoryhub dashboard";
  options.request_timeout = kBrowseTimeout;
  options.channel.connect_timeout = kBrowseTimeout;
  options.channel.request_timeout = kBrowseTimeout;
  opcua::Client client(options);
  Result<std::vector<connect::BrowsedNode>> nodes =
      [&]() -> Result<std::vector<connect::BrowsedNode>> {
    FH_RETURN_IF_ERROR(client.Connect(endpoint));
    return connect::BrowseLevel(client, node, values != "false");
  }();
  client.Close();
  if (!nodes.ok()) {
    // The server's answer, not the hub's fault: a gateway error the page shows as it is.
    return ReplyJson(res, {{"error", fmt::format("{}: {}", endpoint, nodes.status().message())}},
                     502);
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const connect::BrowsedNode& n : *nodes) {
    nlohmann::ordered_json j = {{"browse_name", n.browse_name},
                                {"node", n.node},
                                {"class", n.node_class},
                                {"local", n.local}};
    if (n.value) {
      j["value"] = connect::ValueText(*n.value);
      j["status"] = opcua::StatusName(n.value->status);
    }
    list.push_back(std::move(j));
  }
  ReplyJson(res, {{"endpoint", endpoint}, {"node", opcua::FormatNodeId(node)}, {"nodes", list}});
}

}  // namespace fh::api
