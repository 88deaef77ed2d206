// UA TCP's Hello/Acknowledge/Error and secure conversation chunks: bytes by hand, the
// negotiated limits, and splitting and reassembling messages within them.
#include "connect/opcua/ua_transport.h"

#include <gtest/gtest.h>

#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_chunking.h"
#include "connect/opcua/ua_endpoint_url.h"
#include "connect_opcua/ua_test_bytes.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace transport_test {

using test_bytes::HexBytes;
using test_bytes::ToHex;

TEST(UaTransportTest, HelloBytesByHand) {
  HelloMessage hello;
  hello.receive_buffer_size = 65536;
  hello.send_buffer_size = 65536;
  hello.max_message_size = 0x01000000;
  hello.max_chunk_count = 0;
  hello.endpoint_url = "opc.tcp://h:4840";
  EXPECT_EQ(ToHex(EncodeHello(hello)),
            ToHex(HexBytes("48 45 4c 46 30 00 00 00"  // "HELF", size 48
                           " 00 00 00 00 00 00 01 00 00 00 01 00 00 00 00 01 00 00 00 00"
                           " 10 00 00 00 6f 70 63 2e 74 63 70 3a 2f 2f 68 3a 34 38 34 30")));
}

TEST(UaTransportTest, AcknowledgeAndNegotiatedLimits) {
  AcknowledgeMessage ack{0, 16384, 32768, 1 << 20, 8};
  const auto bytes = EncodeAcknowledge(ack);
  ASSERT_OK_AND_ASSIGN(const TcpHeader h, DecodeTcpHeader(bytes, 0));
  EXPECT_EQ(h.type, TcpMessageType::kAcknowledge);
  EXPECT_EQ(h.size, 28u);
  ASSERT_OK_AND_ASSIGN(const AcknowledgeMessage back,
                       DecodeAcknowledge(std::span(bytes).subspan(kTcpHeaderSize)));
  EXPECT_EQ(back.receive_buffer_size, 16384u);
  EXPECT_EQ(back.max_chunk_count, 8u);

  HelloMessage hello;  // 65535 both ways
  ASSERT_OK_AND_ASSIGN(const TransportLimits l, NegotiateLimits(hello, back));
  EXPECT_EQ(l.send_buffer_size, 16384u);     // what the server receives
  EXPECT_EQ(l.receive_buffer_size, 32768u);  // what the server sends
  EXPECT_EQ(l.max_send_message_size, 1u << 20);
  EXPECT_EQ(l.max_send_chunk_count, 8u);
  EXPECT_EQ(l.max_receive_message_size, hello.max_message_size);

  EXPECT_FALSE(NegotiateLimits(hello, AcknowledgeMessage{0, 1024, 32768, 0, 0}).ok());
  EXPECT_FALSE(NegotiateLimits(hello, AcknowledgeMessage{0, 16384, 70000, 0, 0}).ok());
  EXPECT_FALSE(DecodeAcknowledge(std::span(bytes).subspan(kTcpHeaderSize, 19)).ok());
}

TEST(UaTransportTest, ErrorMessageBecomesAStatusNamingTheCode) {
  const auto bytes = EncodeError({kBadTcpEndpointUrlInvalid, "no such endpoint"});
  EXPECT_EQ(ToHex(bytes), ToHex(HexBytes("45 52 52 46 20 00 00 00 00 00 83 80 10 00 00 00"
                                         " 6e 6f 20 73 75 63 68 20 65 6e 64 70 6f 69 6e 74")));
  ASSERT_OK_AND_ASSIGN(const ErrorMessage e, DecodeError(std::span(bytes).subspan(8)));
  const Status s = ErrorMessageToStatus(e, "OPC UA server x");
  EXPECT_EQ(s.code(), fh::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "OPC UA server x sent Error BadTcpEndpointUrlInvalid (0x80830000): no such endpoint");
  EXPECT_EQ(ErrorMessageToStatus({kBadTcpNotEnoughResources, ""}, "s").code(),
            fh::StatusCode::kUnavailable);
  // A reason beyond 4096 bytes is refused.
  std::vector<uint8_t> body = HexBytes("00 00 83 80 01 20 00 00");
  body.resize(body.size() + 8193, 'a');
  EXPECT_FALSE(DecodeError(body).ok());
}

