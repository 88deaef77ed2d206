#include "connect/reconnecting_connector.h"

#include <chrono>

#include "common/time.h"

namespace fh::connect {

ReconnectingConnector::ReconnectingConnector(std::string name, std::string kind,
                                             std::string endpoint) {
  status_.name = std::move(name);
  status_.kind = std::move(kind);
  status_.endpoint = std::move(endpoint);
  status_.state = "stopped";
}

ReconnectingConnector::~ReconnectingConnector() {
  Stop();  // the subclass stopped already; this only makes sure
}

void ReconnectingConnector::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ever_connected_ = false;  // a Stop() is no loss: the first connection is no reconnect
  }
  thread_ = std::thread([this] { Run(); });
}

void ReconnectingConnector::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  SetState("stopped");
}

ConnectorStatus ReconnectingConnector::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void ReconnectingConnector::SetState(std::string state, std::string error) {
  std::lock_guard<std::mutex> lock(mu_);
  const bool connects = state == "connected" && status_.state != "connected";
  // A reconnection is a connection established again after one was lost, not an attempt:
  // a device that never answers keeps this at 0 however often it is tried.
  if (connects && ever_connected_) ++status_.reconnects;
  if (connects) ever_connected_ = true;
  status_.state = std::move(state);
  if (!error.empty()) status_.last_error = std::move(error);
  if (status_.state != "connected") status_.connected_since = 0;
  if (connects) status_.connected_since = NowNs();
}

void ReconnectingConnector::Run() {
  using std::chrono::milliseconds;
  milliseconds backoff(200);
  while (!stop_) {
    SetState("connecting");
    bool progressed = false;
    const Status ended = Session(&progressed);
    if (stop_) break;
    if (progressed) backoff = milliseconds(200);
    SetState("backoff", ended.message());
    // Waits in slices, to notice Stop().
    for (milliseconds waited(0); waited < backoff && !stop_; waited += milliseconds(50))
      std::this_thread::sleep_for(milliseconds(50));
    backoff = std::min(backoff * 2, milliseconds(10000));
  }
}

}  // namespace fh::connect
