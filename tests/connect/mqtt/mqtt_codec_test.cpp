// MQTT 3.1.1 packets: the bytes factoryhub sends, and what it reads from partial and
// malformed input.
#include "connect/mqtt/mqtt_codec.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

namespace fh::connect {
namespace {

TEST(MqttCodecTest, ConnectSubscribeAndPubackBytes) {
  MqttConnect c;
  c.client_id = "fh";
  c.keep_alive_s = 30;
  // Fixed header 0x10, length 14; "MQTT", level 4, flags 0 (persistent session), 30 s, "fh".
  EXPECT_EQ(EncodeConnect(c), std::string("\x10\x0e\x00\x04MQTT\x04\x00\x00\x1e\x00\x02"
                                          "fh",
                                          16));
  EXPECT_EQ(EncodeSubscribe(7, {"a/+"}, 1), std::string("\x82\x08\x00\x07\x00\x03"
                                                        "a/+\x01",
                                                        10));
  EXPECT_EQ(EncodePuback(258), std::string("\x40\x02\x01\x02", 4));
  // The broker's PUBACK names the message it acknowledges (the publisher waits for it).
  Result<std::optional<Decoded>> ack = NextPacket(EncodePuback(258));
  ASSERT_TRUE(ack.ok() && ack->has_value());
  EXPECT_EQ((*ack)->packet.type, MqttType::kPuback);
  EXPECT_EQ((*ack)->packet.packet_id, 258);
  EXPECT_FALSE(NextPacket(std::string("\x40\x01\x01", 3)).ok());
  EXPECT_EQ(EncodePingreq(), std::string("\xc0\x00", 2));
}

TEST(MqttCodecTest, PublishPacketsAreReadWholeOrNotAtAll) {
  // QoS 1 PUBLISH to "t/1", packet id 5, payload "42"; then a PINGRESP.
  const std::string bytes = std::string(
                                "\x32\x09\x00\x03t/1\x00\x05"
                                "42",
                                11) +
                            std::string("\xd0\x00", 2);
  for (size_t cut = 0; cut < 11; ++cut) {
    Result<std::optional<Decoded>> part = NextPacket(std::string_view(bytes).substr(0, cut));
    ASSERT_OK(part);
    EXPECT_FALSE(part->has_value()) << cut;
  }
  Result<std::optional<Decoded>> d = NextPacket(bytes);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->size, 11u);
  const MqttPacket& p = (*d)->packet;
  EXPECT_EQ(p.type, MqttType::kPublish);
  EXPECT_EQ(p.qos, 1);
  EXPECT_EQ(p.packet_id, 5);
  EXPECT_EQ(p.topic, "t/1");
  EXPECT_EQ(p.payload, "42");
  Result<std::optional<Decoded>> ping = NextPacket(std::string_view(bytes).substr(11));
  ASSERT_TRUE(ping.ok() && ping->has_value());
  EXPECT_EQ((*ping)->packet.type, MqttType::kPingresp);
}

TEST(MqttCodecTest, LongLengthsAndMalformedPackets) {
  // A 200-byte QoS 0 PUBLISH: the remaining length takes two bytes (0xc8 0x01).
  std::string big = std::string("\x30\xc8\x01\x00\x01x", 6) + std::string(197, 'p');
  Result<std::optional<Decoded>> d = NextPacket(big);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->packet.payload.size(), 197u);
  EXPECT_FALSE(NextPacket(std::string("\x30\xff\xff\xff\xff\x01", 6)).ok());  // 5 length bytes
  EXPECT_FALSE(NextPacket(std::string("\x36\x02\x00\x00", 4)).ok());          // QoS 3
  EXPECT_FALSE(NextPacket(std::string("\x30\x02\x00\x05", 4)).ok());          // topic overruns
  EXPECT_FALSE(NextPacket(std::string("\x10\x00", 2)).ok());                  // CONNECT inbound
  Result<std::optional<Decoded>> connack = NextPacket(std::string("\x20\x02\x01\x05", 4));
  ASSERT_TRUE(connack.ok() && connack->has_value());
  EXPECT_TRUE((*connack)->packet.session_present);
  EXPECT_EQ(ConnackReason((*connack)->packet.code), "not authorized");
}

TEST(MqttCodecTest, AWillAndARetainedQos1Publish) {
  MqttConnect c;
  c.client_id = "fh";
  c.keep_alive_s = 30;
  c.will_topic = "s/h";
  c.will_payload = "off";
  c.will_qos = 1;
  c.will_retain = true;
  // Flags 0x2c: will (0x04), will QoS 1 (0x08), will retain (0x20); then the will's topic
  // and message after the client id.
  EXPECT_EQ(EncodeConnect(c), std::string("\x10\x18\x00\x04MQTT\x04\x2c\x00\x1e\x00\x02"
                                          "fh\x00\x03s/h\x00\x03off",
                                          26));
  // 0x33: PUBLISH, QoS 1, retain; packet id 9 after the topic. Read back by the decoder.
  const std::string publish = EncodePublish("s/h", "on", 1, true, 9);
  EXPECT_EQ(publish, std::string("\x33\x09\x00\x03s/h\x00\x09on", 11));
  Result<std::optional<Decoded>> d = NextPacket(publish);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->packet.qos, 1);
  EXPECT_TRUE((*d)->packet.retain);
  EXPECT_EQ((*d)->packet.packet_id, 9);
  EXPECT_EQ((*d)->packet.topic, "s/h");
  EXPECT_EQ((*d)->packet.payload, "on");
  EXPECT_EQ(EncodePublish("t", "x"), std::string("\x30\x04\x00\x01tx", 6));
}

}  // namespace
}  // namespace fh::connect
