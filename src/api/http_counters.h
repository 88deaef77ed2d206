// What the HTTP server counts about its connections, for /metrics: written by the event loop,
// read by any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace fh::api {

struct HttpCounters {
  std::atomic<int64_t> open{0};          // connections open now
  std::atomic<int64_t> accepted{0};      // connections accepted since start
  std::atomic<int64_t> refused_full{0};  // refused: max_connections were open
  std::atomic<int64_t> timed_out{0};     // closed by a header, body, idle or write deadline
  std::atomic<int64_t> bad_requests{0};  // malformed HTTP, answered 400 (or 413) and closed
  std::atomic<int64_t> tls_failed{0};    // TLS handshakes failed, plain HTTP to the TLS port
  std::atomic<int64_t> requests{0};      // requests read whole and dispatched
  std::atomic<int64_t> body_bytes{0};    // body bytes received and not yet answered
};

}  // namespace fh::api
