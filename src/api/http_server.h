// HttpServer: the REST API over a hub (docs/api.md lists every endpoint).
//
// An event loop (Boost.Asio, HTTP by Boost.Beast) reads requests and writes answers on a
// few I/O threads, so an idle keep-alive connection or a slow client costs a socket, not a
// thread; every phase of a request has a deadline. Handlers run on a pool of worker
// threads, except the health checks, which answer on the event loop so that they answer
// while every worker is busy. Handlers share the hub, whose Storage is thread-safe and
// whose catalog is used through short CatalogSessions. Writes (line protocol, JSON
// samples) go through a WriteService.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "pipeline/stream_ingest.h"
#include "store/hub.h"

namespace fh::govern {
class StreamGovernor;
}

namespace fh::sync {
class Forwarder;
}

namespace fh::analytics::alarms {
class AlarmMonitor;
}

namespace fh::api {

class AccessControl;
class WriteService;

struct HttpServerOptions {
  std::string bind = "127.0.0.1";  // address to listen on; "0.0.0.0" for every interface
  int port = 8080;                 // TCP port; 0 picks a free one (see HttpServer::port())
  int threads = 16;                // worker threads running handlers (writes, queries)
  int io_threads = 1;              // event-loop threads reading and writing sockets
  int max_writes = 4;              // write requests storing at once
  // How long a write waits for one of the max_writes slots before it is answered 429.
  std::chrono::milliseconds write_wait = std::chrono::seconds(5);
  size_t max_body_bytes = 64 << 20;  // per request, decoded (chunked, gzip): more gets 413
  // Bodies being received at once, all connections together: past it, 503 + Retry-After.
  size_t max_body_bytes_in_flight = size_t{512} << 20;
  int max_connections = 10000;  // open at once; the next is answered 503 and closed
  // Deadlines: the whole header from its first byte; each piece of a body; a keep-alive
  // connection waiting for its next request; writing an answer.
  std::chrono::milliseconds header_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds body_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(120);
  std::chrono::milliseconds write_timeout = std::chrono::seconds(30);
  // How often what streams wrote is recorded in the lineage (StreamIngest).
  std::chrono::milliseconds lineage_every = std::chrono::seconds(5);
  // The hub's stream mapping (pipeline::LoadHubStreamMapping); null: points stored as sent.
  std::shared_ptr<govern::StreamGovernor> stream_mapping;
  // Called with every batch the stream ingest stored (pipeline::StoredPointsHook); null: none.
  pipeline::StoredPointsHook on_stored;
  // The live alarms (serve's AlarmMonitor) that /api/v1/alarms/act acts on; null: none.
  analytics::alarms::AlarmMonitor* alarms = nullptr;
  // The forwarder to the central hub whose state /api/v1/sync shows; null: none running.
  const sync::Forwarder* forwarder = nullptr;
  // TLS: the certificate chain and its private key, PEM files; both empty: plain HTTP.
  // TLS 1.2 and 1.3 only, the server's cipher order.
  std::string tls_cert, tls_key;
  // Who may call what (access_control.h); null: everyone may call everything.
  AccessControl* access = nullptr;
};

class HttpServer {
 public:
  // `hub` must outlive the server.
  explicit HttpServer(Hub& hub);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on background threads; returns once connections are accepted.
  // Unavailable (naming the address) if the port cannot be bound; InvalidArgument (naming
  // the file) if the TLS certificate or key cannot be used. Raises the process's
  // open-file limit (RLIMIT_NOFILE) towards max_connections when it is lower.
  Status Start(const HttpServerOptions& options);
  // Stops accepting, lets the handlers running finish, ends the event streams (each with
  // its body's end, within a second), closes every connection and joins
  // the threads, then records the lineage of what was written and completes the streams'
  // ingest batches. Idempotent.
  void Stop();

  int port() const;  // the bound port, valid after Start() (and after Stop())
  // The write endpoints and the ingest that connectors share with them; after Start().
  WriteService& writes();
  // "http://HOST:PORT/" ("https://" with TLS), with "localhost" for a wildcard or loopback
  // bind.
  std::string url() const;

 private:
  struct Impl;
  Hub& hub_;
  std::string bind_;
  int port_ = 0;
  bool tls_ = false;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fh::api
