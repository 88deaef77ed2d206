// Argon2id password hashes with OWASP's parameters, and their rules.
#include <gmock/gmock.h>

#include "security/password.h"
#include "testing/status_matchers.h"

namespace fh::security {
namespace {

TEST(PasswordTest, HashesWithArgon2idAtOwaspCostAndVerifies) {
  Result<std::string> hash = HashPassword("correct horse battery staple");
  ASSERT_OK(hash);
  // The PHC string names the algorithm and its cost: 19 MiB (19456 KiB), 2 passes, 1 lane.
  EXPECT_THAT(*hash, ::testing::StartsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapler"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  // A fresh salt every time: the same password never hashes alike.
  EXPECT_NE(*hash, HashPassword("correct horse battery staple").value());
}

TEST(PasswordTest, RulesBoundTheLengthBothWays) {
  EXPECT_THAT(HashPassword("short").status().message(), ::testing::HasSubstr("at least 8"));
  EXPECT_THAT(HashPassword(std::string(1025, 'x')).status().message(),
              ::testing::HasSubstr("at most 1024"));
  EXPECT_OK(CheckPasswordRules("eight ch"));
}

TEST(PasswordTest, AnythingButAHashItMadeNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "password"));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$m=19456,t=2,p=1$garbage", "password"));
  EXPECT_FALSE(VerifyPassword(std::string(500, '$'), "password"));
}

}  // namespace
}  // namespace fh::security
