#include "connect/opcua/ua_transport.h"

#include <algorithm>
#include <array>

namespace fh::opcua {
namespace transport_detail {

constexpr std::array<std::string_view, 7> kTypeCodes = {"HEL", "ACK", "ERR", "RHE",
                                                        "OPN", "MSG", "CLO"};

// Reasons longer than this are the peer's mistake; the spec caps them at 4096 bytes.
constexpr uint32_t kMaxReasonLength = 4096;

std::vector<uint8_t> WithHeader(TcpMessageType type, const std::vector<uint8_t>& body) {
  std::vector<uint8_t> out;
  out.reserve(kTcpHeaderSize + body.size());
  Writer w(&out);
  WriteTcpHeader(w, type, ChunkType::kFinal, static_cast<uint32_t>(kTcpHeaderSize + body.size()));
  w.WriteBytes(body);
  return out;
}

}  // namespace transport_detail

std::string_view TcpMessageTypeName(TcpMessageType t) {
  return transport_detail::kTypeCodes[static_cast<size_t>(t)];
}

Result<TcpHeader> DecodeTcpHeader(std::span<const uint8_t> bytes, uint32_t max_size) {
  Reader r(bytes);
  std::span<const uint8_t> code;
  FH_RETURN_IF_ERROR(r.ReadBytes(3, &code, "MessageHeader.MessageType"));
  TcpHeader h;
  const auto it = std::find(transport_detail::kTypeCodes.begin(),
                            transport_detail::kTypeCodes.end(), AsChars(code));
  if (it == transport_detail::kTypeCodes.end()) {
    return r.ErrorAt(0, "MessageHeader.MessageType",
                     fmt::format("unknown message type '{}'", AsChars(code)));
  }
  h.type = static_cast<TcpMessageType>(it - transport_detail::kTypeCodes.begin());
  uint8_t chunk = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt8(&chunk, "MessageHeader.IsFinal"));
  if (chunk != 'F' && chunk != 'C' && chunk != 'A') {
    return r.ErrorAt(3, "MessageHeader.IsFinal", fmt::format("unknown chunk type 0x{:02X}", chunk));
  }
  h.chunk_type = static_cast<ChunkType>(chunk);
  // Only a service message may span chunks or be aborted (§6.7.2.2).
  if (h.chunk_type != ChunkType::kFinal && h.type != TcpMessageType::kMessage) {
    return r.ErrorAt(3, "MessageHeader.IsFinal",
                     fmt::format("chunk type '{}' on a {} message", static_cast<char>(chunk),
                                 TcpMessageTypeName(h.type)));
  }
  FH_RETURN_IF_ERROR(r.ReadUInt32(&h.size, "MessageHeader.MessageSize"));
  if (h.size < kTcpHeaderSize) {
    return r.ErrorAt(4, "MessageHeader.MessageSize", fmt::format("size {} is below 8", h.size));
  }
  if (max_size != 0 && h.size > max_size) {
    return r.ErrorAt(4, "MessageHeader.MessageSize",
                     fmt::format("size {} exceeds the buffer size {}", h.size, max_size));
  }
  return h;
}

void WriteTcpHeader(Writer& w, TcpMessageType type, ChunkType chunk_type, uint32_t size) {
  w.WriteBytes(TcpMessageTypeName(type));
  w.WriteUInt8(static_cast<uint8_t>(chunk_type));
  w.WriteUInt32(size);
}

std::vector<uint8_t> EncodeHello(const HelloMessage& hello) {
  std::vector<uint8_t> body;
  Writer w(&body);
  w.WriteUInt32(hello.protocol_version);
  w.WriteUInt32(hello.receive_buffer_size);
  w.WriteUInt32(hello.send_buffer_size);
  w.WriteUInt32(hello.max_message_size);
  w.WriteUInt32(hello.max_chunk_count);
  w.WriteString(hello.endpoint_url);
  return transport_detail::WithHeader(TcpMessageType::kHello, body);
}

std::vector<uint8_t> EncodeAcknowledge(const AcknowledgeMessage& ack) {
  std::vector<uint8_t> body;
  Writer w(&body);
  w.WriteUInt32(ack.protocol_version);
  w.WriteUInt32(ack.receive_buffer_size);
  w.WriteUInt32(ack.send_buffer_size);
  w.WriteUInt32(ack.max_message_size);
  w.WriteUInt32(ack.max_chunk_count);
  return transport_detail::WithHeader(TcpMessageType::kAcknowledge, body);
}

std::vector<uint8_t> EncodeError(const ErrorMessage& error) {
  std::vector<uint8_t> body;
  Writer w(&body);
  w.WriteUInt32(error.error);
  w.WriteString(error.reason);
  return transport_detail::WithHeader(TcpMessageType::kError, body);
}

Result<AcknowledgeMessage> DecodeAcknowledge(std::span<const uint8_t> body) {
  Reader r(body);
  AcknowledgeMessage a;
  FH_RETURN_IF_ERROR(r.ReadUInt32(&a.protocol_version, "Acknowledge.ProtocolVersion"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&a.receive_buffer_size, "Acknowledge.ReceiveBufferSize"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&a.send_buffer_size, "Acknowledge.SendBufferSize"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&a.max_message_size, "Acknowledge.MaxMessageSize"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&a.max_chunk_count, "Acknowledge.MaxChunkCount"));
  return a;
}

