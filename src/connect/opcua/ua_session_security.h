// What the client needs to open a secured channel and session beyond the channel itself
// (OPC 10000-4 §5.4.4, §5.6.2–5.6.3): the security a caller asked for, by name or URI; the
// endpoint of that policy and mode among those GetEndpoints returned; and the messages a
// person sees when the server or this hub refuses the other's certificate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/opcua/status_code.h"
#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_session_services.h"

namespace fh::opcua {

// The security of a connection.
struct ClientSecurity {
  // None, Basic256Sha256 or Aes128_Sha256_RsaOaep: the short name (any case) or the URI.
  std::string policy = "None";
  // None with policy None; Sign or SignAndEncrypt with the others.
  MessageSecurityMode mode = MessageSecurityMode::kNone;
  // The PKI folder (ua_certificate.h): the client's certificate, made on first use, in own/;
  // the servers it trusts in trusted/, those it refused in rejected/. Needed unless None.
  std::string pki_dir;
  // An untrusted server certificate is refused (and saved in rejected/): no trust on first
  // use. False accepts it for this connection only (never written to trusted/).
  bool refuse_untrusted_server = true;
};

// "None", "Sign", "SignAndEncrypt".
std::string_view SecurityModeName(MessageSecurityMode mode);
// The mode named (any case); InvalidArgument otherwise.
Result<MessageSecurityMode> ParseSecurityMode(std::string_view name);
// "Basic256Sha256" for its URI; the URI's fragment (or the URI) for other policies.
std::string SecurityPolicyName(std::string_view uri);

// Whether a policy (name in any case, URI, or empty) is None.
bool IsSecurityPolicyNone(std::string_view policy);

// The policy's profile (nullptr for None) after checking that policy and mode go together.
Result<const SecurityPolicyProfile*> ResolveSecurityPolicy(const ClientSecurity& security);

// The endpoint with this policy URI and mode; NotFound naming what the server offers.
Result<EndpointDescription> ChooseEndpoint(std::span<const EndpointDescription> endpoints,
                                           std::string_view policy_uri, MessageSecurityMode mode,
                                           std::string_view url);

// The first certificate of a ServerCertificate field (a server may send its chain: DER
// certificates one after the other); the field itself when it does not parse as DER.
std::string_view FirstCertificateDer(std::string_view certificates);

// Whether a status code says a certificate or the channel's security was refused
// (BadCertificate*, BadSecurityChecksFailed, BadSecurityPolicyRejected).
bool IsCertificateRefusal(StatusCode code);

// A status code's name without its hex value: "BadSecurityChecksFailed".
std::string ShortStatusName(StatusCode code);

}  // namespace fh::opcua
