// X.509 certificates for OPC UA (OPC 10000-6 §6.2): reading a DER certificate (subject,
// names, validity, key, SHA-1 thumbprint), and the client's application instance
// certificate, made on first use and kept in a PKI folder:
//
//   <dir>/own/cert.der            the certificate (DER)
//   <dir>/own/private/key.pem     its private key (PKCS#8 PEM, mode 0600; folder 0700)
//   <dir>/trusted/*.der           servers trusted (ua_cert_trust.h)
//   <dir>/rejected/*.der          servers seen but not trusted, for a person to decide
//
// The made certificate: RSA 2048, self-signed with SHA-256, valid 5 years, subject
// CN=factoryhub@<host>, O=factoryhub; subjectAltName URI:<ApplicationUri>, DNS:<host> (or
// IP:<host> for an address); keyUsage digitalSignature, nonRepudiation, keyEncipherment,
// dataEncipherment, keyCertSign; extendedKeyUsage clientAuth, serverAuth; basicConstraints
// CA:FALSE; subject and authority key identifiers.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "common/status.h"
#include "connect/opcua/ua_crypto.h"

namespace fh::opcua {

// An immutable parsed certificate with its DER; copies share it.
class Certificate {
 public:
  Certificate() = default;
  static Result<Certificate> FromDer(ByteView der);

  bool valid() const { return x509_ != nullptr; }
  const CryptoBytes& der() const { return der_; }
  // SHA-1 of the DER: the thumbprint OPC UA's headers and trust lists use.
  const std::array<uint8_t, kSha1Size>& thumbprint() const { return thumbprint_; }
  std::string ThumbprintHex() const { return ToHex(thumbprint_); }
  // "CN=factoryhub@host,O=factoryhub": RFC 2253 escaping, in the order the certificate has.
  std::string Subject() const;
  std::string CommonName() const;
  // subjectAltName's URIs (the first is the ApplicationUri), DNS names and IP addresses (text).
  std::vector<std::string> Uris() const;
  std::vector<std::string> DnsNames() const;
  std::vector<std::string> IpAddresses() const;
  std::chrono::system_clock::time_point NotBefore() const;
  std::chrono::system_clock::time_point NotAfter() const;
  // The signature algorithm's OpenSSL long name, e.g. "sha256WithRSAEncryption".
  std::string SignatureAlgorithm() const;
  // The certificate's public key: an error unless it is RSA.
  Result<RsaKey> PublicKey() const;
  X509* get() const { return x509_.get(); }

 private:
  std::shared_ptr<X509> x509_;
  CryptoBytes der_;
  std::array<uint8_t, kSha1Size> thumbprint_{};
};

// SHA-1 thumbprint of a DER certificate (without parsing it).
Result<std::array<uint8_t, kSha1Size>> CertificateThumbprint(ByteView der);

struct CertificateOptions {
  std::string host;             // CN=factoryhub@<host>; a DNS (or IP) subjectAltName
  std::string application_uri;  // "" for DefaultApplicationUri(host)
  int key_bits = 2048;
  std::chrono::system_clock::duration validity = std::chrono::days(5 * 365 + 1);
  // When validity starts; unset for an hour before now (clocks of peers differ).
  std::optional<std::chrono::system_clock::time_point> not_before;
};

// "urn:factoryhub:<host>:client".
std::string DefaultApplicationUri(std::string_view host);
// This machine's host name (gethostname), "localhost" if there is none.
std::string LocalHostName();

// The client's certificate and private key.
struct ApplicationIdentity {
  Certificate certificate;
  RsaKey private_key;
  std::string application_uri;  // the certificate's: what ApplicationDescription must say
};

Result<ApplicationIdentity> CreateSelfSignedCertificate(const CertificateOptions& options);

// Loads <dir>/own/cert.der and <dir>/own/private/key.pem, or makes and stores them when
// neither is there (or the certificate has expired). An existing certificate is kept as it
// is (servers trust it by its thumbprint) even when `options` would make another; only one
// of the two files, an unreadable one or a key that is not the certificate's is an error
// naming the file: a person should look before factoryhub replaces an identity.
Result<ApplicationIdentity> LoadOrCreateApplicationIdentity(const std::filesystem::path& pki_dir,
                                                            const CertificateOptions& options);

// Writes the identity into <dir>/own/ (the key with mode 0600), replacing what is there.
Status StoreApplicationIdentity(const std::filesystem::path& pki_dir,
                                const ApplicationIdentity& identity);

}  // namespace fh::opcua
