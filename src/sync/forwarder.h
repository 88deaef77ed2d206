// The edge side of forwarding (docs/sync.md), run by `serve` on a hub with a `sync:` section:
// sends the outbox's records in order to the central hub (POST /api/v1/sync/push, a batch of
// up to sync.batch_points points at a time, gzip), moves the outbox's cursor past what the
// central hub says it has applied, and tries again with back-off (1 s doubling to 30 s) while
// the central hub cannot be reached. After a restart of either side it goes on from the
// cursor: what was sent but not acknowledged is sent again, and recognised there.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "store/hub.h"

namespace fh::sync {

struct ForwarderState {
  bool running = false;
  int64_t sent_records = 0, sent_points = 0, duplicates = 0;
  int64_t last_ok_at = 0;  // ns; 0: never
  int64_t last_error_at = 0;
  std::string last_error;
};

class Forwarder {
 public:
  // `hub` must outlive it and forward (hub.outbox() not null). The token is read from the
  // environment variable sync.token_env now.
  explicit Forwarder(Hub& hub);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  void Start();
  void Stop();
  ForwarderState State() const;

 private:
  void Run();
  bool Stopping() const;
  // One request: true if it sent something (then go on at once).
  Result<bool> SendOnce();

  Hub& hub_;
  const SyncConfig config_;
  std::string token_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  ForwarderState state_;
  std::thread thread_;
};

// The state file serve keeps it in (<hub>/sync/forwarder.json), for `factoryhub sync status`
// run beside it.
std::filesystem::path ForwarderStateFile(const Hub& hub);

}  // namespace fh::sync
