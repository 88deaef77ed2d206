// A test with an empty hub of its own in a temporary folder (tmp_.path() / "hub").
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "store/hub.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::testing {

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Hub::Init(tmp_.path() / "hub", HubConfig{}).ok());
    Result<std::unique_ptr<Hub>> h = Hub::Open(tmp_.path() / "hub");
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }

  TempDir tmp_;
  std::unique_ptr<Hub> hub_;
};

}  // namespace fh::testing
