// How many cores this process may keep busy: what a thread pool should be sized to.
#pragma once

#include <optional>
#include <string_view>

namespace fh {

// The CPUs of the process's affinity mask, capped by its cgroup's CPU quota (rounded up),
// at least 1. std::thread::hardware_concurrency() counts every CPU of the host: in a
// container limited to 2 cores' worth of time on a 64-CPU host it says 64, and 64 OpenMP
// threads spinning at XGBoost's barriers on 2 cores' time made training 10x slower.
// Read once, then cached.
unsigned UsableCores();

// The cores' worth of time a cgroup's CPU quota allows, rounded up: cgroup v2's cpu.max
// ("200000 100000" -> 2, "max 100000" -> none) or cgroup v1's cfs_quota_us and
// cfs_period_us ("-1": none). nullopt where there is no quota or the text is not one.
std::optional<unsigned> CoresOfCpuMax(std::string_view cpu_max);
std::optional<unsigned> CoresOfCfsQuota(std::string_view quota_us, std::string_view period_us);

}  // namespace fh
