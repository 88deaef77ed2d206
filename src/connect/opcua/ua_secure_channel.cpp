#include "connect/opcua/ua_secure_channel.h"

#include <algorithm>

#include "common/time.h"

namespace fh::opcua {
namespace secure_channel_detail {

// The status code of an ERR body in node-opcua's OPN-style layout: SecureChannelId, an
// asymmetric security header, a sequence header and a ServiceFault; 0 if it is not that.
StatusCode ServiceFaultOfErrorBody(std::span<const uint8_t> body) {
  Reader r(body);
  uint32_t channel_id = 0, sequence = 0, request_id = 0;
  std::string policy, certificate, thumbprint;
  if (!r.ReadUInt32(&channel_id, "SecureChannelId").ok() ||
      !r.ReadString(&policy, "SecurityPolicyUri").ok() ||
      !std::string_view(policy).starts_with("http://opcfoundation.org/UA/SecurityPolicy#") ||
      !r.ReadString(&certificate, "SenderCertificate").ok() ||
      !r.ReadString(&thumbprint, "ReceiverCertificateThumbprint").ok() ||
      !r.ReadUInt32(&sequence, "SequenceNumber").ok() ||
      !r.ReadUInt32(&request_id, "RequestId").ok()) {
    return 0;
  }
  ExpandedNodeId type;
  ResponseHeader header;
  if (!opcua::Read(r, &type).ok() || !type.node_id.IsNumeric(0, encoding_id::kServiceFault) ||
      !opcua::Read(r, &header).ok() || !IsBad(header.service_result)) {
    return 0;
  }
  return header.service_result;
}

}  // namespace secure_channel_detail

SecureChannel::SecureChannel(std::unique_ptr<ChannelSecurity> security, ChannelOptions options)
    : security_(std::move(security)), options_(options) {}

SecureChannel::~SecureChannel() {
  Close();
}

uint32_t SecureChannel::NextRequestId() {
  const uint32_t id = next_request_id_;
  next_request_id_ = id == UINT32_MAX ? 1 : id + 1;  // 0 is left out: some stacks treat it as none
  return id;
}

void SecureChannel::NoteErrorMessage(std::span<const uint8_t> body) {
  error_message_received_ = true;
  auto error = DecodeError(body);
  error_message_code_ = error.ok() && IsBad(error->error)
                            ? error->error
                            : secure_channel_detail::ServiceFaultOfErrorBody(body);
}

void SecureChannel::Fail() {
  connection_.Close();
  open_ = false;
  awaited_.clear();
  received_.clear();
}

Status SecureChannel::Open(const EndpointUrl& endpoint) {
  Close();
  error_message_received_ = false;
  error_message_code_ = 0;
  endpoint_ = endpoint;
  const auto deadline = Clock::now() + options_.connect_timeout;
  FH_RETURN_IF_ERROR(connection_.Connect(endpoint.host, endpoint.port, deadline));

  HelloMessage hello;
  hello.receive_buffer_size = options_.receive_buffer_size;
  hello.send_buffer_size = options_.send_buffer_size;
  hello.max_message_size = options_.max_message_size;
  hello.max_chunk_count = options_.max_chunk_count;
  hello.endpoint_url = endpoint.url;
  const std::vector<uint8_t> hello_bytes = EncodeHello(hello);
  FH_RETURN_IF_ERROR(connection_.WriteAll(hello_bytes, deadline));

  uint8_t header_bytes[kTcpHeaderSize];
  FH_RETURN_IF_ERROR(connection_.ReadExact(header_bytes, deadline));
  // An Acknowledge is 28 bytes and an Error at most a 4096-byte reason: the first answer
  // is small whatever the buffers.
  auto header = DecodeTcpHeader(header_bytes, kMinBufferSize);
  if (!header.ok()) {
    Fail();
    return header.status().WithContext("OPC UA Hello");
  }
  std::vector<uint8_t> body(header->size - kTcpHeaderSize);
  FH_RETURN_IF_ERROR(connection_.ReadExact(body, deadline));
  if (header->type == TcpMessageType::kError) {
    Fail();
    NoteErrorMessage(body);
    return ErrorBodyToStatus(body, fmt::format("OPC UA server {}", endpoint.url));
  }
  if (header->type != TcpMessageType::kAcknowledge) {
    Fail();
    return InvalidArgument("OPC UA server {} answered Hello with {}", endpoint.url,
                           TcpMessageTypeName(header->type));
  }
  auto ack = DecodeAcknowledge(body);
  if (!ack.ok()) {
    Fail();
    return ack.status();
  }
  auto limits = NegotiateLimits(hello, *ack);
  if (!limits.ok()) {
    Fail();
    return limits.status();
  }
  codec_ = std::make_unique<ChunkCodec>(security_.get(), *limits, options_.decode_limits);
  open_ = true;
  Status s = OpenSecureChannel(SecurityTokenRequestType::kIssue);
  if (!s.ok()) Fail();
  return s;
}

Status SecureChannel::OpenSecureChannel(SecurityTokenRequestType type) {
  FH_ASSIGN_OR_RETURN(local_nonce_, security_->MakeLocalNonce());
  OpenSecureChannelRequest request;
  const uint32_t request_id = NextRequestId();
  request.header.timestamp = DateTime::FromUnixNanos(NowNs());
  request.header.request_handle = request_id;
  request.header.timeout_hint_ms = static_cast<uint32_t>(options_.request_timeout.count());
  request.request_type = type;
  request.security_mode = security_->mode();
  request.client_nonce = local_nonce_;
  request.requested_lifetime_ms = options_.requested_lifetime_ms;
  EncodeRequest(request, &body_);
  FH_RETURN_IF_ERROR(SendMessage(TcpMessageType::kOpen, request_id, body_));
  FH_ASSIGN_OR_RETURN(const std::vector<uint8_t> response_body,
                      Receive(request_id, Clock::now() + options_.request_timeout));
  OpenSecureChannelResponse response;
  FH_RETURN_IF_ERROR(DecodeResponse(response_body, &response, options_.decode_limits));
  if (response.token.revised_lifetime_ms == 0) {
    return InvalidArgument("OPC UA OpenSecureChannel: the server revised the lifetime to 0");
  }
  FH_RETURN_IF_ERROR(
      security_->ActivateToken(response.token.token_id, local_nonce_, response.server_nonce));
  token_ = response.token;
  codec_->SetChannel(token_.channel_id, token_.token_id);
  renew_at_ =
      Clock::now() + std::chrono::milliseconds(uint64_t{token_.revised_lifetime_ms} * 3 / 4);
  return Status::Ok();
}

Status SecureChannel::RenewIfDue() {
  if (!open_) return FailedPrecondition("OPC UA: the secure channel is not open");
  if (Clock::now() < renew_at_) return Status::Ok();
  Status s = OpenSecureChannel(SecurityTokenRequestType::kRenew);
  if (!s.ok()) {
    Fail();
    return s.WithContext("renewing the secure channel");
  }
  return Status::Ok();
}

Status SecureChannel::Send(uint32_t request_id, std::span<const uint8_t> body) {
  FH_RETURN_IF_ERROR(RenewIfDue());
  return SendMessage(TcpMessageType::kMessage, request_id, body);
}

Status SecureChannel::SendMessage(TcpMessageType type, uint32_t request_id,
                                  std::span<const uint8_t> body) {
  if (!open_) return FailedPrecondition("OPC UA: the secure channel is not open");
  FH_RETURN_IF_ERROR(codec_->EncodeMessage(type, request_id, body, &send_chunks_));
  const auto deadline = Clock::now() + options_.request_timeout;
  for (const auto& chunk : send_chunks_) {
    Status s = connection_.WriteAll(chunk, deadline);
    if (!s.ok()) {
      Fail();
      return s;
    }
  }
  if (type != TcpMessageType::kClose) awaited_.insert(request_id);
  return Status::Ok();
}

Status SecureChannel::ReadChunk(Clock::time_point deadline, std::vector<uint8_t>* chunk) {
  chunk->resize(kTcpHeaderSize);
  FH_RETURN_IF_ERROR(connection_.ReadExact(*chunk, deadline));
  auto header = DecodeTcpHeader(*chunk, codec_->limits().receive_buffer_size);
  if (!header.ok()) {
    Fail();
    return header.status();
  }
  chunk->resize(header->size);
  // The rest of a chunk whose header arrived is waited for a request timeout at least: a
  // deadline reached in the middle would leave the stream unusable.
  const auto rest_deadline = std::max(deadline, Clock::now() + options_.request_timeout);
  Status s =
      connection_.ReadExact(std::span<uint8_t>(*chunk).subspan(kTcpHeaderSize), rest_deadline);
  if (!s.ok()) {
    Fail();
    return s;
  }
  if (header->type == TcpMessageType::kError) {
    Fail();
    NoteErrorMessage(std::span<const uint8_t>(*chunk).subspan(kTcpHeaderSize));
    return ErrorBodyToStatus(std::span<const uint8_t>(*chunk).subspan(kTcpHeaderSize),
                             fmt::format("OPC UA server {}", endpoint_.url));
  }
  return Status::Ok();
}

Status SecureChannel::ReadOneMessage(Clock::time_point deadline) {
  for (;;) {
    FH_RETURN_IF_ERROR(ReadChunk(deadline, &chunk_));
    auto message = codec_->AddChunk(chunk_);
    if (!message.ok()) {
      Fail();
      return message.status();
    }
    if (!message->has_value()) continue;  // an intermediate chunk
    ReceivedMessage& m = **message;
    if (!awaited_.contains(m.request_id)) return Status::Ok();  // a late answer: dropped
    if (received_.size() >= kMaxKeptResponses) {
      Fail();
      return ResourceExhausted("OPC UA: more than {} responses not taken", kMaxKeptResponses);
    }
    received_.push_back(std::move(m));
    return Status::Ok();
  }
}

std::optional<ReceivedMessage> SecureChannel::TakeReceived(uint32_t request_id) {
  for (auto it = received_.begin(); it != received_.end(); ++it) {
    if (it->request_id == request_id) {
      ReceivedMessage m = std::move(*it);
      received_.erase(it);
      return m;
    }
  }
  return std::nullopt;
}

Result<std::vector<uint8_t>> SecureChannel::Finish(ReceivedMessage message) {
  awaited_.erase(message.request_id);
  if (!message.abort.ok()) return message.abort;
  return std::move(message.body);
}

Result<std::vector<uint8_t>> SecureChannel::Receive(uint32_t request_id,
                                                    Clock::time_point deadline) {
  uint32_t which = 0;
  auto r = ReceiveAny(std::span<const uint32_t>(&request_id, 1), deadline, &which);
  if (!r.ok() && r.status().code() == fh::StatusCode::kUnavailable) awaited_.erase(request_id);
  return r;
}

Result<std::vector<uint8_t>> SecureChannel::ReceiveAny(std::span<const uint32_t> request_ids,
                                                       Clock::time_point deadline,
                                                       uint32_t* which) {
  for (;;) {
    for (uint32_t id : request_ids) {
      if (auto m = TakeReceived(id)) {
        *which = id;
        return Finish(std::move(*m));
      }
    }
    if (!open_) return FailedPrecondition("OPC UA: the secure channel is not open");
    FH_RETURN_IF_ERROR(ReadOneMessage(deadline));
  }
}

void SecureChannel::Close() {
  if (open_) {
    CloseSecureChannelRequest request;
    request.header.timestamp = DateTime::FromUnixNanos(NowNs());
    const uint32_t id = NextRequestId();
    request.header.request_handle = id;
    EncodeRequest(request, &body_);
    // Best effort: the server closes the connection on receipt and sends no response.
    (void)SendMessage(TcpMessageType::kClose, id, body_).ok();
  }
  connection_.Close();
  open_ = false;
  awaited_.clear();
  received_.clear();
}

}  // namespace fh::opcua