TEST(UaTransportTest, TcpHeaderIsChecked) {
  EXPECT_NE(DecodeTcpHeader(HexBytes("58 59 5a 46 08 00 00 00"), 0)
                .status()
                .message()
                .find("unknown message type 'XYZ'"),
            std::string::npos);
  EXPECT_NE(DecodeTcpHeader(HexBytes("4d 53 47 58 08 00 00 00"), 0)
                .status()
                .message()
                .find("unknown chunk type 0x58"),
            std::string::npos);
  EXPECT_NE(DecodeTcpHeader(HexBytes("4f 50 4e 43 08 00 00 00"), 0)
                .status()
                .message()
                .find("chunk type 'C' on a OPN message"),
            std::string::npos);
  EXPECT_NE(DecodeTcpHeader(HexBytes("4d 53 47 46 04 00 00 00"), 0)
                .status()
                .message()
                .find("size 4 is below 8"),
            std::string::npos);
  EXPECT_NE(
      DecodeTcpHeader(HexBytes("4d 53 47 46 00 00 01 00"), 8192)
          .status()
          .message()
          .find("MessageHeader.MessageSize at byte 4: size 65536 exceeds the buffer size 8192"),
      std::string::npos);
  EXPECT_FALSE(DecodeTcpHeader(HexBytes("4d 53 47 46 00"), 0).ok());
}

TEST(UaTransportTest, EndpointUrls) {
  ASSERT_OK_AND_ASSIGN(auto a, ParseEndpointUrl("opc.tcp://plc.local:4841/UA/Server"));
  EXPECT_EQ(a.host, "plc.local");
  EXPECT_EQ(a.port, 4841);
  EXPECT_EQ(a.path, "/UA/Server");
  ASSERT_OK_AND_ASSIGN(auto b, ParseEndpointUrl("OPC.TCP://10.0.0.5"));
  EXPECT_EQ(b.host, "10.0.0.5");
  EXPECT_EQ(b.port, kDefaultOpcUaPort);
  ASSERT_OK_AND_ASSIGN(auto c, ParseEndpointUrl("opc.tcp://[::1]:4840/x"));
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 4840);
  for (const char* bad :
       {"http://x", "opc.tcp://", "opc.tcp://:4840", "opc.tcp://h:0", "opc.tcp://h:65536",
        "opc.tcp://h:", "opc.tcp://h:x1", "opc.tcp://[::1"}) {
    EXPECT_FALSE(ParseEndpointUrl(bad).ok()) << bad;
  }
}

TransportLimits Limits(uint32_t buffer, uint32_t max_message, uint32_t max_chunks) {
  TransportLimits l;
  l.send_buffer_size = buffer;
  l.receive_buffer_size = buffer;
  l.max_send_message_size = max_message;
  l.max_receive_message_size = max_message;
  l.max_send_chunk_count = max_chunks;
  l.max_receive_chunk_count = max_chunks;
  return l;
}

std::vector<uint8_t> Pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<uint8_t>(i * 7 + 1);
  return v;
}

TEST(UaChunkingTest, MsgChunkBytesByHand) {
  SecurityNone none;
  ChunkCodec codec(&none, Limits(8192, 0, 0));
  codec.SetChannel(5, 9);
  std::vector<std::vector<uint8_t>> chunks;
  ASSERT_OK(codec.EncodeMessage(TcpMessageType::kMessage, 3, HexBytes("aa bb"), &chunks));
  ASSERT_EQ(chunks.size(), 1u);
  // "MSGF", size 26, channel 5, token 9, sequence 1, request 3, body.
  EXPECT_EQ(ToHex(chunks[0]), ToHex(HexBytes("4d 53 47 46 1a 00 00 00 05 00 00 00 09 00 00 00"
                                             " 01 00 00 00 03 00 00 00 aa bb")));
}

