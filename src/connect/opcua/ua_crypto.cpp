#include "connect/opcua/ua_crypto.h"

#include <climits>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "common/hex.h"
#include "connect/opcua/ua_crypto_detail.h"

namespace fh::opcua {

namespace crypto_detail {

Status OpenSslFailure(std::string_view what) {
  const std::string errors = OpenSslErrors();
  return Internal("{}{}{}", what, errors.empty() ? "" : ": ", errors);
}

namespace {

// OpenSSL counts in int: larger inputs are refused rather than truncated.
bool FitsOpenSslInt(size_t n) {
  return n <= static_cast<size_t>(INT_MAX);
}

Status AesCbc(ByteView key, ByteView iv, std::span<uint8_t> data, bool encrypt) {
  const EVP_CIPHER* cipher = key.size() == 16   ? EVP_aes_128_cbc()
                             : key.size() == 32 ? EVP_aes_256_cbc()
                                                : nullptr;
  if (cipher == nullptr) {
    return InvalidArgument("AES-CBC: a key of {} bytes (16 or 32 expected)", key.size());
  }
  if (iv.size() != kAesBlockSize) {
    return InvalidArgument("AES-CBC: an IV of {} bytes (16 expected)", iv.size());
  }
  if (data.size() % kAesBlockSize != 0 || !FitsOpenSslInt(data.size())) {
    return InvalidArgument("AES-CBC: {} bytes are not a whole number of 16-byte blocks",
                           data.size());
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), iv.data(), encrypt ? 1 : 0, nullptr) != 1) {
    return OpenSslFailure("AES-CBC: setting up the cipher");
  }
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  int out = 0, final_out = 0;
  if (EVP_CipherUpdate(ctx.get(), data.data(), &out, data.data(), static_cast<int>(data.size())) !=
          1 ||
      EVP_CipherFinal_ex(ctx.get(), data.data() + out, &final_out) != 1 ||
      static_cast<size_t>(out + final_out) != data.size()) {
    return OpenSslFailure(encrypt ? "AES-CBC: encrypting" : "AES-CBC: decrypting");
  }
  return Status::Ok();
}

// Sets RSA-OAEP with SHA-1 and MGF1-SHA-1 on a context set up for encrypting or decrypting.
bool SetOaepSha1(EVP_PKEY_CTX* ctx) {
  return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha1()) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha1()) == 1;
}

// A passphrase callback that gives none: an encrypted key fails instead of prompting.
int NoPassphrase(char*, int, int, void*) {
  return 0;
}

}  // namespace
}  // namespace crypto_detail

// --- SecretBytes ----------------------------------------------------------------------------

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    Wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

void SecretBytes::Truncate(size_t size) {
  if (size >= bytes_.size()) return;
  OPENSSL_cleanse(bytes_.data() + size, bytes_.size() - size);
  bytes_.resize(size);  // shrinking never reallocates
}

SecretBytes SecretBytes::Slice(size_t offset, size_t size) const {
  if (offset > bytes_.size()) return SecretBytes();
  return SecretBytes(view().subspan(offset, std::min(size, bytes_.size() - offset)));
}

void SecretBytes::Wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

// --- Hashes, MACs, random -------------------------------------------------------------------

bool ConstantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<CryptoBytes> RandomBytes(size_t size) {
  CryptoBytes out(size);
  if (size > 0 && (!crypto_detail::FitsOpenSslInt(size) ||
                   RAND_bytes(out.data(), static_cast<int>(size)) != 1)) {
    return crypto_detail::OpenSslFailure("random bytes");
  }
  return out;
}

Result<std::array<uint8_t, kSha1Size>> Sha1(ByteView data) {
  std::array<uint8_t, kSha1Size> out{};
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_sha1(), nullptr) != 1 ||
      n != out.size()) {
    return crypto_detail::OpenSslFailure("SHA-1");
  }
  return out;
}

Result<std::array<uint8_t, kSha256Size>> Sha256(ByteView data) {
  std::array<uint8_t, kSha256Size> out{};
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_sha256(), nullptr) != 1 ||
      n != out.size()) {
    return crypto_detail::OpenSslFailure("SHA-256");
  }
  return out;
}

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

Result<CryptoBytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgument("hex: an odd number of digits ({})", hex.size());
  CryptoBytes out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexDigitValue(hex[i]), lo = HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgument("hex: not a hex digit at offset {}", i);
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

