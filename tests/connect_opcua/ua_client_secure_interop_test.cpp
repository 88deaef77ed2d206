// factoryhub's OPC UA client over secured channels against node-opcua
// (tests/interop/opcua/server.mjs): Basic256Sha256 SignAndEncrypt and Aes128_Sha256_RsaOaep
// Sign with values that follow the server's formulas, subscriptions and channel renewals
// under encryption; the trust list (an untrusted server refused, saved in rejected/, trusted
// and then connected to); the server refusing the hub's certificate; user names with right
// and wrong passwords; a policy the server does not offer.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "connect/opcua/ua_cert_trust.h"
#include "connect/opcua/ua_client.h"
#include "testing/opcua_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::opcua {
namespace client_secure_interop_test {

using std::chrono::milliseconds;

constexpr int64_t kSecureEpochTicks = 134116992000000000;  // 2026-01-01T00:00:00Z
constexpr int64_t kSecureTicksPerTick = 1000000;           // --rate-ms 100

int64_t SecureTickOf(DateTime t) {
  return (t.ticks - kSecureEpochTicks) / kSecureTicksPerTick;
}

NodeId SecureMachine(const std::string& name) {
  return NodeId::String(1, "Machine." + name);
}

// The server's certificate (DIR/server/own/certs/certificate.pem) as DER.
CryptoBytes ServerCertificateDer(const std::filesystem::path& server_pki) {
  const std::string pem = (server_pki / "server/own/certs/certificate.pem").string();
  FILE* f = std::fopen(pem.c_str(), "r");
  if (f == nullptr) {
    ADD_FAILURE() << "no " << pem;
    return {};
  }
  X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (x == nullptr) {
    ADD_FAILURE() << "not a PEM certificate: " << pem;
    return {};
  }
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  CryptoBytes out(der, der + std::max(n, 0));
  OPENSSL_free(der);
  X509_free(x);
  return out;
}

// Puts the server's certificate into the hub's trust list.
void TrustServer(const std::filesystem::path& server_pki, const std::filesystem::path& hub_pki) {
  ASSERT_OK_AND_ASSIGN(const Certificate c, Certificate::FromDer(ServerCertificateDer(server_pki)));
  ASSERT_OK(TrustCertificate(hub_pki, c));
}

class UaClientSecureInteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_pki_ = new fh::testing::TempDir();
    server_ = new fh::testing::OpcUaTestServer({"--rate-ms", "100", "--epoch",
                                                "2026-01-01T00:00:00Z", "--user", "operator:secret",
                                                "--pki", server_pki_->path().string()});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete server_pki_;
    server_pki_ = nullptr;
  }
  void SetUp() override { TrustServer(server_pki_->path(), hub_pki()); }

  std::filesystem::path hub_pki() const { return hub_.path() / "pki/opcua"; }

  ClientOptions Options(std::string policy, MessageSecurityMode mode) const {
    ClientOptions o;
    o.request_timeout = milliseconds(30000);
    o.session_name = "factoryhub secure interop test";
    o.security.policy = std::move(policy);
    o.security.mode = mode;
    o.security.pki_dir = hub_pki().string();
    return o;
  }

  static fh::testing::TempDir* server_pki_;
  static fh::testing::OpcUaTestServer* server_;
  fh::testing::TempDir hub_;
};
fh::testing::TempDir* UaClientSecureInteropTest::server_pki_ = nullptr;
fh::testing::OpcUaTestServer* UaClientSecureInteropTest::server_ = nullptr;

