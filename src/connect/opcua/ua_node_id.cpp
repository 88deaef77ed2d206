#include "connect/opcua/ua_node_id.h"

#include <charconv>
#include <optional>

#include "common/hex.h"
#include "security/base64.h"

namespace fh::opcua {
namespace node_id_detail {

// The encoding byte's low bits (the form) and its two ExpandedNodeId flags.
constexpr uint8_t kTwoByte = 0;
constexpr uint8_t kFourByte = 1;
constexpr uint8_t kNumeric = 2;
constexpr uint8_t kString = 3;
constexpr uint8_t kGuid = 4;
constexpr uint8_t kByteString = 5;
constexpr uint8_t kNamespaceUriFlag = 0x80;
constexpr uint8_t kServerIndexFlag = 0x40;

template <typename T>
bool ParseUnsigned(std::string_view text, T* out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Writes the encoding byte with `flags` or'ed in, then the identifier.
void WriteNodeIdWithFlags(Writer& w, const NodeId& v, uint8_t flags) {
  switch (v.type) {
    case NodeIdType::kNumeric:
      if (v.namespace_index == 0 && v.numeric <= 0xFF) {
        w.WriteUInt8(kTwoByte | flags);
        w.WriteUInt8(static_cast<uint8_t>(v.numeric));
      } else if (v.namespace_index <= 0xFF && v.numeric <= 0xFFFF) {
        w.WriteUInt8(kFourByte | flags);
        w.WriteUInt8(static_cast<uint8_t>(v.namespace_index));
        w.WriteUInt16(static_cast<uint16_t>(v.numeric));
      } else {
        w.WriteUInt8(kNumeric | flags);
        w.WriteUInt16(v.namespace_index);
        w.WriteUInt32(v.numeric);
      }
      return;
    case NodeIdType::kString:
      w.WriteUInt8(kString | flags);
      w.WriteUInt16(v.namespace_index);
      w.WriteString(v.text);
      return;
    case NodeIdType::kGuid:
      w.WriteUInt8(kGuid | flags);
      w.WriteUInt16(v.namespace_index);
      Write(w, v.guid);
      return;
    case NodeIdType::kOpaque:
      w.WriteUInt8(kByteString | flags);
      w.WriteUInt16(v.namespace_index);
      w.WriteString(v.text);
      return;
  }
}

// Reads a NodeId whose encoding byte may carry the ExpandedNodeId flags; returns them.
Status ReadNodeIdWithFlags(Reader& r, NodeId* out, uint8_t* flags) {
  const size_t at = r.offset();
  uint8_t encoding = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt8(&encoding, "NodeId.Encoding"));
  *flags = encoding & (kNamespaceUriFlag | kServerIndexFlag);
  out->text.clear();
  out->guid = {};
  out->numeric = 0;
  switch (encoding & 0x3F) {
    case kTwoByte: {
      uint8_t id = 0;
      FH_RETURN_IF_ERROR(r.ReadUInt8(&id, "NodeId.Identifier"));
      out->namespace_index = 0;
      out->type = NodeIdType::kNumeric;
      out->numeric = id;
      return Status::Ok();
    }
    case kFourByte: {
      uint8_t ns = 0;
      uint16_t id = 0;
      FH_RETURN_IF_ERROR(r.ReadUInt8(&ns, "NodeId.Namespace"));
      FH_RETURN_IF_ERROR(r.ReadUInt16(&id, "NodeId.Identifier"));
      out->namespace_index = ns;
      out->type = NodeIdType::kNumeric;
      out->numeric = id;
      return Status::Ok();
    }
    case kNumeric:
      out->type = NodeIdType::kNumeric;
      FH_RETURN_IF_ERROR(r.ReadUInt16(&out->namespace_index, "NodeId.Namespace"));
      return r.ReadUInt32(&out->numeric, "NodeId.Identifier");
    case kString:
      out->type = NodeIdType::kString;
      FH_RETURN_IF_ERROR(r.ReadUInt16(&out->namespace_index, "NodeId.Namespace"));
      return r.ReadString(&out->text, "NodeId.Identifier");
    case kGuid:
      out->type = NodeIdType::kGuid;
      FH_RETURN_IF_ERROR(r.ReadUInt16(&out->namespace_index, "NodeId.Namespace"));
      return Read(r, &out->guid);
    case kByteString:
      out->type = NodeIdType::kOpaque;
      FH_RETURN_IF_ERROR(r.ReadUInt16(&out->namespace_index, "NodeId.Namespace"));
      return r.ReadString(&out->text, "NodeId.Identifier");
    default:
      return r.ErrorAt(at, "NodeId.Encoding", fmt::format("unknown encoding 0x{:02X}", encoding));
  }
}

}  // namespace node_id_detail

namespace nid = node_id_detail;

std::string FormatGuid(const Guid& g) {
  return fmt::format("{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}",
                     g.data1, g.data2, g.data3, g.data4[0], g.data4[1], g.data4[2], g.data4[3],
                     g.data4[4], g.data4[5], g.data4[6], g.data4[7]);
}

Result<Guid> ParseGuid(std::string_view text) {
  // 8-4-4-4-12 hex digits; braces as some tools write them are accepted.
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, 36);
  }
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
      text[23] != '-') {
    return InvalidArgument("not a GUID (8-4-4-4-12 hex digits): '{}'", text);
  }
  uint8_t bytes[16];
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-') continue;
    const int hi = HexDigitValue(text[i]);
    const int lo = i + 1 < text.size() ? HexDigitValue(text[i + 1]) : -1;
    if (hi < 0 || lo < 0) return InvalidArgument("not a GUID (bad hex digit): '{}'", text);
    bytes[n++] = static_cast<uint8_t>(hi * 16 + lo);
    ++i;
  }
  Guid g;
  g.data1 = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
            bytes[3];
  g.data2 = static_cast<uint16_t>((bytes[4] << 8) | bytes[5]);
  g.data3 = static_cast<uint16_t>((bytes[6] << 8) | bytes[7]);
  for (size_t i = 0; i < 8; ++i)
    g.data4[i] = bytes[8 + i];
  return g;
}

