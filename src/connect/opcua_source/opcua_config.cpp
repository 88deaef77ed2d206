#include "connect/opcua_source/opcua_config.h"

#include <cstdlib>

#include "connect/opcua/ua_node_id.h"
#include "connect/opcua_source/opcua_connector.h"

namespace fh::connect {
namespace {

Status ReadSecurity(const ConnectorYaml& y, const YAML::Node& node, OpcUaConnectorSpec& s) {
  // security: none, or {policy, mode}.
  if (node.IsScalar()) {
    FH_ASSIGN_OR_RETURN(const std::string none, y.Scalar(node, "opcua: security"));
    if (none != "none" && none != "None") {
      return y.Error(node,
                     "opcua: security: none, or {policy: Basic256Sha256 | "
                     "Aes128_Sha256_RsaOaep, mode: Sign | SignAndEncrypt}");
    }
    return Status::Ok();
  }
  FH_RETURN_IF_ERROR(y.CheckKeys(node, "opcua: security", {"policy", "mode"}));
  if (!node["policy"]) return y.Error(node, "opcua: security: missing 'policy'");
  FH_ASSIGN_OR_RETURN(s.security_policy, y.Scalar(node["policy"], "opcua: security: policy"));
  if (s.security_policy != "None" && s.security_policy != "Basic256Sha256" &&
      s.security_policy != "Aes128_Sha256_RsaOaep") {
    return y.Error(node["policy"],
                   "opcua: security: policy: None, Basic256Sha256 or Aes128_Sha256_RsaOaep (the "
                   "older Basic128Rsa15 and Basic256 are deprecated: SHA-1 signatures)");
  }
  std::string mode = s.security_policy == "None" ? "None" : "SignAndEncrypt";
  if (node["mode"]) {
    FH_ASSIGN_OR_RETURN(mode, y.Scalar(node["mode"], "opcua: security: mode"));
  }
  if (mode == "None") {
    s.security_mode = OpcUaSecurityMode::kNone;
  } else if (mode == "Sign") {
    s.security_mode = OpcUaSecurityMode::kSign;
  } else if (mode == "SignAndEncrypt") {
    s.security_mode = OpcUaSecurityMode::kSignAndEncrypt;
  } else {
    return y.Error(node["mode"], "opcua: security: mode: Sign or SignAndEncrypt");
  }
  if ((s.security_policy == "None") != (s.security_mode == OpcUaSecurityMode::kNone)) {
    return y.Error(node, "opcua: security: policy None goes with mode None, and only it");
  }
  return Status::Ok();
}

Result<OpcUaNodeSpec> ReadNode(const ConnectorYaml& y, const YAML::Node& n) {
  FH_RETURN_IF_ERROR(y.CheckKeys(n, "opcua: node",
                                 {"node", "browse_path", "under", "depth", "tag", "sampling",
                                  "deadband", "deadband_percent"}));
  OpcUaNodeSpec spec;
  spec.line = n.Mark().line + 1;
  int ways = 0;
  for (auto [key, out] :
       {std::pair{"node", &spec.node}, std::pair{"browse_path", &spec.browse_path},
        std::pair{"under", &spec.under}}) {
    if (!n[key]) continue;
    ++ways;
    FH_ASSIGN_OR_RETURN(*out, y.Scalar(n[key], fmt::format("opcua: node: {}", key)));
    if (out->empty()) return y.Error(n[key], fmt::format("opcua: node: {} is empty", key));
  }
  if (ways != 1) {
    return y.Error(n,
                   "opcua: a node is one of node (a node id), browse_path (names from "
                   "Objects) or under (every variable below)");
  }
  // A node id written wrong is found now, not at the first connection.
  for (const std::string* text : {&spec.node, &spec.under}) {
    if (text->empty() || (text == &spec.under && text->find('=') == std::string::npos)) continue;
    if (Result<opcua::NodeId> id = opcua::ParseNodeId(*text); !id.ok()) {
      return y.Error(n, "opcua: node: " + id.status().message());
    }
  }
  if (n["depth"]) {
    if (spec.under.empty()) return y.Error(n["depth"], "opcua: node: depth goes with under");
    FH_ASSIGN_OR_RETURN(const int64_t depth, y.Integer(n["depth"], "opcua: node: depth", 1, 20));
    spec.depth = static_cast<int>(depth);
  }
  if (n["tag"]) {
    FH_ASSIGN_OR_RETURN(spec.tag, y.Scalar(n["tag"], "opcua: node: tag"));
  } else if (!spec.under.empty()) {
    spec.tag = "{path}";
  }
  if (n["sampling"]) {
    FH_ASSIGN_OR_RETURN(spec.sampling, y.Millis(n["sampling"], "opcua: node: sampling"));
  }
  if (n["deadband"] && n["deadband_percent"]) {
    return y.Error(n, "opcua: node: deadband (absolute) or deadband_percent, not both");
  }
  if (n["deadband"]) {
    FH_ASSIGN_OR_RETURN(spec.deadband, y.Number(n["deadband"], "opcua: node: deadband"));
    if (*spec.deadband < 0) return y.Error(n["deadband"], "opcua: node: deadband: 0 or more");
  }
  if (n["deadband_percent"]) {
    FH_ASSIGN_OR_RETURN(spec.deadband_percent,
                        y.Number(n["deadband_percent"], "opcua: node: deadband_percent"));
    if (*spec.deadband_percent < 0 || *spec.deadband_percent > 100) {
      return y.Error(n["deadband_percent"], "opcua: node: deadband_percent: 0 to 100");
    }
  }
  return spec;
}

}  // namespace

Result<OpcUaConnectorSpec> ReadOpcUaSpec(const ConnectorYaml& y, const YAML::Node& node) {
  FH_RETURN_IF_ERROR(y.CheckKeys(
      node, "opcua",
      {"name", "endpoint", "security", "user", "password", "password_env", "publishing_interval",
       "sampling_interval", "queue_size", "timeout", "tag_prefix", "nodes"}));
  OpcUaConnectorSpec s;
  if (!node["name"]) return y.Error(node, "opcua: missing 'name'");
  FH_ASSIGN_OR_RETURN(s.name, y.Scalar(node["name"], "opcua: name"));
  if (!node["endpoint"]) return y.Error(node, "opcua: missing 'endpoint' (opc.tcp://host:port)");
  FH_ASSIGN_OR_RETURN(s.endpoint, y.Scalar(node["endpoint"], "opcua: endpoint"));
  if (!s.endpoint.starts_with("opc.tcp://") || s.endpoint.size() <= 10) {
    return y.Error(node["endpoint"], "opcua: endpoint: opc.tcp://host:port[/path]");
  }
  if (node["security"]) FH_RETURN_IF_ERROR(ReadSecurity(y, node["security"], s));
  if (node["user"]) {
    FH_ASSIGN_OR_RETURN(s.user, y.Scalar(node["user"], "opcua: user"));
  }
  // A secret is never kept in connectors.yaml (a file people copy, mail and commit).
  if (node["password"]) {
    return y.Error(node["password"],
                   "opcua: password: secrets are not kept in connectors.yaml; name an "
                   "environment variable that holds it with password_env: (e.g. password_env: "
                   "FH_OPCUA_PASSWORD)");
  }
  if (node["password_env"]) {
    if (s.user.empty()) return y.Error(node["password_env"], "opcua: password_env needs 'user'");
    FH_ASSIGN_OR_RETURN(const std::string name,
                        y.Scalar(node["password_env"], "opcua: password_env"));
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return y.Error(node["password_env"],
                     fmt::format("opcua: password_env: the environment has no {}", name));
    }
    s.password = value;
  } else if (!s.user.empty()) {
    return y.Error(node["user"],
                   "opcua: user needs password_env (the variable holding the "
                   "password)");
  }
  if (node["publishing_interval"]) {
    FH_ASSIGN_OR_RETURN(s.publishing_interval,
                        y.Millis(node["publishing_interval"], "opcua: publishing_interval"));
  }
  if (node["sampling_interval"]) {
    FH_ASSIGN_OR_RETURN(s.sampling_interval,
                        y.Millis(node["sampling_interval"], "opcua: sampling_interval"));
  }
  if (node["timeout"]) {
    FH_ASSIGN_OR_RETURN(s.timeout, y.Millis(node["timeout"], "opcua: timeout"));
  }
  if (node["queue_size"]) {
    FH_ASSIGN_OR_RETURN(const int64_t q,
                        y.Integer(node["queue_size"], "opcua: queue_size", 1, 100000));
    s.queue_size = static_cast<uint32_t>(q);
  }
  if (node["tag_prefix"]) {
    FH_ASSIGN_OR_RETURN(s.tag_prefix, y.Scalar(node["tag_prefix"], "opcua: tag_prefix"));
  }
  if (!node["nodes"] || !node["nodes"].IsSequence() || node["nodes"].size() == 0) {
    return y.Error(node, "opcua: 'nodes' is a list of {node | browse_path | under, tag, ...}");
  }
  for (const YAML::Node& n : node["nodes"]) {
    FH_ASSIGN_OR_RETURN(OpcUaNodeSpec spec, ReadNode(y, n));
    s.nodes.push_back(std::move(spec));
  }
  s.pki_dir = y.FilePath(kOpcUaPkiFolder);
  return s;
}

Result<ConnectorEntry> ReadOpcUaEntry(const ConnectorYaml& yaml, const YAML::Node& item) {
  FH_ASSIGN_OR_RETURN(OpcUaConnectorSpec spec, ReadOpcUaSpec(yaml, item));
  return EntryOf<OpcUaConnector>("opcua", std::move(spec));
}

}  // namespace fh::connect
