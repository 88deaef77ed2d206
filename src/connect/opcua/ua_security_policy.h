// The security policies factoryhub's secure channel speaks besides None, as data (OPC 10000-7
// security policy profiles: http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256 and
// #Aes128_Sha256_RsaOaep), and the channel keys derived from the two nonces (OPC 10000-6
// §6.7.5).
//
//                              Basic256Sha256            Aes128_Sha256_RsaOaep
//   asymmetric signature       RSA-PKCS1-v1_5-SHA256     RSA-PKCS1-v1_5-SHA256
//   asymmetric encryption      RSA-OAEP-SHA1             RSA-OAEP-SHA1
//   symmetric signature        HMAC-SHA256 (32 bytes)    HMAC-SHA256 (32 bytes)
//   symmetric encryption       AES-256-CBC               AES-128-CBC
//   key derivation             P_SHA256                  P_SHA256
//   signing / encrypting key   32 / 32 bytes, IV 16      32 / 16 bytes, IV 16
//   nonce                      32 bytes                  32 bytes
//   RSA key                    2048–4096 bits            2048–4096 bits
//   certificate signature      sha256WithRSAEncryption   sha256WithRSAEncryption
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "common/status.h"
#include "connect/opcua/ua_crypto.h"

namespace fh::opcua {

enum class SecurityPolicyKind { kBasic256Sha256, kAes128Sha256RsaOaep };

struct SecurityPolicyProfile {
  SecurityPolicyKind kind;
  std::string_view name;  // "Basic256Sha256"
  std::string_view uri;   // "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256"
  // Algorithm URIs (OPC 10000-7), as SignatureData and token encryption carry them.
  std::string_view asymmetric_signature_uri;         // xmldsig-more#rsa-sha256
  std::string_view asymmetric_encryption_uri;        // xmlenc#rsa-oaep
  std::string_view symmetric_signature_uri;          // xmldsig-more#hmac-sha256
  std::string_view symmetric_encryption_uri;         // xmlenc#aes256-cbc / #aes128-cbc
  std::string_view key_derivation_uri;               // ws-secureconversation dk/p_sha256
  std::string_view certificate_signature_algorithm;  // "sha256WithRSAEncryption"
  size_t signing_key_length;                         // 32 (DerivedSignatureKeyLength 256 bits)
  size_t encrypting_key_length;                      // 32 or 16
  size_t iv_length;                                  // 16, the AES block
  size_t symmetric_signature_size;                   // 32
  size_t nonce_length;                               // 32
  int min_asymmetric_key_bits;                       // 2048
  int max_asymmetric_key_bits;                       // 4096
};

inline constexpr std::string_view kSecurityPolicyNoneUri =
    "http://opcfoundation.org/UA/SecurityPolicy#None";
inline constexpr std::string_view kRsaSha256SignatureUri =
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr std::string_view kRsaOaepEncryptionUri =
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep";

const SecurityPolicyProfile& Basic256Sha256Profile();
const SecurityPolicyProfile& Aes128Sha256RsaOaepProfile();
// The two profiles, Basic256Sha256 first.
std::span<const SecurityPolicyProfile> SecurityPolicyProfiles();
// The profile of a policy URI; nullptr for None and for policies not supported (Basic128Rsa15,
// Basic256: deprecated; Aes256_Sha256_RsaPss: not implemented).
const SecurityPolicyProfile* FindSecurityPolicyProfile(std::string_view uri);
// The profile of a policy's short name ("Basic256Sha256"), case-insensitive; nullptr if none.
const SecurityPolicyProfile* FindSecurityPolicyProfileByName(std::string_view name);

// OK when an RSA key of `bits` is within the policy's sizes; InvalidArgument naming both.
Status CheckAsymmetricKeySize(const SecurityPolicyProfile& policy, int bits);

// A fresh random nonce of the policy's length (the ClientNonce of OpenSecureChannel).
Result<CryptoBytes> MakeChannelNonce(const SecurityPolicyProfile& policy);

// The symmetric keys of one direction of a channel, split from P_SHA256's output in this
// order: signing key, encrypting key, initialization vector.
struct SymmetricKeys {
  SecretBytes signing_key;
  SecretBytes encrypting_key;
  SecretBytes iv;
};

// P_SHA256(secret, seed) cut into the policy's key lengths.
Result<SymmetricKeys> DeriveSymmetricKeys(const SecurityPolicyProfile& policy, ByteView secret,
                                          ByteView seed);

// Both directions (OPC 10000-6 §6.7.5): the client's keys (what the client signs and
// encrypts with, and the server checks with) are P_SHA256(serverNonce, clientNonce); the
// server's are P_SHA256(clientNonce, serverNonce). Each nonce must have the policy's length.
struct ChannelKeys {
  SymmetricKeys client;
  SymmetricKeys server;
};
Result<ChannelKeys> DeriveChannelKeys(const SecurityPolicyProfile& policy, ByteView client_nonce,
                                      ByteView server_nonce);

}  // namespace fh::opcua
