// The bytes node-opcua 2.180's client and server really exchanged (tests/connect_opcua/
// captured/, its README says what each file is): every server message is reassembled and
// decoded by factoryhub's decoders, values are checked against the README, and requests
// factoryhub encodes are compared with node-opcua's.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_chunking.h"
#include "connect/opcua/ua_services.h"
#include "connect_opcua/ua_test_bytes.h"
#include "testing/source_dir.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace captured_test {

namespace fs = std::filesystem;

fs::path CapturedDir() {
  return fh::testing::SourceDir() / "tests" / "connect_opcua" / "captured";
}

std::vector<uint8_t> Load(const std::string& name) {
  std::ifstream in(CapturedDir() / name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream text;
  text << in.rdbuf();
  return test_bytes::HexBytes(text.str());
}

// The files of one scenario in the order they crossed the proxy.
std::vector<std::string> Files(const std::string& scenario) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(CapturedDir())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(scenario + "-") && name.ends_with(".hex")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TransportLimits WideLimits() {
  TransportLimits l;
  l.send_buffer_size = 655360;
  l.receive_buffer_size = 655360;
  return l;
}

// A decoded server message: its encoding id and body.
struct Message {
  std::string file;
  uint32_t type_id = 0;
  std::vector<uint8_t> body;
};

// Reassembles one direction of a scenario through a ChunkCodec, as the client would.
std::vector<Message> Reassemble(const std::string& scenario, const std::string& direction) {
  SecurityNone none;
  ChunkCodec codec(&none, WideLimits());
  std::vector<Message> out;
  for (const auto& name : Files(scenario)) {
    if (name.find("-" + direction + "-") == std::string::npos) continue;
    auto bytes = Load(name);
    auto header = DecodeTcpHeader(bytes, 0);
    EXPECT_TRUE(header.ok()) << name << ": " << header.status().ToString();
    if (!header.ok()) continue;
    EXPECT_EQ(header->size, bytes.size()) << name;
    if (header->type == TcpMessageType::kHello || header->type == TcpMessageType::kAcknowledge ||
        header->type == TcpMessageType::kError) {
      continue;
    }
    auto m = codec.AddChunk(bytes);
    EXPECT_TRUE(m.ok()) << name << ": " << m.status().ToString();
    if (!m.ok() || !m->has_value()) continue;
    Reader r((*m)->body);
    ExpandedNodeId type;
    EXPECT_OK(Read(r, &type)) << name;
    out.push_back({name, type.node_id.numeric, std::move((*m)->body)});
  }
  return out;
}

template <typename Response>
Response DecodeAs(const Message& m) {
  Response out;
  EXPECT_OK(DecodeResponse(m.body, &out)) << m.file;
  return out;
}

// Decodes a server message with the decoder its type id names; false if there is none.
bool DecodeKnown(const Message& m) {
  switch (m.type_id) {
    case encoding_id::kOpenSecureChannelResponse:
      DecodeAs<OpenSecureChannelResponse>(m);
      return true;
    case encoding_id::kGetEndpointsResponse:
      DecodeAs<GetEndpointsResponse>(m);
      return true;
    case encoding_id::kCreateSessionResponse:
      DecodeAs<CreateSessionResponse>(m);
      return true;
    case encoding_id::kActivateSessionResponse:
      DecodeAs<ActivateSessionResponse>(m);
      return true;
    case encoding_id::kCloseSessionResponse:
      DecodeAs<CloseSessionResponse>(m);
      return true;
    case encoding_id::kBrowseResponse:
      DecodeAs<BrowseResponse>(m);
      return true;
    case encoding_id::kBrowseNextResponse:
      DecodeAs<BrowseNextResponse>(m);
      return true;
    case encoding_id::kReadResponse:
      DecodeAs<ReadResponse>(m);
      return true;
    case encoding_id::kCreateSubscriptionResponse:
      DecodeAs<CreateSubscriptionResponse>(m);
      return true;
    case encoding_id::kCreateMonitoredItemsResponse:
      DecodeAs<CreateMonitoredItemsResponse>(m);
      return true;
    case encoding_id::kPublishResponse:
      DecodeAs<PublishResponse>(m);
      return true;
    case encoding_id::kDeleteSubscriptionsResponse:
      DecodeAs<DeleteSubscriptionsResponse>(m);
      return true;
    case encoding_id::kServiceFault: {
      // The anon scenario's Publish requests outstanding at DeleteSubscriptions come back as
      // faults: BadNoSubscription, as a Status.
      PublishResponse ignored;
      Status s = DecodeResponse(m.body, &ignored);
      EXPECT_NE(s.message().find("BadNoSubscription"), std::string::npos) << m.file;
      return true;
    }
    default:
      return false;
  }
}

TEST(UaCapturedTest, EveryServerMessageDecodes) {
  if (!fs::exists(CapturedDir())) GTEST_FAIL() << "missing " << CapturedDir();
  size_t total = 0;
  for (const std::string scenario : {"anon", "user", "browse"}) {
    SCOPED_TRACE(scenario);
    const auto messages = Reassemble(scenario, "s2c");
    EXPECT_GT(messages.size(), 5u);
    for (const auto& m : messages) {
      EXPECT_TRUE(DecodeKnown(m)) << m.file << ": no decoder for i=" << m.type_id;
    }
    total += messages.size();
    // node-opcua's own requests go through the same chunk parser.
    const auto requests = Reassemble(scenario, "c2s");
    EXPECT_GT(requests.size(), 5u);
  }
  EXPECT_GT(total, 55u);
}

std::map<std::string, Message> ByFile(const std::string& scenario, const std::string& direction);

// Decodes `body` as the response its type id names; the Status of that.
Status DecodeByType(uint32_t type_id, std::span<const uint8_t> body) {
  switch (type_id) {
#define FH_CASE(Response)              \
  case Response::kEncodingId: {        \
    Response out;                      \
    return DecodeResponse(body, &out); \
  }
    FH_CASE(OpenSecureChannelResponse)
    FH_CASE(GetEndpointsResponse)
    FH_CASE(CreateSessionResponse)
    FH_CASE(ActivateSessionResponse)
    FH_CASE(CloseSessionResponse)
    FH_CASE(BrowseResponse)
    FH_CASE(BrowseNextResponse)
    FH_CASE(ReadResponse)
    FH_CASE(CreateSubscriptionResponse)
    FH_CASE(CreateMonitoredItemsResponse)
    FH_CASE(PublishResponse)
    FH_CASE(DeleteSubscriptionsResponse)
#undef FH_CASE
    default:
      return InvalidArgument("no decoder for i={}", type_id);
  }
}

TEST(UaCapturedTest, EveryResponseTypeRefusesEveryTruncation) {
  std::map<uint32_t, Message> one_of_each;
  for (const std::string scenario : {"anon", "user", "browse"}) {
    for (auto& m : Reassemble(scenario, "s2c")) {
      if (m.type_id != encoding_id::kServiceFault) one_of_each.emplace(m.type_id, std::move(m));
    }
  }
  EXPECT_GE(one_of_each.size(), 12u);
  for (const auto& [type_id, m] : one_of_each) {
    ASSERT_OK(DecodeByType(type_id, m.body)) << m.file;
    for (size_t n = 0; n < m.body.size(); ++n) {
      const Status s = DecodeByType(type_id, std::span(m.body.data(), n));
      ASSERT_FALSE(s.ok()) << m.file << " decoded from its first " << n << " bytes";
      ASSERT_NE(s.message().find("at byte"), std::string::npos) << m.file << ": " << s.message();
    }
  }
}

TEST(UaCapturedTest, AnArrayLengthBeyondTheMessageIsRefusedBeforeAllocating) {
  // The ReadResponse of anon-014 (one result) with its Results length made 2^31 - 1.
  const auto anon = ByFile("anon", "s2c");
  auto body = anon.at("anon-014-s2c-MSG.hex").body;
  ReadResponse ok;
  ASSERT_OK(DecodeResponse(body, &ok));
  // Results' length follows the type id (4) and a ResponseHeader with no diagnostics,
  // string table or additional header (8 + 4 + 4 + 1 + 4 + 3).
  const size_t at = 4 + 24;
  ASSERT_EQ(body[at], 1);
  body[at] = 0xff;
  body[at + 1] = 0xff;
  body[at + 2] = 0xff;
  body[at + 3] = 0x7f;
  ReadResponse refused;
  const Status s = DecodeResponse(body, &refused);
  EXPECT_NE(s.message().find("ReadResponse.Results at byte 28: 2147483647 elements exceed the "
                             "limit"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(refused.results.capacity(), 0u);
}

std::map<std::string, Message> ByFile(const std::string& scenario, const std::string& direction) {
  std::map<std::string, Message> out;
  for (auto& m : Reassemble(scenario, direction))
    out[m.file] = m;
  return out;
}

// The tick of a source timestamp (epoch 2026-01-01T00:00:00Z, 100 ms a tick).
int64_t Tick(DateTime t) {
  constexpr int64_t kEpochTicks = 134116992000000000;
  return (t.ticks - kEpochTicks) / 1000000;
}

TEST(UaCapturedTest, ReadResponseValuesAreTheReadmes) {
  const auto anon = ByFile("anon", "s2c");
  const auto read = DecodeAs<ReadResponse>(anon.at("anon-016-s2c-MSG.hex"));
  ASSERT_EQ(read.results.size(), 12u);
  const auto& r = read.results;
  EXPECT_EQ(r[0].value.type, BuiltinType::kDouble);
  EXPECT_EQ(r[0].value.ToDouble(), 1038.0);
  EXPECT_EQ(Tick(r[0].source_timestamp), 38);
  EXPECT_EQ(r[1].value.type, BuiltinType::kFloat);
  EXPECT_EQ(r[1].value.ToDouble(), 29.5);
  EXPECT_EQ(r[2].value.type, BuiltinType::kUInt32);
  EXPECT_EQ(r[2].value.ToDouble(), 38.0);
  EXPECT_EQ(r[3].value.type, BuiltinType::kBoolean);
  EXPECT_EQ(r[3].value.ToDouble(), 0.0);
  EXPECT_EQ(Tick(r[3].source_timestamp), 30);
  EXPECT_EQ(std::get<std::string>(r[4].value.value), "O0001");
  ASSERT_TRUE(r[5].value.is_array);
  const auto& axis = std::get<std::vector<Variant>>(r[5].value.value);
  ASSERT_EQ(axis.size(), 3u);
  EXPECT_EQ(axis[0].ToDouble(), 19.0);
  EXPECT_EQ(axis[1].ToDouble(), -9.5);
  EXPECT_EQ(axis[2].ToDouble(), 108.0);
  EXPECT_EQ(r[6].value.ToDouble(), 1.0);
  EXPECT_EQ(r[6].value.type, BuiltinType::kInt32);
  EXPECT_TRUE(r[7].value.IsNull());
  EXPECT_EQ(r[7].status, kBadSensorFailure);
  EXPECT_EQ(Tick(r[7].source_timestamp), 35);
  EXPECT_EQ(r[10].value.ToDouble(), 99000038.0);
  EXPECT_EQ(r[11].value.ToDouble(), 0.0);
  EXPECT_EQ(Tick(r[11].source_timestamp), 0);
  for (const auto& dv : r)
    EXPECT_TRUE(dv.has_server_timestamp);
}

TEST(UaCapturedTest, PublishResponsesCarryTheDataChanges) {
  const auto anon = ByFile("anon", "s2c");
  const auto first = DecodeAs<PublishResponse>(anon.at("anon-026-s2c-MSG.hex"));
  EXPECT_EQ(first.subscription_id, 723915u);
  EXPECT_EQ(first.available_sequence_numbers, std::vector<uint32_t>{1});
  const auto& m = first.notification_message;
  EXPECT_EQ(m.sequence_number, 1u);
  ASSERT_EQ(m.data_changes.size(), 3u);
  EXPECT_EQ(m.data_changes[0].client_handle, 1u);
  EXPECT_EQ(m.data_changes[0].value.value.ToDouble(), 1039.0);
  EXPECT_EQ(Tick(m.data_changes[0].value.source_timestamp), 39);
  EXPECT_EQ(m.data_changes[1].value.value.ToDouble(), 39.0);
  EXPECT_EQ(m.data_changes[2].value.status, kBadSensorFailure);
  EXPECT_EQ(Tick(m.data_changes[2].value.source_timestamp), 35);

  // Every Publish response of the scenario: sequence numbers 1, 2, ... and SpindleSpeed
  // (client handle 1) = 1000 + k mod 100 for strictly increasing k.
  uint32_t expected_seq = 1;
  int64_t last_k = -1;
  for (const auto& [file, msg] : anon) {
    if (msg.type_id != encoding_id::kPublishResponse) continue;
    const auto p = DecodeAs<PublishResponse>(msg);
    if (p.notification_message.IsKeepAlive()) continue;
    EXPECT_EQ(p.notification_message.sequence_number, expected_seq++) << file;
    for (const auto& item : p.notification_message.data_changes) {
      if (item.client_handle != 1) continue;
      const int64_t k = Tick(item.value.source_timestamp);
      EXPECT_GT(k, last_k) << file;
      last_k = k;
      EXPECT_EQ(item.value.value.ToDouble(), 1000.0 + static_cast<double>(k % 100)) << file;
    }
  }
  EXPECT_GT(expected_seq, 10u);
}

TEST(UaCapturedTest, EndpointsSessionAndBrowse) {
  const auto anon = ByFile("anon", "s2c");
  const auto endpoints = DecodeAs<GetEndpointsResponse>(anon.at("anon-006-s2c-MSG.hex"));
  ASSERT_EQ(endpoints.endpoints.size(), 5u);
  const auto& none = endpoints.endpoints[0];
  EXPECT_EQ(none.security_mode, MessageSecurityMode::kNone);
  EXPECT_EQ(none.security_policy_uri, kSecurityPolicyNoneUri);
  bool anonymous = false;
  bool user_encrypted = false;
  for (const auto& p : none.user_identity_tokens) {
    if (p.token_type == UserTokenType::kAnonymous && p.policy_id == "anonymous") anonymous = true;
    if (p.token_type == UserTokenType::kUserName &&
        p.security_policy_uri == "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256") {
      user_encrypted = true;
    }
  }
  EXPECT_TRUE(anonymous);
  EXPECT_TRUE(user_encrypted);
  EXPECT_FALSE(none.server_certificate.empty());

  const auto session = DecodeAs<CreateSessionResponse>(anon.at("anon-008-s2c-MSG.hex"));
  EXPECT_EQ(session.server_endpoints.size(), 5u);
  EXPECT_EQ(session.revised_session_timeout_ms, 60000);
  EXPECT_EQ(FormatNodeId(session.session_id), "ns=1;g=6EF01463-0C84-9BCC-4F11-3F083643C387");
  EXPECT_EQ(session.server_certificate.size(), 1075u);

  const auto machine = DecodeAs<BrowseResponse>(anon.at("anon-012-s2c-MSG.hex"));
  ASSERT_EQ(machine.results.size(), 1u);
  std::vector<std::string> names;
  for (const auto& ref : machine.results[0].references)
    names.push_back(ref.browse_name.name);
  EXPECT_EQ(names, (std::vector<std::string>{"SpindleSpeed", "Temperature", "PartCount", "Running",
                                             "Program", "AxisPositions", "Status", "FaultySensor",
                                             "Axes", "Counters", "Many"}));

  const auto browse = ByFile("browse", "s2c");
  const auto many = DecodeAs<BrowseResponse>(browse.at("browse-012-s2c-MSG.hex"));
  EXPECT_EQ(many.results[0].references.size(), 100u);
  EXPECT_EQ(many.results[0].continuation_point.size(), 1u);
  EXPECT_EQ(many.results[0].references[0].node_id.node_id, NodeId::String(1, "Machine.Many.V0000"));
  const auto last = DecodeAs<BrowseNextResponse>(browse.at("browse-034-s2c-MSG.hex"));
  EXPECT_TRUE(last.results[0].continuation_point.empty());
  EXPECT_EQ(last.results[0].references.back().browse_name.name, "V1199");
}

TEST(UaCapturedTest, RequestsEncodeAsNodeOpcuaEncodesThem) {
  const auto anon = ByFile("anon", "c2s");
  // CreateSubscription (anon-017): after the RequestHeader, the parameters are 22 bytes.
  CreateSubscriptionRequest sub;
  sub.requested_publishing_interval_ms = 100;
  sub.requested_lifetime_count = 600;
  sub.requested_max_keep_alive_count = 10;
  sub.priority = 1;  // node-opcua's client asked for priority 1
  const auto& theirs = anon.at("anon-017-c2s-MSG.hex").body;
  std::vector<uint8_t> ours;
  EncodeRequest(sub, &ours);
  ASSERT_GE(theirs.size(), 22u);
  EXPECT_EQ(test_bytes::ToHex({theirs.end() - 22, theirs.end()}),
            test_bytes::ToHex({ours.end() - 22, ours.end()}));

  // Read of PartCount (anon-013): after the RequestHeader.
  ReadRequest read;
  read.nodes_to_read.push_back(
      {NodeId::String(1, "Machine.PartCount"), attribute_id::kValue, "", {}});
  EncodeRequest(read, &ours);
  const auto& their_read = anon.at("anon-013-c2s-MSG.hex").body;
  const size_t tail = 8 + 4 + 4 + 1 + 2 + 4 + 17 + 4 + 4 + 2 + 4;
  ASSERT_GE(their_read.size(), tail);
  EXPECT_EQ(test_bytes::ToHex({their_read.end() - tail, their_read.end()}),
            test_bytes::ToHex({ours.end() - tail, ours.end()}));
}

TEST(UaCapturedTest, NodeOpcuasNonStandardErrIsFatalAndSaysSo) {
  const auto bytes = Load("reject-004-s2c-ERR.hex");
  ASSERT_OK_AND_ASSIGN(const TcpHeader h, DecodeTcpHeader(bytes, 0));
  EXPECT_EQ(h.type, TcpMessageType::kError);
  const Status s = ErrorBodyToStatus(std::span(bytes).subspan(kTcpHeaderSize), "OPC UA server x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), fh::StatusCode::kIOError);
  EXPECT_NE(s.message().find("not in the layout of OPC 10000-6"), std::string::npos) << s.message();
}

}  // namespace captured_test
}  // namespace fh::opcua
