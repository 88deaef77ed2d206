// factoryhub user and token, then serve with them: the first user turns access control on,
// a token created on the command line is what a client sends, a revoked one stops working,
// and serve refuses to listen beyond this machine while the hub has nobody to ask.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <httplib.h>

#include "cli/cli_fixture.h"
#include "testing/test_certificates.h"
#include "testing/wait.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, UsersAndTokensGuardTheServedApi) {
  InitHub();
  struct stat st {};
  ASSERT_EQ(stat(hub().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);  // the hub folder is its owner's alone
  ASSERT_EQ(stat((tmp_ / "hub" / "factoryhub.yaml").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  CliResult refused = RunCli({"serve", "--hub", hub(), "--port", "0", "--bind", "0.0.0.0"});
  EXPECT_EQ(refused.exit_code, 5);
  EXPECT_THAT(refused.err, HasSubstr("this hub has no users or tokens"));

  const std::string password = WriteFile("password.txt", "s3cret-enough\n");
  CliResult added =
      Ok({"user", "add", "--hub", hub(), "li.wei", "--role", "admin", "--password-stdin"},
         {.stdin_file = password});
  EXPECT_THAT(added.out, HasSubstr("The hub's API now needs credentials"));
  CliResult again = RunCli({"user", "add", "--hub", hub(), "li.wei", "--password-stdin"},
                           {.stdin_file = password});
  EXPECT_EQ(again.exit_code, 5);
  EXPECT_THAT(again.err, HasSubstr("exists already"));
  CliResult weak = RunCli({"user", "add", "--hub", hub(), "ops", "--password-stdin"},
                          {.stdin_file = WriteFile("weak.txt", "short\n")});
  EXPECT_EQ(weak.exit_code, 3);
  EXPECT_THAT(weak.err, HasSubstr("at least 8 characters"));

  CliResult created = Ok({"token", "create", "--hub", hub(), "--role", "operator", "--user",
                          "li.wei", "--description", "line 2 telegraf"});
  const std::string token = created.out.substr(0, created.out.find('\n'));
  ASSERT_EQ(token.size(), 67u) << created.out;
  EXPECT_THAT(created.err, HasSubstr("shown only now"));
  const nlohmann::json tokens = Json({"token", "list", "--hub", hub()});
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["user"], "li.wei");
  EXPECT_EQ(tokens[0]["state"], "valid");
  EXPECT_EQ(tokens[0]["token"].get<std::string>().find(token.substr(11)), std::string::npos);
  const nlohmann::json users = Json({"user", "list", "--hub", hub()});
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["role"], "admin");
  EXPECT_FALSE(users[0].contains("password_hash"));

  CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
  std::string seen;
  ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("Access control: on"));
  const int port = ServedPort(seen);
  ASSERT_GT(port, 0);
  httplib::Client client("127.0.0.1", port);
  EXPECT_EQ(client.Get("/api/v1/tags")->status, 401);
  const httplib::Headers auth = {{"Authorization", "Token " + token}};
  EXPECT_EQ(client.Get("/api/v1/tags", auth)->status, 200);
  auto write =
      client.Post("/api/v2/write?bucket=plant", auth, "m v=1 1767225600000000000", "text/plain");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 204) << write->body;

  Ok({"token", "revoke", "--hub", hub(), tokens[0]["id"].dump()});
  WaitUntil([&] { return client.Get("/api/v1/tags", auth)->status == 401; },
            [] { return std::string("the revoked token still works"); });
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
}

// Beyond this machine, credentials must not cross the network in clear text: without a
// certificate serve refuses, with one it serves HTTPS.
TEST_F(CliTest, ServeListensBeyondLoopbackOnlyOverTls) {
  InitHub();
  Ok({"user", "add", "--hub", hub(), "li.wei", "--role", "admin", "--password-stdin"},
     {.stdin_file = WriteFile("pw.txt", "long enough pw\n")});
  CliResult refused = RunCli({"serve", "--hub", hub(), "--port", "0", "--bind", "0.0.0.0"});
  EXPECT_EQ(refused.exit_code, 5);
  EXPECT_THAT(refused.err, HasSubstr("without TLS"));
  std::filesystem::create_directories(tmp_ / "tls");
  const TestCertificates certs = MakeTestCertificates(tmp_ / "tls");
  CliResult half =
      RunCli({"serve", "--hub", hub(), "--port", "0", "--tls-cert", certs.server_cert.string()});
  EXPECT_EQ(half.exit_code, 3);
  EXPECT_THAT(half.err, HasSubstr("both a certificate and its key"));

  CliProcess serve({"serve", "--hub", hub(), "--port", "0", "--bind", "0.0.0.0", "--tls-cert",
                    certs.server_cert.string(), "--tls-key", certs.server_key.string()});
  std::string seen;
  ASSERT_NE(serve.WaitForLine("Press Ctrl-C", 30000, &seen), "") << serve.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("on https://localhost:"));
  const int port = ServedPort(seen);
  ASSERT_GT(port, 0);
  httplib::SSLClient client("127.0.0.1", port);
  client.set_ca_cert_path(certs.ca_cert.c_str());
  client.enable_server_certificate_verification(true);
  client.set_basic_auth("li.wei", "long enough pw");
  auto tags = client.Get("/api/v1/tags");
  ASSERT_TRUE(tags) << httplib::to_string(tags.error());
  EXPECT_EQ(tags->status, 200) << tags->body;
  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
}

TEST_F(CliTest, ATokenNeverAllowsMoreThanItsUser) {
  InitHub();
  Ok({"user", "add", "--hub", hub(), "viewer.li", "--role", "viewer", "--scope", "acme/line-2",
      "--password-stdin"},
     {.stdin_file = WriteFile("pw.txt", "long enough pw\n")});
  CliResult more =
      RunCli({"token", "create", "--hub", hub(), "--role", "admin", "--user", "viewer.li"});
  EXPECT_EQ(more.exit_code, 3);
  EXPECT_THAT(more.err, HasSubstr("viewer.li is only viewer"));
  CliResult wider = RunCli({"token", "create", "--hub", hub(), "--role", "viewer", "--user",
                            "viewer.li", "--scope", "acme"});
  EXPECT_EQ(wider.exit_code, 3);
  EXPECT_THAT(wider.err, HasSubstr("is limited to acme/line-2"));
  CliResult bad =
      RunCli({"token", "create", "--hub", hub(), "--role", "viewer", "--expires", "soon"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("--expires 'soon'"));
  const nlohmann::json narrow = Json({"token", "create", "--hub", hub(), "--role", "viewer",
                                      "--user", "viewer.li", "--expires", "12h"});
  EXPECT_EQ(narrow["scope"], "acme/line-2");  // the user's, when not given
}

}  // namespace
}  // namespace fh::testing