TEST(UaChunkingTest, OpnChunkCarriesTheAsymmetricHeader) {
  SecurityNone none;
  ChunkCodec codec(&none, Limits(8192, 0, 0));
  std::vector<std::vector<uint8_t>> chunks;
  ASSERT_OK(codec.EncodeMessage(TcpMessageType::kOpen, 1, HexBytes("01"), &chunks));
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_OK_AND_ASSIGN(const ChunkHeader h, DecodeChunkHeader(chunks[0], {}));
  EXPECT_EQ(h.tcp.type, TcpMessageType::kOpen);
  EXPECT_EQ(h.asymmetric.security_policy_uri, kSecurityPolicyNoneUri);
  EXPECT_TRUE(h.asymmetric.sender_certificate.empty());
  EXPECT_EQ(h.security_header_end, 12u + 4 + kSecurityPolicyNoneUri.size() + 4 + 4);
  // Null certificate and thumbprint: ff ff ff ff each.
  const std::vector<uint8_t> tail(chunks[0].end() - 17, chunks[0].end());
  EXPECT_EQ(ToHex(tail), ToHex(HexBytes("ff ff ff ff ff ff ff ff 01 00 00 00 01 00 00 00 01")));
}

TEST(UaChunkingTest, SplitsWithinTheBufferAndReassembles) {
  SecurityNone none;
  ChunkCodec sender(&none, Limits(8192, 0, 0));
  ChunkCodec receiver(&none, Limits(8192, 0, 0));
  sender.SetChannel(7, 1);
  receiver.SetChannel(7, 1);
  const auto body = Pattern(20000);
  std::vector<std::vector<uint8_t>> chunks;
  ASSERT_OK(sender.EncodeMessage(TcpMessageType::kMessage, 42, body, &chunks));
  ASSERT_EQ(chunks.size(), 3u);  // 8192 - 24 = 8168 body bytes per chunk
  EXPECT_EQ(chunks[0].size(), 8192u);
  EXPECT_EQ(chunks[0][3], 'C');
  EXPECT_EQ(chunks[1][3], 'C');
  EXPECT_EQ(chunks[2][3], 'F');
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(auto partial, receiver.AddChunk(chunks[i]));
    EXPECT_FALSE(partial.has_value());
  }
  ASSERT_OK_AND_ASSIGN(auto done, receiver.AddChunk(chunks[2]));
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->request_id, 42u);
  EXPECT_EQ(done->body, body);
  EXPECT_TRUE(done->abort.ok());
}

TEST(UaChunkingTest, LimitsAreEnforcedBothWays) {
  SecurityNone none;
  const auto body = Pattern(20000);
  std::vector<std::vector<uint8_t>> chunks;
  {
    ChunkCodec sender(&none, Limits(8192, 0, 2));
    Status s = sender.EncodeMessage(TcpMessageType::kMessage, 1, body, &chunks);
    EXPECT_EQ(s.code(), fh::StatusCode::kResourceExhausted);
    EXPECT_NE(s.message().find("needs 3 chunks, the server takes 2"), std::string::npos);
  }
  {
    ChunkCodec sender(&none, Limits(8192, 10000, 0));
    EXPECT_FALSE(sender.EncodeMessage(TcpMessageType::kMessage, 1, body, &chunks).ok());
  }
  {
    ChunkCodec sender(&none, Limits(8192, 0, 0));
    EXPECT_FALSE(sender.EncodeMessage(TcpMessageType::kOpen, 1, body, &chunks).ok());
  }
  ChunkCodec sender(&none, Limits(8192, 0, 0));
  ASSERT_OK(sender.EncodeMessage(TcpMessageType::kMessage, 1, body, &chunks));
  {
    ChunkCodec receiver(&none, Limits(8192, 0, 2));
    ASSERT_OK(receiver.AddChunk(chunks[0]));
    ASSERT_OK(receiver.AddChunk(chunks[1]));
    auto third = receiver.AddChunk(chunks[2]);
    EXPECT_EQ(third.status().code(), fh::StatusCode::kResourceExhausted);
    EXPECT_NE(third.status().message().find("more than 2 chunks"), std::string::npos);
  }
  {
    ChunkCodec receiver(&none, Limits(8192, 10000, 0));
    ASSERT_OK(receiver.AddChunk(chunks[0]));
    auto second = receiver.AddChunk(chunks[1]);
    EXPECT_NE(second.status().message().find("exceeds the message size limit of 10000"),
              std::string::npos);
  }
  {
    ChunkCodec receiver(&none, Limits(8192, 0, 0));
    auto big = chunks[0];
    big.resize(9000);
    Writer(&big).PatchUInt32(4, 9000);
    EXPECT_FALSE(receiver.AddChunk(big).ok());
  }
}

