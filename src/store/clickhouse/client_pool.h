// Connections to one ClickHouse server shared by the threads of a store: each call borrows
// an idle client (or makes one) and gives it back, so concurrent queries never share a
// connection and a busy hub keeps as many kept-alive connections as it uses at once.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "store/clickhouse/clickhouse_http.h"

namespace fh::clickhouse {

class ClientPool {
 public:
  explicit ClientPool(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

  class Lease {
   public:
    Lease(ClientPool* pool, std::unique_ptr<HttpClient> client)
        : pool_(pool), client_(std::move(client)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (client_) pool_->Return(std::move(client_));
    }
    HttpClient* operator->() { return client_.get(); }
    HttpClient& operator*() { return *client_; }

   private:
    ClientPool* pool_;
    std::unique_ptr<HttpClient> client_;
  };

  Lease Acquire() {
    std::lock_guard lock(mu_);
    if (idle_.empty()) return Lease(this, std::make_unique<HttpClient>(endpoint_));
    std::unique_ptr<HttpClient> client = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(client));
  }
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  // A few idle connections are enough to serve bursts again without reconnecting.
  static constexpr size_t kMaxIdle = 8;

  void Return(std::unique_ptr<HttpClient> client) {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(client));
  }

  Endpoint endpoint_;
  std::mutex mu_;
  std::vector<std::unique_ptr<HttpClient>> idle_;
};

}  // namespace fh::clickhouse
