// The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1), over a log of
// entries numbered from 0: leaf hash SHA-256(0x00 || entry), node hash
// SHA-256(0x01 || left || right); a tree of n > 1 leaves splits at k, the largest power of two
// smaller than n. Inclusion and consistency proofs as the RFC builds them (PATH, PROOF) and
// verifies them (2.1.3.2, 2.1.4.2).
//
// A stored log keeps the hash of every complete ("perfect") subtree: level l, index i covers
// entries [i * 2^l, (i + 1) * 2^l). Any subtree the RFC's recursion asks for is a perfect one
// or a right edge made of at most log2(n) of them, so proofs cost O(log² n) lookups at worst,
// however long the log.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh::security {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view bytes);
Hash LeafHash(std::string_view entry);
Hash NodeHash(const Hash& left, const Hash& right);
std::string HashHex(const Hash& h);
// InvalidArgument unless 64 hex digits.
Result<Hash> HashFromHex(std::string_view hex);

// The hash of the perfect subtree at (level, index); level 0 is the leaves.
using PerfectHash = std::function<Result<Hash>(int level, uint64_t index)>;

// MTH(D[begin:end]) of a log whose perfect subtrees `perfect` gives (end > begin).
Result<Hash> SubtreeHash(const PerfectHash& perfect, uint64_t begin, uint64_t end);
// The root of a log of `size` entries (size > 0).
inline Result<Hash> RootHash(const PerfectHash& perfect, uint64_t size) {
  return SubtreeHash(perfect, 0, size);
}
// PATH(index, D[0:size]): the inclusion proof of entry `index` in the tree of `size` entries.
Result<std::vector<Hash>> InclusionProof(const PerfectHash& perfect, uint64_t index, uint64_t size);
// PROOF(first, D[0:second]): that the tree of `first` entries is a prefix of the one of
// `second` (0 < first <= second).
Result<std::vector<Hash>> ConsistencyProof(const PerfectHash& perfect, uint64_t first,
                                           uint64_t second);

// RFC 9162 2.1.3.2: whether `proof` shows the leaf with hash `leaf` at `index` in a tree of
// `size` entries with root `root`.
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf, std::span<const Hash> proof,
                     const Hash& root);
// RFC 9162 2.1.4.2: whether `proof` shows the tree (first, first_root) to be a prefix of
// (second, second_root).
bool VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                       const Hash& second_root, std::span<const Hash> proof);

// The right edge of a growing log: the perfect subtrees that make up its first `size` entries,
// largest first, so that appending is O(1) amortised and the root is at hand.
class CompactRange {
 public:
  // Appends a leaf; `completed` gets each perfect subtree (level >= 1) the append completed,
  // as (level, index, hash), for a store that keeps them.
  struct Node {
    int level;
    uint64_t index;
    Hash hash;
  };
  void Append(const Hash& leaf, std::vector<Node>* completed = nullptr);
  uint64_t size() const { return size_; }
  // The root of the entries appended so far (size() > 0).
  Hash Root() const;
  // Rebuilds the range of a stored log of `size` entries from its perfect subtrees.
  static Result<CompactRange> Load(const PerfectHash& perfect, uint64_t size);

 private:
  uint64_t size_ = 0;
  std::vector<Hash> peaks_;  // one per set bit of size_, largest (oldest) first
};

}  // namespace fh::security