Result<std::array<uint8_t, kSha256Size>> HmacSha256(ByteView key,
                                                    std::initializer_list<ByteView> parts) {
  if (key.empty()) return InvalidArgument("HMAC-SHA256: an empty key");
  crypto_detail::MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  crypto_detail::MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
                               OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) {
    return crypto_detail::OpenSslFailure("HMAC-SHA256: setting up");
  }
  for (ByteView part : parts) {
    if (!part.empty() && EVP_MAC_update(ctx.get(), part.data(), part.size()) != 1) {
      return crypto_detail::OpenSslFailure("HMAC-SHA256");
    }
  }
  std::array<uint8_t, kSha256Size> out{};
  size_t n = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &n, out.size()) != 1 || n != out.size()) {
    return crypto_detail::OpenSslFailure("HMAC-SHA256");
  }
  return out;
}

Result<SecretBytes> PSha256(ByteView secret, ByteView seed, size_t length) {
  SecretBytes out(length);
  SecretBytes a(seed);  // A(0) = seed
  size_t written = 0;
  while (written < length) {
    // A(i) = HMAC(secret, A(i-1)); output block = HMAC(secret, A(i) + seed).
    auto next_a = HmacSha256(secret, {a.view()});
    if (!next_a.ok()) return next_a.status();
    a = SecretBytes(ByteView(*next_a));
    OPENSSL_cleanse(next_a->data(), next_a->size());
    auto block = HmacSha256(secret, {a.view(), seed});
    if (!block.ok()) return block.status();
    const size_t n = std::min(block->size(), length - written);
    std::memcpy(out.data() + written, block->data(), n);
    OPENSSL_cleanse(block->data(), block->size());
    written += n;
  }
  return out;
}

Status AesCbcEncrypt(ByteView key, ByteView iv, std::span<uint8_t> data) {
  return crypto_detail::AesCbc(key, iv, data, true);
}

Status AesCbcDecrypt(ByteView key, ByteView iv, std::span<uint8_t> data) {
  return crypto_detail::AesCbc(key, iv, data, false);
}

// --- RSA keys -------------------------------------------------------------------------------

void RsaKey::Free::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);  // clears the private key's numbers as it frees them
}

RsaKey::RsaKey(const RsaKey& other) : has_private_(other.has_private_) {
  if (other.key_ && EVP_PKEY_up_ref(other.key_.get()) == 1) key_.reset(other.key_.get());
}

RsaKey& RsaKey::operator=(const RsaKey& other) {
  if (this != &other) *this = RsaKey(other);
  return *this;
}

Result<RsaKey> RsaKey::Adopt(EVP_PKEY* key, bool has_private) {
  RsaKey k;
  k.key_.reset(key);
  if (key == nullptr) return InvalidArgument("RSA key: no key");
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    return InvalidArgument("not an RSA key but {}", OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
  }
  k.has_private_ = has_private;
  return k;
}

Result<RsaKey> RsaKey::Generate(int bits) {
  crypto_detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return crypto_detail::OpenSslFailure(fmt::format("generating an RSA key of {} bits", bits));
  }
  return Adopt(key, true);
}

Result<RsaKey> RsaKey::FromPrivatePem(ByteView pem) {
  if (!crypto_detail::FitsOpenSslInt(pem.size()))
    return InvalidArgument("private key PEM: too large");
  crypto_detail::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key =
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, crypto_detail::NoPassphrase, nullptr)
          : nullptr;
  if (key == nullptr) {
    const std::string errors = OpenSslErrors();
    return InvalidArgument("not a readable unencrypted private key PEM{}{}",
                           errors.empty() ? "" : ": ", errors);
  }
  return Adopt(key, true);
}

Result<SecretBytes> RsaKey::PrivatePem() const {
  if (!key_ || !has_private_) return FailedPrecondition("RSA key: no private key to write");
  crypto_detail::BioPtr bio(BIO_new(BIO_s_secmem()));  // the secure heap: cleared when freed
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return crypto_detail::OpenSslFailure("writing the private key as PEM");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  if (n <= 0 || data == nullptr)
    return crypto_detail::OpenSslFailure("writing the private key as PEM");
  return SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(n)));
}

Result<RsaKey> RsaKey::PublicOnly() const {
  if (!key_) return FailedPrecondition("RSA key: no key");
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key_.get(), &der);
  if (n <= 0) return crypto_detail::OpenSslFailure("encoding the public key");
  const unsigned char* p = der;
  EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, n);
  OPENSSL_free(der);
  if (pub == nullptr) return crypto_detail::OpenSslFailure("decoding the public key");
  return Adopt(pub, false);
}

