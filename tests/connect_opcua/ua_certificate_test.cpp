#include "connect/opcua/ua_certificate.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "connect/opcua/ua_cert_trust.h"
#include "connect/opcua/ua_security_policy.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::opcua {
namespace certificate_test {

using std::chrono::days;
using std::chrono::system_clock;

// What the tests check a certificate against: OpenSSL reading the DER, not our accessors.
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
std::unique_ptr<X509, X509Free> ParseWithOpenSsl(const CryptoBytes& der) {
  const unsigned char* p = der.data();
  return std::unique_ptr<X509, X509Free>(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

std::string NameEntry(X509* x, int nid) {
  char buf[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), nid, buf, sizeof buf);
  return buf;
}

CryptoBytes FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return CryptoBytes(std::istreambuf_iterator<char>(in), {});
}

// Server certificates are made once: RSA keys are slow to generate.
const ApplicationIdentity& ServerIdentity() {
  static const ApplicationIdentity identity = [] {
    CertificateOptions o;
    o.host = "plc-17.plant.example";
    o.application_uri = "urn:vendor:plc-17:server";
    auto id = CreateSelfSignedCertificate(o);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : ApplicationIdentity{};
  }();
  return identity;
}

TEST(UaCertificateTest, MadeCertificateHasTheOpcUaFields) {
  CertificateOptions options;
  options.host = "gateway-3";
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity id, CreateSelfSignedCertificate(options));
  EXPECT_EQ(id.application_uri, "urn:factoryhub:gateway-3:client");

  auto x = ParseWithOpenSsl(id.certificate.der());
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(X509_get_version(x.get()), X509_VERSION_3);
  EXPECT_EQ(NameEntry(x.get(), NID_commonName), "factoryhub@gateway-3");
  EXPECT_EQ(NameEntry(x.get(), NID_organizationName), "factoryhub");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x.get()), X509_get_issuer_name(x.get())), 0);
  EXPECT_EQ(X509_get_signature_nid(x.get()), NID_sha256WithRSAEncryption);

  EVP_PKEY* key = X509_get0_pubkey(x.get());
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_RSA);
  EXPECT_EQ(EVP_PKEY_get_bits(key), 2048);
  EXPECT_EQ(X509_verify(x.get(), key), 1);  // self-signed
  EXPECT_EQ(EVP_PKEY_eq(key, id.private_key.get()), 1);

  // Key usage, extended key usage, basic constraints.
  const uint32_t ku = X509_get_key_usage(x.get());
  EXPECT_EQ(ku,
            static_cast<uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION | KU_KEY_ENCIPHERMENT |
                                  KU_DATA_ENCIPHERMENT | KU_KEY_CERT_SIGN));
  EXPECT_EQ(X509_get_extended_key_usage(x.get()),
            static_cast<uint32_t>(XKU_SSL_CLIENT | XKU_SSL_SERVER));
  int crit = -1;
  auto* bc = static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(x.get(), NID_basic_constraints, &crit, nullptr));
  ASSERT_NE(bc, nullptr);
  EXPECT_EQ(bc->ca, 0);
  EXPECT_EQ(crit, 1);
  BASIC_CONSTRAINTS_free(bc);
  EXPECT_NE(X509_get0_subject_key_id(x.get()), nullptr);
  EXPECT_NE(X509_get0_authority_key_id(x.get()), nullptr);

  // subjectAltName: the ApplicationUri and the host.
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(x.get(), NID_subject_alt_name, nullptr, nullptr));
  ASSERT_NE(names, nullptr);
  std::vector<std::string> uris, dns;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
    const ASN1_IA5STRING* s = g->type == GEN_URI   ? g->d.uniformResourceIdentifier
                              : g->type == GEN_DNS ? g->d.dNSName
                                                   : nullptr;
    if (s == nullptr) continue;
    std::string v(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                  static_cast<size_t>(ASN1_STRING_length(s)));
    (g->type == GEN_URI ? uris : dns).push_back(v);
  }
  GENERAL_NAMES_free(names);
  EXPECT_EQ(uris, std::vector<std::string>{"urn:factoryhub:gateway-3:client"});
  EXPECT_EQ(dns, std::vector<std::string>{"gateway-3"});

  // Validity: from about now for five years.
  const auto not_before = id.certificate.NotBefore(), not_after = id.certificate.NotAfter();
  EXPECT_LE(not_before, system_clock::now());
  EXPECT_GT(not_before, system_clock::now() - days(1));
  EXPECT_GE(not_after - not_before, days(5 * 365));
  EXPECT_LE(not_after - not_before, days(5 * 366));

  // Our accessors agree.
  EXPECT_EQ(id.certificate.CommonName(), "factoryhub@gateway-3");
  EXPECT_EQ(id.certificate.Subject(), "CN=factoryhub@gateway-3,O=factoryhub");
  EXPECT_EQ(id.certificate.Uris(), uris);
  EXPECT_EQ(id.certificate.DnsNames(), dns);
  EXPECT_EQ(id.certificate.SignatureAlgorithm(), "sha256WithRSAEncryption");
  unsigned char sha1[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  ASSERT_EQ(X509_digest(x.get(), EVP_sha1(), sha1, &n), 1);
  ASSERT_EQ(n, kSha1Size);
  EXPECT_EQ(id.certificate.ThumbprintHex(), ToHex(ByteView(sha1, n)));
  ASSERT_OK_AND_ASSIGN(const auto thumbprint, CertificateThumbprint(id.certificate.der()));
  EXPECT_EQ(thumbprint, id.certificate.thumbprint());
}

