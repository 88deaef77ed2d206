#include "api/http_server.h"

#include <atomic>
#include <chrono>

#include <httplib.h>

#include "api/http_reply.h"
#include "api/routes.h"
#include "api/write_service.h"

namespace fh::api {

HttpServer::HttpServer(Hub& hub) : hub_(hub) {}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Start(const HttpServerOptions& options) {
  if (server_) return FailedPrecondition("the HTTP server is already started");
  auto server = std::make_unique<httplib::Server>();
  const int threads = options.threads > 0 ? options.threads : 1;
  // httplib owns the queue it gets from this factory (its API takes a raw pointer).
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  server->set_payload_max_length(options.max_body_bytes);
  writes_ = std::make_unique<WriteService>(
      hub_, WriteServiceOptions{options.max_writes, options.lineage_every, options.stream_mapping});
  server->Post("/write", [this](const httplib::Request& req, httplib::Response& res) {
    writes_->HandleV1(req, res);
  });
  server->Post("/api/v2/write", [this](const httplib::Request& req, httplib::Response& res) {
    writes_->HandleV2(req, res);
  });
  server->Post("/api/v1/samples", [this](const httplib::Request& req, httplib::Response& res) {
    writes_->HandleSamples(req, res);
  });
  server->Get("/api/v1/connectors", [this](const httplib::Request& req, httplib::Response& res) {
    writes_->HandleConnectors(req, res);
  });
  server->Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    writes_->HandleMetrics(req, res);
  });
  for (const Route& route : Routes()) {
    RouteHandler handler = route.handler;
    server->Get(std::string(route.path),
                [this, handler](const httplib::Request& req, httplib::Response& res) {
                  handler(hub_, req, res);
                });
  }
  // Unknown paths and methods answer in JSON like everything else; responses that already
  // carry a body (our own errors) pass through untouched.
  // httplib's default sets SO_REUSEPORT, which lets a second server bind a port that is
  // already in use; a busy port must fail instead.
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string error = res.status == 404 ? "no such endpoint: " + req.method + " " + req.path
                                              : "HTTP " + std::to_string(res.status);
        ReplyJson(res, {{"error", error}}, res.status);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
          // Not a std::exception: the generic message above says all we know.
        }
        ReplyJson(res, {{"error", "internal error: " + what}}, 500);
      });

  int port = options.port;
  if (port == 0) {
    port = server->bind_to_any_port(options.bind);
    if (port < 0) return Unavailable("cannot listen on {}: no free port", options.bind);
  } else if (!server->bind_to_port(options.bind, port)) {
    return Unavailable("cannot listen on {}:{} (in use, or not an address of this machine)",
                       options.bind, port);
  }
  bind_ = options.bind;
  port_ = port;
  server_ = std::move(server);
  auto loop_ended = std::make_shared<std::atomic<bool>>(false);
  thread_ = std::thread([s = server_.get(), loop_ended] {
    s->listen_after_bind();
    loop_ended->store(true);
  });
  // httplib's stop() is a no-op until the accept loop runs: wait for it, so that a Stop()
  // right after Start() cannot be lost.
  while (!server_->is_running()) {
    if (loop_ended->load()) {
      Stop();
      return Unavailable("cannot serve on {}:{}", options.bind, port);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (server_) {
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }
  writes_.reset();  // after the last request: flushes the lineage, completes the batches
}

std::string HttpServer::url() const {
  std::string host = bind_;
  if (host.empty() || host == "0.0.0.0" || host == "::" || host == "127.0.0.1" || host == "::1") {
    host = "localhost";
  } else if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";
  }
  return "http://" + host + ":" + std::to_string(port_) + "/";
}

}  // namespace fh::api
