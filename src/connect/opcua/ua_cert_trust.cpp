#include "connect/opcua/ua_cert_trust.h"

#include <algorithm>
#include <ctime>
#include <system_error>

#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include "common/ascii.h"
#include "common/hex.h"
#include "connect/opcua/ua_crypto_detail.h"

namespace fh::opcua {

namespace cert_trust_detail {
namespace {

// "CN=... (SHA-1 thumbprint 0a1b...)": how a refusal names the certificate.
std::string Describe(const Certificate& c) {
  const std::string subject = c.Subject();
  return fmt::format("the server certificate {} (SHA-1 thumbprint {})",
                     subject.empty() ? "without a subject" : subject, c.ThumbprintHex());
}

std::string DateText(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// sha256/384/512 with RSA (PKCS#1 v1.5) or RSASSA-PSS.
bool StrongSignature(const Certificate& c) {
  const int nid = X509_get_signature_nid(c.get());
  return nid == NID_sha256WithRSAEncryption || nid == NID_sha384WithRSAEncryption ||
         nid == NID_sha512WithRSAEncryption || nid == NID_rsassaPss;
}

bool HasDerExtension(const std::filesystem::path& p) {
  return AsciiLowered(p.extension().string()) == ".der";
}

}  // namespace
}  // namespace cert_trust_detail

std::string CertificateFileName(const Certificate& certificate) {
  std::string name = certificate.CommonName();
  if (name.size() > 64) name.resize(64);
  for (char& ch : name) {
    const bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || IsAsciiDigit(ch) ||
                       ch == '.' || ch == '-' || ch == '@';
    if (!plain) ch = '_';
  }
  if (name.empty()) name = "certificate";
  return name + "_" + certificate.ThumbprintHex() + ".der";
}

Result<std::vector<StoredCertificate>> ListStoredCertificates(const std::filesystem::path& pki_dir,
                                                              std::string_view which) {
  std::vector<StoredCertificate> out;
  const std::filesystem::path dir = pki_dir / std::string(which);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return IOError("{}: {}", dir.string(), ec.message());
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec) || !cert_trust_detail::HasDerExtension(entry.path())) continue;
    auto der = crypto_detail::ReadWholeFile(entry.path());
    if (!der.ok()) return der.status();
    auto cert = Certificate::FromDer(*der);
    if (!cert.ok()) continue;  // not a certificate: not ours to judge here
    out.push_back({entry.path(), std::move(cert).value()});
  }
  std::sort(out.begin(), out.end(),
            [](const StoredCertificate& a, const StoredCertificate& b) { return a.path < b.path; });
  return out;
}

Result<bool> IsTrustedCertificate(const std::filesystem::path& pki_dir,
                                  std::span<const uint8_t, kSha1Size> thumbprint) {
  auto trusted = ListStoredCertificates(pki_dir, "trusted");
  if (!trusted.ok()) return trusted.status();
  for (const StoredCertificate& s : *trusted) {
    if (std::equal(thumbprint.begin(), thumbprint.end(), s.certificate.thumbprint().begin())) {
      return true;
    }
  }
  return false;
}

Result<std::filesystem::path> TrustCertificate(const std::filesystem::path& pki_dir,
                                               const Certificate& certificate) {
  const std::filesystem::path dir = pki_dir / "trusted";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError("{}: {}", dir.string(), ec.message());
  const std::filesystem::path path = dir / CertificateFileName(certificate);
  FH_RETURN_IF_ERROR(crypto_detail::WriteFileReplacing(path, certificate.der(), 0644));
  return path;
}