TEST(UaCertificateTest, AnAddressHostBecomesAnIpAltName) {
  CertificateOptions options;
  options.host = "192.168.10.5";
  options.application_uri = "urn:site-a:collector";
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity id, CreateSelfSignedCertificate(options));
  EXPECT_EQ(id.certificate.IpAddresses(), std::vector<std::string>{"192.168.10.5"});
  EXPECT_TRUE(id.certificate.DnsNames().empty());
  EXPECT_EQ(id.certificate.Uris(), std::vector<std::string>{"urn:site-a:collector"});

  CertificateOptions bad;
  bad.host = "two words";
  EXPECT_EQ(CreateSelfSignedCertificate(bad).status().code(), fh::StatusCode::kInvalidArgument);
}

TEST(UaCertificateTest, IdentityIsMadeOnceThenLoaded) {
  testing::TempDir dir;
  CertificateOptions options;
  options.host = "edge-1";
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity made,
                       LoadOrCreateApplicationIdentity(dir.path(), options));
  const auto cert_path = dir.path() / "own" / "cert.der";
  const auto key_path = dir.path() / "own" / "private" / "key.pem";
  ASSERT_TRUE(std::filesystem::exists(cert_path));
  ASSERT_TRUE(std::filesystem::exists(key_path));
  EXPECT_EQ(FileBytes(cert_path), made.certificate.der());
  struct stat st {};
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(key_path.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  // Loaded the second time, even with other options: servers trust it by its thumbprint.
  options.host = "edge-2";
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity loaded,
                       LoadOrCreateApplicationIdentity(dir.path(), options));
  EXPECT_EQ(loaded.certificate.thumbprint(), made.certificate.thumbprint());
  EXPECT_TRUE(loaded.private_key.has_private());
  EXPECT_TRUE(loaded.private_key.SamePublicKey(made.private_key));
  EXPECT_EQ(loaded.application_uri, "urn:factoryhub:edge-1:client");

  // Half an identity is an error, not replaced.
  std::filesystem::remove(key_path);
  const auto half = LoadOrCreateApplicationIdentity(dir.path(), options);
  EXPECT_EQ(half.status().code(), fh::StatusCode::kFailedPrecondition);
  EXPECT_NE(half.status().message().find("key.pem"), std::string::npos);

  // A key that is not the certificate's is an error too.
  ASSERT_OK(StoreApplicationIdentity(dir.path(), made));
  ApplicationIdentity mixed = made;
  mixed.private_key = ServerIdentity().private_key;
  ASSERT_OK(StoreApplicationIdentity(dir.path(), mixed));
  EXPECT_EQ(LoadOrCreateApplicationIdentity(dir.path(), options).status().code(),
            fh::StatusCode::kFailedPrecondition);
}

