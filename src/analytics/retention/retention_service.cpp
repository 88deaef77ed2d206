#include "analytics/retention/retention_service.h"

#include <fmt/format.h>

namespace fh::analytics::retention {

RetentionService::RetentionService(Storage& storage, RetentionConfig config)
    : storage_(storage), config_(std::move(config)) {
  status_.name = "retention";
  status_.kind = "retention";
  status_.endpoint = kRetentionConfigFile;
  status_.state = "stopped";
}

void RetentionService::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.state = "running";
  }
  thread_.Start(
      std::chrono::nanoseconds(config_.every_ns), [this] { RunOnce(); },
      /*first_now=*/true);
}

void RetentionService::RunOnce() {
  Result<RetentionReport> r = ApplyRetention(storage_, config_, NowNs(), false, &stopping_);
  std::lock_guard<std::mutex> lock(mu_);
  ++status_.messages;
  if (!r.ok()) {
    ++status_.errors;
    status_.last_error = r.status().message();
    fmt::print(stderr, "factoryhub: retention: {}\n", status_.last_error);
    return;
  }
  status_.last_error.clear();
  status_.points += r->deleted;
  if (r->deleted > 0) {
    fmt::print(stderr,
               "factoryhub: retention: deleted {} points of {} tags, wrote {} rollup points\n",
               r->deleted, r->tags.size(), r->rollup_points);
  }
}

ConnectorStatus RetentionService::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

}  // namespace fh::analytics::retention
