#include "common/usable_cores.h"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "common/text_trim.h"

namespace fh {
namespace usable_cores_detail {

std::optional<long long> ParsePositive(std::string_view text) {
  text = TrimSpace(text);
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The process's cgroup paths from /proc/self/cgroup: cgroup v2's ("0::/a/b") and cgroup
// v1's cpu controller's ("4:cpu,cpuacct:/a/b"); empty where there is none.
struct CgroupPaths {
  std::string v2, v1_cpu;
};
CgroupPaths ReadCgroupPaths() {
  CgroupPaths paths;
  std::istringstream lines(ReadSmallFile("/proc/self/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    const size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = "," + line.substr(first + 1, second - first - 1) + ",";
    if (line.rfind("0::", 0) == 0) paths.v2 = line.substr(second + 1);
    if (controllers.find(",cpu,") != std::string::npos) paths.v1_cpu = line.substr(second + 1);
  }
  return paths;
}

// `path` and each of its parents up to the root ("/a/b", "/a", ""), a parent's quota
// limiting every child. Inside a container the hierarchy is often mounted at the
// container's own cgroup, so the root's files count too.
template <typename Visit>
void ForPathAndParents(std::string path, Visit visit) {
  if (!path.empty() && path.back() == '/') path.pop_back();
  for (;;) {
    visit(path);
    if (path.empty()) return;
    path.resize(path.rfind('/'));
  }
}

std::optional<unsigned> CgroupQuotaCores() {
  std::optional<unsigned> cores;
  auto take = [&](std::optional<unsigned> c) {
    if (c && (!cores || *c < *cores)) cores = c;
  };
  const CgroupPaths paths = ReadCgroupPaths();
  ForPathAndParents(paths.v2, [&](const std::string& p) {
    take(CoresOfCpuMax(ReadSmallFile("/sys/fs/cgroup" + p + "/cpu.max")));
  });
  for (const char* mount : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
    ForPathAndParents(paths.v1_cpu, [&](const std::string& p) {
      const std::string dir = mount + p;
      take(CoresOfCfsQuota(ReadSmallFile(dir + "/cpu.cfs_quota_us"),
                           ReadSmallFile(dir + "/cpu.cfs_period_us")));
    });
  }
  return cores;
}

unsigned AffinityCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace usable_cores_detail

std::optional<unsigned> CoresOfCpuMax(std::string_view cpu_max) {
  cpu_max = TrimSpace(cpu_max);
  const size_t space = cpu_max.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return CoresOfCfsQuota(cpu_max.substr(0, space), cpu_max.substr(space + 1));  // "max": none
}

std::optional<unsigned> CoresOfCfsQuota(std::string_view quota_us, std::string_view period_us) {
  const auto quota = usable_cores_detail::ParsePositive(quota_us);
  const auto period = usable_cores_detail::ParsePositive(period_us);
  if (!quota || !period) return std::nullopt;  // -1 or "max": no quota
  return static_cast<unsigned>(std::max<long long>(1, (*quota + *period - 1) / *period));
}

unsigned UsableCores() {
  static const unsigned cores = [] {
    unsigned n = usable_cores_detail::AffinityCores();
    if (auto quota = usable_cores_detail::CgroupQuotaCores()) n = std::min(n, *quota);
    return std::max(1u, n);
  }();
  return cores;
}

}  // namespace fh
