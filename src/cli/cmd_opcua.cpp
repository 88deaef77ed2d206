// factoryhub opcua browse|read|certificates|trust
//
// What a person needs to set up an OPC UA connector (docs/connectors.md#opc-ua): the server's
// address space with node ids, to write connectors.yaml's nodes; values read once, to check
// them; and the certificates the hub's connectors trust.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "connect/opcua/status_code.h"
#include "connect/opcua/ua_cert_trust.h"
#include "connect/opcua/ua_certificate.h"
#include "connect/opcua/ua_client.h"
#include "connect/opcua_source/opcua_browse.h"
#include "connect/opcua_source/opcua_config.h"

namespace fh::cli {
namespace {

struct OpcUaCli {
  std::string endpoint;
  std::string node;  // browse: where to start
  int depth = 3;
  bool values = false;
  std::vector<std::string> nodes;  // read
  std::string user, password_env;
  int timeout_ms = 10000;
  std::string hub;
  std::string security = "None";  // POLICY[:MODE]
  std::string thumbprint;
  bool json = false;
};

Result<opcua::ClientOptions> ClientOptionsOf(const OpcUaCli& o) {
  opcua::ClientOptions options;
  options.session_name = "factoryhub opcua";
  options.request_timeout = std::chrono::milliseconds(o.timeout_ms);
  options.channel.connect_timeout = options.request_timeout;
  options.channel.request_timeout = options.request_timeout;
  if (!o.user.empty()) {
    if (o.password_env.empty()) {
      return InvalidArgument("--user needs --password-env (the variable holding the password)");
    }
    const char* password = std::getenv(o.password_env.c_str());
    if (password == nullptr) return InvalidArgument("the environment has no {}", o.password_env);
    options.identity = {o.user, password};
  }
  // --security POLICY[:MODE]: the mode is SignAndEncrypt unless given (None with None).
  const size_t colon = o.security.find(':');
  options.security.policy = o.security.substr(0, colon);
  const bool none = opcua::IsSecurityPolicyNone(options.security.policy);
  if (colon != std::string::npos) {
    Result<opcua::MessageSecurityMode> mode =
        opcua::ParseSecurityMode(o.security.substr(colon + 1));
    if (!mode.ok()) return mode.status().WithContext("--security");
    options.security.mode = *mode;
  } else {
    options.security.mode =
        none ? opcua::MessageSecurityMode::kNone : opcua::MessageSecurityMode::kSignAndEncrypt;
  }
  if (!none) {
    const std::string hub = HubDir(o.hub);
    if (hub.empty()) {
      return InvalidArgument(
          "--security {} needs --hub DIR: the hub's {} folder keeps this client's certificate "
          "and the server certificates it trusts",
          o.security, connect::kOpcUaPkiFolder);
    }
    if (!std::filesystem::is_directory(hub)) {
      return NotFound("--hub {}: no such directory", hub);
    }
    options.security.pki_dir = (std::filesystem::path(hub) / connect::kOpcUaPkiFolder).string();
  }
  Result<const opcua::SecurityPolicyProfile*> checked =
      opcua::ResolveSecurityPolicy(options.security);
  if (!checked.ok()) return checked.status().WithContext("--security");
  return options;
}

// Connects; a server certificate refused as untrusted is said with the command that trusts it.
Status ConnectClient(const OpcUaCli& o, opcua::Client& client) {
  Status s = client.Connect(o.endpoint);
  if (s.ok()) return s;
  if (const opcua::Certificate* c = client.untrusted_server_certificate()) {
    const std::string hub = HubDir(o.hub);
    return Status(
        s.code(),
        fmt::format("OPC UA server {}: its certificate {} (SHA-1 thumbprint {}) is not trusted by "
                    "this hub; it was saved in {}. If that thumbprint is the server's (ask its "
                    "owner), trust it with:\n  factoryhub opcua trust --hub {} {}",
                    o.endpoint, c->Subject(), c->ThumbprintHex(),
                    (std::filesystem::path(hub) / connect::kOpcUaPkiFolder / "rejected").string(),
                    hub, c->ThumbprintHex()));
  }
  return s;
}

struct WalkedNode {
  int level = 0;
  std::string path;
  connect::BrowsedNode node;
};

Status RunBrowse(const OpcUaCli& o) {
  FH_ASSIGN_OR_RETURN(opcua::ClientOptions options, ClientOptionsOf(o));
  opcua::Client client(options);
  FH_RETURN_IF_ERROR(ConnectClient(o, client));
  opcua::NodeId root = opcua::NodeId::Numeric(0, opcua::node_ids::kObjectsFolder);
  if (!o.node.empty()) {
    FH_ASSIGN_OR_RETURN(root, opcua::ParseNodeId(o.node));
  }
  std::vector<WalkedNode> found;
  std::set<std::string> visited{opcua::FormatNodeId(root)};
  // Depth first, so the listing reads as a tree; each node once (address spaces have cycles).
  std::function<Status(const opcua::NodeId&, const std::string&, int)> walk =
      [&](const opcua::NodeId& at, const std::string& path, int level) -> Status {
    FH_ASSIGN_OR_RETURN(std::vector<connect::BrowsedNode> level_nodes,
                        connect::BrowseLevel(client, at, o.values));
    for (connect::BrowsedNode& n : level_nodes) {
      if (!visited.insert(n.node).second) continue;
      const std::string child = path.empty() ? n.browse_name : path + "/" + n.browse_name;
      const bool descend = n.local && n.node_class == "Object" && level + 1 < o.depth;
      const std::string id = n.node;
      found.push_back({level, child, std::move(n)});
      if (descend) {
        FH_ASSIGN_OR_RETURN(opcua::NodeId next, opcua::ParseNodeId(id));
        FH_RETURN_IF_ERROR(walk(next, child, level + 1));
      }
    }
    return Status::Ok();
  };
  FH_RETURN_IF_ERROR(walk(root, "", 0));
  client.Close();
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const WalkedNode& w : found) {
      nlohmann::ordered_json j = {{"path", w.path},
                                  {"node", w.node.node},
                                  {"class", w.node.node_class},
                                  {"browse_name", w.node.browse_name}};
      if (w.node.value) {
        j["value"] = connect::ValueText(*w.node.value);
        j["status"] = opcua::StatusName(w.node.value->status);
      }
      list.push_back(std::move(j));
    }
    PrintJson({{"endpoint", o.endpoint}, {"nodes", list}});
    return Status::Ok();
  }
  fmt::print("{} — {} nodes under {} (depth {})\n", o.endpoint, found.size(),
             opcua::FormatNodeId(root), o.depth);
  for (const WalkedNode& w : found) {
    fmt::print("{:{}}{}  {}  {}{}\n", "", 2 * w.level, w.node.browse_name, w.node.node_class,
               w.node.node, w.node.value ? "  = " + connect::ValueText(*w.node.value) : "");
  }
  fmt::print(
      "In connectors.yaml: nodes: [{{node: \"<node id>\", tag: <name>}}], {{browse_path: "
      "\"A/B/C\"}} or {{under: \"<node id>\"}} (docs/connectors.md#opc-ua).\n");
  return Status::Ok();
}

