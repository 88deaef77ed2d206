// The hub's signing key (Ed25519, libsodium): it signs the audit ledger's tree heads, and
// later what the hub shares with partners. Kept in the hub folder as a 0600 file of its own,
// never in the database, so that a copy of the database cannot forge a head; its public half
// is what others verify with.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::security {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

class SigningKey {
 public:
  // The key in `path`, created (0600, in a 0700 folder) when there is none.
  static Result<SigningKey> LoadOrCreate(const std::filesystem::path& path);
  // A key in memory only (tests, benchmarks).
  static SigningKey Generate();
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  Signature Sign(std::string_view message) const;
  const PublicKey& public_key() const { return public_; }
  // The first 16 hex digits of the public key's SHA-256: which key signed.
  std::string id() const;

 private:
  SigningKey() = default;
  std::array<uint8_t, 64> secret_{};  // libsodium's seed || public key
  PublicKey public_{};
};

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature);
// 128 hex digits; InvalidArgument otherwise.
Result<Signature> SignatureFromHex(std::string_view hex);

}  // namespace fh::security
