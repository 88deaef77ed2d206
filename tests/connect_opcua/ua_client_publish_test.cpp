// The Publish loop against a scripted server (an in-process socket speaking policy None
// through factoryhub's own chunk codec and server-side encoders): acknowledgements, a gap
// in sequence numbers recovered by Republish where the server still has the message and
// counted lost where it has not, keep-alives, and a ServiceFault in the middle.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <mutex>
#include <thread>

#include "connect/opcua/ua_client.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace publish_test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr uint32_t kSubscriptionId = 7;

NotificationMessage Data(uint32_t seq, double value) {
  NotificationMessage m;
  m.sequence_number = seq;
  MonitoredItemNotification n;
  n.client_handle = 1;
  n.value.has_value = true;
  n.value.value = Variant::Of(value);
  m.data_changes.push_back(n);
  return m;
}

// Reads what a RequestHeader holds (the server's side of Write(RequestHeader)).
Status SkipRequestHeader(Reader& r, uint32_t* handle) {
  NodeId token;
  FH_RETURN_IF_ERROR(Read(r, &token));
  DateTime t;
  FH_RETURN_IF_ERROR(Read(r, &t));
  FH_RETURN_IF_ERROR(r.ReadUInt32(handle, "handle"));
  uint32_t ignored = 0;
  FH_RETURN_IF_ERROR(r.ReadUInt32(&ignored, "diagnostics"));
  std::string audit;
  FH_RETURN_IF_ERROR(r.ReadString(&audit, "audit"));
  FH_RETURN_IF_ERROR(r.ReadUInt32(&ignored, "timeout"));
  ExtensionObject additional;
  return Read(r, &additional);
}

class ScriptedServer {
 public:
  ScriptedServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    if (socket_) socket_->close(ignored);
    thread_.join();
  }
  std::string url() const {
    return "opc.tcp://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/fake";
  }
  std::vector<SubscriptionAcknowledgement> acks() {
    std::lock_guard lock(mu_);
    return acks_;
  }
  std::vector<uint32_t> republish_asked() {
    std::lock_guard lock(mu_);
    return republish_asked_;
  }

 private:
  template <typename Response>
  void Reply(uint32_t request_id, const Response& response,
             TcpMessageType type = TcpMessageType::kMessage) {
    std::vector<uint8_t> body;
    Writer w(&body);
    Write(w, NodeId::Numeric(0, Response::kEncodingId));
    if constexpr (std::is_same_v<decltype(Write(w, response)), void>) {
      Write(w, response);
    } else {
      ASSERT_OK(Write(w, response));
    }
    SendBody(type, request_id, body);
  }
  void SendBody(TcpMessageType type, uint32_t request_id, const std::vector<uint8_t>& body) {
    std::vector<std::vector<uint8_t>> chunks;
    ASSERT_OK(codec_->EncodeMessage(type, request_id, body, &chunks));
    for (const auto& c : chunks)
      asio::write(*socket_, asio::buffer(c));
  }
  void Fault(uint32_t request_id, uint32_t handle, StatusCode code) {
    std::vector<uint8_t> body;
    Writer w(&body);
    Write(w, NodeId::Numeric(0, encoding_id::kServiceFault));
    ResponseHeader h;
    h.request_handle = handle;
    h.service_result = code;
    Write(w, h);
    SendBody(TcpMessageType::kMessage, request_id, body);
  }
  ResponseHeader Header(uint32_t handle) {
    ResponseHeader h;
    h.request_handle = handle;
    return h;
  }

  void Serve() {
    boost::system::error_code ec;
    tcp::socket s(io_);
    acceptor_.accept(s, ec);
    if (ec) return;
    socket_ = &s;
    // Hello → Acknowledge.
    std::vector<uint8_t> buffer(8);
    if (!ReadMessage(&buffer)) return;
    const auto ack = EncodeAcknowledge({0, 65535, 65535, 0, 0});
    asio::write(s, asio::buffer(ack));
    TransportLimits limits;
    limits.send_buffer_size = 65535;
    limits.receive_buffer_size = 65535;
    codec_ = std::make_unique<ChunkCodec>(&security_, limits);
    uint32_t publish_count = 0;
    while (ReadMessage(&buffer)) {
      auto m = codec_->AddChunk(buffer);
      if (!m.ok() || !m->has_value()) continue;
      Reader r((*m)->body);
      ExpandedNodeId type;
      uint32_t handle = 0;
      if (!Read(r, &type).ok() || !SkipRequestHeader(r, &handle).ok()) return;
      const uint32_t id = (*m)->request_id;
      switch (type.node_id.numeric) {
        case encoding_id::kOpenSecureChannelRequest: {
          OpenSecureChannelResponse response;
          response.header = Header(handle);
          response.token = {1, 1, DateTime{}, 600000};
          codec_->SetChannel(1, 1);
          Reply(id, response, TcpMessageType::kOpen);
          break;
        }
        case encoding_id::kCreateSessionRequest: {
          CreateSessionResponse response;
          response.header = Header(handle);
          response.session_id = NodeId::Numeric(1, 1);
          response.authentication_token = NodeId::Opaque(0, "token");
          response.revised_session_timeout_ms = 60000;
          EndpointDescription e;
          e.endpoint_url = url();
          e.security_mode = MessageSecurityMode::kNone;
          e.security_policy_uri = std::string(kSecurityPolicyNoneUri);
          e.user_identity_tokens = {{"anon", UserTokenType::kAnonymous, "", "", ""}};
          response.server_endpoints = {e};
          Reply(id, response);
          break;
        }
        case encoding_id::kActivateSessionRequest: {
          ActivateSessionResponse response;
          response.header = Header(handle);
          Reply(id, response);
          break;
        }
        case encoding_id::kCreateSubscriptionRequest: {
          CreateSubscriptionResponse response;
          response.header = Header(handle);
          response.subscription_id = kSubscriptionId;
          response.revised_publishing_interval_ms = 100;
          Reply(id, response);
          break;
        }
        case encoding_id::kPublishRequest: {
          size_t n = 0;
          if (!r.ReadArrayLength(&n, 8, "acks").ok()) return;
          {
            std::lock_guard lock(mu_);
            for (size_t i = 0; i < n; ++i) {
              SubscriptionAcknowledgement a;
              if (!r.ReadUInt32(&a.subscription_id, "ack").ok() ||
                  !r.ReadUInt32(&a.sequence_number, "ack").ok()) {
                return;
              }
              acks_.push_back(a);
            }
          }
          ++publish_count;
          PublishResponse response;
          response.header = Header(handle);
          response.subscription_id = kSubscriptionId;
          if (publish_count == 1) {
            response.notification_message = Data(1, 10);
            response.available_sequence_numbers = {1};
          } else if (publish_count == 2) {
            // 2 and 3 never sent: 3 is still in the retransmission queue, 2 is not.
            response.notification_message = Data(4, 40);
            response.available_sequence_numbers = {3, 4};
          } else if (publish_count == 3) {
            Fault(id, handle, kBadTimeout);  // a Publish that waited too long
            break;
          } else {
            response.notification_message.sequence_number = 5;  // keep-alive: 5 comes next
          }
          Reply(id, response);
          break;
        }
        case encoding_id::kRepublishRequest: {
          uint32_t sub = 0;
          uint32_t seq = 0;
          if (!r.ReadUInt32(&sub, "sub").ok() || !r.ReadUInt32(&seq, "seq").ok()) return;
          {
            std::lock_guard lock(mu_);
            republish_asked_.push_back(seq);
          }
          if (seq != 3) {
            Fault(id, handle, kBadMessageNotAvailable);
            break;
          }
          std::vector<uint8_t> body;
          Writer w(&body);
          Write(w, NodeId::Numeric(0, RepublishResponse::kEncodingId));
          Write(w, Header(handle));
          ASSERT_OK(Write(w, Data(3, 30)));
          SendBody(TcpMessageType::kMessage, id, body);
          break;
        }
        case encoding_id::kCloseSessionRequest: {
          std::vector<uint8_t> body;
          Writer w(&body);
          Write(w, NodeId::Numeric(0, CloseSessionResponse::kEncodingId));
          Write(w, Header(handle));
          SendBody(TcpMessageType::kMessage, id, body);
          break;
        }
        case encoding_id::kCloseSecureChannelRequest:
          return;
        default:
          Fault(id, handle, kBadServiceUnsupported);
      }
    }
  }

  // One whole message (8-byte header and the rest) into *out.
  bool ReadMessage(std::vector<uint8_t>* out) {
    boost::system::error_code ec;
    out->resize(8);
    asio::read(*socket_, asio::buffer(*out), ec);
    if (ec) return false;
    auto h = DecodeTcpHeader(*out, 0);
    if (!h.ok()) return false;
    out->resize(h->size);
    asio::read(*socket_, asio::buffer(out->data() + 8, h->size - 8), ec);
    return !ec;
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  tcp::socket* socket_ = nullptr;
  SecurityNone security_;
  std::unique_ptr<ChunkCodec> codec_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<SubscriptionAcknowledgement> acks_;
  std::vector<uint32_t> republish_asked_;
};

