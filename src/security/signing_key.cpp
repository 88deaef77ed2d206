#include "security/signing_key.h"

#include <sodium.h>

#include "security/api_token.h"
#include "security/key_file.h"
#include "security/merkle.h"
#include "security/sodium_init.h"

namespace fh::security {

namespace fs = std::filesystem;

SigningKey SigningKey::Generate() {
  EnsureSodium();
  SigningKey k;
  crypto_sign_keypair(k.public_.data(), k.secret_.data());
  return k;
}

Result<SigningKey> SigningKey::LoadOrCreate(const fs::path& path) {
  static_assert(crypto_sign_SEEDBYTES == sizeof(KeySeed));
  FH_ASSIGN_OR_RETURN(KeySeed seed, LoadOrCreateKeySeed(path, "a signing key"));
  SigningKey k;
  crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return k;
}

SigningKey::~SigningKey() {
  sodium_memzero(secret_.data(), secret_.size());
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  secret_ = other.secret_;
  public_ = other.public_;
  sodium_memzero(other.secret_.data(), other.secret_.size());
  return *this;
}

Signature SigningKey::Sign(std::string_view message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return sig;
}

std::string SigningKey::id() const {
  const Hash h =
      Sha256(std::string_view(reinterpret_cast<const char*>(public_.data()), public_.size()));
  return HashHex(h).substr(0, 16);
}

Result<Signature> SignatureFromHex(std::string_view hex) {
  Signature sig{};
  size_t len = 0;
  if (hex.size() != 2 * sig.size() ||
      sodium_hex2bin(sig.data(), sig.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != sig.size()) {
    return InvalidArgument("a signature is 128 hex digits, not '{}'", hex.substr(0, 140));
  }
  return sig;
}

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

}  // namespace fh::security
