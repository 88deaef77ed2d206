// The OPC UA connector against a real, independent server: node-opcua's (tests/interop/opcua,
// its README gives the formulas the values follow). Values arrive exact, in order, with the
// server's source timestamps and status as quality; a server killed and started again is
// reconnected to and subscribed to afresh, with nothing stored before lost; nodes that do not
// exist and servers that are not there are said clearly.
#include "connect/opcua_source/opcua_connector.h"

#include <cmath>
#include <cstdio>
#include <map>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time.h"
#include "connect/opcua/ua_cert_trust.h"
#include "store/catalog/text_samples.h"
#include "store/catalog_session.h"
#include "testing/hub_test.h"
#include "testing/mqtt_peers.h"
#include "testing/opcua_server.h"
#include "testing/temp_dir.h"
#include "testing/wait.h"

namespace fh::connect {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kRateMs = 50;
// The server's tick 0: tick k is stamped kEpoch + k * kRateMs (--epoch).
const TimestampNs kEpoch = ParseRfc3339("2026-01-01T00:00:00Z").value();

struct StoredPoint {
  TimestampNs ts;
  double value;
  uint32_t quality;
};

class OpcUaConnectorTest : public testing::HubTest {
 protected:
  void SetUp() override {
    HubTest::SetUp();
    ingest_ = std::make_unique<pipeline::StreamIngest>(*hub_);
  }
  void TearDown() override {
    connector_.reset();
    ingest_.reset();
  }

  OpcUaConnectorSpec Spec(const testing::OpcUaTestServer& server) {
    OpcUaConnectorSpec spec;
    spec.name = "cnc-07";
    spec.endpoint = server.url();
    spec.publishing_interval = std::chrono::milliseconds(100);
    spec.sampling_interval = std::chrono::milliseconds(10);
    spec.queue_size = 100;
    spec.tag_prefix = "cnc-07.";
    spec.pki_dir = (tmp_.path() / "hub/pki/opcua").string();
    return spec;
  }
  static OpcUaNodeSpec Node(std::string node, std::string tag = "") {
    OpcUaNodeSpec n;
    n.node = std::move(node);
    n.tag = std::move(tag);
    return n;
  }
  void Run(OpcUaConnectorSpec spec) {
    Result<std::unique_ptr<OpcUaConnector>> made = OpcUaConnector::Make(std::move(spec), *ingest_);
    ASSERT_OK(made);
    connector_ = std::move(*made);
    connector_->Start();
  }
  // The points of `tag` so far (none before its first is stored).
  std::vector<StoredPoint> Points(const std::string& tag) {
    std::vector<StoredPoint> out;
    const Status scanned = hub_->storage().Scan(tag, {}, [&](auto ts, auto value, auto quality) {
      for (size_t i = 0; i < ts.size(); ++i)
        out.push_back({ts[i], value[i], quality[i]});
      return true;
    });
    if (scanned.code() != StatusCode::kNotFound) {
      EXPECT_OK(scanned);
    }
    return out;
  }
  // The server's tick of a source timestamp.
  static int64_t Tick(TimestampNs ts) {
    EXPECT_EQ((ts - kEpoch) % (kRateMs * 1'000'000), 0) << "not on a tick: " << FormatRfc3339(ts);
    return (ts - kEpoch) / (kRateMs * 1'000'000);
  }