Status RunRead(const OpcUaCli& o) {
  FH_ASSIGN_OR_RETURN(opcua::ClientOptions options, ClientOptionsOf(o));
  std::vector<opcua::NodeId> ids;
  for (const std::string& text : o.nodes) {
    Result<opcua::NodeId> id = opcua::ParseNodeId(text);
    if (!id.ok()) return id.status().WithContext(text);
    ids.push_back(*id);
  }
  opcua::Client client(options);
  FH_RETURN_IF_ERROR(ConnectClient(o, client));
  FH_ASSIGN_OR_RETURN(std::vector<opcua::DataValue> values, client.ReadValues(ids));
  client.Close();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  Table t({{"node"}, {"value"}, {"status"}, {"source time"}});
  for (size_t i = 0; i < values.size() && i < ids.size(); ++i) {
    const opcua::DataValue& v = values[i];
    const std::string time = v.has_source_timestamp && !v.source_timestamp.IsNull()
                                 ? FormatRfc3339(v.source_timestamp.ToUnixNanos())
                                 : "";
    list.push_back({{"node", o.nodes[i]},
                    {"value", connect::ValueText(v)},
                    {"status", opcua::StatusName(v.status)},
                    {"source_time", time}});
    t.AddRow({o.nodes[i], connect::ValueText(v), opcua::StatusName(v.status), time});
  }
  if (o.json) {
    PrintJson(list);
  } else {
    t.Print();
  }
  return Status::Ok();
}

