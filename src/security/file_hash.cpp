#include "security/file_hash.h"

#include <sodium.h>

#include <fstream>
#include <vector>

#include "security/sodium_init.h"

namespace fh::security {

Result<Hash> Sha256File(const std::filesystem::path& path) {
  EnsureSodium();
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read {}", path.string());
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize n = in.gcount();
    if (n > 0) {
      crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buffer.data()),
                                static_cast<unsigned long long>(n));
    }
  }
  if (in.bad()) return IOError("cannot read {}", path.string());
  Hash h;
  crypto_hash_sha256_final(&st, h.data());
  return h;
}

}  // namespace fh::security