TEST(UaCertificateTest, ExpiredOwnCertificateIsReplaced) {
  testing::TempDir dir;
  CertificateOptions old;
  old.host = "edge-1";
  old.not_before = system_clock::now() - days(400);
  old.validity = days(30);
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity expired, CreateSelfSignedCertificate(old));
  ASSERT_OK(StoreApplicationIdentity(dir.path(), expired));
  CertificateOptions options;
  options.host = "edge-1";
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity renewed,
                       LoadOrCreateApplicationIdentity(dir.path(), options));
  EXPECT_NE(renewed.certificate.thumbprint(), expired.certificate.thumbprint());
  EXPECT_GT(renewed.certificate.NotAfter(), system_clock::now());
}

// --- Trust list -----------------------------------------------------------------------------

TEST(UaCertificateTest, UnknownServerIsRejectedThenTrusted) {
  testing::TempDir dir;
  const Certificate& server = ServerIdentity().certificate;
  const auto refused = CheckServerCertificate(dir.path(), Basic256Sha256Profile(), server.der());
  ASSERT_EQ(refused.status().code(), fh::StatusCode::kUnauthenticated);
  const std::string& message = refused.status().message();
  EXPECT_NE(message.find("CN=factoryhub@plc-17.plant.example"), std::string::npos) << message;
  EXPECT_NE(message.find(server.ThumbprintHex()), std::string::npos) << message;
  EXPECT_NE(message.find("factoryhub opcua trust " + server.ThumbprintHex().substr(0, 8)),
            std::string::npos)
      << message;

  const auto rejected = dir.path() / "rejected" / CertificateFileName(server);
  ASSERT_TRUE(std::filesystem::exists(rejected)) << rejected;
  EXPECT_EQ(FileBytes(rejected), server.der());
  EXPECT_EQ(CertificateFileName(server),
            "factoryhub@plc-17.plant.example_" + server.ThumbprintHex() + ".der");

  EXPECT_EQ(TrustRejected(dir.path(), "zz").status().code(), fh::StatusCode::kInvalidArgument);
  const std::string other_prefix = server.ThumbprintHex()[0] == '0' ? "1" : "0";
  EXPECT_EQ(TrustRejected(dir.path(), other_prefix).status().code(), fh::StatusCode::kNotFound);
  // Upper case works as well.
  std::string prefix = server.ThumbprintHex().substr(0, 6);
  for (char& c : prefix)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_OK_AND_ASSIGN(const auto trusted_path, TrustRejected(dir.path(), prefix));
  EXPECT_EQ(trusted_path, dir.path() / "trusted" / CertificateFileName(server));
  EXPECT_FALSE(std::filesystem::exists(rejected));

  ASSERT_OK_AND_ASSIGN(const Certificate accepted,
                       CheckServerCertificate(dir.path(), Basic256Sha256Profile(), server.der()));
  EXPECT_EQ(accepted.thumbprint(), server.thumbprint());
  EXPECT_OK(
      CheckServerCertificate(dir.path(), Aes128Sha256RsaOaepProfile(), server.der()).status());
  ASSERT_OK_AND_ASSIGN(const auto listed, ListStoredCertificates(dir.path(), "trusted"));
  ASSERT_EQ(listed.size(), 1u);
}