std::filesystem::path PkiOf(const OpcUaCli& o) {
  return std::filesystem::path(HubDir(o.hub)) / connect::kOpcUaPkiFolder;
}

Status RunCertificates(const OpcUaCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  const std::filesystem::path pki = PkiOf(o);
  opcua::CertificateOptions options;
  options.host = opcua::LocalHostName();
  FH_ASSIGN_OR_RETURN(opcua::ApplicationIdentity own,
                      opcua::LoadOrCreateApplicationIdentity(pki, options));
  FH_ASSIGN_OR_RETURN(std::vector<opcua::StoredCertificate> trusted,
                      opcua::ListStoredCertificates(pki, "trusted"));
  FH_ASSIGN_OR_RETURN(std::vector<opcua::StoredCertificate> rejected,
                      opcua::ListStoredCertificates(pki, "rejected"));
  auto row = [](const opcua::Certificate& c) {
    return nlohmann::ordered_json{
        {"subject", c.Subject()},
        {"thumbprint", c.ThumbprintHex()},
        {"not_after", FormatRfc3339(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        c.NotAfter().time_since_epoch())
                                        .count())}};
  };
  if (o.json) {
    nlohmann::ordered_json doc = {{"own", row(own.certificate)},
                                  {"application_uri", own.application_uri},
                                  {"trusted", nlohmann::ordered_json::array()},
                                  {"rejected", nlohmann::ordered_json::array()}};
    for (const auto& c : trusted)
      doc["trusted"].push_back(row(c.certificate));
    for (const auto& c : rejected)
      doc["rejected"].push_back(row(c.certificate));
    PrintJson(doc);
    return Status::Ok();
  }
  fmt::print("This hub's OPC UA client certificate ({}):\n  {}  {}\n  application URI {}\n",
             (pki / "own/cert.der").string(), own.certificate.Subject(),
             own.certificate.ThumbprintHex(), own.application_uri);
  for (const auto& [title, list] : {std::pair{"Trusted servers", &trusted},
                                    std::pair{"Refused servers (not trusted yet)", &rejected}}) {
    fmt::print("{}: {}\n", title, list->empty() ? "none" : "");
    for (const auto& c : *list)
      fmt::print("  {}  {}\n", c.certificate.Subject(), c.certificate.ThumbprintHex());
  }
  if (!rejected.empty()) {
    fmt::print(
        "Trust one (after checking its thumbprint with the server's owner): factoryhub opcua "
        "trust --hub {} <thumbprint>\n",
        o.hub.empty() ? "$FH_HUB" : o.hub);
  }
  return Status::Ok();
}

Status RunTrust(const OpcUaCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  FH_ASSIGN_OR_RETURN(std::filesystem::path moved, opcua::TrustRejected(PkiOf(o), o.thumbprint));
  fmt::print("Trusted: {} (connectors use it from their next connection)\n", moved.string());
  return Status::Ok();
}

