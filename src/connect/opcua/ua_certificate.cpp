#include "connect/opcua/ua_certificate.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <ctime>
#include <system_error>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "connect/opcua/ua_crypto_detail.h"

namespace fh::opcua {

namespace crypto_detail {

namespace {

using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OsslFree<GENERAL_NAMES, GENERAL_NAMES_free>>;

std::chrono::system_clock::time_point TimeOfAsn1(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string Asn1Utf8(const ASN1_STRING* s) {
  unsigned char* utf8 = nullptr;
  const int n = s ? ASN1_STRING_to_UTF8(&utf8, s) : -1;
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

// subjectAltName entries of one type, as text.
std::vector<std::string> AltNames(X509* x, int type) {
  std::vector<std::string> out;
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(names.get(), i);
    if (g->type != type) continue;
    if (type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = g->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {};
      const int len = ASN1_STRING_length(ip);
      const int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : -1;
      if (family > 0 && inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text)) {
        out.emplace_back(text);
      }
    } else {
      const ASN1_IA5STRING* s = type == GEN_URI ? g->d.uniformResourceIdentifier : g->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<size_t>(ASN1_STRING_length(s)));
    }
  }
  return out;
}

bool AddAltName(GENERAL_NAMES* names, int type, std::string_view value) {
  GENERAL_NAME* g = GENERAL_NAME_new();
  if (g == nullptr) return false;
  ASN1_STRING* s = type == GEN_IPADD ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
  if (s == nullptr || ASN1_STRING_set(s, value.data(), static_cast<int>(value.size())) != 1) {
    ASN1_STRING_free(s);
    GENERAL_NAME_free(g);
    return false;
  }
  GENERAL_NAME_set0_value(g, type, s);
  if (sk_GENERAL_NAME_push(names, g) <= 0) {
    GENERAL_NAME_free(g);
    return false;
  }
  return true;
}

bool AddConfExtension(X509* x, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value));
  return ext && X509_add_ext(x, ext.get(), -1) == 1;
}

