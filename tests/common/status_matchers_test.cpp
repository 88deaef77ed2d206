// The tests' ASSERT_OK / EXPECT_OK fail on an error, naming the expression and the error.
#include "testing/status_matchers.h"

#include <gtest/gtest-spi.h>

namespace fh {
namespace {

Result<int> Fails() {
  return InvalidArgument("line 3: field 'qty': not a number");
}

TEST(StatusMatchers, PassOnOkAndFailNamingTheError) {
  EXPECT_OK(Status::Ok());
  EXPECT_OK(Result<int>(7));
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(Fails()), "Fails(): InvalidArgument: line 3: field 'qty'");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(Fails()) << "while importing", "while importing");
  EXPECT_FATAL_FAILURE(ASSERT_OK(InvalidArgument("bad")), "bad");
}

TEST(StatusMatchers, AssignsTheValue) {
  ASSERT_OK_AND_ASSIGN(const int v, Result<int>(41));
  EXPECT_EQ(v, 41);
}

}  // namespace
}  // namespace fh
