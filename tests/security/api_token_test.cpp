// API tokens: their shape, their randomness, and SHA-256 against FIPS 180-2's published
// test vectors.
#include <set>

#include <gmock/gmock.h>

#include "security/api_token.h"

namespace fh::security {
namespace {

TEST(ApiTokenTest, Sha256MatchesTheStandardsTestVectors) {
  // FIPS 180-2, appendix B.1 and B.2.
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(TokenHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(TokenHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ApiTokenTest, TokensAreRandomShapedAndKeptOnlyAsTheirHash) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const NewToken t = GenerateToken();
    EXPECT_TRUE(LooksLikeToken(t.secret)) << t.secret;
    EXPECT_EQ(t.hash, TokenHash(t.secret));
    EXPECT_THAT(t.display, ::testing::StartsWith(t.secret.substr(0, 11)));
    EXPECT_EQ(t.display.find(t.secret.substr(11)), std::string::npos);  // no secret in lists
    EXPECT_TRUE(seen.insert(t.secret).second);
  }
  EXPECT_FALSE(LooksLikeToken("fh_" + std::string(63, 'a')));
  EXPECT_FALSE(LooksLikeToken("fh_" + std::string(64, 'A')));
  EXPECT_FALSE(LooksLikeToken("xx_" + std::string(64, 'a')));
}

}  // namespace
}  // namespace fh::security