Result<Certificate> CheckServerCertificate(const std::filesystem::path& pki_dir,
                                           const SecurityPolicyProfile& policy, ByteView der,
                                           std::chrono::system_clock::time_point now,
                                           bool require_trusted) {
  auto parsed = Certificate::FromDer(der);
  if (!parsed.ok()) {
    return Unauthenticated("the server's certificate: {}", parsed.status().message());
  }
  const Certificate& cert = *parsed;
  const std::string who = cert_trust_detail::Describe(cert);
  auto key = cert.PublicKey();
  if (!key.ok()) return Unauthenticated("{}: {}", who, key.status().message());
  if (Status s = CheckAsymmetricKeySize(policy, key->bits()); !s.ok()) {
    return Unauthenticated("{}: {}", who, s.message());
  }
  if (!cert_trust_detail::StrongSignature(cert)) {
    return Unauthenticated("{} is signed with {}: {} takes SHA-256 or stronger", who,
                           cert.SignatureAlgorithm(), policy.name);
  }
  if (now < cert.NotBefore()) {
    return Unauthenticated("{} is not valid before {}", who,
                           cert_trust_detail::DateText(cert.NotBefore()));
  }
  if (now > cert.NotAfter()) {
    return Unauthenticated("{} expired on {}", who, cert_trust_detail::DateText(cert.NotAfter()));
  }
  if (!require_trusted) return parsed;
  auto trusted = IsTrustedCertificate(pki_dir, cert.thumbprint());
  if (!trusted.ok()) return trusted.status();
  if (*trusted) return parsed;

  const std::filesystem::path rejected_dir = pki_dir / "rejected";
  std::error_code ec;
  std::filesystem::create_directories(rejected_dir, ec);
  if (ec) return IOError("{}: {}", rejected_dir.string(), ec.message());
  const std::filesystem::path saved = rejected_dir / CertificateFileName(cert);
  FH_RETURN_IF_ERROR(crypto_detail::WriteFileReplacing(saved, cert.der(), 0644));
  return Unauthenticated(
      "{} is not trusted: it was saved as {}; if it is the server's, trust it with "
      "`factoryhub opcua trust {}` (or copy it into {})",
      who, saved.string(), cert.ThumbprintHex().substr(0, 8), (pki_dir / "trusted").string());
}

Status CheckServerCertificateNames(const Certificate& certificate, std::string_view host,
                                   std::string_view application_uri) {
  const auto dns = certificate.DnsNames();
  const auto ips = certificate.IpAddresses();
  const std::string lower_host = AsciiLowered(host);
  const bool host_ok =
      std::any_of(dns.begin(), dns.end(),
                  [&](const std::string& d) { return AsciiLowered(d) == lower_host; }) ||
      std::find(ips.begin(), ips.end(), host) != ips.end();
  if (!host_ok) {
    std::string names;
    for (const auto& n : dns)
      names += (names.empty() ? "" : ", ") + n;
    for (const auto& n : ips)
      names += (names.empty() ? "" : ", ") + n;
    return Unauthenticated("{} is for {}, not for host '{}'",
                           cert_trust_detail::Describe(certificate),
                           names.empty() ? "no host" : names, host);
  }
  if (!application_uri.empty()) {
    const auto uris = certificate.Uris();
    if (std::find(uris.begin(), uris.end(), application_uri) == uris.end()) {
      return Unauthenticated("{} does not name the application URI '{}' (it has {})",
                             cert_trust_detail::Describe(certificate), application_uri,
                             uris.empty() ? "none" : uris.front());
    }
  }
  return Status::Ok();
}

Result<std::filesystem::path> TrustRejected(const std::filesystem::path& pki_dir,
                                            std::string_view thumbprint_prefix) {
  if (thumbprint_prefix.empty() || thumbprint_prefix.size() > 2 * kSha1Size ||
      !std::all_of(thumbprint_prefix.begin(), thumbprint_prefix.end(),
                   [](char c) { return HexDigitValue(c) >= 0; })) {
    return InvalidArgument("'{}' is not the start of a SHA-1 thumbprint (hex digits)",
                           thumbprint_prefix);
  }
  const std::string prefix = AsciiLowered(thumbprint_prefix);
  auto rejected = ListStoredCertificates(pki_dir, "rejected");
  if (!rejected.ok()) return rejected.status();
  std::vector<const StoredCertificate*> matches;
  for (const StoredCertificate& s : *rejected) {
    if (s.certificate.ThumbprintHex().starts_with(prefix)) matches.push_back(&s);
  }
  if (matches.empty()) {
    return NotFound("no rejected certificate in {} has a thumbprint starting with {}",
                    (pki_dir / "rejected").string(), prefix);
  }
  // The same certificate may be there twice under different names: one is enough.
  const auto& first = matches.front()->certificate;
  for (const StoredCertificate* m : matches) {
    if (m->certificate.thumbprint() != first.thumbprint()) {
      return InvalidArgument("more than one rejected certificate has a thumbprint starting with {}",
                             prefix);
    }
  }
  auto trusted = TrustCertificate(pki_dir, first);
  if (!trusted.ok()) return trusted.status();
  for (const StoredCertificate* m : matches) {
    std::error_code ec;
    std::filesystem::remove(m->path, ec);
    if (ec) return IOError("{}: {}", m->path.string(), ec.message());
  }
  return trusted;
}

}  // namespace fh::opcua
