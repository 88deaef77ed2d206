// The cryptographic primitives OPC UA's secure channel uses (OPC 10000-6 §6.7, OPC 10000-7
// security policy profiles), over OpenSSL 3's EVP interfaces: random bytes, SHA-1 and
// SHA-256, HMAC-SHA256, P_SHA256 (the TLS 1.2 PRF's P_hash, RFC 5246 §5), AES-CBC without
// padding (OPC UA pads itself), RSA PKCS#1 v1.5 signatures with SHA-256 and RSA-OAEP with
// SHA-1 block by block. No exceptions: every fallible call returns a Status or a Result.
// Secrets live in SecretBytes, wiped with OPENSSL_cleanse when freed; comparisons of
// secrets and MACs are constant time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "common/status.h"

namespace fh::opcua {

using CryptoBytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline constexpr size_t kSha1Size = 20;
inline constexpr size_t kSha256Size = 32;
inline constexpr size_t kAesBlockSize = 16;
// RSA-OAEP with SHA-1 takes 2·20 + 2 bytes of each block (RFC 8017 §7.1.1).
inline constexpr size_t kRsaOaepSha1Overhead = 42;

// Bytes that are wiped when freed or overwritten: keys, key material, decrypted secrets.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : bytes_(size) {}
  explicit SecretBytes(ByteView bytes) : bytes_(bytes.begin(), bytes.end()) {}
  SecretBytes(const SecretBytes& other) : bytes_(other.bytes_) {}
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes() { Wipe(); }

  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  uint8_t& operator[](size_t i) { return bytes_[i]; }
  uint8_t operator[](size_t i) const { return bytes_[i]; }
  ByteView view() const { return bytes_; }
  std::span<uint8_t> span() { return bytes_; }
  // Keeps the first `size` bytes (no reallocation; the rest is wiped first).
  void Truncate(size_t size);
  // A copy of bytes [offset, offset + size).
  SecretBytes Slice(size_t offset, size_t size) const;

 private:
  void Wipe();
  std::vector<uint8_t> bytes_;
};

// Constant-time equality (the lengths are not secret: different lengths compare unequal).
bool ConstantTimeEqual(ByteView a, ByteView b);

// Cryptographically strong random bytes (nonces, keys).
Result<CryptoBytes> RandomBytes(size_t size);

Result<std::array<uint8_t, kSha1Size>> Sha1(ByteView data);
Result<std::array<uint8_t, kSha256Size>> Sha256(ByteView data);
// Lower-case hex of bytes; and back (any case; an error on odd lengths or non-hex digits).
std::string ToHex(ByteView bytes);
Result<CryptoBytes> FromHex(std::string_view hex);

// HMAC-SHA256 of the concatenation of `parts`.
Result<std::array<uint8_t, kSha256Size>> HmacSha256(ByteView key,
                                                    std::initializer_list<ByteView> parts);

// P_SHA256(secret, seed) of RFC 5246 §5: HMAC_SHA256(secret, A(i) + seed) for A(0) = seed,
// A(i) = HMAC_SHA256(secret, A(i-1)), cut to `length` bytes. OPC 10000-6 §6.7.5 derives the
// channel keys with it (no label: the TLS PRF puts its label in front of the seed).
Result<SecretBytes> PSha256(ByteView secret, ByteView seed, size_t length);

// AES-CBC in place, no padding: `data` must be a whole number of 16-byte blocks; the key is
// 16 (AES-128) or 32 (AES-256) bytes, the IV 16.
Status AesCbcEncrypt(ByteView key, ByteView iv, std::span<uint8_t> data);
Status AesCbcDecrypt(ByteView key, ByteView iv, std::span<uint8_t> data);

// An RSA key pair, or only its public half (from a certificate). Copies share the key
// (OpenSSL counts its references; a key is never changed once made).
class RsaKey {
 public:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };

  RsaKey() = default;
  RsaKey(const RsaKey& other);
  RsaKey& operator=(const RsaKey& other);
  RsaKey(RsaKey&&) noexcept = default;
  RsaKey& operator=(RsaKey&&) noexcept = default;
  // Adopts `key` (owned from now on): an error unless it is RSA.
  static Result<RsaKey> Adopt(EVP_PKEY* key, bool has_private);
  static Result<RsaKey> Generate(int bits);
  // A private key in PEM (PKCS#8 or traditional); no passphrase.
  static Result<RsaKey> FromPrivatePem(ByteView pem);
  // The key's private half as unencrypted PKCS#8 PEM (a secret).
  Result<SecretBytes> PrivatePem() const;
  // A key with only this key's public half.
  Result<RsaKey> PublicOnly() const;

  bool valid() const { return key_ != nullptr; }
  bool has_private() const { return has_private_; }
  int bits() const;
  size_t size_bytes() const { return static_cast<size_t>((bits() + 7) / 8); }
  EVP_PKEY* get() const { return key_.get(); }
  // Whether both hold the same public key.
  bool SamePublicKey(const RsaKey& other) const;

 private:
  std::unique_ptr<EVP_PKEY, Free> key_;
  bool has_private_ = false;
};

// RSASSA-PKCS1-v1_5 with SHA-256 (http://www.w3.org/2001/04/xmldsig-more#rsa-sha256): a
// signature of the key's size.
Result<CryptoBytes> RsaPkcs1Sha256Sign(const RsaKey& private_key, ByteView data);
// OK, or Unauthenticated when the signature does not verify.
Status RsaPkcs1Sha256Verify(const RsaKey& public_key, ByteView data, ByteView signature);

// RSA-OAEP with SHA-1 and MGF1-SHA-1 (http://www.w3.org/2001/04/xmlenc#rsa-oaep), block by
// block: each plaintext block of up to key bytes − 42 becomes one ciphertext block of key
// bytes.
size_t RsaOaepSha1PlainTextBlockSize(const RsaKey& key);
Result<CryptoBytes> RsaOaepSha1Encrypt(const RsaKey& public_key, ByteView plaintext);
// The ciphertext must be a whole number of key-size blocks.
Result<SecretBytes> RsaOaepSha1Decrypt(const RsaKey& private_key, ByteView ciphertext);

// The text of OpenSSL's error queue (emptied), for messages: "" when it is empty.
std::string OpenSslErrors();

}  // namespace fh::opcua
