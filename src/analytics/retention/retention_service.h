// serve's retention: the policies of retention.yaml applied to the hub's store at start and
// then every `every`, on a thread of its own. Its status is one of /api/v1/connectors'
// entries (status()), and each run that deleted something is logged.
#pragma once

#include <atomic>
#include <mutex>

#include "analytics/retention/retention_run.h"
#include "common/periodic_thread.h"
#include "model/connector_status.h"
#include "store/storage.h"

namespace fh::analytics::retention {

class RetentionService {
 public:
  RetentionService(Storage& storage, RetentionConfig config);
  ~RetentionService() { Stop(); }

  void Start();
  // Ends a run in progress after the tag it is at, and waits for it.
  void Stop() {
    stopping_ = true;
    thread_.Stop();
    stopping_ = false;
  }
  // name retention, kind retention, endpoint retention.yaml; messages: runs; points: points
  // deleted; errors: failed runs, the last one's reason in last_error.
  ConnectorStatus status() const;
  const RetentionConfig& config() const { return config_; }

 private:
  void RunOnce();

  Storage& storage_;
  const RetentionConfig config_;
  PeriodicThread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  ConnectorStatus status_;  // guarded by mu_
};

}  // namespace fh::analytics::retention