TEST(UaCertificateTest, TrustedIsByThumbprintNotByFileName) {
  testing::TempDir dir;
  const Certificate& server = ServerIdentity().certificate;
  std::filesystem::create_directories(dir.path() / "trusted");
  std::ofstream(dir.path() / "trusted" / "whatever-name.der", std::ios::binary)
      .write(reinterpret_cast<const char*>(server.der().data()),
             static_cast<std::streamsize>(server.der().size()));
  std::ofstream(dir.path() / "trusted" / "notes.der") << "not a certificate";
  EXPECT_OK(CheckServerCertificate(dir.path(), Basic256Sha256Profile(), server.der()).status());
  ASSERT_OK_AND_ASSIGN(const bool trusted, IsTrustedCertificate(dir.path(), server.thumbprint()));
  EXPECT_TRUE(trusted);
}

TEST(UaCertificateTest, ExpiredOrNotYetValidServerIsRefusedEvenWhenTrusted) {
  testing::TempDir dir;
  CertificateOptions o;
  o.host = "old-plc";
  o.not_before = system_clock::now() - days(800);
  o.validity = days(365);
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity expired, CreateSelfSignedCertificate(o));
  ASSERT_OK(TrustCertificate(dir.path(), expired.certificate).status());
  const auto refused =
      CheckServerCertificate(dir.path(), Basic256Sha256Profile(), expired.certificate.der());
  EXPECT_EQ(refused.status().code(), fh::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("expired"), std::string::npos)
      << refused.status().message();
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "rejected"));

  // Judged at another time, the same certificate is fine, or not valid yet.
  EXPECT_OK(CheckServerCertificate(dir.path(), Basic256Sha256Profile(), expired.certificate.der(),
                                   system_clock::now() - days(700))
                .status());
  const auto early =
      CheckServerCertificate(dir.path(), Basic256Sha256Profile(), expired.certificate.der(),
                             system_clock::now() - days(900));
  EXPECT_NE(early.status().message().find("not valid before"), std::string::npos);
}

TEST(UaCertificateTest, KeySizeOutsideThePolicyIsRefused) {
  testing::TempDir dir;
  CertificateOptions o;
  o.host = "weak-plc";
  o.key_bits = 1024;
  ASSERT_OK_AND_ASSIGN(const ApplicationIdentity weak, CreateSelfSignedCertificate(o));
  ASSERT_OK(TrustCertificate(dir.path(), weak.certificate).status());
  const auto refused =
      CheckServerCertificate(dir.path(), Basic256Sha256Profile(), weak.certificate.der());
  EXPECT_EQ(refused.status().code(), fh::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("1024 bits"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("CN=factoryhub@weak-plc"), std::string::npos);
}

TEST(UaCertificateTest, GarbageIsNotACertificate) {
  testing::TempDir dir;
  const CryptoBytes garbage = {0x30, 0x82, 0x01, 0x00, 0x01};
  EXPECT_EQ(CheckServerCertificate(dir.path(), Basic256Sha256Profile(), garbage).status().code(),
            fh::StatusCode::kUnauthenticated);
  CryptoBytes trailing = ServerIdentity().certificate.der();
  trailing.push_back(0);
  EXPECT_FALSE(Certificate::FromDer(trailing).ok());
}

TEST(UaCertificateTest, ServerNamesAreChecked) {
  const Certificate& server = ServerIdentity().certificate;
  EXPECT_OK(
      CheckServerCertificateNames(server, "PLC-17.plant.example", "urn:vendor:plc-17:server"));
  EXPECT_OK(CheckServerCertificateNames(server, "plc-17.plant.example", ""));
  const Status wrong_host = CheckServerCertificateNames(server, "plc-18.plant.example", "");
  EXPECT_EQ(wrong_host.code(), fh::StatusCode::kUnauthenticated);
  EXPECT_NE(wrong_host.message().find("plc-17.plant.example"), std::string::npos);
  EXPECT_FALSE(CheckServerCertificateNames(server, "plc-17.plant.example", "urn:other").ok());
}

}  // namespace certificate_test
}  // namespace fh::opcua
