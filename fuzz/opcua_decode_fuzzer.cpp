// libFuzzer harness over the OPC UA client's decoders (src/connect/opcua/): what a server,
// or anything pretending to be one, sends. The first byte picks the decoder:
//   0  Variant             1  DataValue
//   2  a service response body (its encoding NodeId picks the response type)
//   3  a stream of UA TCP messages: Acknowledge/Error bodies, and secure conversation
//      chunks reassembled by ChunkCodec (policy None)
//   4  NodeId text, ExpandedNodeId and DiagnosticInfo
// Whatever decodes must encode again, and decode from that to the same bytes: a decoder
// that accepts more than it can represent shows up as a crash here.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_chunking.h"
#include "connect/opcua/ua_services.h"
#include "connect/opcua/ua_transport.h"
#include "connect/opcua/ua_types.h"

namespace {

using namespace fh::opcua;

// Small enough that the fuzzer does not spend its time allocating.
DecodeLimits FuzzLimits() {
  DecodeLimits l;
  l.max_array_length = 4096;
  l.max_string_length = 1 << 16;
  return l;
}

template <typename T>
void CheckReencodes(const T& value) {
  std::vector<uint8_t> once;
  Writer w1(&once);
  if (!Write(w1, value).ok()) return;
  Reader r(once, FuzzLimits());
  T again;
  if (!Read(r, &again).ok() || !r.AtEnd()) std::abort();
  std::vector<uint8_t> twice;
  Writer w2(&twice);
  if (!Write(w2, again).ok() || twice != once) std::abort();
}

template <typename T>
void DecodeValue(std::span<const uint8_t> in) {
  Reader r(in, FuzzLimits());
  T value;
  if (Read(r, &value).ok()) CheckReencodes(value);
}

template <typename Response>
void DecodeAs(std::span<const uint8_t> body) {
  Response response;
  (void)DecodeResponse(body, &response, FuzzLimits()).ok();
  // Decoding into the same object again, as the Publish loop does, must be as safe.
  (void)DecodeResponse(body, &response, FuzzLimits()).ok();
}

void DecodeResponseBody(std::span<const uint8_t> body) {
  Reader r(body, FuzzLimits());
  ExpandedNodeId type;
  if (!Read(r, &type).ok()) return;
  switch (type.node_id.numeric) {
    case encoding_id::kOpenSecureChannelResponse:
      return DecodeAs<OpenSecureChannelResponse>(body);
    case encoding_id::kGetEndpointsResponse:
      return DecodeAs<GetEndpointsResponse>(body);
    case encoding_id::kCreateSessionResponse:
      return DecodeAs<CreateSessionResponse>(body);
    case encoding_id::kActivateSessionResponse:
      return DecodeAs<ActivateSessionResponse>(body);
    case encoding_id::kBrowseResponse:
      return DecodeAs<BrowseResponse>(body);
    case encoding_id::kBrowseNextResponse:
      return DecodeAs<BrowseNextResponse>(body);
    case encoding_id::kReadResponse:
      return DecodeAs<ReadResponse>(body);
    case encoding_id::kCreateSubscriptionResponse:
      return DecodeAs<CreateSubscriptionResponse>(body);
    case encoding_id::kCreateMonitoredItemsResponse:
      return DecodeAs<CreateMonitoredItemsResponse>(body);
    case encoding_id::kDeleteSubscriptionsResponse:
      return DecodeAs<DeleteSubscriptionsResponse>(body);
    case encoding_id::kRepublishResponse:
      return DecodeAs<RepublishResponse>(body);
    default:
      return DecodeAs<PublishResponse>(body);  // also ServiceFault and unknown ids
  }
}

void DecodeStream(std::span<const uint8_t> in) {
  SecurityNone none;
  TransportLimits limits;
  limits.send_buffer_size = 65536;
  limits.receive_buffer_size = 65536;
  limits.max_receive_message_size = 1 << 20;
  limits.max_receive_chunk_count = 16;
  ChunkCodec codec(&none, limits, FuzzLimits());
  std::vector<uint8_t> chunk;
  while (in.size() >= kTcpHeaderSize) {
    auto header = DecodeTcpHeader(in, limits.receive_buffer_size);
    if (!header.ok() || header->size > in.size()) return;
    chunk.assign(in.begin(), in.begin() + header->size);
    in = in.subspan(header->size);
    const auto body = std::span<const uint8_t>(chunk).subspan(kTcpHeaderSize);
    switch (header->type) {
      case TcpMessageType::kAcknowledge:
        (void)DecodeAcknowledge(body).ok();
        continue;
      case TcpMessageType::kError:
        (void)ErrorBodyToStatus(body, "fuzz").ok();
        continue;
      case TcpMessageType::kHello:
      case TcpMessageType::kReverseHello:
        continue;
      default:
        break;
    }
    auto message = codec.AddChunk(chunk);
    if (!message.ok()) return;  // the client closes the channel here
    if (message->has_value() && (*message)->abort.ok()) DecodeResponseBody((*message)->body);
  }
}

void DecodeMisc(std::span<const uint8_t> in) {
  const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
  auto id = ParseNodeId(text);
  if (id.ok()) {
    auto back = ParseNodeId(FormatNodeId(*id));
    if (!back.ok() || !(*back == *id)) std::abort();
  }
  {
    Reader r(in, FuzzLimits());
    ExpandedNodeId e;
    if (Read(r, &e).ok()) {
      std::vector<uint8_t> out;
      Writer w(&out);
      Write(w, e);
      Reader again(out, FuzzLimits());
      ExpandedNodeId e2;
      if (!Read(again, &e2).ok() || !(e2 == e)) std::abort();
    }
  }
  Reader d(in, FuzzLimits());
  (void)SkipDiagnosticInfos(d).ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> in(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      DecodeValue<Variant>(in);
      break;
    case 1:
      DecodeValue<DataValue>(in);
      break;
    case 2:
      DecodeResponseBody(in);
      break;
    case 3:
      DecodeStream(in);
      break;
    case 4:
      DecodeMisc(in);
      break;
  }
  return 0;
}
