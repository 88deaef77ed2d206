// Encryption to a recipient's public key (libsodium's sealed box: X25519 and
// XSalsa20-Poly1305 with a throwaway sender key), for packages shared with a partner hub:
// only the holder of the recipient's secret key opens one, and any change to it is found.
// The hub's box key is a 0600 file of its own (keys/hub-box.key), like its signing key.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::security {

using BoxPublicKey = std::array<uint8_t, 32>;

class BoxKey {
 public:
  static Result<BoxKey> LoadOrCreate(const std::filesystem::path& path);
  static BoxKey Generate();  // in memory only (tests)
  ~BoxKey();
  BoxKey(BoxKey&&) noexcept;
  BoxKey& operator=(BoxKey&&) noexcept;
  BoxKey(const BoxKey&) = delete;
  BoxKey& operator=(const BoxKey&) = delete;

  const BoxPublicKey& public_key() const { return public_; }
  // The plaintext of a box sealed to this key; InvalidArgument when it was sealed to
  // another key or changed since.
  Result<std::string> Open(std::string_view sealed) const;
  // A keyed hash (BLAKE2b-128, hex) of `text` under a key derived from this secret and
  // `context`: the same text gives the same pseudonym within a context, and nobody without
  // the secret can tell which text it stands for.
  std::string Pseudonym(std::string_view context, std::string_view text) const;

 private:
  BoxKey() = default;
  std::array<uint8_t, 32> secret_{};
  BoxPublicKey public_{};
};

std::string SealTo(const BoxPublicKey& recipient, std::string_view plaintext);

}  // namespace fh::security