TEST(UaChunkingTest, AnAbortChunkEndsTheMessageWithItsError) {
  SecurityNone none;
  ChunkCodec sender(&none, Limits(8192, 0, 0));
  ChunkCodec receiver(&none, Limits(8192, 0, 0));
  std::vector<std::vector<uint8_t>> chunks;
  ASSERT_OK(sender.EncodeMessage(TcpMessageType::kMessage, 9, Pattern(10000), &chunks));
  ASSERT_OK(receiver.AddChunk(chunks[0]));
  // The abort: same headers, chunk type 'A', sequence 2, body Error + Reason.
  std::vector<uint8_t> abort(chunks[0].begin(), chunks[0].begin() + 16);
  abort[3] = 'A';
  Writer w(&abort);
  w.WriteUInt32(2);
  w.WriteUInt32(9);
  w.WriteUInt32(kBadResponseTooLarge);
  w.WriteString("too big");
  w.PatchUInt32(4, static_cast<uint32_t>(abort.size()));
  ASSERT_OK_AND_ASSIGN(auto m, receiver.AddChunk(abort));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->request_id, 9u);
  EXPECT_FALSE(m->abort.ok());
  EXPECT_NE(m->abort.message().find("BadResponseTooLarge (0x80B90000): too big"), std::string::npos)
      << m->abort.message();
}

TEST(UaChunkingTest, SequenceNumbersAndChannelIdsAreChecked) {
  SecurityNone none;
  ChunkCodec sender(&none, Limits(8192, 0, 0));
  sender.SetChannel(3, 1);
  std::vector<std::vector<uint8_t>> first;
  std::vector<std::vector<uint8_t>> second;
  ASSERT_OK(sender.EncodeMessage(TcpMessageType::kMessage, 1, Pattern(10), &first));
  ASSERT_OK(sender.EncodeMessage(TcpMessageType::kMessage, 2, Pattern(10), &second));
  {
    ChunkCodec receiver(&none, Limits(8192, 0, 0));
    ASSERT_OK(receiver.AddChunk(second[0]));
    auto replay = receiver.AddChunk(first[0]);
    EXPECT_NE(replay.status().message().find("SequenceHeader.SequenceNumber at byte 16: 1 after 2"),
              std::string::npos)
        << replay.status().message();
  }
  {
    ChunkCodec receiver(&none, Limits(8192, 0, 0));
    receiver.SetChannel(4, 1);
    EXPECT_NE(receiver.AddChunk(first[0]).status().message().find("SecureChannelId"),
              std::string::npos);
  }
  {
    ChunkCodec receiver(&none, Limits(8192, 0, 0));
    auto wrong_size = first[0];
    wrong_size.pop_back();
    EXPECT_FALSE(receiver.AddChunk(wrong_size).ok());
    auto hel = first[0];
    hel[0] = 'H';
    hel[1] = 'E';
    hel[2] = 'L';
    EXPECT_FALSE(receiver.AddChunk(hel).ok());
  }
}

TEST(UaChunkingTest, AnOpnResponseNamingAnotherPolicyIsRefused) {
  SecurityNone none;
  std::vector<uint8_t> chunk;
  Writer w(&chunk);
  WriteTcpHeader(w, TcpMessageType::kOpen, ChunkType::kFinal, 0);
  w.WriteUInt32(1);
  WriteAsymmetricSecurityHeader(
      w, {"http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256", "cert", "thumb"});
  w.WriteUInt32(1);
  w.WriteUInt32(1);
  w.PatchUInt32(4, static_cast<uint32_t>(chunk.size()));
  ChunkCodec receiver(&none, Limits(8192, 0, 0));
  auto r = receiver.AddChunk(chunk);
  EXPECT_EQ(r.status().code(), fh::StatusCode::kUnauthenticated);
}

}  // namespace transport_test
}  // namespace fh::opcua
