// factoryhub opcua browse|read|certificates|trust against node-opcua's server
// (tests/interop/opcua): the address space as a tree with node ids and values, values read
// once, the hub's client certificate made on first use, and errors that say what and where.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"
#include "testing/mqtt_peers.h"
#include "testing/opcua_server.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

class CliOpcUaTest : public CliTest {};

TEST_F(CliOpcUaTest, BrowseShowsTheTreeAndReadReadsValues) {
  OpcUaTestServer server({"--rate-ms", "100"});
  const CliResult tree =
      Ok({"opcua", "browse", server.url(), "--node", "ns=1;s=Machine", "--depth", "3", "--values"});
  EXPECT_THAT(tree.out, HasSubstr("SpindleSpeed  Variable  ns=1;s=Machine.SpindleSpeed  = 1"));
  EXPECT_THAT(tree.out, HasSubstr("    Position  Variable  ns=1;s=Machine.Axes.X.Position  = "));
  EXPECT_THAT(tree.out, HasSubstr("Program  Variable  ns=1;s=Machine.Program  = \"O"));
  EXPECT_THAT(tree.out, HasSubstr("In connectors.yaml: nodes:"));

  const nlohmann::json doc =
      Json({"opcua", "browse", server.url(), "--node", "ns=1;s=Machine.Axes", "--depth", "2"});
  std::vector<std::string> paths;
  for (const nlohmann::json& n : doc["nodes"])
    paths.push_back(n["path"]);
  EXPECT_THAT(paths,
              ::testing::ElementsAre("X", "X/Position", "Y", "Y/Position", "Z", "Z/Position"));

  const nlohmann::json read =
      Json({"opcua", "read", server.url(), "ns=1;s=Machine.PartCount", "ns=1;s=Machine.Nope"});
  ASSERT_EQ(read.size(), 2u);
  EXPECT_THAT(read[0]["status"].get<std::string>(), HasSubstr("Good"));
  EXPECT_FALSE(read[0]["source_time"].get<std::string>().empty());
  EXPECT_THAT(read[1]["status"].get<std::string>(), HasSubstr("BadNodeIdUnknown"));
}

TEST_F(CliOpcUaTest, ErrorsSayWhatIsWrong) {
  const std::string away = "opc.tcp://127.0.0.1:" + std::to_string(FreeLoopbackPort());
  CliResult r = RunCli({"opcua", "browse", away, "--timeout", "2000"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("127.0.0.1"));
  r = RunCli({"opcua", "read", away, "ns=1;x=bad"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("ns=1;x=bad"));
  r = RunCli({"opcua", "browse", away, "--user", "op"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("--password-env"));
}

TEST_F(CliOpcUaTest, ASecuredServerIsRefusedUntilItsCertificateIsTrusted) {
  InitHub();
  OpcUaTestServer server({"--rate-ms", "100"});
  const std::vector<std::string> browse = {"opcua",
                                           "browse",
                                           server.url(),
                                           "--node",
                                           "ns=1;s=Machine.Axes",
                                           "--depth",
                                           "1",
                                           "--security",
                                           "Basic256Sha256:SignAndEncrypt",
                                           "--hub",
                                           hub()};
  const CliResult refused = RunCli(browse);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("is not trusted"));

  const nlohmann::json certificates = Json({"opcua", "certificates", "--hub", hub()});
  ASSERT_EQ(certificates["rejected"].size(), 1u) << certificates.dump();
  EXPECT_TRUE(certificates["trusted"].empty());
  const std::string thumbprint = certificates["rejected"][0]["thumbprint"];
  EXPECT_THAT(refused.err, HasSubstr("factoryhub opcua trust --hub " + hub() + " " + thumbprint));
  const CliResult listed = Ok({"opcua", "certificates", "--hub", hub()});
  EXPECT_THAT(listed.out, HasSubstr("Refused servers (not trusted yet): \n  "));
  EXPECT_THAT(listed.out, HasSubstr(thumbprint));

  Ok({"opcua", "trust", "--hub", hub(), thumbprint.substr(0, 8)});
  const CliResult tree = Ok(browse);
  EXPECT_THAT(tree.out, HasSubstr("X  Object  ns=1;s=Machine.Axes.X"));
  const nlohmann::json read = Json({"opcua", "read", server.url(), "ns=1;s=Machine.PartCount",
                                    "--security", "Aes128_Sha256_RsaOaep:Sign", "--hub", hub()});
  ASSERT_EQ(read.size(), 1u);
  EXPECT_THAT(read[0]["status"].get<std::string>(), HasSubstr("Good"));

  // A secured policy needs the hub's PKI folder.
  const CliResult no_hub =
      RunCli({"opcua", "read", server.url(), "i=2258", "--security", "Basic256Sha256"});
  EXPECT_NE(no_hub.exit_code, 0);
  EXPECT_THAT(no_hub.err, HasSubstr("needs --hub DIR"));
  const CliResult bad_mode = RunCli({"opcua", "read", server.url(), "i=2258", "--security",
                                     "Basic256Sha256:Encrypt", "--hub", hub()});
  EXPECT_NE(bad_mode.exit_code, 0);
  EXPECT_THAT(bad_mode.err, HasSubstr("None, Sign or SignAndEncrypt"));
}

TEST_F(CliOpcUaTest, TheHubsCertificateIsMadeOnFirstUseAndKept) {
  InitHub();
  const nlohmann::json first = Json({"opcua", "certificates", "--hub", hub()});
  EXPECT_THAT(first["own"]["subject"].get<std::string>(), HasSubstr("factoryhub@"));
  EXPECT_EQ(first["own"]["thumbprint"].get<std::string>().size(), 40u);
  EXPECT_TRUE(first["trusted"].empty());
  EXPECT_TRUE(std::filesystem::exists(tmp_ / "hub/pki/opcua/own/cert.der"));
  const auto key = tmp_ / "hub/pki/opcua/own/private/key.pem";
  EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const nlohmann::json again = Json({"opcua", "certificates", "--hub", hub()});
  EXPECT_EQ(again["own"]["thumbprint"], first["own"]["thumbprint"]);

  const CliResult r = RunCli({"opcua", "trust", "--hub", hub(), "abcdef"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("abcdef"));
}

}  // namespace
}  // namespace fh::testing
