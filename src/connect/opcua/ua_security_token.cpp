#include "connect/opcua/ua_security_token.h"

#include <cstring>
#include <limits>

#include "connect/opcua/ua_security_policy.h"

namespace fh::opcua {

Result<TokenSignature> MakeClientSignature(const RsaKey& client_private,
                                           ByteView server_certificate_der, ByteView server_nonce) {
  CryptoBytes data(server_certificate_der.begin(), server_certificate_der.end());
  data.insert(data.end(), server_nonce.begin(), server_nonce.end());
  auto signature = RsaPkcs1Sha256Sign(client_private, data);
  if (!signature.ok()) return signature.status();
  return TokenSignature{std::string(kRsaSha256SignatureUri), std::move(signature).value()};
}

Status VerifyTokenSignature(const RsaKey& signer_public, ByteView certificate_der, ByteView nonce,
                            const TokenSignature& signature) {
  if (signature.algorithm != kRsaSha256SignatureUri) {
    return Unauthenticated("signature algorithm '{}' ({} expected)", signature.algorithm,
                           kRsaSha256SignatureUri);
  }
  CryptoBytes data(certificate_der.begin(), certificate_der.end());
  data.insert(data.end(), nonce.begin(), nonce.end());
  return RsaPkcs1Sha256Verify(signer_public, data, signature.signature);
}

Result<EncryptedSecret> EncryptUserPassword(const RsaKey& server_public, std::string_view password,
                                            ByteView server_nonce) {
  const size_t length = password.size() + server_nonce.size();
  if (length > std::numeric_limits<uint32_t>::max() - 4) {
    return InvalidArgument("user password: too long");
  }
  SecretBytes plain(4 + length);
  for (int i = 0; i < 4; ++i)
    plain[i] = static_cast<uint8_t>(length >> (8 * i));
  if (!password.empty()) std::memcpy(plain.data() + 4, password.data(), password.size());
  if (!server_nonce.empty()) {
    std::memcpy(plain.data() + 4 + password.size(), server_nonce.data(), server_nonce.size());
  }
  auto data = RsaOaepSha1Encrypt(server_public, plain.view());
  if (!data.ok()) return data.status();
  return EncryptedSecret{std::move(data).value(), std::string(kRsaOaepEncryptionUri)};
}

Result<SecretBytes> DecryptUserPassword(const RsaKey& server_private, ByteView encrypted,
                                        ByteView server_nonce) {
  auto plain = RsaOaepSha1Decrypt(server_private, encrypted);
  if (!plain.ok()) return plain.status();
  if (plain->size() < 4) return Unauthenticated("user password: no length");
  uint32_t length = 0;
  for (int i = 3; i >= 0; --i)
    length = (length << 8) | (*plain)[static_cast<size_t>(i)];
  if (length != plain->size() - 4 || length < server_nonce.size()) {
    return Unauthenticated("user password: length {} for {} bytes", length, plain->size() - 4);
  }
  const size_t password_size = length - server_nonce.size();
  if (!ConstantTimeEqual(plain->view().subspan(4 + password_size), server_nonce)) {
    return Unauthenticated("user password: not made with this server nonce");
  }
  return plain->Slice(4, password_size);
}

}  // namespace fh::opcua
