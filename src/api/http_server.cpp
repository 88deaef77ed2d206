#include "api/http_server.h"

#include <sys/resource.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "api/access_control.h"
#include "api/http_connection.h"
#include "api/http_reply.h"
#include "api/influx_compat.h"
#include "api/live_latest.h"
#include "api/open_event_streams.h"
#include "api/routes.h"
#include "api/tls_context.h"
#include "api/write_service.h"
#include "common/time.h"

namespace fh::api {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Connections need a file descriptor each: lift the soft limit towards the hard one.
void RaiseOpenFileLimit(int max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  // Best effort: with the lower limit the server still runs, refusing connections past it
  // (accept fails with EMFILE and is retried).
  (void)setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(Hub& served) : hub(served) {}

  // Finds the endpoint of `req`; null after answering 404 or 405 in `res`.
  const Route* Find(const HttpRequest& req, HttpResponse& res) const {
    const std::string_view method =
        req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
    std::string allowed;
    for (const Route& e : Routes()) {
      const bool under = e.path.size() > 1 && e.path.back() == '/' && req.path.starts_with(e.path);
      if (e.path != req.path && !under) continue;
      if (e.method == method) return &e;
      allowed += allowed.empty() ? std::string(e.method) : ", " + std::string(e.method);
    }
    if (allowed.empty()) {
      ReplyJson(res, {{"error", "no such endpoint: " + req.method + " " + req.path}}, 404);
    } else {
      res.SetHeader("Allow", allowed);
      ReplyJson(res,
                {{"error", req.method + " is not allowed on " + req.path + " (" + allowed + ")"}},
                405);
    }
    return nullptr;
  }

  void Run(const Route& e, const HttpRequest& req, HttpResponse& res) {
    try {
      e.handler(*services, req, res);
    } catch (const std::exception& ex) {
      // A handler's bug must cost its request, not the server.
      res = HttpResponse{};
      ReplyJson(res, {{"error", std::string("internal error: ") + ex.what()}}, 500);
    }
  }

  // Whether `req` may call `e` (recording who sent it); false after answering in `res`.
  bool Allowed(const Route& e, HttpRequest& req, HttpResponse& res) {
    if (options.access == nullptr) return true;
    AccessDecision d = options.access->Check(req, e.need);
    if (d.status == 200) {
      if (d.who) {
        req.user = d.who->name;
        req.scope = d.who->scope;
      }
      return true;
    }
    if (d.status == 401) res.SetHeader("WWW-Authenticate", R"(Bearer realm="factoryhub")");
    if (d.status == 429) res.SetHeader("Retry-After", "60");
    ReplyJson(res, {{"error", d.message}}, d.status);
    return false;
  }

  void Dispatch(std::shared_ptr<HttpRequest> req, std::function<void(HttpResponse)> done) {
    HttpResponse res;
    const Route* e = Find(*req, res);
    if (e == nullptr) return done(std::move(res));
    // Checking a password (Argon2) or reading the store is not for the event loop.
    const bool slow_check =
        options.access != nullptr && !e->need.is_public && options.access->NeedsSlowCheck(*req);
    if (e->on_event_loop && !slow_check) {
      if (Allowed(*e, *req, res)) Run(*e, *req, res);
      return done(std::move(res));
    }
    if (stopping.load()) {
      res.SetHeader("Retry-After", "1");
      ReplyJson(res, {{"error", "the server is stopping"}}, 503);
      return done(std::move(res));
    }
    asio::post(*workers, [this, e, req = std::move(req), done = std::move(done)] {
      HttpResponse answer;
      if (Allowed(*e, *req, answer)) Run(*e, *req, answer);
      done(std::move(answer));
    });
  }

  void Accept() {
    acceptor->async_accept(asio::make_strand(*io),
                           [this](boost::system::error_code ec, tcp::socket socket) {
                             if (ec == asio::error::operation_aborted || stopping.load()) return;
                             if (ec) {
                               // Out of file descriptors, most likely: try again shortly instead of
                               // spinning.
                               accept_retry->expires_after(std::chrono::milliseconds(100));
                               accept_retry->async_wait([this](boost::system::error_code wait_ec) {
                                 if (!wait_ec) Accept();
                               });
                               return;
                             }
                             counters.accepted.fetch_add(1);
                             if (counters.open.load() >= options.max_connections) {
                               counters.refused_full.fetch_add(1);
                               detail::RefuseConnection(std::move(socket));
                             } else {
                               detail::ServeConnection(std::move(socket), context);
                             }
                             Accept();
                           });
  }

  Hub& hub;
  HttpServerOptions options;
  HttpCounters counters;
  detail::ConnectionContext context;
  detail::OpenEventStreams event_streams;
  std::unique_ptr<WriteService> writes;
  std::unique_ptr<InfluxCompat> influx;
  std::unique_ptr<RouteServices> services;
  std::unique_ptr<asio::ssl::context> tls;
  std::atomic<bool> stopping{false};
  // Declared last: destroyed first, with the connections they still hold.
  std::unique_ptr<asio::thread_pool> workers;
  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> accept_retry;
  std::vector<std::thread> io_threads;
};

HttpServer::HttpServer(Hub& hub) : hub_(hub) {}

HttpServer::~HttpServer() {
  Stop();
}

int HttpServer::port() const {
  return port_;
}

WriteService& HttpServer::writes() {
  return *impl_->writes;
}

Status HttpServer::Start(const HttpServerOptions& options) {
  if (impl_) return FailedPrecondition("the HTTP server is already started");
  auto impl = std::make_unique<Impl>(hub_);
  Impl& s = *impl;
  s.options = options;
  s.options.threads = std::max(1, options.threads);
  s.options.io_threads = std::max(1, options.io_threads);
  // Every stored batch is also the live view's (/api/v1/latest/stream), before the caller's.
  auto latest = std::make_shared<LiveLatest>();
  pipeline::StoredPointsHook on_stored = [latest, also = options.on_stored](const SampleBatch& b) {
    latest->Observe(b);
    if (also) also(b);
  };
  s.writes = std::make_unique<WriteService>(
      hub_, WriteServiceOptions{options.max_writes, options.write_wait, options.lineage_every,
                                options.stream_mapping, std::move(on_stored), &s.counters});
  // InfluxDB clients' start-up calls (influx_compat.h).
  s.influx = std::make_unique<InfluxCompat>(hub_.config().name, NowNs());
  s.services = std::make_unique<RouteServices>(
      RouteServices{hub_, *s.writes, *s.influx, options.alarms, options.access,
                    !options.tls_cert.empty(), std::move(latest), options.forwarder});
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    FH_ASSIGN_OR_RETURN(s.tls, MakeServerTlsContext(options.tls_cert, options.tls_key));
    s.context.tls = s.tls.get();
  }
  s.context.options = &s.options;
  s.context.counters = &s.counters;
  s.context.event_streams = &s.event_streams;
  s.context.dispatch = [&s](std::shared_ptr<HttpRequest> req,
                            std::function<void(HttpResponse)> done) {
    s.Dispatch(std::move(req), std::move(done));
  };