int RsaKey::bits() const {
  return key_ ? EVP_PKEY_get_bits(key_.get()) : 0;
}

bool RsaKey::SamePublicKey(const RsaKey& other) const {
  return key_ && other.key_ && EVP_PKEY_eq(key_.get(), other.key_.get()) == 1;
}

// --- RSA signatures and encryption ----------------------------------------------------------

Result<CryptoBytes> RsaPkcs1Sha256Sign(const RsaKey& private_key, ByteView data) {
  if (!private_key.has_private()) return FailedPrecondition("RSA signature: no private key");
  crypto_detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, private_key.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return crypto_detail::OpenSslFailure("RSA-PKCS1-SHA256: setting up");
  }
  size_t n = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &n, data.data(), data.size()) != 1) {
    return crypto_detail::OpenSslFailure("RSA-PKCS1-SHA256: signing");
  }
  CryptoBytes signature(n);
  if (EVP_DigestSign(ctx.get(), signature.data(), &n, data.data(), data.size()) != 1) {
    return crypto_detail::OpenSslFailure("RSA-PKCS1-SHA256: signing");
  }
  signature.resize(n);
  return signature;
}

Status RsaPkcs1Sha256Verify(const RsaKey& public_key, ByteView data, ByteView signature) {
  if (!public_key.valid()) return FailedPrecondition("RSA signature: no key");
  crypto_detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, public_key.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return crypto_detail::OpenSslFailure("RSA-PKCS1-SHA256: setting up");
  }
  const int rc =
      EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size());
  ERR_clear_error();
  if (rc != 1) return Unauthenticated("RSA-PKCS1-SHA256: the signature does not verify");
  return Status::Ok();
}

size_t RsaOaepSha1PlainTextBlockSize(const RsaKey& key) {
  const size_t n = key.size_bytes();
  return n > kRsaOaepSha1Overhead ? n - kRsaOaepSha1Overhead : 0;
}

Result<CryptoBytes> RsaOaepSha1Encrypt(const RsaKey& public_key, ByteView plaintext) {
  const size_t block = RsaOaepSha1PlainTextBlockSize(public_key);
  const size_t cipher_block = public_key.size_bytes();
  if (block == 0) return FailedPrecondition("RSA-OAEP: no usable key");
  crypto_detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, public_key.get(), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 || !crypto_detail::SetOaepSha1(ctx.get())) {
    return crypto_detail::OpenSslFailure("RSA-OAEP-SHA1: setting up");
  }
  const size_t blocks = (plaintext.size() + block - 1) / block;
  CryptoBytes out(blocks * cipher_block);
  for (size_t i = 0; i < blocks; ++i) {
    const ByteView in = plaintext.subspan(i * block, std::min(block, plaintext.size() - i * block));
    size_t n = cipher_block;
    if (EVP_PKEY_encrypt(ctx.get(), out.data() + i * cipher_block, &n, in.data(), in.size()) != 1 ||
        n != cipher_block) {
      return crypto_detail::OpenSslFailure("RSA-OAEP-SHA1: encrypting");
    }
  }
  return out;
}

Result<SecretBytes> RsaOaepSha1Decrypt(const RsaKey& private_key, ByteView ciphertext) {
  if (!private_key.has_private()) return FailedPrecondition("RSA-OAEP: no private key");
  const size_t cipher_block = private_key.size_bytes();
  if (cipher_block == 0 || ciphertext.size() % cipher_block != 0) {
    return Unauthenticated("RSA-OAEP-SHA1: {} bytes are not a whole number of {}-byte blocks",
                           ciphertext.size(), cipher_block);
  }
  crypto_detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, private_key.get(), nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 || !crypto_detail::SetOaepSha1(ctx.get())) {
    return crypto_detail::OpenSslFailure("RSA-OAEP-SHA1: setting up");
  }
  const size_t blocks = ciphertext.size() / cipher_block;
  SecretBytes out(blocks * cipher_block);
  size_t written = 0;
  for (size_t i = 0; i < blocks; ++i) {
    size_t n = cipher_block;
    if (EVP_PKEY_decrypt(ctx.get(), out.data() + written, &n, ciphertext.data() + i * cipher_block,
                         cipher_block) != 1) {
      ERR_clear_error();
      return Unauthenticated("RSA-OAEP-SHA1: block {} of {} does not decrypt", i + 1, blocks);
    }
    written += n;
  }
  out.Truncate(written);
  return out;
}

std::string OpenSslErrors() {
  std::string text;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
  }
  return text;
}

}  // namespace fh::opcua
