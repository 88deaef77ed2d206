// libFuzzer harness for what the HTTP server makes of a request's bytes: Beast's request
// parser with the server's limits, then the server's own code on what it yields — the
// target split into path and parameters (percent-decoding), and the body inflated per its
// Content-Encoding within the body limit. Besides not crashing: a decoded body never
// exceeds the limit, and a path always starts with '/'.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/beast/http.hpp>

#include "api/content_decoding.h"
#include "api/http_message.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

constexpr size_t kBodyLimit = 1 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(32 << 10);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;
  http::request<http::string_body> msg = parser.release();
  fh::api::HttpRequest req;
  const auto target = msg.target();
  if (fh::api::ParseTarget({target.data(), target.size()}, &req).ok()) {
    Check(!req.path.empty() && req.path[0] == '/');
  }
  req.body = std::move(msg.body());
  const auto encoding = msg[http::field::content_encoding];
  bool too_large = false;
  if (fh::api::DecodeContent({encoding.data(), encoding.size()}, kBodyLimit, &req.body, &too_large)
          .ok()) {
    Check(req.body.size() <= kBodyLimit);
  }
  return 0;
}
