// HttpServer: the REST API over a hub (docs/api.md lists every endpoint).
//
// Requests run on a pool of worker threads; they share the hub, whose Storage is
// thread-safe and whose catalog database is used under Hub::catalog_mutex(). Writes
// (line protocol) go through a WriteService.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "common/status.h"
#include "store/hub.h"

namespace httplib {
class Server;
}

namespace fh::govern {
class StreamGovernor;
}

namespace fh::api {

class WriteService;

struct HttpServerOptions {
  std::string bind = "127.0.0.1";    // address to listen on; "0.0.0.0" for every interface
  int port = 8080;                   // TCP port; 0 picks a free one (see HttpServer::port())
  int threads = 8;                   // worker threads serving requests
  int max_writes = 4;                // write requests storing at once; more get 429
  size_t max_body_bytes = 64 << 20;  // a larger request body gets 413
  // How often what streams wrote is recorded in the lineage (StreamIngest).
  std::chrono::milliseconds lineage_every = std::chrono::seconds(5);
  // The hub's stream mapping (importer::LoadHubStreamMapping); null: points stored as sent.
  std::shared_ptr<govern::StreamGovernor> stream_mapping;
};

class HttpServer {
 public:
  // `hub` must outlive the server.
  explicit HttpServer(Hub& hub);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving on a background thread; returns once requests are accepted.
  // Unavailable (naming the address) if the port cannot be bound.
  Status Start(const HttpServerOptions& options);
  // Stops accepting, finishes requests in flight and joins the threads, then records the
  // lineage of what was written and completes the streams' ingest batches. Idempotent.
  void Stop();

  int port() const { return port_; }  // the bound port, valid after Start()
  // The write endpoints and the ingest that connectors share with them; after Start().
  WriteService& writes() { return *writes_; }
  // "http://HOST:PORT/", with "localhost" for a wildcard or loopback bind.
  std::string url() const;

 private:
  Hub& hub_;
  std::string bind_;
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<WriteService> writes_;
  std::thread thread_;  // runs the accept loop
};

}  // namespace fh::api