void AddClientOptions(CLI::App* sub, OpcUaCli* o) {
  sub->add_option("endpoint", o->endpoint, "The server: opc.tcp://host:port[/path]")->required();
  sub->add_option("--user", o->user, "A user name (default: anonymous)");
  sub->add_option("--password-env", o->password_env,
                  "The environment variable holding --user's password");
  sub->add_option("--timeout", o->timeout_ms, "Per request, in milliseconds (default 10000)")
      ->check(CLI::Range(100, 600000));
  sub->add_option("--security", o->security,
                  "POLICY[:MODE]: None (default), Basic256Sha256 or Aes128_Sha256_RsaOaep, with "
                  "Sign or SignAndEncrypt (default)")
      ->type_name("POLICY[:MODE]");
  sub->add_option("--hub", o->hub,
                  "Hub directory whose pki/opcua keeps the client certificate and the trusted "
                  "servers (needed unless --security None; default: $FH_HUB)")
      ->type_name("DIR");
  AddJsonOption(sub, &o->json);
}

}  // namespace

Command RegisterOpcUa(CLI::App& parent) {
  auto o = std::make_shared<OpcUaCli>();
  auto which = std::make_shared<std::string>();
  CLI::App* sub = parent.add_subcommand(
      "opcua", "OPC UA servers: browse their address space, read values, trust certificates");
  sub->require_subcommand(1);

  CLI::App* browse = sub->add_subcommand(
      "browse",
      "The address space under Objects (or --node): browse names, node classes, node ids");
  AddClientOptions(browse, o.get());
  browse->add_option("--node", o->node, "Where to start (a node id; default: the Objects folder)");
  browse->add_option("--depth", o->depth, "Levels of objects to descend (default 3)")
      ->check(CLI::Range(1, 20));
  browse->add_flag("--values", o->values, "Read each variable's value too");
  browse->callback([which] { *which = "browse"; });

  CLI::App* read = sub->add_subcommand("read", "Values of nodes, read once, with status and time");
  AddClientOptions(read, o.get());
  read->add_option("nodes", o->nodes, "Node ids (ns=2;s=Machine.Speed, i=2258)")->required();
  read->callback([which] { *which = "read"; });

  CLI::App* certificates = sub->add_subcommand(
      "certificates", "This hub's OPC UA client certificate, and the servers it trusts or refused");
  AddHubOption(certificates, &o->hub);
  AddJsonOption(certificates, &o->json);
  certificates->callback([which] { *which = "certificates"; });

  CLI::App* trust = sub->add_subcommand(
      "trust", "Trust a server certificate a connector refused (it is in pki/opcua/rejected/)");
  AddHubOption(trust, &o->hub);
  trust
      ->add_option("thumbprint", o->thumbprint,
                   "Its SHA-1 thumbprint, or enough of its start to tell it from the others")
      ->required();
  trust->callback([which] { *which = "trust"; });

  sub->footer(
      "Examples:\n"
      "  factoryhub opcua browse opc.tcp://10.0.0.31:4840 --depth 4 --values\n"
      "  factoryhub opcua read opc.tcp://10.0.0.31:4840 'ns=2;s=Machine.SpindleSpeed' i=2258\n"
      "  factoryhub opcua browse opc.tcp://10.0.0.31:4840 --security Basic256Sha256:SignAndEncrypt "
      "--hub plant\n"
      "  factoryhub opcua certificates --hub plant\n"
      "  factoryhub opcua trust --hub plant 3f9a0c\n"
      "Connectors subscribe to servers from the hub's connectors.yaml "
      "(docs/connectors.md#opc-ua).");
  return {sub, [o, which]() -> Status {
            if (*which == "browse") return RunBrowse(*o);
            if (*which == "read") return RunRead(*o);
            if (*which == "certificates") return RunCertificates(*o);
            return RunTrust(*o);
          }};
}

}  // namespace fh::cli
