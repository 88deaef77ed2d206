// ChannelSecurity (ua_channel_security.h) for Basic256Sha256 and Aes128_Sha256_RsaOaep in
// modes Sign and SignAndEncrypt: the client's side of a secure channel with a server whose
// certificate the caller has already checked (CheckServerCertificate, ua_cert_trust.h).
// (Declared here rather than in ua_security_policy.h: ua_channel_security.h includes that one.)
#pragma once

#include <memory>

#include "common/status.h"
#include "connect/opcua/ua_certificate.h"
#include "connect/opcua/ua_channel_security.h"
#include "connect/opcua/ua_security_policy.h"

namespace fh::opcua {

// The client's identity (certificate and private key) and the server's certificate (from
// its endpoint description). Both keys must be within the policy's sizes; the mode Sign or
// SignAndEncrypt. OPN chunks are signed and encrypted in either mode; an incoming OPN chunk
// must name the policy, carry exactly `server_certificate` and the client certificate's
// thumbprint. Incoming MSG/CLO chunks are accepted under the current token and, until the
// next ActivateToken, the previous one.
Result<std::unique_ptr<ChannelSecurity>> MakeRsaChannelSecurity(
    const SecurityPolicyProfile& policy, MessageSecurityMode mode,
    const ApplicationIdentity& client, const Certificate& server_certificate);

}  // namespace fh::opcua
