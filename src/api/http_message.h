// The request and response a route handler sees: plain values, independent of the HTTP
// library underneath (http_server.cpp speaks Boost.Beast), so that handlers and their tests
// need no network types.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace fh::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded, without the query
  // Query parameters, percent-decoded ('+' is a space), in the order sent; a name may repeat.
  std::multimap<std::string, std::string, std::less<>> params;
  // Header fields as sent; names compare case-insensitively (Header()).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;    // decoded: chunked framing and Content-Encoding (gzip) removed
  std::string remote;  // the client's address ("" when unknown)
  // Who sent it, once access control authenticated them ("" on a hub without users).
  std::string user;
  // The ISA-95 path their answers are limited to ("" = everything): set on routes that
  // filter by scope (security::Need::by_scope).
  std::string scope;

  // The i-th value of parameter `name` ("" when it has fewer).
  std::string Param(std::string_view name, size_t i = 0) const;
  size_t ParamCount(std::string_view name) const;
  bool HasParam(std::string_view name) const { return params.find(name) != params.end(); }
  // The first field called `name` (any case), "" when absent.
  std::string_view Header(std::string_view name) const;
};

// A response that stays open and sends more as it comes: Server-Sent Events
// (text/event-stream). The connection sends the head and the response's body at once, then
// asks `next` for more every `poll_every`, on its event loop (so `next` must not block), and
// sends what it returns ("" is nothing new); a comment line when there was nothing for
// `heartbeat`, so that proxies keep the connection and a vanished client is noticed. It ends
// when the client goes, a write takes longer than the server's write timeout, or the server
// stops (which sends the body's end first). While a write is under way `next` is not asked:
// a source keeps what is new for a slow client, bounded, not the connection.
struct HttpEventStream {
  std::function<std::string()> next;
  std::chrono::milliseconds poll_every{200};
  std::chrono::milliseconds heartbeat{15000};
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type;                                  // empty: no Content-Type (a 204)
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  std::shared_ptr<HttpEventStream> stream;                   // set: the body goes on (above)

  void SetContent(std::string text, std::string_view type) {
    body = std::move(text);
    content_type = std::string(type);
  }
  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Splits a request target ("/api/v1/query?tag=a%2Fb&tag=c") into `req`'s path and params.
// InvalidArgument for a bad percent escape or a target that is not a path.
Status ParseTarget(std::string_view target, HttpRequest* req);

}  // namespace fh::api