// Reads, a subscription with every change in order, and channel renewals (asymmetric OPN
// under the policy) with nothing lost, under one policy and mode.
void ReadSubscribeAndRenew(Client& client) {
  const std::vector<NodeId> nodes = {SecureMachine("SpindleSpeed"), SecureMachine("PartCount"),
                                     SecureMachine("Program"), SecureMachine("Counters.C001")};
  ASSERT_OK_AND_ASSIGN(const auto values, client.ReadValues(nodes));
  ASSERT_EQ(values.size(), nodes.size());
  const int64_t k = SecureTickOf(values[0].source_timestamp);
  EXPECT_GE(k, 0);
  EXPECT_EQ(values[0].value.ToDouble(), 1000.0 + static_cast<double>(k % 100));
  EXPECT_EQ(values[1].value.ToDouble(),
            static_cast<double>(SecureTickOf(values[1].source_timestamp)));
  EXPECT_EQ(std::get<std::string>(values[2].value.value),
            fmt::format("O{:04d}", (SecureTickOf(values[2].source_timestamp) / 20) % 10000));
  EXPECT_EQ(values[3].value.ToDouble(),
            1000000.0 + static_cast<double>(SecureTickOf(values[3].source_timestamp)));

  CreateSubscriptionRequest params;
  params.requested_publishing_interval_ms = 100;
  ASSERT_OK_AND_ASSIGN(const auto sub, client.CreateSubscription(params));
  MonitoredItemCreateRequest item;
  item.item_to_monitor.node_id = SecureMachine("SpindleSpeed");
  item.client_handle = 1;
  item.sampling_interval_ms = 0;
  item.queue_size = 100;
  ASSERT_OK_AND_ASSIGN(const auto results,
                       client.CreateMonitoredItems(sub.subscription_id, {item}));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status_code, kGood);
  const uint32_t first_token = client.channel_token().token_id;
  std::vector<DataValue> speed;
  auto handler = [&](uint32_t, const NotificationMessage& m) {
    for (const auto& n : m.data_changes)
      speed.push_back(n.value);
  };
  const auto until = Clock::now() + std::chrono::milliseconds(
                                        3 * client.channel_token().revised_lifetime_ms + 500);
  uint32_t lost = 0;
  while (Clock::now() < until) {
    ASSERT_OK_AND_ASSIGN(const PublishOutcome outcome, client.Publish(milliseconds(500), handler));
    lost += outcome.lost;
  }
  EXPECT_EQ(lost, 0u);
  EXPECT_GT(client.channel_token().token_id, first_token) << "renewed under the policy";
  ASSERT_GT(speed.size(), 20u);
  for (size_t i = 0; i < speed.size(); ++i) {
    const int64_t tick = SecureTickOf(speed[i].source_timestamp);
    EXPECT_EQ(speed[i].value.ToDouble(), 1000.0 + static_cast<double>(tick % 100));
    if (i > 0) {
      EXPECT_EQ(tick, SecureTickOf(speed[i - 1].source_timestamp) + 1);
    }
  }
  ASSERT_OK(client.DeleteSubscriptions({sub.subscription_id}));
}

TEST_F(UaClientSecureInteropTest, Basic256Sha256SignAndEncrypt) {
  ClientOptions options = Options("Basic256Sha256", MessageSecurityMode::kSignAndEncrypt);
  options.channel.requested_lifetime_ms = 1200;  // renewed at 900 ms
  Client client(options);
  ASSERT_OK(client.Connect(server_->url()));
  ASSERT_TRUE(client.connected());
  EXPECT_TRUE(std::filesystem::exists(hub_pki() / "own/cert.der"));
  ReadSubscribeAndRenew(client);
  client.Close();
}

TEST_F(UaClientSecureInteropTest, Aes128Sha256RsaOaepSign) {
  ClientOptions options =
      Options("http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep",
              MessageSecurityMode::kSign);
  options.channel.requested_lifetime_ms = 1200;
  Client client(options);
  ASSERT_OK(client.Connect(server_->url()));
  ReadSubscribeAndRenew(client);
  client.Close();
}

TEST_F(UaClientSecureInteropTest, AnUntrustedServerIsRefusedUntilTrusted) {
  fh::testing::TempDir other;
  ClientOptions options = Options("Basic256Sha256", MessageSecurityMode::kSignAndEncrypt);
  options.security.pki_dir = (other.path() / "pki").string();
  Client client(options);
  const Status refused = client.Connect(server_->url());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), fh::StatusCode::kUnauthenticated);
  ASSERT_NE(client.untrusted_server_certificate(), nullptr);
  const Certificate server = *client.untrusted_server_certificate();
  EXPECT_EQ(server.der(), ServerCertificateDer(server_pki_->path()));
  EXPECT_NE(refused.message().find(server.ThumbprintHex()), std::string::npos)
      << refused.ToString();
  EXPECT_NE(refused.message().find(server.Subject()), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.message().find("factoryhub opcua trust"), std::string::npos)
      << refused.ToString();
  EXPECT_TRUE(std::filesystem::exists(other.path() / "pki/rejected" / CertificateFileName(server)));
  EXPECT_FALSE(client.connected());

  ASSERT_OK(TrustRejected(other.path() / "pki", server.ThumbprintHex().substr(0, 6)));
  ASSERT_OK(client.Connect(server_->url()));
  EXPECT_EQ(client.untrusted_server_certificate(), nullptr);
  ASSERT_OK(client.ReadValues(std::vector<NodeId>{SecureMachine("PartCount")}));
  client.Close();

  // Accepting an untrusted server for one connection does not trust it.
  fh::testing::TempDir third;
  options.security.pki_dir = (third.path() / "pki").string();
  options.security.refuse_untrusted_server = false;
  Client once(options);
  ASSERT_OK(once.Connect(server_->url()));
  EXPECT_FALSE(std::filesystem::exists(third.path() / "pki/trusted"));
}

