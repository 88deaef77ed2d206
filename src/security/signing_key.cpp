#include "security/signing_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "security/api_token.h"
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
  EnsureSodium();
  SigningKey k;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    std::array<uint8_t, crypto_sign_SEEDBYTES> seed{};
    const ssize_t got = read(fd, seed.data(), seed.size());
    close(fd);
    if (got != static_cast<ssize_t>(seed.size())) {
      return Corruption("{}: not a signing key ({} bytes, expected {})", path.string(), got,
                        seed.size());
    }
    crypto_sign_seed_keypair(k.public_.data(), k.secret_.data(), seed.data());
    sodium_memzero(seed.data(), seed.size());
    return k;
  }
  if (errno != ENOENT) return IOError("cannot read {}: {}", path.string(), std::strerror(errno));
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return IOError("cannot create {}: {}", path.parent_path().string(), ec.message());
  fs::permissions(path.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
  std::array<uint8_t, crypto_sign_SEEDBYTES> seed{};
  randombytes_buf(seed.data(), seed.size());
  // O_EXCL: two processes creating it at once keep one key, the loser reads the winner's.
  const int out = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    sodium_memzero(seed.data(), seed.size());
    if (errno == EEXIST) return LoadOrCreate(path);
    return IOError("cannot create {}: {}", path.string(), std::strerror(errno));
  }
  const bool written =
      write(out, seed.data(), seed.size()) == static_cast<ssize_t>(seed.size()) && fsync(out) == 0;
  close(out);
  if (!written) {
    sodium_memzero(seed.data(), seed.size());
    return IOError("cannot write {}", path.string());
  }
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

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

}  // namespace fh::security