TEST(UaClientPublishTest, GapsAreRepublishedOrCountedLostAndEverythingIsAcknowledged) {
  ScriptedServer server;
  ClientOptions options;
  options.request_timeout = std::chrono::milliseconds(10000);
  Client client(options);
  ASSERT_OK(client.Connect(server.url()));
  ASSERT_OK_AND_ASSIGN(const auto sub, client.CreateSubscription({}));
  EXPECT_EQ(sub.subscription_id, kSubscriptionId);

  std::vector<uint32_t> delivered;
  std::vector<double> values;
  auto handler = [&](uint32_t subscription_id, const NotificationMessage& m) {
    EXPECT_EQ(subscription_id, kSubscriptionId);
    delivered.push_back(m.sequence_number);
    for (const auto& n : m.data_changes)
      values.push_back(*n.value.value.ToDouble());
  };
  uint32_t republished = 0;
  uint32_t lost = 0;
  uint32_t keep_alives = 0;
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK_AND_ASSIGN(const PublishOutcome outcome,
                         client.Publish(std::chrono::milliseconds(5000), handler));
    EXPECT_TRUE(outcome.response);
    republished += outcome.republished;
    lost += outcome.lost;
    keep_alives += outcome.keep_alive ? 1 : 0;
  }
  EXPECT_EQ(delivered, (std::vector<uint32_t>{1, 3, 4}));
  EXPECT_EQ(values, (std::vector<double>{10, 30, 40}));
  EXPECT_EQ(republished, 1u);
  EXPECT_EQ(lost, 1u);
  EXPECT_GE(keep_alives, 2u);
  // 2 is not among the available sequence numbers: not asked for, counted lost.
  EXPECT_EQ(server.republish_asked(), (std::vector<uint32_t>{3}));
  client.Close();
  // Every message delivered was acknowledged with a later Publish.
  std::vector<uint32_t> acked;
  for (const auto& a : server.acks()) {
    EXPECT_EQ(a.subscription_id, kSubscriptionId);
    acked.push_back(a.sequence_number);
  }
  EXPECT_EQ(acked, (std::vector<uint32_t>{1, 3, 4}));
}

}  // namespace publish_test
}  // namespace fh::opcua
