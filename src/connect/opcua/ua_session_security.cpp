#include "connect/opcua/ua_session_security.h"

#include "common/ascii.h"
#include "connect/opcua/ua_security_policy.h"

namespace fh::opcua {

std::string_view SecurityModeName(MessageSecurityMode mode) {
  switch (mode) {
    case MessageSecurityMode::kNone:
      return "None";
    case MessageSecurityMode::kSign:
      return "Sign";
    case MessageSecurityMode::kSignAndEncrypt:
      return "SignAndEncrypt";
    case MessageSecurityMode::kInvalid:
      break;
  }
  return "Invalid";
}

Result<MessageSecurityMode> ParseSecurityMode(std::string_view name) {
  const std::string lower = AsciiLowered(name);
  if (lower == "none") return MessageSecurityMode::kNone;
  if (lower == "sign") return MessageSecurityMode::kSign;
  if (lower == "signandencrypt") return MessageSecurityMode::kSignAndEncrypt;
  return InvalidArgument("security mode '{}': None, Sign or SignAndEncrypt", name);
}

std::string SecurityPolicyName(std::string_view uri) {
  if (uri.empty() || uri == kSecurityPolicyNoneUri) return "None";
  if (const SecurityPolicyProfile* p = FindSecurityPolicyProfile(uri)) return std::string(p->name);
  const size_t hash = uri.rfind('#');
  return std::string(hash == std::string_view::npos ? uri : uri.substr(hash + 1));
}

bool IsSecurityPolicyNone(std::string_view policy) {
  return policy.empty() || AsciiLowered(policy) == "none" || policy == kSecurityPolicyNoneUri;
}

Result<const SecurityPolicyProfile*> ResolveSecurityPolicy(const ClientSecurity& security) {
  const std::string_view policy = security.policy;
  const bool none = IsSecurityPolicyNone(policy);
  const SecurityPolicyProfile* profile = nullptr;
  if (!none) {
    profile = policy.find("://") != std::string_view::npos
                  ? FindSecurityPolicyProfile(policy)
                  : FindSecurityPolicyProfileByName(policy);
    if (profile == nullptr) {
      return InvalidArgument(
          "OPC UA security policy '{}': None, Basic256Sha256 or Aes128_Sha256_RsaOaep", policy);
    }
  }
  if (none != (security.mode == MessageSecurityMode::kNone)) {
    return InvalidArgument(
        "OPC UA security {} with mode {}: policy None goes with mode None, the others with "
        "Sign or SignAndEncrypt",
        none ? "None" : std::string(profile->name), SecurityModeName(security.mode));
  }
  if (profile != nullptr && security.pki_dir.empty()) {
    return FailedPrecondition(
        "OPC UA security {}: no PKI folder for the client's certificate and the trusted servers",
        profile->name);
  }
  return profile;
}

Result<EndpointDescription> ChooseEndpoint(std::span<const EndpointDescription> endpoints,
                                           std::string_view policy_uri, MessageSecurityMode mode,
                                           std::string_view url) {
  std::string offered;
  for (const EndpointDescription& e : endpoints) {
    if (e.security_policy_uri == policy_uri && e.security_mode == mode) return e;
    offered +=
        fmt::format("{}{} {}", offered.empty() ? "" : ", ",
                    SecurityPolicyName(e.security_policy_uri), SecurityModeName(e.security_mode));
  }
  return NotFound("OPC UA server {} does not offer security {} {}; it offers: {}", url,
                  SecurityPolicyName(policy_uri), SecurityModeName(mode),
                  offered.empty() ? std::string("no endpoint") : offered);
}

std::string_view FirstCertificateDer(std::string_view certificates) {
  // A DER SEQUENCE: 0x30, then its length, short (< 0x80) or long (0x8N and N bytes).
  if (certificates.size() < 2 || static_cast<uint8_t>(certificates[0]) != 0x30) {
    return certificates;
  }
  const uint8_t first = static_cast<uint8_t>(certificates[1]);
  size_t header = 2, length = first;
  if (first & 0x80) {
    const size_t n = first & 0x7F;
    if (n == 0 || n > 4 || certificates.size() < 2 + n) return certificates;
    length = 0;
    for (size_t i = 0; i < n; ++i)
      length = (length << 8) | static_cast<uint8_t>(certificates[2 + i]);
    header += n;
  }
  if (header + length > certificates.size()) return certificates;
  return certificates.substr(0, header + length);
}

bool IsCertificateRefusal(StatusCode code) {
  const StatusCode c = code & 0xFFFF0000u;
  // BadCertificateInvalid (0x8012) .. BadCertificateIssuerRevoked (0x801E), with
  // BadSecurityChecksFailed (0x8013) and BadCertificateUntrusted (0x801A) among them;
  // BadSecurityPolicyRejected (0x8055).
  return (c >= 0x80120000u && c <= 0x801E0000u) || c == 0x80550000u;
}

std::string ShortStatusName(StatusCode code) {
  std::string name = StatusName(code);
  const size_t paren = name.find(" (0x");
  if (paren != std::string::npos && !name.starts_with("Bad (")) name.resize(paren);
  return name;
}

}  // namespace fh::opcua