Result<NodeId> ParseNodeId(std::string_view text) {
  const std::string_view whole = text;
  uint16_t ns = 0;
  if (text.starts_with("ns=")) {
    const size_t semi = text.find(';');
    if (semi == std::string_view::npos || !nid::ParseUnsigned(text.substr(3, semi - 3), &ns)) {
      return InvalidArgument("NodeId '{}': 'ns=' needs a namespace index 0-65535 and ';'", whole);
    }
    text.remove_prefix(semi + 1);
  }
  if (text.size() < 2 || text[1] != '=') {
    return InvalidArgument("NodeId '{}': expected i=, s=, g= or b= (e.g. ns=2;s=Machine.Speed)",
                           whole);
  }
  const std::string_view id = text.substr(2);
  switch (text[0]) {
    case 'i': {
      uint32_t n = 0;
      if (!nid::ParseUnsigned(id, &n)) {
        return InvalidArgument("NodeId '{}': 'i=' needs a number 0-4294967295", whole);
      }
      return NodeId::Numeric(ns, n);
    }
    case 's':
      if (id.empty()) return InvalidArgument("NodeId '{}': empty string identifier", whole);
      return NodeId::String(ns, std::string(id));
    case 'g': {
      auto g = ParseGuid(id);
      if (!g.ok()) return g.status().WithContext(fmt::format("NodeId '{}'", whole));
      return NodeId::FromGuid(ns, *g);
    }
    case 'b': {
      std::optional<std::string> bytes =
          security::FromBase64(id, security::Base64Alphabet::kStandard);
      if (!bytes)
        return InvalidArgument("NodeId '{}': the identifier after b= is not base64", whole);
      return NodeId::Opaque(ns, std::move(*bytes));
    }
    default:
      return InvalidArgument("NodeId '{}': unknown identifier type '{}' (i, s, g or b)", whole,
                             text[0]);
  }
}

