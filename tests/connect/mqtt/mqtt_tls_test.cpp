// MQTT over TLS against a real mosquitto that asks every client for a certificate, with
// certificates made at test time: the connector and the notification publisher connect
// with the CA and a client certificate, libmosquitto publishes over TLS too, and a
// connector that trusts another CA, presents no certificate, or speaks plain MQTT to the TLS
// port stays disconnected with a reason. connectors.yaml's tls: names a file it cannot read.
#include <filesystem>

#include <gmock/gmock.h>

#include "connect/connectors_config.h"
#include "connect/mqtt/mqtt_connector.h"
#include "connect/mqtt/mqtt_publisher.h"
#include "testing/hub_test.h"
#include "testing/mqtt_peers.h"
#include "testing/status_matchers.h"
#include "testing/test_certificates.h"
#include "testing/wait.h"

namespace fh::connect {
namespace {

using ::testing::HasSubstr;

class MqttTlsTest : public testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    std::filesystem::create_directories(tmp_ / "tls");
    certs_ = testing::MakeTestCertificates(tmp_ / "tls");
    ASSERT_FALSE(certs_.ca_cert.empty());
    broker_tls_ = {certs_.ca_cert, certs_.server_cert, certs_.server_key};
    client_tls_ = {certs_.ca_cert, certs_.client_cert, certs_.client_key};
    broker_ = std::make_unique<testing::MosquittoBroker>(tmp_.path(), testing::FreeLoopbackPort(),
                                                         &broker_tls_);
    ingest_ = std::make_unique<pipeline::StreamIngest>(*hub_);
  }
  void TearDown() override {
    connector_.reset();
    ingest_.reset();
    broker_.reset();
  }

  MqttConnectorSpec Spec(TlsClientSpec tls) {
    MqttConnectorSpec spec;
    spec.name = "line-2";
    spec.port = broker_->port();
    spec.keep_alive_s = 60;
    spec.tls = std::move(tls);
    spec.topics = {{"plant/{line}/{machine}/{signal}", "{line}.{machine}.{signal}", false}};
    return spec;
  }
  TlsClientSpec Mutual() const {
    return {.enabled = true,
            .ca_file = certs_.ca_cert,
            .cert_file = certs_.client_cert,
            .key_file = certs_.client_key};
  }
  void Start(const MqttConnectorSpec& spec) {
    Result<std::unique_ptr<MqttConnector>> c = MqttConnector::Make(spec, *ingest_);
    ASSERT_OK(c);
    connector_ = std::move(*c);
    connector_->Start();
  }
  // The connector's last error once it has one (it keeps retrying, never connecting).
  std::string FailureOf(const MqttConnectorSpec& spec) {
    Start(spec);
    testing::WaitUntil([&] { return !connector_->status().last_error.empty(); },
                       [] { return std::string("a connection error"); });
    EXPECT_NE(connector_->status().state, "connected");
    return connector_->status().last_error;
  }
  size_t Count(const std::string& tag) {
    size_t n = 0;
    Status s = hub_->storage().Scan(tag, {}, [&](auto ts, auto, auto) {
      n += ts.size();
      return true;
    });
    return s.ok() ? n : 0;
  }

  testing::TestCertificates certs_;
  testing::MqttTls broker_tls_, client_tls_;
  std::unique_ptr<testing::MosquittoBroker> broker_;
  std::unique_ptr<pipeline::StreamIngest> ingest_;
  std::unique_ptr<MqttConnector> connector_;
};

TEST_F(MqttTlsTest, MessagesPublishedOverTlsAreStored) {
  Start(Spec(Mutual()));
  testing::WaitUntil([&] { return connector_->status().state == "connected"; },
                     [&] { return "connected; last error " + connector_->status().last_error; });
  EXPECT_THAT(connector_->status().endpoint, HasSubstr("(TLS)"));
  testing::MqttPublisher publisher(broker_->port(), &client_tls_);
  for (int i = 0; i < 3; ++i)
    publisher.Publish("plant/line-2/press-01/force", std::to_string(10 + i));
  publisher.WaitAcked();
  testing::WaitUntil([&] { return Count("line-2.press-01.force") == 3; },
                     [&] { return std::to_string(Count("line-2.press-01.force")) + " stored"; });
}

TEST_F(MqttTlsTest, TheNotificationPublisherSpeaksTlsToo) {
  MqttPublisher publisher(
      {.host = "127.0.0.1", .port = broker_->port(), .client_id = "notify", .tls = Mutual()});
  // QoS 1: OK only once the broker's PUBACK came back over the TLS connection.
  EXPECT_OK(publisher.Publish("factoryhub/alarms/press-01/high", "{}", 1, false));
  EXPECT_OK(publisher.Publish("factoryhub/alarms/press-01/high", "{}", 1, false));
}

TEST_F(MqttTlsTest, ABrokerSignedByAnotherCaIsNotTrusted) {
  TlsClientSpec tls = Mutual();
  tls.ca_file = certs_.other_ca_cert;
  EXPECT_THAT(FailureOf(Spec(tls)), HasSubstr("certificate is not trusted"));
}

TEST_F(MqttTlsTest, TheCertificateMustNameTheBroker) {
  TlsClientSpec tls = Mutual();
  tls.server_name = "broker.example.com";  // the certificate is for 127.0.0.1 and localhost
  EXPECT_THAT(FailureOf(Spec(tls)), HasSubstr("not trusted for broker.example.com"));
}

TEST_F(MqttTlsTest, ABrokerThatWantsAClientCertificateRefusesOneWithout) {
  TlsClientSpec tls = Mutual();
  tls.cert_file.clear();
  tls.key_file.clear();
  // The broker's alert says why; when the connection is reset before it is read (a race
  // with the client's first write), the failure is the write's.
  EXPECT_THAT(FailureOf(Spec(tls)),
              ::testing::AnyOf(HasSubstr("the broker wants a client certificate"),
                               HasSubstr("tls: sending")));
  EXPECT_NE(connector_->status().state, "connected");
}

TEST_F(MqttTlsTest, PlainMqttToTheTlsPortFails) {
  EXPECT_THAT(FailureOf(Spec({})), ::testing::Not(::testing::IsEmpty()));
  EXPECT_EQ(Count("line-2.press-01.force"), 0u);
}

TEST_F(MqttTlsTest, ConnectorsYamlReadsTlsAndNamesAFileItCannotRead) {
  const std::string dir = (tmp_ / "tls").string();
  Result<ConnectorsConfig> ok = ParseConnectorsConfig(
      "mqtt:\n"
      "  - name: line-2\n"
      "    broker: 127.0.0.1\n"
      "    tls: { ca: ca.crt, cert: client.crt, key: client.key }\n"
      "    topics: [{ topic: 'plant/{line}/{signal}', tag: '{line}.{signal}' }]\n",
      dir + "/connectors.yaml");
  ASSERT_OK(ok);
  Result<ConnectorsConfig> missing = ParseConnectorsConfig(
      "mqtt:\n"
      "  - name: line-2\n"
      "    broker: 127.0.0.1\n"
      "    tls: { ca: nowhere.crt }\n"
      "    topics: [{ topic: 'plant/{line}/{signal}', tag: '{line}.{signal}' }]\n",
      dir + "/connectors.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("connectors.yaml:4"));
  EXPECT_THAT(missing.status().message(), HasSubstr(dir + "/nowhere.crt cannot be read"));
}

}  // namespace
}  // namespace fh::connect
