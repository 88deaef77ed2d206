// A secure channel over a TCP connection (OPC 10000-6 §6.7, §7.1): Hello and Acknowledge,
// OpenSecureChannel, requests sent as chunks with request ids, responses matched to them
// by request id (those that arrive while another is awaited are kept for their own
// Receive), the token renewed at 75 % of its lifetime, and CloseSecureChannel.
// Synchronous, in the caller's thread; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_chunking.h"
#include "connect/opcua/ua_endpoint_url.h"
#include "connect/opcua/ua_session_services.h"
#include "connect/opcua/ua_tcp_connection.h"
#include "connect/opcua/ua_transport.h"

namespace fh::opcua {

struct ChannelOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{10000};  // OpenSecureChannel's, and renewals'
  uint32_t requested_lifetime_ms = 600000;
  // What the client offers in its Hello: its chunk sizes and the largest response.
  uint32_t receive_buffer_size = 65535;
  uint32_t send_buffer_size = 65535;
  uint32_t max_message_size = 16u << 20;
  uint32_t max_chunk_count = 4096;
  DecodeLimits decode_limits;
};

class SecureChannel {
 public:
  SecureChannel(std::unique_ptr<ChannelSecurity> security, ChannelOptions options);
  ~SecureChannel();

  // Connects, exchanges Hello/Acknowledge and opens the channel (Issue).
  Status Open(const EndpointUrl& endpoint);
  bool is_open() const { return open_; }

  // A fresh request id (also used as the request handle).
  uint32_t NextRequestId();
  // Sends a request message body (its encoding NodeId first) under `request_id`, renewing
  // the token first when it is due.
  Status Send(uint32_t request_id, std::span<const uint8_t> body);
  // The response to `request_id`, waiting until `deadline`. On a timeout the request is
  // forgotten (a late response is dropped).
  Result<std::vector<uint8_t>> Receive(uint32_t request_id, Clock::time_point deadline);
  // The first response to any of `request_ids`; *which says which. Unavailable when none
  // arrived by the deadline (the requests stay awaited).
  Result<std::vector<uint8_t>> ReceiveAny(std::span<const uint32_t> request_ids,
                                          Clock::time_point deadline, uint32_t* which);

  // Renews the token now if 75 % of its lifetime has passed.
  Status RenewIfDue();
  // Sends CloseSecureChannel (best effort) and closes the connection.
  void Close();

  const TransportLimits& limits() const { return codec_->limits(); }
  const ChannelSecurityToken& token() const { return token_; }
  ChannelSecurity& security() { return *security_; }
  // Whether the server ended the connection with an Error message (ERR), and its status
  // code: the Part 6 layout's, or the ServiceFault's of node-opcua's OPN-style body (see
  // tests/interop/opcua/README.md); 0 when neither layout could be read.
  bool error_message_received() const { return error_message_received_; }
  StatusCode error_message_code() const { return error_message_code_; }
  const ChannelSecurity& security() const { return *security_; }

 private:
  Status OpenSecureChannel(SecurityTokenRequestType type);
  Status SendMessage(TcpMessageType type, uint32_t request_id, std::span<const uint8_t> body);
  // Reads one whole message off the socket and keeps it in received_.
  Status ReadOneMessage(Clock::time_point deadline);
  Status ReadChunk(Clock::time_point deadline, std::vector<uint8_t>* chunk);
  // A kept response for `request_id`, removed; nullopt when none is kept.
  std::optional<ReceivedMessage> TakeReceived(uint32_t request_id);
  Result<std::vector<uint8_t>> Finish(ReceivedMessage message);
  void Fail();
  void NoteErrorMessage(std::span<const uint8_t> body);

  std::unique_ptr<ChannelSecurity> security_;
  ChannelOptions options_;
  TcpConnection connection_;
  std::unique_ptr<ChunkCodec> codec_;
  EndpointUrl endpoint_;
  bool open_ = false;
  bool error_message_received_ = false;
  StatusCode error_message_code_ = 0;
  uint32_t next_request_id_ = 1;
  ChannelSecurityToken token_;
  std::string local_nonce_;
  Clock::time_point renew_at_;
  std::unordered_set<uint32_t> awaited_;  // request ids whose responses are wanted
  std::deque<ReceivedMessage> received_;  // responses not yet taken
  std::vector<std::vector<uint8_t>> send_chunks_;
  std::vector<uint8_t> body_;
  std::vector<uint8_t> chunk_;
};

// Responses a channel keeps for requests not being waited on at the moment (outstanding
// Publish requests, mostly); more is a server answering what was not asked.
inline constexpr size_t kMaxKeptResponses = 64;

}  // namespace fh::opcua
