// Waiting in tests for something another thread or process does: polls `done` every 25 ms
// for up to 10 s (or `seconds`), then fails the test with `what()` (built only then, so it may say
// how far things got).
#pragma once

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace fh::testing {

template <typename Done, typename What>
void WaitUntil(Done done, What what, int seconds = 10) {
  for (int i = 0; i < seconds * 40 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_TRUE(done()) << what();
}

}  // namespace fh::testing
