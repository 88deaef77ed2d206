// What a secure channel's security policy does to each chunk (OPC 10000-6 §6.7.2), behind
// one interface so that the chunking code does not know which policy is in use.
//
// A chunk is [message header | security header | sequence header | body | padding |
// signature]. Signed: everything before the signature. Encrypted: from the sequence header
// to the end. OPN chunks use the asymmetric algorithms (the certificates in their security
// header), MSG and CLO the symmetric keys derived from both nonces for a token id.
// Implementations: SecurityNone here; Basic256Sha256 and Aes128_Sha256_RsaOaep (OpenSSL)
// in ua_security_policy.*.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connect/opcua/ua_security_policy.h"  // kSecurityPolicyNoneUri
#include "connect/opcua/ua_transport.h"

namespace fh::opcua {

// MessageSecurityMode (OPC 10000-4 §7.20), as encoded.
enum class MessageSecurityMode : int32_t {
  kInvalid = 0,
  kNone = 1,
  kSign = 2,
  kSignAndEncrypt = 3,
};

// Which keys a chunk is protected with.
enum class SecurityKind {
  kAsymmetric,  // OPN
  kSymmetric,   // MSG, CLO
};

class ChannelSecurity {
 public:
  virtual ~ChannelSecurity() = default;

  virtual std::string_view policy_uri() const = 0;
  virtual MessageSecurityMode mode() const = 0;

  // The asymmetric security header of the client's OPN chunks: the policy, the client's
  // certificate (DER) and the SHA-1 thumbprint of the server's. Empty for None.
  virtual AsymmetricSecurityHeader LocalAsymmetricHeader() const = 0;

  // The ClientNonce of an OpenSecureChannel request (the policy's nonce length of random
  // bytes; empty for None).
  virtual Result<std::string> MakeLocalNonce() = 0;
  // After the OpenSecureChannel response: derives the keys of `token_id` from both nonces.
  // The previous token's keys stay valid for incoming chunks until the next call (a server
  // may still use them for a while after a renewal, §6.7.4).
  virtual Status ActivateToken(uint32_t token_id, std::string_view local_nonce,
                               std::string_view remote_nonce) = 0;

  // The largest body that fits in a chunk of at most `chunk_size` bytes whose headers up to
  // the sequence header take `header_size` bytes: what remains after the sequence header,
  // padding and signature, rounded down to whole encryption blocks.
  virtual size_t MaxBodySize(SecurityKind kind, size_t chunk_size, size_t header_size) const = 0;

  // Completes an outgoing chunk in place. `chunk` holds [message header | security header
  // | sequence header | body], the security header ending at `security_header_end`. Appends
  // the padding and the signature, writes the final MessageSize (after encryption) into the
  // header, signs [0, end of padding) and encrypts [security_header_end, end).
  virtual Status SecureChunk(SecurityKind kind, uint32_t token_id, size_t security_header_end,
                             std::vector<uint8_t>* chunk) = 0;

  // Checks an incoming chunk in place: decrypts [security_header_end, end), verifies the
  // signature (of an OPN chunk against `header.asymmetric`'s sender certificate), and
  // returns how many bytes from security_header_end are sequence header and body (padding
  // and signature removed). A chunk that fails is refused with Unauthenticated.
  virtual Result<size_t> OpenChunk(SecurityKind kind, const ChunkHeader& header,
                                   std::span<uint8_t> chunk) = 0;
};

// Policy None (mode None): no padding, no signature, no nonce; an incoming OPN chunk must
// name the None policy.
class SecurityNone final : public ChannelSecurity {
 public:
  std::string_view policy_uri() const override { return kSecurityPolicyNoneUri; }
  MessageSecurityMode mode() const override { return MessageSecurityMode::kNone; }
  AsymmetricSecurityHeader LocalAsymmetricHeader() const override;
  Result<std::string> MakeLocalNonce() override { return std::string(); }
  Status ActivateToken(uint32_t, std::string_view, std::string_view) override {
    return Status::Ok();
  }
  size_t MaxBodySize(SecurityKind kind, size_t chunk_size, size_t header_size) const override;
  Status SecureChunk(SecurityKind kind, uint32_t token_id, size_t security_header_end,
                     std::vector<uint8_t>* chunk) override;
  Result<size_t> OpenChunk(SecurityKind kind, const ChunkHeader& header,
                           std::span<uint8_t> chunk) override;
};

}  // namespace fh::opcua
