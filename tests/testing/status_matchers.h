// ASSERT_OK / EXPECT_OK for a Status or a Result, printing the expression and its error;
// more can be streamed after them (ASSERT_OK(r) << "while importing " << path;).
// ASSERT_OK_AND_ASSIGN(lhs, expr) assigns a Result's value, failing the test on an error.
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "common/status.h"

namespace fh::testing {

inline const Status& StatusOf(const Status& s) {
  return s;
}
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace fh::testing

#define FH_TEST_STATUS_(expr, on_failure)                                   \
  switch (0)                                                                \
  case 0:                                                                   \
  default:                                                                  \
    if (const ::fh::Status fh_test_status_ = ::fh::testing::StatusOf(expr); \
        fh_test_status_.ok()) {                                             \
    } else                                                                  \
      on_failure() << #expr << ": " << fh_test_status_.ToString()

#define ASSERT_OK(expr) FH_TEST_STATUS_(expr, FAIL)
#define EXPECT_OK(expr) FH_TEST_STATUS_(expr, ADD_FAILURE)

#define FH_TEST_CONCAT_INNER_(a, b) a##b
#define FH_TEST_CONCAT_(a, b) FH_TEST_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(FH_TEST_CONCAT_(fh_test_result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)                   \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()
