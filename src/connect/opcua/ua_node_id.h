// NodeId and ExpandedNodeId (OPC 10000-3 §8.2, OPC 10000-6 §5.2.2.9-10), Guid, and the
// NodeId's text form that connector configurations are written in ("ns=2;s=Machine.Speed").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/opcua/ua_binary.h"

namespace fh::opcua {

struct Guid {
  uint32_t data1 = 0;
  uint16_t data2 = 0;
  uint16_t data3 = 0;
  std::array<uint8_t, 8> data4{};
  bool operator==(const Guid&) const = default;
};
// "72962B91-FA75-4AE6-8D28-B404DC7DAF63" (upper case), and back (either case).
std::string FormatGuid(const Guid& g);
Result<Guid> ParseGuid(std::string_view text);

enum class NodeIdType : uint8_t { kNumeric, kString, kGuid, kOpaque };

struct NodeId {
  uint16_t namespace_index = 0;
  NodeIdType type = NodeIdType::kNumeric;
  uint32_t numeric = 0;  // kNumeric
  std::string text;      // kString: UTF-8; kOpaque: the bytes
  Guid guid;             // kGuid

  static NodeId Numeric(uint16_t ns, uint32_t id) { return {ns, NodeIdType::kNumeric, id, {}, {}}; }
  static NodeId String(uint16_t ns, std::string s) {
    return {ns, NodeIdType::kString, 0, std::move(s), {}};
  }
  static NodeId FromGuid(uint16_t ns, const Guid& g) { return {ns, NodeIdType::kGuid, 0, {}, g}; }
  static NodeId Opaque(uint16_t ns, std::string bytes) {
    return {ns, NodeIdType::kOpaque, 0, std::move(bytes), {}};
  }

  // The null NodeId: numeric 0 in namespace 0.
  bool IsNull() const {
    return namespace_index == 0 && type == NodeIdType::kNumeric && numeric == 0;
  }
  bool IsNumeric(uint16_t ns, uint32_t id) const {
    return type == NodeIdType::kNumeric && namespace_index == ns && numeric == id;
  }
  bool operator==(const NodeId&) const = default;
};

struct ExpandedNodeId {
  NodeId node_id;
  std::string namespace_uri;  // empty: none (the flag 0x80 is not set)
  uint32_t server_index = 0;  // 0: this server (the flag 0x40 is not set)
  bool operator==(const ExpandedNodeId&) const = default;
};

// Text form (OPC 10000-6 §5.3.1.10): "i=2258", "ns=2;s=Machine.Speed",
// "ns=1;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63", "ns=1;b=M/RbKBsRVkePCePcx24oRA==".
// ns=0 is left out when formatting. A string identifier is everything after "s=" (it may
// contain ';' and '=').
Result<NodeId> ParseNodeId(std::string_view text);
std::string FormatNodeId(const NodeId& id);
// As FormatNodeId, with "svr=N;" and "nsu=URI;" in front when set.
std::string FormatExpandedNodeId(const ExpandedNodeId& id);

// Binary encoding. Writing picks the most compact form: two-byte for ns 0 and ids < 256,
// four-byte for ns < 256 and ids < 65536, numeric otherwise.
void Write(Writer& w, const Guid& v);
void Write(Writer& w, const NodeId& v);
void Write(Writer& w, const ExpandedNodeId& v);
Status Read(Reader& r, Guid* out);
Status Read(Reader& r, NodeId* out);
Status Read(Reader& r, ExpandedNodeId* out);

}  // namespace fh::opcua
