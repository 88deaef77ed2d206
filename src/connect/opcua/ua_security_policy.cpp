#include "connect/opcua/ua_security_policy.h"

#include <array>

#include "common/ascii.h"

namespace fh::opcua {

namespace security_policy_detail {
namespace {

constexpr std::array<SecurityPolicyProfile, 2> kProfiles = {{
    {
        .kind = SecurityPolicyKind::kBasic256Sha256,
        .name = "Basic256Sha256",
        .uri = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
        .asymmetric_signature_uri = kRsaSha256SignatureUri,
        .asymmetric_encryption_uri = kRsaOaepEncryptionUri,
        .symmetric_signature_uri = "http://www.w3.org/2000/09/xmldsig#hmac-sha256",
        .symmetric_encryption_uri = "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        .key_derivation_uri =
            "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/dk/p_sha256",
        .certificate_signature_algorithm = "sha256WithRSAEncryption",
        .signing_key_length = 32,
        .encrypting_key_length = 32,
        .iv_length = kAesBlockSize,
        .symmetric_signature_size = kSha256Size,
        .nonce_length = 32,
        .min_asymmetric_key_bits = 2048,
        .max_asymmetric_key_bits = 4096,
    },
    {
        .kind = SecurityPolicyKind::kAes128Sha256RsaOaep,
        .name = "Aes128_Sha256_RsaOaep",
        .uri = "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep",
        .asymmetric_signature_uri = kRsaSha256SignatureUri,
        .asymmetric_encryption_uri = kRsaOaepEncryptionUri,
        .symmetric_signature_uri = "http://www.w3.org/2000/09/xmldsig#hmac-sha256",
        .symmetric_encryption_uri = "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
        .key_derivation_uri =
            "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512/dk/p_sha256",
        .certificate_signature_algorithm = "sha256WithRSAEncryption",
        .signing_key_length = 32,
        .encrypting_key_length = 16,
        .iv_length = kAesBlockSize,
        .symmetric_signature_size = kSha256Size,
        .nonce_length = 32,
        .min_asymmetric_key_bits = 2048,
        .max_asymmetric_key_bits = 4096,
    },
}};

}  // namespace
}  // namespace security_policy_detail

const SecurityPolicyProfile& Basic256Sha256Profile() {
  return security_policy_detail::kProfiles[0];
}

const SecurityPolicyProfile& Aes128Sha256RsaOaepProfile() {
  return security_policy_detail::kProfiles[1];
}

std::span<const SecurityPolicyProfile> SecurityPolicyProfiles() {
  return security_policy_detail::kProfiles;
}

const SecurityPolicyProfile* FindSecurityPolicyProfile(std::string_view uri) {
  for (const SecurityPolicyProfile& p : security_policy_detail::kProfiles) {
    if (p.uri == uri) return &p;
  }
  return nullptr;
}

const SecurityPolicyProfile* FindSecurityPolicyProfileByName(std::string_view name) {
  for (const SecurityPolicyProfile& p : security_policy_detail::kProfiles) {
    if (p.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = AsciiLower(p.name[i]) == AsciiLower(name[i]);
    }
    if (same) return &p;
  }
  return nullptr;
}

Status CheckAsymmetricKeySize(const SecurityPolicyProfile& policy, int bits) {
  if (bits < policy.min_asymmetric_key_bits || bits > policy.max_asymmetric_key_bits) {
    return InvalidArgument("an RSA key of {} bits: {} takes {} to {} bits", bits, policy.name,
                           policy.min_asymmetric_key_bits, policy.max_asymmetric_key_bits);
  }
  return Status::Ok();
}

Result<CryptoBytes> MakeChannelNonce(const SecurityPolicyProfile& policy) {
  return RandomBytes(policy.nonce_length);
}

Result<SymmetricKeys> DeriveSymmetricKeys(const SecurityPolicyProfile& policy, ByteView secret,
                                          ByteView seed) {
  const size_t sign = policy.signing_key_length, enc = policy.encrypting_key_length,
               iv = policy.iv_length;
  auto material = PSha256(secret, seed, sign + enc + iv);
  if (!material.ok()) return material.status();
  SymmetricKeys keys;
  keys.signing_key = material->Slice(0, sign);
  keys.encrypting_key = material->Slice(sign, enc);
  keys.iv = material->Slice(sign + enc, iv);
  return keys;
}

Result<ChannelKeys> DeriveChannelKeys(const SecurityPolicyProfile& policy, ByteView client_nonce,
                                      ByteView server_nonce) {
  if (client_nonce.size() != policy.nonce_length || server_nonce.size() != policy.nonce_length) {
    return InvalidArgument("{}: nonces of {} (client) and {} (server) bytes; {} expected",
                           policy.name, client_nonce.size(), server_nonce.size(),
                           policy.nonce_length);
  }
  ChannelKeys keys;
  {
    auto client = DeriveSymmetricKeys(policy, server_nonce, client_nonce);
    if (!client.ok()) return client.status();
    keys.client = std::move(client).value();
  }
  {
    auto server = DeriveSymmetricKeys(policy, client_nonce, server_nonce);
    if (!server.ok()) return server.status();
    keys.server = std::move(server).value();
  }
  return keys;
}

}  // namespace fh::opcua