Result<ErrorMessage> DecodeError(std::span<const uint8_t> body) {
  DecodeLimits limits;
  limits.max_string_length = transport_detail::kMaxReasonLength;
  Reader r(body, limits);
  ErrorMessage e;
  FH_RETURN_IF_ERROR(r.ReadUInt32(&e.error, "Error.Error"));
  FH_RETURN_IF_ERROR(r.ReadString(&e.reason, "Error.Reason"));
  return e;
}

Status ErrorMessageToStatus(const ErrorMessage& error, std::string_view who) {
  std::string message = fmt::format("{} sent Error {}", who, StatusName(error.error));
  if (!error.reason.empty()) message += fmt::format(": {}", error.reason);
  switch (error.error & 0xFFFF0000u) {
    case kBadTcpNotEnoughResources:
    case kBadTimeout:
    case kBadServerNotConnected:
    case kBadShutdown:
    case kBadTooManyOperations:
      return Status(fh::StatusCode::kUnavailable, std::move(message));
    case kBadSecurityChecksFailed:
    case kBadCertificateInvalid:
    case kBadCertificateUntrusted:
      return Status(fh::StatusCode::kUnauthenticated, std::move(message));
    case kBadTcpEndpointUrlInvalid:
    case kBadTcpMessageTooLarge:
    case kBadRequestTooLarge:
      return Status(fh::StatusCode::kInvalidArgument, std::move(message));
    default:
      return Status(fh::StatusCode::kIOError, std::move(message));
  }
}

Status ErrorBodyToStatus(std::span<const uint8_t> body, std::string_view who) {
  auto error = DecodeError(body);
  if (error.ok() && IsBad(error->error)) return ErrorMessageToStatus(*error, who);
  return IOError(
      "{} sent an Error message ({} bytes) not in the layout of OPC 10000-6 §7.1.2.5; "
      "the connection is closed",
      who, body.size() + kTcpHeaderSize);
}

Result<TransportLimits> NegotiateLimits(const HelloMessage& hello, const AcknowledgeMessage& ack) {
  if (ack.receive_buffer_size < kMinBufferSize || ack.send_buffer_size < kMinBufferSize) {
    return InvalidArgument(
        "OPC UA Acknowledge: buffer sizes {} (receive) and {} (send) are below the minimum {}",
        ack.receive_buffer_size, ack.send_buffer_size, kMinBufferSize);
  }
  if (ack.send_buffer_size > hello.receive_buffer_size) {
    return InvalidArgument(
        "OPC UA Acknowledge: the server's send buffer {} exceeds the client's receive buffer {}",
        ack.send_buffer_size, hello.receive_buffer_size);
  }
  TransportLimits l;
  l.send_buffer_size = std::min(hello.send_buffer_size, ack.receive_buffer_size);
  l.receive_buffer_size = ack.send_buffer_size;
  l.max_send_message_size = ack.max_message_size;
  l.max_receive_message_size = hello.max_message_size;
  l.max_send_chunk_count = ack.max_chunk_count;
  l.max_receive_chunk_count = hello.max_chunk_count;
  return l;
}

Result<ChunkHeader> DecodeChunkHeader(std::span<const uint8_t> chunk, const DecodeLimits& limits) {
  ChunkHeader h;
  FH_ASSIGN_OR_RETURN(h.tcp, DecodeTcpHeader(chunk, 0));
  Reader r(chunk, limits);
  FH_RETURN_IF_ERROR(r.Skip(kTcpHeaderSize, "MessageHeader"));
  if (h.tcp.size != chunk.size()) {
    return r.ErrorAt(4, "MessageHeader.MessageSize",
                     fmt::format("size {} but the chunk has {} bytes", h.tcp.size, chunk.size()));
  }
  if (h.tcp.type != TcpMessageType::kOpen && h.tcp.type != TcpMessageType::kMessage &&
      h.tcp.type != TcpMessageType::kClose) {
    return r.ErrorAt(
        0, "MessageHeader.MessageType",
        fmt::format("{} is not a secure channel message", TcpMessageTypeName(h.tcp.type)));
  }
  FH_RETURN_IF_ERROR(r.ReadUInt32(&h.secure_channel_id, "MessageHeader.SecureChannelId"));
  if (h.tcp.type == TcpMessageType::kOpen) {
    auto& a = h.asymmetric;
    FH_RETURN_IF_ERROR(r.ReadString(&a.security_policy_uri, "SecurityHeader.SecurityPolicyUri"));
    FH_RETURN_IF_ERROR(r.ReadString(&a.sender_certificate, "SecurityHeader.SenderCertificate"));
    FH_RETURN_IF_ERROR(r.ReadString(&a.receiver_certificate_thumbprint,
                                    "SecurityHeader.ReceiverCertificateThumbprint"));
  } else {
    FH_RETURN_IF_ERROR(r.ReadUInt32(&h.token_id, "SecurityHeader.TokenId"));
  }
  h.security_header_end = r.offset();
  return h;
}

void WriteAsymmetricSecurityHeader(Writer& w, const AsymmetricSecurityHeader& h) {
  w.WriteString(h.security_policy_uri);
  // Null rather than empty when absent, as the spec's examples and most stacks send.
  if (h.sender_certificate.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(h.sender_certificate);
  }
  if (h.receiver_certificate_thumbprint.empty()) {
    w.WriteNullString();
  } else {
    w.WriteString(h.receiver_certificate_thumbprint);
  }
}

}  // namespace fh::opcua
