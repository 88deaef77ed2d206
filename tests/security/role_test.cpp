// Roles, what each allows, and ISA-95 scopes.
#include <gmock/gmock.h>

#include "security/role.h"
#include "testing/status_matchers.h"

namespace fh::security {
namespace {

TEST(RoleTest, EachRoleAllowsWhatTheOnesBeforeItDo) {
  EXPECT_LT(Role::kViewer, Role::kOperator);
  EXPECT_LT(Role::kOperator, Role::kEngineer);
  EXPECT_LT(Role::kEngineer, Role::kAdmin);
  for (Role r : {Role::kViewer, Role::kOperator, Role::kEngineer, Role::kAdmin})
    EXPECT_EQ(ParseRole(RoleName(r)).value(), r);
  EXPECT_THAT(ParseRole("root").status().message(),
              ::testing::HasSubstr("viewer, operator, engineer or admin"));
  EXPECT_EQ(NeedName(kPublic), "public");
  EXPECT_EQ(NeedName(kOperator), "operator");
}

TEST(RoleTest, ScopesCoverTheirPathAndWhatIsBelowIt) {
  EXPECT_TRUE(ScopeCovers("", "acme/line-2"));
  EXPECT_TRUE(ScopeCovers("acme/line-2", "acme/line-2"));
  EXPECT_TRUE(ScopeCovers("acme/line-2", "acme/line-2/cnc-01"));
  EXPECT_FALSE(ScopeCovers("acme/line-2", "acme/line-20"));
  EXPECT_FALSE(ScopeCovers("acme/line-2", "acme"));
  EXPECT_OK(ValidateScope("acme/plant-1/line_2"));
  EXPECT_OK(ValidateScope(""));
  EXPECT_FALSE(ValidateScope("acme//line").ok());
  EXPECT_FALSE(ValidateScope("acme/../x").ok());
  EXPECT_FALSE(ValidateScope("/acme").ok());
  EXPECT_THAT(ValidateScope("acme/line 2").message(), ::testing::HasSubstr("' ' is not allowed"));
}

}  // namespace
}  // namespace fh::security
