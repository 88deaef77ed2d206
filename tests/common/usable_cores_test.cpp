#include "common/usable_cores.h"

#include <sched.h>

#include <gtest/gtest.h>

namespace fh {
namespace {

TEST(UsableCoresTest, CgroupV2QuotaIsRoundedUpToWholeCores) {
  EXPECT_EQ(CoresOfCpuMax("200000 100000\n"), 2u);
  EXPECT_EQ(CoresOfCpuMax("150000 100000"), 2u);  // 1.5 cores' time: 2 threads
  EXPECT_EQ(CoresOfCpuMax("50000 100000"), 1u);   // half a core: still one thread
  EXPECT_EQ(CoresOfCpuMax("max 100000\n"), std::nullopt);
  EXPECT_EQ(CoresOfCpuMax(""), std::nullopt);  // no such file
  EXPECT_EQ(CoresOfCpuMax("200000"), std::nullopt);
  EXPECT_EQ(CoresOfCpuMax("2x0000 100000"), std::nullopt);
}

TEST(UsableCoresTest, CgroupV1QuotaOfMinusOneIsNone) {
  EXPECT_EQ(CoresOfCfsQuota("400000\n", "100000\n"), 4u);
  EXPECT_EQ(CoresOfCfsQuota("-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(CoresOfCfsQuota("", ""), std::nullopt);
}

TEST(UsableCoresTest, NeverMoreThanTheAffinityMaskAllows) {
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
  const unsigned cores = UsableCores();
  EXPECT_GE(cores, 1u);
  EXPECT_LE(cores, static_cast<unsigned>(CPU_COUNT(&set)));
  EXPECT_EQ(UsableCores(), cores);
}

}  // namespace
}  // namespace fh
