#include "notify/webhook_client.h"

#include <chrono>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace fh::notify {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

Result<int> PostJson(const HttpUrl& url,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body, int64_t timeout_ns) {
  // Asynchronous operations on a private event loop: the only way Asio puts one deadline on
  // resolving, connecting, writing and reading together.
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  http::request<http::string_body> req(http::verb::post, url.target, 11);
  req.set(http::field::host, url.port == 80 ? url.host : fmt::format("{}:{}", url.host, url.port));
  req.set(http::field::user_agent, "factoryhub");
  req.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.keep_alive(false);
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 20);  // the answer is not read, only its status: a big one is cut off
  std::string error;
  auto fail = [&](std::string_view what, const beast::error_code& ec) {
    error = fmt::format("{}: {}", what, ec == beast::error::timeout ? "timed out" : ec.message());
  };
  const auto timeout = std::chrono::nanoseconds(timeout_ns);
  stream.expires_after(timeout);
  resolver.async_resolve(
      url.host, std::to_string(url.port),
      [&](beast::error_code ec, const asio::ip::tcp::resolver::results_type& found) {
        if (ec) return fail("resolving " + url.host, ec);
        stream.async_connect(found, [&](beast::error_code cec, const auto&) {
          if (cec) return fail("connecting", cec);
          http::async_write(stream, req, [&](beast::error_code wec, size_t) {
            if (wec) return fail("sending", wec);
            http::async_read(stream, buffer, parser, [&](beast::error_code rec, size_t) {
              if (rec && rec != http::error::body_limit) return fail("reading the answer", rec);
            });
          });
        });
      });
  // The resolver has no deadline of its own (a slow DNS server): the loop has one.
  io.run_for(timeout + std::chrono::milliseconds(100));
  if (!io.stopped()) {
    io.stop();
    if (error.empty()) error = "timed out";
  }
  if (!error.empty()) return Unavailable("{}: {}", url.host, error);
  if (!parser.is_header_done()) return Unavailable("{}: no answer", url.host);
  return static_cast<int>(parser.get().result_int());
}

}  // namespace fh::notify
