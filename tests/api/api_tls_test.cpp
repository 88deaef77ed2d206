// HTTPS: the server with a certificate a test CA signed, reached by cpp-httplib's OpenSSL
// client and by the openssl command, neither of them factoryhub's code. A client that
// trusts the CA writes and reads; plain HTTP on the port is told to use https://; TLS 1.1
// is refused; a certificate or key that cannot be used stops Start with the file named.
#include <cstdio>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "testing/test_certificates.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

class ApiTlsTest : public ApiTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    std::filesystem::create_directories(tmp_ / "tls");
    certs_ = MakeTestCertificates(tmp_ / "tls");
    options.tls_cert = certs_.server_cert.string();
    options.tls_key = certs_.server_key.string();
  }

  std::unique_ptr<httplib::SSLClient> Client(const std::filesystem::path& ca) {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    c->set_ca_cert_path(ca.c_str());
    c->enable_server_certificate_verification(true);
    return c;
  }

  // What `openssl s_client` says, connecting with `args`.
  std::string SClient(const std::string& args) {
    const std::string command =
        "openssl s_client -connect 127.0.0.1:" + std::to_string(server_->port()) + " " + args +
        " </dev/null 2>&1";
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
      char buf[4096];
      while (size_t n = fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
      pclose(p);
    }
    return out;
  }

  TestCertificates certs_;
};

TEST_F(ApiTlsTest, AClientThatTrustsTheCaWritesAndReads) {
  ASSERT_FALSE(certs_.ca_cert.empty());
  EXPECT_EQ(server_->url().substr(0, 8), "https://");
  auto client = Client(certs_.ca_cert);
  auto health = client->Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  auto written =
      client->Post("/write", "oven,line=2 temp=181.5 1772352000000000000\n", "text/plain");
  ASSERT_TRUE(written);
  EXPECT_EQ(written->status, 204) << written->body;
  auto latest = client->Get("/api/v1/latest?tag=oven/line=2/temp");
  ASSERT_TRUE(latest);
  ASSERT_EQ(latest->status, 200) << latest->body;
  const nlohmann::json body = nlohmann::json::parse(latest->body);
  ASSERT_EQ(body["latest"].size(), 1u) << latest->body;
  EXPECT_EQ(body["latest"][0]["value"], 181.5);
}

TEST_F(ApiTlsTest, AClientThatTrustsAnotherCaIsNotFooled) {
  auto client = Client(certs_.other_ca_cert);
  auto health = client->Get("/healthz");
  EXPECT_FALSE(health);  // the client refuses the server: the certificate is the one given
}

TEST_F(ApiTlsTest, PlainHttpOnTheTlsPortIsToldToUseHttps) {
  auto res = client_->Get("/healthz");  // the fixture's plain HTTP client
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 400);
  EXPECT_THAT(res->body, HasSubstr("this port speaks HTTPS"));
  auto metrics = Client(certs_.ca_cert)->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, HasSubstr("factoryhub_http_tls_failed_total 1\n"));
}

TEST_F(ApiTlsTest, SpeaksTls12AndTls13AndRefusesOlder) {
  const std::string tls13 = SClient("-tls1_3 -CAfile " + certs_.ca_cert.string());
  EXPECT_THAT(tls13, HasSubstr("New, TLSv1.3"));
  EXPECT_THAT(tls13, HasSubstr("Verify return code: 0 (ok)"));
  const std::string tls12 = SClient("-tls1_2 -CAfile " + certs_.ca_cert.string());
  EXPECT_THAT(tls12, HasSubstr("New, TLSv1.2"));
  EXPECT_THAT(tls12, HasSubstr("ECDHE"));  // forward secrecy
  // The client lowers its own floor (security level 0) so that the refusal is the server's.
  EXPECT_THAT(SClient("-tls1_1 -cipher DEFAULT@SECLEVEL=0"), HasSubstr("alert protocol version"));
  // A TLS 1.2 suite without forward secrecy is not offered.
  EXPECT_THAT(SClient("-tls1_2 -cipher AES128-SHA256"), HasSubstr("alert handshake failure"));
}

TEST_F(ApiTlsTest, ACertificateOrKeyThatCannotBeUsedIsNamed) {
  auto try_start = [&](const std::string& cert, const std::string& key) {
    api::HttpServer other(*hub_);
    api::HttpServerOptions options;
    options.port = 0;
    options.tls_cert = cert;
    options.tls_key = key;
    return other.Start(options);
  };
  const std::string missing = (tmp_ / "tls" / "nope.crt").string();
  Status s = try_start(missing, certs_.server_key.string());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(missing));
  s = try_start(certs_.server_cert.string(), certs_.client_key.string());
  EXPECT_THAT(s.message(), HasSubstr("does not belong to the certificate"));
  s = try_start(certs_.server_key.string(), certs_.server_key.string());  // a key, not a cert
  EXPECT_THAT(s.message(), HasSubstr("TLS certificate"));
}

}  // namespace
}  // namespace fh::testing
