// One item of connectors.yaml's `opcua:` list (docs/connectors.md#opc-ua): a server to
// subscribe to, how to reach it securely, and which of its nodes become which tags.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fh::connect {

// Which nodes to subscribe to, one of three ways:
//   node: "ns=2;s=Machine.SpindleSpeed"      a node id, as UA's text form writes it
//   browse_path: "Machine/Spindle/Speed"    browse names from the Objects folder
//   under: "ns=2;s=Machine" (or a path)      every variable below it, to `depth` levels
// and the tag each becomes: `tag` (after the connector's tag_prefix), a template for `under`
// with {path} (the browse names below `under`, joined by '.'), {browse_name} and {node}.
struct OpcUaNodeSpec {
  std::string node;
  std::string browse_path;
  std::string under;
  int depth = 5;  // for `under`: levels of folders and objects below it
  std::string tag;
  std::optional<std::chrono::milliseconds> sampling;  // the connector's when unset
  std::optional<double> deadband;                     // absolute, in the value's unit
  std::optional<double> deadband_percent;             // of the variable's EURange
  int line = 0;                                       // in connectors.yaml, for errors
};

enum class OpcUaSecurityMode { kNone, kSign, kSignAndEncrypt };

struct OpcUaConnectorSpec {
  std::string name;
  std::string endpoint;  // opc.tcp://host:port/path
  // The security policy's short name: None, Basic256Sha256, Aes128_Sha256_RsaOaep.
  std::string security_policy = "None";
  OpcUaSecurityMode security_mode = OpcUaSecurityMode::kNone;
  std::string user;      // "": anonymous
  std::string password;  // from the environment (password_env), never the file
  std::string pki_dir;   // the hub's certificates: own/, trusted/, rejected/
  std::chrono::milliseconds publishing_interval{1000};
  std::chrono::milliseconds sampling_interval{250};
  std::chrono::milliseconds timeout{10000};  // per request
  uint32_t queue_size = 10;                  // per monitored item, on the server
  std::string tag_prefix;
  std::vector<OpcUaNodeSpec> nodes;
};

}  // namespace fh::connect
