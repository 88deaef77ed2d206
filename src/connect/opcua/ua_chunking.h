// A secure channel's messages as chunks (OPC 10000-6 §6.7.2-3), without a socket: a
// message's body split into chunks within the negotiated send buffer, each with its
// headers, sequence number and security applied; received chunks checked (channel id,
// sequence numbers, security) and put back together within the negotiated limits. An
// Abort chunk ends its message with the error it carries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_binary.h"
#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_transport.h"

namespace fh::opcua {

struct ReceivedMessage {
  TcpMessageType type = TcpMessageType::kMessage;
  uint32_t request_id = 0;
  std::vector<uint8_t> body;
  // Not OK when the server aborted the message: its error and reason (the body is empty).
  Status abort;
};

class ChunkCodec {
 public:
  // `security` must outlive the codec.
  ChunkCodec(ChannelSecurity* security, const TransportLimits& limits, DecodeLimits decode = {});

  // The channel the server assigned (0 until the first OpenSecureChannel response), and the
  // token outgoing MSG/CLO chunks name.
  void SetChannel(uint32_t secure_channel_id, uint32_t token_id) {
    secure_channel_id_ = secure_channel_id;
    token_id_ = token_id;
  }
  uint32_t secure_channel_id() const { return secure_channel_id_; }
  uint32_t token_id() const { return token_id_; }
  const TransportLimits& limits() const { return limits_; }

  // Splits `body` into secured chunks of at most the send buffer size (OPN and CLO must fit
  // in one). *chunks is cleared first; its buffers are reused.
  Status EncodeMessage(TcpMessageType type, uint32_t request_id, std::span<const uint8_t> body,
                       std::vector<std::vector<uint8_t>>* chunks);

  // One received chunk, whole (8-byte header included), decrypted in place. Returns the
  // message when this chunk completed it, nullopt while more chunks are to come.
  Result<std::optional<ReceivedMessage>> AddChunk(std::span<uint8_t> chunk);

 private:
  uint32_t NextSendSequence();
  Status CheckReceiveSequence(uint32_t sequence_number, size_t at);

  struct Partial {
    TcpMessageType type;
    std::vector<uint8_t> body;
    uint32_t chunks = 0;
  };

  ChannelSecurity* security_;
  TransportLimits limits_;
  DecodeLimits decode_;
  uint32_t secure_channel_id_ = 0;
  uint32_t token_id_ = 0;
  uint32_t next_send_sequence_ = 1;
  bool have_receive_sequence_ = false;
  uint32_t last_receive_sequence_ = 0;
  std::map<uint32_t, Partial> partial_;  // by request id
};

// Messages interleaved by request id that the codec will hold at once; a server sends a
// message's chunks in a row (§6.7.3), so more means something is wrong.
inline constexpr size_t kMaxPartialMessages = 16;

}  // namespace fh::opcua
