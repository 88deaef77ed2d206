// UA TCP (OPC 10000-6 §7.1) and the frame of UA Secure Conversation's chunks (§6.7.2):
// the messages exchanged before a secure channel exists (Hello, Acknowledge, Error), the
// limits they negotiate, and the headers every OPN/MSG/CLO chunk starts with. Splitting a
// message into chunks and putting them back together is in ua_chunking.h; what security
// does to a chunk is behind ua_channel_security.h.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "connect/opcua/status_code.h"
#include "connect/opcua/ua_binary.h"

namespace fh::opcua {

// Every UA TCP message starts with 3 ASCII bytes of type, 1 of chunk type and a UInt32
// size that counts the whole message, these 8 bytes included.
inline constexpr size_t kTcpHeaderSize = 8;
// The smallest buffer a peer may offer (§7.1.2.3): chunks are at least this big.
inline constexpr uint32_t kMinBufferSize = 8192;

enum class TcpMessageType : uint8_t {
  kHello,         // HEL
  kAcknowledge,   // ACK
  kError,         // ERR
  kReverseHello,  // RHE
  kOpen,          // OPN: OpenSecureChannel
  kMessage,       // MSG: a service request or response
  kClose,         // CLO: CloseSecureChannel
};
std::string_view TcpMessageTypeName(TcpMessageType t);  // "HEL", "MSG", ...

enum class ChunkType : char { kFinal = 'F', kIntermediate = 'C', kAbort = 'A' };

struct TcpHeader {
  TcpMessageType type = TcpMessageType::kMessage;
  ChunkType chunk_type = ChunkType::kFinal;
  uint32_t size = 0;  // the whole message, header included
};
// The first 8 bytes of a message; refuses unknown types, chunk types other than F/C/A
// (and C/A on anything but MSG), a size below the header's or above `max_size`.
Result<TcpHeader> DecodeTcpHeader(std::span<const uint8_t> bytes, uint32_t max_size);
void WriteTcpHeader(Writer& w, TcpMessageType type, ChunkType chunk_type, uint32_t size);

struct HelloMessage {
  uint32_t protocol_version = 0;
  uint32_t receive_buffer_size = 65535;   // the largest chunk the client accepts
  uint32_t send_buffer_size = 65535;      // the largest chunk the client will send
  uint32_t max_message_size = 16u << 20;  // the largest response; 0: no limit
  uint32_t max_chunk_count = 4096;        // chunks of a response; 0: no limit
  std::string endpoint_url;
};
struct AcknowledgeMessage {
  uint32_t protocol_version = 0;
  uint32_t receive_buffer_size = 0;  // the largest chunk the server accepts
  uint32_t send_buffer_size = 0;     // the largest chunk the server will send
  uint32_t max_message_size = 0;     // the largest request; 0: no limit
  uint32_t max_chunk_count = 0;      // chunks of a request; 0: no limit
};
struct ErrorMessage {
  StatusCode error = kGood;
  std::string reason;
};

// Whole messages, header included.
std::vector<uint8_t> EncodeHello(const HelloMessage& hello);
std::vector<uint8_t> EncodeAcknowledge(const AcknowledgeMessage& ack);  // for tests
std::vector<uint8_t> EncodeError(const ErrorMessage& error);            // for tests
// A message's body, after its 8-byte header.
Result<AcknowledgeMessage> DecodeAcknowledge(std::span<const uint8_t> body);
Result<ErrorMessage> DecodeError(std::span<const uint8_t> body);
// "server sent Error BadTcpEndpointUrlInvalid (0x80830000): <reason>", with a Status code
// that says what the caller can do (Unavailable for resources and timeouts, ...).
Status ErrorMessageToStatus(const ErrorMessage& error, std::string_view who);
// An ERR message's body as a Status: ErrorMessageToStatus when it has the Part 6 layout
// with a Bad code; otherwise an IOError that says so (node-opcua 2.180, for one, sends an
// OPN-style body holding a ServiceFault there). An ERR always ends the connection.
Status ErrorBodyToStatus(std::span<const uint8_t> body, std::string_view who);

// What both sides agreed, from the client's view.
struct TransportLimits {
  uint32_t send_buffer_size = 0;       // largest chunk to send
  uint32_t receive_buffer_size = 0;    // largest chunk to accept
  uint32_t max_send_message_size = 0;  // 0: no limit
  uint32_t max_receive_message_size = 0;
  uint32_t max_send_chunk_count = 0;  // 0: no limit
  uint32_t max_receive_chunk_count = 0;
};
// Checks the server's answer against the spec and the client's Hello and combines them.
Result<TransportLimits> NegotiateLimits(const HelloMessage& hello, const AcknowledgeMessage& ack);

// UA Secure Conversation's headers (§6.7.2.2-4).
inline constexpr size_t kSecureMessageHeaderSize = 12;  // TCP header + SecureChannelId
inline constexpr size_t kSequenceHeaderSize = 8;

struct AsymmetricSecurityHeader {
  std::string security_policy_uri;
  std::string sender_certificate;               // DER; empty (null) for None
  std::string receiver_certificate_thumbprint;  // SHA-1; empty (null) for None
};
struct SequenceHeader {
  uint32_t sequence_number = 0;
  uint32_t request_id = 0;
};

// The headers before the (possibly encrypted) sequence header of an OPN, MSG or CLO chunk.
struct ChunkHeader {
  TcpHeader tcp;
  uint32_t secure_channel_id = 0;
  AsymmetricSecurityHeader asymmetric;  // OPN
  uint32_t token_id = 0;                // MSG, CLO
  size_t security_header_end = 0;       // where the sequence header starts
};
// A whole chunk: refuses anything not OPN/MSG/CLO, or whose size field is not the bytes
// given.
Result<ChunkHeader> DecodeChunkHeader(std::span<const uint8_t> chunk, const DecodeLimits& limits);
void WriteAsymmetricSecurityHeader(Writer& w, const AsymmetricSecurityHeader& h);

}  // namespace fh::opcua