// Host names and URIs go into the certificate as they are: no control characters, no
// characters outside ASCII, nothing empty.
bool PlainAscii(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace crypto_detail

// --- Certificate ----------------------------------------------------------------------------

Result<Certificate> Certificate::FromDer(ByteView der) {
  if (der.empty() || der.size() > static_cast<size_t>(INT_MAX)) {
    return InvalidArgument("not an X.509 certificate: {} bytes", der.size());
  }
  const unsigned char* p = der.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (x == nullptr) {
    ERR_clear_error();
    return InvalidArgument("not a readable X.509 certificate (DER)");
  }
  Certificate c;
  c.x509_.reset(x, X509_free);
  if (p != der.data() + der.size()) {
    return InvalidArgument("X.509 certificate: {} bytes after its end",
                           static_cast<size_t>(der.data() + der.size() - p));
  }
  c.der_.assign(der.begin(), der.end());
  auto thumbprint = Sha1(der);
  if (!thumbprint.ok()) return thumbprint.status();
  c.thumbprint_ = *thumbprint;
  return c;
}

std::string Certificate::Subject() const {
  if (!x509_) return {};
  crypto_detail::BioPtr bio(BIO_new(BIO_s_mem()));
  const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_DN_REV;
  if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(x509_.get()), 0, flags) < 0) {
    return {};
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string Certificate::CommonName() const {
  if (!x509_) return {};
  const X509_NAME* name = X509_get_subject_name(x509_.get());
  const int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (i < 0) return {};
  return crypto_detail::Asn1Utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
}

std::vector<std::string> Certificate::Uris() const {
  return x509_ ? crypto_detail::AltNames(x509_.get(), GEN_URI) : std::vector<std::string>{};
}

std::vector<std::string> Certificate::DnsNames() const {
  return x509_ ? crypto_detail::AltNames(x509_.get(), GEN_DNS) : std::vector<std::string>{};
}

std::vector<std::string> Certificate::IpAddresses() const {
  return x509_ ? crypto_detail::AltNames(x509_.get(), GEN_IPADD) : std::vector<std::string>{};
}

std::chrono::system_clock::time_point Certificate::NotBefore() const {
  return x509_ ? crypto_detail::TimeOfAsn1(X509_get0_notBefore(x509_.get()))
               : std::chrono::system_clock::time_point{};
}

std::chrono::system_clock::time_point Certificate::NotAfter() const {
  return x509_ ? crypto_detail::TimeOfAsn1(X509_get0_notAfter(x509_.get()))
               : std::chrono::system_clock::time_point{};
}

std::string Certificate::SignatureAlgorithm() const {
  if (!x509_) return {};
  const char* name = OBJ_nid2ln(X509_get_signature_nid(x509_.get()));
  return name ? name : "unknown";
}

Result<RsaKey> Certificate::PublicKey() const {
  if (!x509_) return FailedPrecondition("no certificate");
  EVP_PKEY* key = X509_get_pubkey(x509_.get());  // a new reference
  if (key == nullptr) return crypto_detail::OpenSslFailure("reading the certificate's key");
  return RsaKey::Adopt(key, false);
}

Result<std::array<uint8_t, kSha1Size>> CertificateThumbprint(ByteView der) {
  return Sha1(der);
}

// --- The application instance certificate ---------------------------------------------------

std::string DefaultApplicationUri(std::string_view host) {
  return fmt::format("urn:factoryhub:{}:client", host);
}

std::string LocalHostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

Result<ApplicationIdentity> CreateSelfSignedCertificate(const CertificateOptions& options) {
  using namespace std::chrono;
  const std::string uri = options.application_uri.empty() ? DefaultApplicationUri(options.host)
                                                          : options.application_uri;
  if (!crypto_detail::PlainAscii(options.host) || !crypto_detail::PlainAscii(uri)) {
    return InvalidArgument("certificate: host '{}' and application URI '{}' must be plain ASCII",
                           options.host, uri);
  }
  auto key = RsaKey::Generate(options.key_bits);
  if (!key.ok()) return key.status();

  crypto_detail::X509Ptr x(X509_new());
  if (!x || X509_set_version(x.get(), X509_VERSION_3) != 1) {
    return crypto_detail::OpenSslFailure("certificate: creating");
  }
  // A random positive 127-bit serial number.
  auto serial_bytes = RandomBytes(16);
  if (!serial_bytes.ok()) return serial_bytes.status();
  (*serial_bytes)[0] = static_cast<uint8_t>(((*serial_bytes)[0] & 0x7F) | 0x40);
  crypto_detail::BignumPtr serial(BN_bin2bn(serial_bytes->data(), 16, nullptr));
  const system_clock::time_point start =
      options.not_before.value_or(system_clock::now() - hours(1));
  const std::time_t not_before = system_clock::to_time_t(start);
  const std::time_t not_after = system_clock::to_time_t(start + options.validity);
  const std::string cn = "factoryhub@" + options.host;
  X509_NAME* name = X509_get_subject_name(x.get());
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x.get())) == nullptr ||
      ASN1_TIME_set(X509_getm_notBefore(x.get()), not_before) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(x.get()), not_after) == nullptr ||
      X509_set_pubkey(x.get(), key->get()) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("factoryhub"), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(x.get(), name) != 1) {
    return crypto_detail::OpenSslFailure("certificate: setting its fields");
  }

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
  if (!crypto_detail::AddConfExtension(x.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE") ||
      !crypto_detail::AddConfExtension(x.get(), &ctx, NID_key_usage,
                                       "critical,digitalSignature,nonRepudiation,keyEncipherment,"
                                       "dataEncipherment,keyCertSign") ||
      !crypto_detail::AddConfExtension(x.get(), &ctx, NID_ext_key_usage, "clientAuth,serverAuth") ||
      !crypto_detail::AddConfExtension(x.get(), &ctx, NID_subject_key_identifier, "hash") ||
      !crypto_detail::AddConfExtension(x.get(), &ctx, NID_authority_key_identifier,
                                       "keyid:always")) {
    return crypto_detail::OpenSslFailure("certificate: adding its extensions");
  }
  crypto_detail::GeneralNamesPtr alt(sk_GENERAL_NAME_new_null());
  unsigned char ip[16];
  const bool is_ip4 = inet_pton(AF_INET, options.host.c_str(), ip) == 1;
  const bool is_ip6 = !is_ip4 && inet_pton(AF_INET6, options.host.c_str(), ip) == 1;
  const bool host_added =
      is_ip4 || is_ip6 ? crypto_detail::AddAltName(
                             alt.get(), GEN_IPADD,
                             std::string_view(reinterpret_cast<const char*>(ip), is_ip4 ? 4 : 16))
                       : crypto_detail::AddAltName(alt.get(), GEN_DNS, options.host);
  if (!alt || !crypto_detail::AddAltName(alt.get(), GEN_URI, uri) || !host_added ||
      X509_add1_ext_i2d(x.get(), NID_subject_alt_name, alt.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return crypto_detail::OpenSslFailure("certificate: adding subjectAltName");
  }
  if (X509_sign(x.get(), key->get(), EVP_sha256()) <= 0) {
    return crypto_detail::OpenSslFailure("certificate: signing");
  }
  unsigned char* der = nullptr;
  const int n = i2d_X509(x.get(), &der);
  if (n <= 0) return crypto_detail::OpenSslFailure("certificate: encoding");
  auto cert = Certificate::FromDer(ByteView(der, static_cast<size_t>(n)));
  OPENSSL_free(der);
  if (!cert.ok()) return cert.status();
  return ApplicationIdentity{std::move(cert).value(), std::move(key).value(), uri};
}

namespace crypto_detail {
namespace {

std::filesystem::path OwnCertPath(const std::filesystem::path& dir) {
  return dir / "own" / "cert.der";
}
std::filesystem::path OwnKeyPath(const std::filesystem::path& dir) {
  return dir / "own" / "private" / "key.pem";
}

Result<ApplicationIdentity> LoadIdentity(const std::filesystem::path& dir) {
  auto der = ReadWholeFile(OwnCertPath(dir));
  if (!der.ok()) return der.status();
  auto cert = Certificate::FromDer(*der);
  if (!cert.ok()) return cert.status().WithContext(OwnCertPath(dir).string());
  auto pem = ReadWholeFile(OwnKeyPath(dir));
  if (!pem.ok()) return pem.status();
  SecretBytes secret_pem(*pem);
  OPENSSL_cleanse(pem->data(), pem->size());
  auto key = RsaKey::FromPrivatePem(secret_pem.view());
  if (!key.ok()) return key.status().WithContext(OwnKeyPath(dir).string());
  auto cert_key = cert->PublicKey();
  if (!cert_key.ok()) return cert_key.status().WithContext(OwnCertPath(dir).string());
  if (!key->SamePublicKey(*cert_key)) {
    return FailedPrecondition("{} is not the private key of {}", OwnKeyPath(dir).string(),
                              OwnCertPath(dir).string());
  }
  const auto uris = cert->Uris();
  std::string uri = uris.empty() ? std::string() : uris.front();
  return ApplicationIdentity{std::move(cert).value(), std::move(key).value(), std::move(uri)};
}

}  // namespace
}  // namespace crypto_detail

Status StoreApplicationIdentity(const std::filesystem::path& pki_dir,
                                const ApplicationIdentity& identity) {
  const std::filesystem::path priv = pki_dir / "own" / "private";
  std::error_code ec;
  std::filesystem::create_directories(priv, ec);
  if (ec) return IOError("{}: {}", priv.string(), ec.message());
  std::filesystem::permissions(priv, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec) return IOError("{}: {}", priv.string(), ec.message());
  auto pem = identity.private_key.PrivatePem();
  if (!pem.ok()) return pem.status();
  FH_RETURN_IF_ERROR(
      crypto_detail::WriteFileReplacing(crypto_detail::OwnKeyPath(pki_dir), pem->view(), 0600));
  return crypto_detail::WriteFileReplacing(crypto_detail::OwnCertPath(pki_dir),
                                           identity.certificate.der(), 0644);
}

Result<ApplicationIdentity> LoadOrCreateApplicationIdentity(const std::filesystem::path& pki_dir,
                                                            const CertificateOptions& options) {
  std::error_code ec;
  const bool has_cert = std::filesystem::exists(crypto_detail::OwnCertPath(pki_dir), ec);
  const bool has_key = std::filesystem::exists(crypto_detail::OwnKeyPath(pki_dir), ec);
  if (has_cert != has_key) {
    return FailedPrecondition(
        "{} is there but {} is not: restore it, or remove both for a new certificate",
        (has_cert ? crypto_detail::OwnCertPath(pki_dir) : crypto_detail::OwnKeyPath(pki_dir))
            .string(),
        (has_cert ? crypto_detail::OwnKeyPath(pki_dir) : crypto_detail::OwnCertPath(pki_dir))
            .string());
  }
  if (has_cert) {
    auto identity = crypto_detail::LoadIdentity(pki_dir);
    if (!identity.ok()) return identity.status();
    if (identity->certificate.NotAfter() > std::chrono::system_clock::now()) return identity;
    // Expired: of no use to any server; a new one replaces it.
  }
  auto identity = CreateSelfSignedCertificate(options);
  if (!identity.ok()) return identity.status();
  FH_RETURN_IF_ERROR(StoreApplicationIdentity(pki_dir, *identity));
  return identity;
}

}  // namespace fh::opcua
