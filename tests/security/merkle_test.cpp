// The RFC 9162 Merkle tree against the published Certificate Transparency test vectors (the
// roots of the first 1..8 entries of the RFC 6962 reference test data), and every inclusion
// and consistency proof of trees up to 40 entries verified, then broken.
#include <gmock/gmock.h>

#include "security/merkle.h"
#include "testing/status_matchers.h"

namespace fh::security {
namespace {

const std::vector<std::string>& TestLeaves() {
  static const std::vector<std::string> leaves = {
      std::string(""),
      std::string("\x00", 1),
      std::string("\x10"),
      std::string("\x20\x21"),
      std::string("\x30\x31"),
      std::string("\x40\x41\x42\x43"),
      std::string("\x50\x51\x52\x53\x54\x55\x56\x57"),
      std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"),
  };
  return leaves;
}

// Every perfect subtree of `leaves`, computed the plain way.
PerfectHash PerfectOf(const std::vector<std::string>& leaves) {
  return [&leaves](int level, uint64_t index) -> Result<Hash> {
    const uint64_t width = uint64_t{1} << level;
    if ((index + 1) * width > leaves.size()) return NotFound("({}, {})", level, index);
    if (level == 0) return LeafHash(leaves[index]);
    std::vector<Hash> row;
    for (uint64_t i = index * width; i < (index + 1) * width; ++i)
      row.push_back(LeafHash(leaves[i]));
    while (row.size() > 1) {
      std::vector<Hash> up;
      for (size_t i = 0; i < row.size(); i += 2)
        up.push_back(NodeHash(row[i], row[i + 1]));
      row.swap(up);
    }
    return row[0];
  };
}

TEST(MerkleTest, RootsMatchThePublishedTestVectors) {
  const char* kRoots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  const PerfectHash perfect = PerfectOf(TestLeaves());
  CompactRange range;
  for (uint64_t n = 1; n <= 8; ++n) {
    Result<Hash> root = RootHash(perfect, n);
    ASSERT_OK(root);
    EXPECT_EQ(HashHex(*root), kRoots[n - 1]) << n << " entries";
    range.Append(LeafHash(TestLeaves()[n - 1]));
    EXPECT_EQ(HashHex(range.Root()), kRoots[n - 1]) << n << " entries, appended";
  }
  // The empty tree's hash (RFC 9162 2.1.1) is SHA-256 of nothing.
  EXPECT_EQ(HashHex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTest, EveryProofOfSmallTreesVerifiesAndABrokenOneNever) {
  std::vector<std::string> leaves;
  for (int i = 0; i < 40; ++i)
    leaves.push_back("entry " + std::to_string(i));
  const PerfectHash perfect = PerfectOf(leaves);
  CompactRange range;
  std::vector<CompactRange::Node> completed;
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    range.Append(LeafHash(leaves[n - 1]), &completed);
    const Hash root = RootHash(perfect, n).value();
    ASSERT_EQ(range.Root(), root);
    Result<CompactRange> loaded = CompactRange::Load(perfect, n);
    ASSERT_OK(loaded);
    EXPECT_EQ(loaded->Root(), root);
    for (uint64_t m = 0; m < n; ++m) {
      Result<std::vector<Hash>> proof = InclusionProof(perfect, m, n);
      ASSERT_OK(proof);
      const Hash leaf = LeafHash(leaves[m]);
      EXPECT_TRUE(VerifyInclusion(m, n, leaf, *proof, root)) << m << " in " << n;
      EXPECT_FALSE(VerifyInclusion(m, n, LeafHash("forged"), *proof, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((m + 1) % n, n, leaf, *proof, root));
      }
      if (!proof->empty()) {
        std::vector<Hash> bad = *proof;
        bad.back()[0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(m, n, leaf, bad, root));
      }
    }
    for (uint64_t m = 1; m <= n; ++m) {
      Result<std::vector<Hash>> proof = ConsistencyProof(perfect, m, n);
      ASSERT_OK(proof);
      const Hash old_root = RootHash(perfect, m).value();
      EXPECT_TRUE(VerifyConsistency(m, n, old_root, root, *proof)) << m << " to " << n;
      if (m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, LeafHash("forged"), root, *proof));
        std::vector<Hash> bad = *proof;
        bad.front()[31] ^= 0x80;
        EXPECT_FALSE(VerifyConsistency(m, n, old_root, root, bad));
      }
    }
  }
  // Each append completed the perfect subtrees its count carried into: 40 = 101000b.
  size_t level_one = 0;
  for (const CompactRange::Node& node : completed) {
    EXPECT_EQ(node.hash, perfect(node.level, node.index).value());
    level_one += node.level == 1;
  }
  EXPECT_EQ(level_one, 20u);
  EXPECT_EQ(completed.size(), 20u + 10 + 5 + 2 + 1);
}

TEST(MerkleTest, ProofsOutsideTheLogAreErrors) {
  const PerfectHash perfect = PerfectOf(TestLeaves());
  EXPECT_FALSE(InclusionProof(perfect, 8, 8).ok());
  EXPECT_FALSE(ConsistencyProof(perfect, 0, 8).ok());
  EXPECT_FALSE(ConsistencyProof(perfect, 5, 4).ok());
  EXPECT_FALSE(HashFromHex("xyz").ok());
  EXPECT_OK(HashFromHex(std::string(64, 'a')));
}

}  // namespace
}  // namespace fh::security