  std::unique_ptr<pipeline::StreamIngest> ingest_;
  std::unique_ptr<OpcUaConnector> connector_;
};

TEST_F(OpcUaConnectorTest, ValuesArriveExactInOrderWithSourceTimeAndQuality) {
  testing::OpcUaTestServer server(
      {"--rate-ms", std::to_string(kRateMs), "--epoch", "2026-01-01T00:00:00Z"});
  OpcUaConnectorSpec spec = Spec(server);
  spec.nodes = {Node("ns=1;s=Machine.SpindleSpeed", "spindle_speed"),
                Node("ns=1;s=Machine.Temperature", "temperature"),
                Node("ns=1;s=Machine.FaultySensor", "faulty"),
                Node("ns=1;s=Machine.Program", "program"),
                Node("ns=1;s=Machine.AxisPositions", "axes")};
  OpcUaNodeSpec running;
  running.browse_path = "Machine/Running";  // found by browsing; its tag: the last name
  spec.nodes.push_back(running);
  Run(spec);
  testing::WaitUntil([&] { return Points("cnc-07.spindle_speed").size() >= 60; },
                     [&] { return connector_->status().last_error; }, 60);
  connector_->Stop();

  const std::vector<StoredPoint> speed = Points("cnc-07.spindle_speed");
  int64_t last = -1;
  for (const StoredPoint& p : speed) {
    const int64_t k = Tick(p.ts);
    EXPECT_GT(k, last) << "in order, each value once";
    last = k;
    EXPECT_EQ(p.value, 1000 + k % 100) << "tick " << k;
    EXPECT_EQ(p.quality, kQualityGood);
  }
  for (const StoredPoint& p : Points("cnc-07.temperature")) {
    EXPECT_EQ(p.value, 20 + (Tick(p.ts) % 40) * 0.25);  // a Float, exact
  }
  for (const StoredPoint& p : Points("cnc-07.axes[1]")) {
    EXPECT_EQ(p.value, -(Tick(p.ts) % 1000) * 0.25);  // an array's element
  }
  EXPECT_FALSE(Points("cnc-07.axes[2]").empty());
  for (const StoredPoint& p : Points("cnc-07.Running")) {
    EXPECT_EQ(p.value, (Tick(p.ts) / 10) % 2 == 0 ? 1 : 0);  // a Boolean as 1 or 0
  }
  // The faulty sensor: Good values follow the formula; in its Bad ticks (k mod 20 >= 15)
  // the server sends a status without a value, which stores no point.
  const std::vector<StoredPoint> faulty = Points("cnc-07.faulty");
  ASSERT_FALSE(faulty.empty());
  for (const StoredPoint& p : faulty) {
    const int64_t k = Tick(p.ts);
    EXPECT_LT(k % 20, 15) << "a Bad tick has no value";
    EXPECT_EQ(p.value, 50 + k % 20);
    EXPECT_EQ(p.quality, kQualityGood);
  }
  // The program name, a String, as text values.
  {
    CatalogSession session = hub_->OpenCatalog();
    Result<std::vector<TextSample>> program = session.text_samples().Read("cnc-07.program", {});
    ASSERT_OK(program);
    ASSERT_FALSE(program->empty());
    for (const TextSample& t : *program) {
      EXPECT_EQ(t.value, fmt::format("O{:04}", (Tick(t.ts) / 20) % 10000));
    }
  }
  const ConnectorStatus status = connector_->status();
  EXPECT_EQ(status.kind, "opcua");
  EXPECT_EQ(status.endpoint, server.url());
  EXPECT_GT(status.points, 60);
  EXPECT_GT(status.messages, 0);
  EXPECT_EQ(status.errors, 0) << status.last_error;
}

// A deadband keeps a noisy signal from flooding the store: the server reports SpindleSpeed
// (1000 + k mod 100, one more each tick) only when it moved more than 5 from the value it
// reported last, so consecutive stored values are more than 5 apart; the same node without a
// deadband, beside it, has every tick.
TEST_F(OpcUaConnectorTest, ADeadbandReportsOnlyMovesLargerThanIt) {
  testing::OpcUaTestServer server(
      {"--rate-ms", std::to_string(kRateMs), "--epoch", "2026-01-01T00:00:00Z"});
  OpcUaConnectorSpec spec = Spec(server);
  OpcUaNodeSpec banded = Node("ns=1;s=Machine.SpindleSpeed", "speed_banded");
  banded.deadband = 5;
  spec.nodes = {banded, Node("ns=1;s=Machine.SpindleSpeed", "speed_all")};
  Run(spec);
  testing::WaitUntil([&] { return Points("cnc-07.speed_all").size() >= 60; },
                     [&] { return connector_->status().last_error; }, 60);
  connector_->Stop();
  const std::vector<StoredPoint> all = Points("cnc-07.speed_all");
  const std::vector<StoredPoint> banded_points = Points("cnc-07.speed_banded");
  ASSERT_GE(banded_points.size(), 3u);
  for (size_t i = 1; i < banded_points.size(); ++i) {
    EXPECT_GT(std::abs(banded_points[i].value - banded_points[i - 1].value), 5)
        << "at " << FormatRfc3339(banded_points[i].ts);
    EXPECT_EQ(banded_points[i].value, 1000 + Tick(banded_points[i].ts) % 100);
  }
  EXPECT_LT(banded_points.size() * 4, all.size()) << "a sixth of the ticks, about";
}

TEST_F(OpcUaConnectorTest, EveryVariableUnderAFolderBecomesATagByItsPath) {
  testing::OpcUaTestServer server({"--rate-ms", std::to_string(kRateMs)});
  OpcUaConnectorSpec spec = Spec(server);
  OpcUaNodeSpec axes;
  axes.under = "ns=1;s=Machine.Axes";
  axes.tag = "axis.{path}";
  spec.nodes = {axes};
  Run(spec);
  testing::WaitUntil(
      [&] {
        return !Points("cnc-07.axis.X.Position").empty() &&
               !Points("cnc-07.axis.Z.Position").empty();
      },
      [&] { return connector_->status().last_error; }, 60);
  std::vector<std::string> tags;
  for (const OpcUaItem& item : connector_->items())
    tags.push_back(item.tag);
  EXPECT_THAT(tags, ::testing::ElementsAre("cnc-07.axis.X.Position", "cnc-07.axis.Y.Position",
                                           "cnc-07.axis.Z.Position"));
}

TEST_F(OpcUaConnectorTest, NodesThatDoNotExistAreNamedAndTheOthersCollected) {
  testing::OpcUaTestServer server({"--rate-ms", std::to_string(kRateMs)});
  OpcUaConnectorSpec spec = Spec(server);
  OpcUaNodeSpec missing_path;
  missing_path.browse_path = "Machine/Nozzle";
  missing_path.line = 12;
  spec.nodes = {Node("ns=1;s=Machine.PartCount", "count"), Node("ns=1;s=Machine.Nope", "nope"),
                missing_path};
  Run(spec);
  testing::WaitUntil([&] { return !Points("cnc-07.count").empty(); },
                     [&] { return connector_->status().last_error; }, 60);
  const ConnectorStatus status = connector_->status();
  EXPECT_EQ(status.state, "connected");
  EXPECT_THAT(status.last_error, HasSubstr("2 of 3 nodes"));
  EXPECT_THAT(status.last_error, HasSubstr("connectors.yaml:12: browse_path 'Machine/Nozzle': no "
                                           "'Nozzle' under Objects/Machine"));
  EXPECT_EQ(status.errors, 1);  // the node id the server refused: BadNodeIdUnknown

  OpcUaConnectorSpec none = Spec(server);
  none.name = "nothing";
  none.nodes = {Node("ns=1;s=Machine.Nope")};
  Result<std::unique_ptr<OpcUaConnector>> made = OpcUaConnector::Make(none, *ingest_);
  ASSERT_OK(made);
  (*made)->Start();
  testing::WaitUntil([&] { return !(*made)->status().last_error.empty(); }, [] { return ""; }, 30);
  EXPECT_THAT((*made)->status().last_error, HasSubstr("BadNodeIdUnknown"));
  EXPECT_NE((*made)->status().state, "connected");
}

TEST_F(OpcUaConnectorTest, AServerKilledAndStartedAgainIsSubscribedToAfreshLosingNothingStored) {
  auto server = std::make_unique<testing::OpcUaTestServer>(
      std::vector<std::string>{"--rate-ms", std::to_string(kRateMs)});
  const int port = server->port();
  OpcUaConnectorSpec spec = Spec(*server);
  spec.nodes = {Node("ns=1;s=Machine.PartCount", "count")};
  Run(spec);
  testing::WaitUntil([&] { return Points("cnc-07.count").size() >= 20; },
                     [&] { return connector_->status().last_error; }, 60);
  server->Kill();  // no goodbye: as a crash or a pulled cable
  const std::vector<StoredPoint> before = Points("cnc-07.count");
  testing::WaitUntil([&] { return connector_->status().state != "connected"; },
                     [&] { return connector_->status().state; }, 30);
  EXPECT_FALSE(connector_->status().last_error.empty());

  server = std::make_unique<testing::OpcUaTestServer>(
      std::vector<std::string>{"--rate-ms", std::to_string(kRateMs)}, port);
  const TimestampNs restarted = NowNs() - kNanosPerSecond;
  testing::WaitUntil(
      [&] {
        const std::vector<StoredPoint> now = Points("cnc-07.count");
        return !now.empty() && now.back().ts > restarted && connector_->status().reconnects >= 1;
      },
      [&] { return connector_->status().state + ": " + connector_->status().last_error; }, 90);
  // Everything stored before the server went away is still there, as it was.
  const std::vector<StoredPoint> after = Points("cnc-07.count");
  std::map<TimestampNs, double> kept;
  for (const StoredPoint& p : after)
    kept[p.ts] = p.value;
  for (const StoredPoint& p : before) {
    ASSERT_TRUE(kept.contains(p.ts));
    EXPECT_EQ(kept[p.ts], p.value);
  }
  EXPECT_EQ(connector_->status().state, "connected");
}

// The certificate of a node-opcua server started with --pki DIR, put into the trust list of
// the PKI folder `hub_pki` (as `factoryhub opcua trust` would after a first refusal).
void TrustOpcUaTestServer(const std::filesystem::path& server_pki,
                          const std::filesystem::path& hub_pki) {
  const std::string pem = (server_pki / "server/own/certs/certificate.pem").string();
  FILE* f = std::fopen(pem.c_str(), "r");
  ASSERT_NE(f, nullptr) << pem;
  X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(x, nullptr) << pem;
  unsigned char* der = nullptr;
  const int n = i2d_X509(x, &der);
  const std::vector<uint8_t> bytes(der, der + std::max(n, 0));
  OPENSSL_free(der);
  X509_free(x);
  Result<opcua::Certificate> certificate = opcua::Certificate::FromDer(bytes);
  ASSERT_OK(certificate);
  ASSERT_OK(opcua::TrustCertificate(hub_pki, *certificate));
}

TEST_F(OpcUaConnectorTest, SignAndEncryptWithAUserStoresValuesAndAWrongPasswordIsSaid) {
  testing::TempDir server_pki;
  testing::OpcUaTestServer server({"--rate-ms", std::to_string(kRateMs), "--epoch",
                                   "2026-01-01T00:00:00Z", "--user", "operator:secret", "--pki",
                                   server_pki.path().string()});
  OpcUaConnectorSpec spec = Spec(server);
  TrustOpcUaTestServer(server_pki.path(), spec.pki_dir);
  spec.security_policy = "Basic256Sha256";
  spec.security_mode = OpcUaSecurityMode::kSignAndEncrypt;
  spec.user = "operator";
  spec.password = "secret";
  spec.nodes = {Node("ns=1;s=Machine.SpindleSpeed", "spindle_speed")};
  Run(spec);
  testing::WaitUntil([&] { return Points("cnc-07.spindle_speed").size() >= 20; },
                     [&] { return connector_->status().last_error; }, 60);
  EXPECT_EQ(connector_->status().state, "connected");
  int64_t last = -1;
  for (const StoredPoint& p : Points("cnc-07.spindle_speed")) {
    const int64_t k = Tick(p.ts);
    EXPECT_GT(k, last);
    last = k;
    EXPECT_EQ(p.value, 1000 + k % 100) << "tick " << k;
  }

  OpcUaConnectorSpec wrong = spec;
  wrong.name = "cnc-08";
  wrong.password = "not-the-secret";
  Result<std::unique_ptr<OpcUaConnector>> refused = OpcUaConnector::Make(wrong, *ingest_);
  ASSERT_OK(refused);
  (*refused)->Start();
  testing::WaitUntil([&] { return !(*refused)->status().last_error.empty(); }, [] { return ""; },
                     60);
  const ConnectorStatus status = (*refused)->status();
  EXPECT_THAT(status.last_error, HasSubstr("user 'operator' was refused: OPC UA ActivateSession: "
                                           "BadUserAccessDenied"));
  EXPECT_NE(status.state, "connected");
}

TEST_F(OpcUaConnectorTest, AServerThatIsNotThereIsSaidAndTriedAgain) {
  OpcUaConnectorSpec spec;
  spec.name = "away";
  spec.endpoint = "opc.tcp://127.0.0.1:" + std::to_string(testing::FreeLoopbackPort());
  spec.nodes = {Node("ns=1;s=Machine.PartCount")};
  Run(spec);
  testing::WaitUntil([&] { return !connector_->status().last_error.empty(); }, [] { return ""; });
  EXPECT_THAT(connector_->status().last_error, HasSubstr("127.0.0.1"));
  EXPECT_NE(connector_->status().state, "connected");
}

TEST(OpcUaTagTemplateTest, PathBrowseNameAndNodeAreFilledIn) {
  EXPECT_EQ(ExpandTagTemplate("axis.{path}", "X.Position", "Position", "Machine.Axes.X.Position"),
            "axis.X.Position");
  EXPECT_EQ(ExpandTagTemplate("{browse_name}-{node}", "p", "Speed", "ns=2;i=7"), "Speed-ns=2;i=7");
  EXPECT_EQ(ExpandTagTemplate("plain {x}", "p", "b", "n"), "plain {x}");
}

}  // namespace
}  // namespace fh::connect
