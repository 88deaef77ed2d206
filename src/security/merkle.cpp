#include "security/merkle.h"

#include <sodium.h>

#include <bit>

#include "security/api_token.h"
#include "security/sodium_init.h"

namespace fh::security {
namespace {

// The largest power of two smaller than n (n > 1).
uint64_t SplitOf(uint64_t n) {
  return std::bit_floor(n - 1);
}

Hash Digest(crypto_hash_sha256_state& st) {
  Hash h;
  crypto_hash_sha256_final(&st, h.data());
  return h;
}

Status PathOf(const PerfectHash& perfect, uint64_t m, uint64_t begin, uint64_t end,
              std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  const uint64_t k = SplitOf(n);
  if (m < k) {
    FH_RETURN_IF_ERROR(PathOf(perfect, m, begin, begin + k, out));
    FH_ASSIGN_OR_RETURN(Hash right, SubtreeHash(perfect, begin + k, end));
    out.push_back(right);
  } else {
    FH_RETURN_IF_ERROR(PathOf(perfect, m - k, begin + k, end, out));
    FH_ASSIGN_OR_RETURN(Hash left, SubtreeHash(perfect, begin, begin + k));
    out.push_back(left);
  }
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], whole).
Status SubProof(const PerfectHash& perfect, uint64_t m, uint64_t begin, uint64_t end, bool whole,
                std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (whole) return Status::Ok();
    FH_ASSIGN_OR_RETURN(Hash h, SubtreeHash(perfect, begin, end));
    out.push_back(h);
    return Status::Ok();
  }
  const uint64_t k = SplitOf(n);
  if (m <= k) {
    FH_RETURN_IF_ERROR(SubProof(perfect, m, begin, begin + k, whole, out));
    FH_ASSIGN_OR_RETURN(Hash right, SubtreeHash(perfect, begin + k, end));
    out.push_back(right);
  } else {
    FH_RETURN_IF_ERROR(SubProof(perfect, m - k, begin + k, end, false, out));
    FH_ASSIGN_OR_RETURN(Hash left, SubtreeHash(perfect, begin, begin + k));
    out.push_back(left);
  }
  return Status::Ok();
}

}  // namespace

Hash Sha256(std::string_view bytes) {
  EnsureSodium();
  Hash h;
  crypto_hash_sha256(h.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return h;
}

Hash LeafHash(std::string_view entry) {
  EnsureSodium();
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  const unsigned char zero = 0x00;
  crypto_hash_sha256_update(&st, &zero, 1);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(entry.data()),
                            entry.size());
  return Digest(st);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  // One buffer, one call: the node hash is the hot path of appends and verification.
  std::array<uint8_t, 65> buf;
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf.begin() + 1);
  std::copy(right.begin(), right.end(), buf.begin() + 33);
  Hash h;
  crypto_hash_sha256(h.data(), buf.data(), buf.size());
  return h;
}

std::string HashHex(const Hash& h) {
  return Hex(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

Result<Hash> HashFromHex(std::string_view hex) {
  Hash h;
  size_t len = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(h.data(), h.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != h.size()) {
    return InvalidArgument("'{}' is not a SHA-256 hash (64 hex digits)", hex.substr(0, 80));
  }
  return h;
}

Result<Hash> SubtreeHash(const PerfectHash& perfect, uint64_t begin, uint64_t end) {
  if (end <= begin) return InvalidArgument("an empty range of the log has no hash");
  const uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    const int level = std::countr_zero(n);
    return perfect(level, begin >> level);
  }
  const uint64_t k = SplitOf(n);
  FH_ASSIGN_OR_RETURN(Hash left, SubtreeHash(perfect, begin, begin + k));
  FH_ASSIGN_OR_RETURN(Hash right, SubtreeHash(perfect, begin + k, end));
  return NodeHash(left, right);
}

Result<std::vector<Hash>> InclusionProof(const PerfectHash& perfect, uint64_t index,
                                         uint64_t size) {
  if (index >= size) return InvalidArgument("entry {} is not in a log of {} entries", index, size);
  std::vector<Hash> out;
  FH_RETURN_IF_ERROR(PathOf(perfect, index, 0, size, out));
  return out;
}

Result<std::vector<Hash>> ConsistencyProof(const PerfectHash& perfect, uint64_t first,
                                           uint64_t second) {
  if (first == 0 || first > second) {
    return InvalidArgument("no consistency proof from {} to {} entries", first, second);
  }
  std::vector<Hash> out;
  FH_RETURN_IF_ERROR(SubProof(perfect, first, 0, second, true, out));
  return out;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                     const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                       const Hash& second_root, std::span<const Hash> proof) {
  if (first == 0 || first > second) return false;
  if (first == second) return proof.empty() && first_root == second_root;
  if (proof.empty()) return false;
  std::vector<Hash> path;
  if (std::has_single_bit(first)) path.push_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = first - 1, sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

void CompactRange::Append(const Hash& leaf, std::vector<Node>* completed) {
  Hash h = leaf;
  int level = 0;
  uint64_t n = size_;
  const uint64_t after = size_ + 1;
  while (n & 1) {
    h = NodeHash(peaks_.back(), h);
    peaks_.pop_back();
    ++level;
    n >>= 1;
    if (completed) completed->push_back({level, (after >> level) - 1, h});
  }
  peaks_.push_back(h);
  size_ = after;
}

Hash CompactRange::Root() const {
  Hash r = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;)
    r = NodeHash(peaks_[i], r);
  return r;
}

Result<CompactRange> CompactRange::Load(const PerfectHash& perfect, uint64_t size) {
  CompactRange range;
  uint64_t offset = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if (!(size & width)) continue;
    FH_ASSIGN_OR_RETURN(Hash h, perfect(level, offset >> level));
    range.peaks_.push_back(h);
    offset += width;
  }
  range.size_ = size;
  return range;
}

}  // namespace fh::security