TEST_F(UaClientSecureInteropTest, UserNameOverSignAndEncryptAndNone) {
  for (const bool secured : {true, false}) {
    SCOPED_TRACE(secured ? "Basic256Sha256 SignAndEncrypt" : "None");
    ClientOptions options = secured
                                ? Options("Basic256Sha256", MessageSecurityMode::kSignAndEncrypt)
                                : Options("None", MessageSecurityMode::kNone);
    options.identity = {"operator", "secret"};
    Client client(options);
    ASSERT_OK(client.Connect(server_->url()));
    ASSERT_OK_AND_ASSIGN(const auto values,
                         client.ReadValues(std::vector<NodeId>{SecureMachine("PartCount")}));
    EXPECT_EQ(values[0].value.type, BuiltinType::kUInt32);
    client.Close();

    options.identity = {"operator", "wrong"};
    Client refused(options);
    const Status s = refused.Connect(server_->url());
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.code() == fh::StatusCode::kPermissionDenied ||
                s.code() == fh::StatusCode::kUnauthenticated)
        << s.ToString();
    EXPECT_EQ(s.message().rfind("user 'operator' was refused: OPC UA ActivateSession: Bad", 0), 0u)
        << s.ToString();
    EXPECT_FALSE(refused.connected());
  }
}

TEST_F(UaClientSecureInteropTest, APolicyTheServerDoesNotOfferIsNamedWithWhatItOffers) {
  // A secured policy with mode None is refused before any connection.
  ClientOptions options = Options("Basic256Sha256", MessageSecurityMode::kNone);
  Client client(options);
  const Status s = client.Connect(server_->url());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("policy None goes with mode None"), std::string::npos) << s.ToString();

  std::vector<EndpointDescription> offered(2);
  offered[0].security_policy_uri = std::string(kSecurityPolicyNoneUri);
  offered[0].security_mode = MessageSecurityMode::kNone;
  offered[1].security_policy_uri = std::string(Basic256Sha256Profile().uri);
  offered[1].security_mode = MessageSecurityMode::kSign;
  const auto chosen = ChooseEndpoint(offered, Aes128Sha256RsaOaepProfile().uri,
                                     MessageSecurityMode::kSignAndEncrypt, "opc.tcp://x:4840");
  ASSERT_FALSE(chosen.ok());
  EXPECT_EQ(chosen.status().message(),
            "OPC UA server opc.tcp://x:4840 does not offer security Aes128_Sha256_RsaOaep "
            "SignAndEncrypt; it offers: None None, Basic256Sha256 Sign");
}

// The server refuses certificates it does not know: this hub's is not in its trust list.
TEST(UaClientSecureRefusedTest, TheServerRefusingTheHubsCertificateIsSaidClearly) {
  fh::testing::TempDir server_pki, empty, hub;
  fh::testing::OpcUaTestServer server({"--pki", server_pki.path().string(),
                                       "--reject-unknown-client-cert", "--trusted-client-dir",
                                       empty.path().string()});
  const std::filesystem::path hub_pki = hub.path() / "pki/opcua";
  TrustServer(server_pki.path(), hub_pki);
  ClientOptions options;
  options.request_timeout = milliseconds(30000);
  options.security.policy = "Basic256Sha256";
  options.security.mode = MessageSecurityMode::kSignAndEncrypt;
  options.security.pki_dir = hub_pki.string();
  Client client(options);
  const Status s = client.Connect(server.url());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), fh::StatusCode::kUnauthenticated) << s.ToString();
  EXPECT_NE(s.message().find("the server refused this hub's certificate (BadSecurityChecksFailed): "
                             "trust " +
                             (hub_pki / "own/cert.der").string() + " on the server"),
            std::string::npos)
      << s.ToString();
  EXPECT_FALSE(client.connected());
}

}  // namespace client_secure_interop_test
}  // namespace fh::opcua