std::string FormatNodeId(const NodeId& id) {
  std::string out =
      id.namespace_index == 0 ? std::string() : fmt::format("ns={};", id.namespace_index);
  switch (id.type) {
    case NodeIdType::kNumeric:
      out += fmt::format("i={}", id.numeric);
      break;
    case NodeIdType::kString:
      out += "s=";
      out += id.text;
      break;
    case NodeIdType::kGuid:
      out += "g=";
      out += FormatGuid(id.guid);
      break;
    case NodeIdType::kOpaque:
      out += "b=";
      out += security::Base64(id.text, security::Base64Alphabet::kStandard);
      break;
  }
  return out;
}

std::string FormatExpandedNodeId(const ExpandedNodeId& id) {
  std::string out;
  if (id.server_index != 0) out += fmt::format("svr={};", id.server_index);
  if (!id.namespace_uri.empty()) out += fmt::format("nsu={};", id.namespace_uri);
  return out + FormatNodeId(id.node_id);
}

void Write(Writer& w, const Guid& v) {
  w.WriteUInt32(v.data1);
  w.WriteUInt16(v.data2);
  w.WriteUInt16(v.data3);
  w.WriteBytes(std::span<const uint8_t>(v.data4));
}

Status Read(Reader& r, Guid* out) {
  FH_RETURN_IF_ERROR(r.ReadUInt32(&out->data1, "Guid"));
  FH_RETURN_IF_ERROR(r.ReadUInt16(&out->data2, "Guid"));
  FH_RETURN_IF_ERROR(r.ReadUInt16(&out->data3, "Guid"));
  std::span<const uint8_t> b;
  FH_RETURN_IF_ERROR(r.ReadBytes(8, &b, "Guid"));
  std::copy(b.begin(), b.end(), out->data4.begin());
  return Status::Ok();
}

void Write(Writer& w, const NodeId& v) {
  nid::WriteNodeIdWithFlags(w, v, 0);
}

void Write(Writer& w, const ExpandedNodeId& v) {
  uint8_t flags = 0;
  if (!v.namespace_uri.empty()) flags |= nid::kNamespaceUriFlag;
  if (v.server_index != 0) flags |= nid::kServerIndexFlag;
  nid::WriteNodeIdWithFlags(w, v.node_id, flags);
  if (!v.namespace_uri.empty()) w.WriteString(v.namespace_uri);
  if (v.server_index != 0) w.WriteUInt32(v.server_index);
}

Status Read(Reader& r, NodeId* out) {
  const size_t at = r.offset();
  uint8_t flags = 0;
  FH_RETURN_IF_ERROR(nid::ReadNodeIdWithFlags(r, out, &flags));
  // The flags belong to ExpandedNodeId only; a NodeId field carrying them is malformed.
  if (flags != 0) {
    return r.ErrorAt(at, "NodeId.Encoding",
                     fmt::format("ExpandedNodeId flags 0x{:02X} on a NodeId", flags));
  }
  return Status::Ok();
}

Status Read(Reader& r, ExpandedNodeId* out) {
  uint8_t flags = 0;
  FH_RETURN_IF_ERROR(nid::ReadNodeIdWithFlags(r, &out->node_id, &flags));
  out->namespace_uri.clear();
  out->server_index = 0;
  if (flags & nid::kNamespaceUriFlag) {
    FH_RETURN_IF_ERROR(r.ReadString(&out->namespace_uri, "ExpandedNodeId.NamespaceUri"));
  }
  if (flags & nid::kServerIndexFlag) {
    FH_RETURN_IF_ERROR(r.ReadUInt32(&out->server_index, "ExpandedNodeId.ServerIndex"));
  }
  return Status::Ok();
}

}  // namespace fh::opcua
