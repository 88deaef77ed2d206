#include "connect/opcua/ua_chunking.h"

#include <algorithm>
#include <limits>

namespace fh::opcua {
namespace chunking_detail {

// Sequence numbers wrap to a value below 1024 once past UInt32 max - 1024 (§6.7.2.4).
constexpr uint32_t kWrapThreshold = std::numeric_limits<uint32_t>::max() - 1024;

}  // namespace chunking_detail

ChunkCodec::ChunkCodec(ChannelSecurity* security, const TransportLimits& limits,
                       DecodeLimits decode)
    : security_(security), limits_(limits), decode_(decode) {}

uint32_t ChunkCodec::NextSendSequence() {
  const uint32_t n = next_send_sequence_;
  next_send_sequence_ = n >= chunking_detail::kWrapThreshold ? 1 : n + 1;
  return n;
}

Status ChunkCodec::EncodeMessage(TcpMessageType type, uint32_t request_id,
                                 std::span<const uint8_t> body,
                                 std::vector<std::vector<uint8_t>>* chunks) {
  const SecurityKind kind =
      type == TcpMessageType::kOpen ? SecurityKind::kAsymmetric : SecurityKind::kSymmetric;
  if (limits_.max_send_message_size != 0 && body.size() > limits_.max_send_message_size) {
    return ResourceExhausted("OPC UA: a {}-byte request exceeds the server's limit of {} bytes",
                             body.size(), limits_.max_send_message_size);
  }
  // The headers before the sequence header, written once and copied into each chunk.
  std::vector<uint8_t> header;
  Writer hw(&header);
  WriteTcpHeader(hw, type, ChunkType::kFinal, 0);
  hw.WriteUInt32(secure_channel_id_);
  if (kind == SecurityKind::kAsymmetric) {
    WriteAsymmetricSecurityHeader(hw, security_->LocalAsymmetricHeader());
  } else {
    hw.WriteUInt32(token_id_);
  }
  const size_t max_body = security_->MaxBodySize(kind, limits_.send_buffer_size, header.size());
  if (max_body == 0) {
    return InvalidArgument("OPC UA: the send buffer of {} bytes leaves no room for a body",
                           limits_.send_buffer_size);
  }
  const size_t count = std::max<size_t>(1, (body.size() + max_body - 1) / max_body);
  if (count > 1 && type != TcpMessageType::kMessage) {
    return ResourceExhausted("OPC UA: a {} message of {} bytes does not fit in one chunk",
                             TcpMessageTypeName(type), body.size());
  }
  if (limits_.max_send_chunk_count != 0 && count > limits_.max_send_chunk_count) {
    return ResourceExhausted("OPC UA: a {}-byte request needs {} chunks, the server takes {}",
                             body.size(), count, limits_.max_send_chunk_count);
  }
  chunks->resize(count);
  for (size_t i = 0; i < count; ++i) {
    auto& chunk = (*chunks)[i];
    chunk.assign(header.begin(), header.end());
    chunk[3] = static_cast<uint8_t>(i + 1 == count ? ChunkType::kFinal : ChunkType::kIntermediate);
    Writer w(&chunk);
    w.WriteUInt32(NextSendSequence());
    w.WriteUInt32(request_id);
    const size_t from = i * max_body;
    w.WriteBytes(body.subspan(from, std::min(max_body, body.size() - from)));
    FH_RETURN_IF_ERROR(security_->SecureChunk(kind, token_id_, header.size(), &chunk));
  }
  return Status::Ok();
}

Status ChunkCodec::CheckReceiveSequence(uint32_t sequence_number, size_t at) {
  if (have_receive_sequence_) {
    const uint32_t last = last_receive_sequence_;
    const bool next = sequence_number == last + 1;
    const bool wrapped = last >= chunking_detail::kWrapThreshold && sequence_number < 1024;
    if (!next && !wrapped) {
      return InvalidArgument(
          "OPC UA decode: SequenceHeader.SequenceNumber at byte {}: {} after {} (a chunk was "
          "lost, repeated or reordered)",
          at, sequence_number, last);
    }
  }
  have_receive_sequence_ = true;
  last_receive_sequence_ = sequence_number;
  return Status::Ok();
}

Result<std::optional<ReceivedMessage>> ChunkCodec::AddChunk(std::span<uint8_t> chunk) {
  FH_ASSIGN_OR_RETURN(const ChunkHeader header, DecodeChunkHeader(chunk, decode_));
  if (limits_.receive_buffer_size != 0 && chunk.size() > limits_.receive_buffer_size) {
    return InvalidArgument("OPC UA decode: a {}-byte chunk exceeds the receive buffer of {}",
                           chunk.size(), limits_.receive_buffer_size);
  }
  if (secure_channel_id_ != 0 && header.secure_channel_id != secure_channel_id_) {
    return InvalidArgument(
        "OPC UA decode: MessageHeader.SecureChannelId at byte 8: {}, the "
        "channel is {}",
        header.secure_channel_id, secure_channel_id_);
  }
  const SecurityKind kind = header.tcp.type == TcpMessageType::kOpen ? SecurityKind::kAsymmetric
                                                                     : SecurityKind::kSymmetric;
  FH_ASSIGN_OR_RETURN(const size_t plain_size, security_->OpenChunk(kind, header, chunk));
  Reader r(std::span<const uint8_t>(chunk.data(), header.security_header_end + plain_size),
           decode_);
  FH_RETURN_IF_ERROR(r.Skip(header.security_header_end, "SecurityHeader"));
  const size_t seq_at = r.offset();
  SequenceHeader seq;
  FH_RETURN_IF_ERROR(r.ReadUInt32(&seq.sequence_number, "SequenceHeader.SequenceNumber"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&seq.request_id, "SequenceHeader.RequestId"));
  FH_RETURN_IF_ERROR(CheckReceiveSequence(seq.sequence_number, seq_at));
  const std::span<const uint8_t> piece = r.Rest();

  if (header.tcp.chunk_type == ChunkType::kAbort) {
    partial_.erase(seq.request_id);
    FH_ASSIGN_OR_RETURN(const ErrorMessage error, DecodeError(piece));
    ReceivedMessage m;
    m.type = header.tcp.type;
    m.request_id = seq.request_id;
    m.abort = ErrorMessageToStatus(error, "OPC UA server aborted the response and");
    return std::optional<ReceivedMessage>(std::move(m));
  }

  auto it = partial_.find(seq.request_id);
  if (it == partial_.end()) {
    if (partial_.size() >= kMaxPartialMessages) {
      return ResourceExhausted("OPC UA: more than {} responses arriving interleaved",
                               kMaxPartialMessages);
    }
    it = partial_.emplace(seq.request_id, Partial{header.tcp.type, {}, 0}).first;
  } else if (it->second.type != header.tcp.type) {
    return InvalidArgument("OPC UA decode: request {}: a {} chunk continues a {} message",
                           seq.request_id, TcpMessageTypeName(header.tcp.type),
                           TcpMessageTypeName(it->second.type));
  }
  Partial& p = it->second;
  ++p.chunks;
  if (limits_.max_receive_chunk_count != 0 && p.chunks > limits_.max_receive_chunk_count) {
    partial_.erase(it);
    return ResourceExhausted("OPC UA: response {} has more than {} chunks", seq.request_id,
                             limits_.max_receive_chunk_count);
  }
  if (limits_.max_receive_message_size != 0 &&
      p.body.size() + piece.size() > limits_.max_receive_message_size) {
    partial_.erase(it);
    return ResourceExhausted("OPC UA: response {} exceeds the message size limit of {} bytes",
                             seq.request_id, limits_.max_receive_message_size);
  }
  p.body.insert(p.body.end(), piece.begin(), piece.end());
  if (header.tcp.chunk_type == ChunkType::kIntermediate) return std::optional<ReceivedMessage>();

  ReceivedMessage m;
  m.type = header.tcp.type;
  m.request_id = seq.request_id;
  m.body = std::move(p.body);
  partial_.erase(it);
  return std::optional<ReceivedMessage>(std::move(m));
}

}  // namespace fh::opcua
