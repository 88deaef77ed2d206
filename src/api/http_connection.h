// One client connection of HttpServer on the event loop: reads requests with deadlines,
// hands each to the server's dispatch, writes the answer, and keeps the connection alive
// for the next request. An idle or slow connection costs a socket and a few KiB, not a
// thread. Internal to the api module.
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "api/http_counters.h"
#include "api/http_message.h"
#include "api/http_server.h"
#include "api/open_event_streams.h"

namespace fh::api::detail {

// What every connection of one server shares. Outlives the connections (the server stops
// its event loop before destroying it).
struct ConnectionContext {
  const HttpServerOptions* options = nullptr;
  HttpCounters* counters = nullptr;
  // Set: every connection speaks TLS with these certificates (HttpServerOptions::tls_cert).
  boost::asio::ssl::context* tls = nullptr;
  // The event streams open, which the server ends when it stops.
  OpenEventStreams* event_streams = nullptr;
  // Called once per request read whole; `done` may be called on any thread, exactly once.
  std::function<void(std::shared_ptr<HttpRequest>, std::function<void(HttpResponse)> done)>
      dispatch;
};

// Serves `socket` until the client closes it, a deadline passes, or the server stops.
void ServeConnection(boost::asio::ip::tcp::socket socket, const ConnectionContext& context);

// Answers 503 on a connection that is over the server's limit, then closes it.
void RefuseConnection(boost::asio::ip::tcp::socket socket);

}  // namespace fh::api::detail
