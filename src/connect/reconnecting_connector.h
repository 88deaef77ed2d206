// The life of a connector that holds a connection to a broker or a device: a thread that
// connects, works until the connection fails or Stop(), and connects again after a
// backoff of 0.2 s, doubling to 10 s while it keeps failing (and back to 0.2 s after a
// session that got somewhere). Its status says where it is and why the last connection
// ended. Subclasses write one session; they must Stop() in their own destructor, since the
// thread uses their members.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "connect/connector.h"

namespace fh::connect {

class ReconnectingConnector : public Connector {
 public:
  void Start() final;
  void Stop() final;
  ConnectorStatus status() const final;

 protected:
  ReconnectingConnector(std::string name, std::string kind, std::string endpoint);
  ~ReconnectingConnector() override;

  // One connection, from connecting to its end: why it ended (OK when stopped). Sets
  // *progressed once it did useful work, which resets the backoff. On the thread.
  virtual Status Session(bool* progressed) = 0;

  bool stopping() const { return stop_; }
  // connecting, connected, backoff, stopped; an error is kept as last_error. Becoming
  // connected again after an earlier connection counts a reconnect.
  void SetState(std::string state, std::string error = {});
  // Changes the counters under the status lock: fn(ConnectorStatus&).
  template <typename Fn>
  void Count(Fn fn) {
    std::lock_guard<std::mutex> lock(mu_);
    fn(status_);
  }

 private:
  void Run();

  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  ConnectorStatus status_;
  bool ever_connected_ = false;  // under mu_
};

}  // namespace fh::connect
