// What ActivateSession needs of cryptography (OPC 10000-4 §5.6.3, §7.36): the client's
// signature over the server's certificate and nonce, and a user name token's password
// encrypted in the legacy secret format (OPC 10000-4 §7.36.2.2 / 7.40.2.2): a UInt32 length
// (little-endian, of the password and the nonce), the password, the server nonce, encrypted
// with the server certificate's key by RSA-OAEP-SHA1 (http://www.w3.org/2001/04/xmlenc#rsa-oaep).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/opcua/ua_crypto.h"

namespace fh::opcua {

// SignatureData's two fields.
struct TokenSignature {
  std::string algorithm;  // http://www.w3.org/2001/04/xmldsig-more#rsa-sha256
  CryptoBytes signature;
};

// ActivateSession's ClientSignature: RSA-PKCS1-SHA256 over serverCertificate ‖ serverNonce
// with the client's private key.
Result<TokenSignature> MakeClientSignature(const RsaKey& client_private,
                                           ByteView server_certificate_der, ByteView server_nonce);

// Checks such a signature (the server's side; CreateSession's ServerSignature is checked the
// same way over clientCertificate ‖ clientNonce with the server's key).
Status VerifyTokenSignature(const RsaKey& signer_public, ByteView certificate_der, ByteView nonce,
                            const TokenSignature& signature);

// A UserNameIdentityToken's password and its EncryptionAlgorithm URI.
struct EncryptedSecret {
  CryptoBytes data;
  std::string algorithm;  // http://www.w3.org/2001/04/xmlenc#rsa-oaep
};
Result<EncryptedSecret> EncryptUserPassword(const RsaKey& server_public, std::string_view password,
                                            ByteView server_nonce);

// The reverse, as a server does: decrypts with the private key, checks the length and that the
// secret ends with `server_nonce`, and returns the password (a secret).
Result<SecretBytes> DecryptUserPassword(const RsaKey& server_private, ByteView encrypted,
                                        ByteView server_nonce);

}  // namespace fh::opcua
