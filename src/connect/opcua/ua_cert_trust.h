// The client's trust list of server certificates, in the PKI folder of ua_certificate.h:
// a server certificate is trusted when a file in <dir>/trusted/ (*.der) has its SHA-1
// thumbprint; one that is not is saved in <dir>/rejected/ and refused, so that a person can
// look at it and trust it (`factoryhub opcua trust <thumbprint prefix>`, TrustRejected).
#pragma once

#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_certificate.h"
#include "connect/opcua/ua_security_policy.h"

namespace fh::opcua {

// Checks a server's certificate (DER) for a channel with `policy`, in this order: it parses;
// its key is RSA within the policy's sizes; it is signed with SHA-256 or stronger (SHA-1 and
// MD5 are refused); `now` is within its validity; it is trusted. Every refusal is
// Unauthenticated and names the certificate's subject and thumbprint; an untrusted one is
// written to <dir>/rejected/ first and the message says how to trust it. With
// `require_trusted` false the last check is left out (nothing is written).
Result<Certificate> CheckServerCertificate(
    const std::filesystem::path& pki_dir, const SecurityPolicyProfile& policy, ByteView der,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
    bool require_trusted = true);

// Whether the certificate's host names or addresses include `host` (the endpoint's host), and
// whether its URIs include `application_uri` when that is not empty (what the server's
// ApplicationDescription says). Unauthenticated naming what the certificate has otherwise.
Status CheckServerCertificateNames(const Certificate& certificate, std::string_view host,
                                   std::string_view application_uri);

// The file name a certificate is kept under: "<common name>_<thumbprint hex>.der", the name's
// characters other than letters, digits, '.', '-' and '@' replaced by '_'.
std::string CertificateFileName(const Certificate& certificate);

struct StoredCertificate {
  std::filesystem::path path;
  Certificate certificate;
};
// The readable certificates of <dir>/trusted/ or <dir>/rejected/ (`which`), by file name;
// files that are not certificates are skipped. A missing folder is an empty list.
Result<std::vector<StoredCertificate>> ListStoredCertificates(const std::filesystem::path& pki_dir,
                                                              std::string_view which);

// Whether <dir>/trusted/ holds a certificate with this thumbprint.
Result<bool> IsTrustedCertificate(const std::filesystem::path& pki_dir,
                                  std::span<const uint8_t, kSha1Size> thumbprint);

// Puts a certificate into <dir>/trusted/ (what `opcua trust <file>` does); its path.
Result<std::filesystem::path> TrustCertificate(const std::filesystem::path& pki_dir,
                                               const Certificate& certificate);

// Moves the rejected certificate whose thumbprint (hex, either case) starts with
// `thumbprint_prefix` into <dir>/trusted/; its new path. NotFound when none does,
// InvalidArgument when the prefix is not hex, is empty or fits more than one.
Result<std::filesystem::path> TrustRejected(const std::filesystem::path& pki_dir,
                                            std::string_view thumbprint_prefix);

}  // namespace fh::opcua