  RaiseOpenFileLimit(s.options.max_connections);
  s.io = std::make_unique<asio::io_context>(s.options.io_threads);
  s.accept_retry = std::make_unique<asio::steady_timer>(*s.io);
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.bind, ec);
  if (ec) return InvalidArgument("cannot listen on '{}': not an IP address", options.bind);
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  s.acceptor = std::make_unique<tcp::acceptor>(*s.io);
  // SO_REUSEADDR only (no SO_REUSEPORT): a second server on a busy port must fail.
  if (s.acceptor->open(endpoint.protocol(), ec);
      !ec && (s.acceptor->set_option(asio::socket_base::reuse_address(true), ec), !ec) &&
      (s.acceptor->bind(endpoint, ec), !ec)) {
    s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return Unavailable("cannot listen on {}:{} ({})", options.bind, options.port, ec.message());
  }
  bind_ = options.bind;
  tls_ = s.tls != nullptr;
  port_ = s.acceptor->local_endpoint().port();
  s.workers = std::make_unique<asio::thread_pool>(static_cast<size_t>(s.options.threads));
  s.Accept();
  for (int i = 0; i < s.options.io_threads; ++i) {
    s.io_threads.emplace_back([io = s.io.get()] { io->run(); });
  }
  impl_ = std::move(impl);
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!impl_) return;
  Impl& s = *impl_;
  s.stopping.store(true);
  asio::post(*s.io, [&s] {
    boost::system::error_code ignored;  // closing: nothing to do about a failure
    s.acceptor->close(ignored);
    s.accept_retry->cancel();
  });
  // Requests already handed to a worker finish (a write is stored whole); new ones get 503.
  s.workers->join();
  // Event streams never end by themselves: each is told to send its end, and given a moment.
  s.event_streams.EndAll(std::chrono::seconds(1));
  s.io->stop();
  for (std::thread& t : s.io_threads)
    t.join();
  s.io_threads.clear();
  s.acceptor.reset();
  s.accept_retry.reset();
  s.io.reset();  // destroys the connections still open, closing their sockets
  s.workers.reset();
  // After the last request: flushes the lineage, completes the batches.
  impl_.reset();
}

std::string HttpServer::url() const {
  std::string host = bind_;
  if (host.empty() || host == "0.0.0.0" || host == "::" || host == "127.0.0.1" || host == "::1") {
    host = "localhost";
  } else if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";
  }
  return (tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_) + "/";
}

}  // namespace fh::api
