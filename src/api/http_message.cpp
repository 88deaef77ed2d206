#include "api/http_message.h"

#include <strings.h>

#include "common/hex.h"

namespace fh::api {

namespace {

// Percent-decodes `in`; in a query, '+' is a space (HTML forms, and what curl -G sends).
bool Decode(std::string_view in, bool query, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return false;
      const int hi = HexDigitValue(in[i + 1]);
      const int lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && query) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

}  // namespace

std::string HttpRequest::Param(std::string_view name, size_t i) const {
  auto [first, last] = params.equal_range(name);
  for (; first != last; ++first) {
    if (i-- == 0) return first->second;
  }
  return {};
}

size_t HttpRequest::ParamCount(std::string_view name) const {
  auto [first, last] = params.equal_range(name);
  return static_cast<size_t>(std::distance(first, last));
}

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), key.size()) == 0) {
      return value;
    }
  }
  return {};
}

Status ParseTarget(std::string_view target, HttpRequest* req) {
  req->target = std::string(target);
  req->params.clear();
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  if (path.empty() || path[0] != '/') {
    return InvalidArgument("the request target must be a path starting with '/'");
  }
  if (!Decode(path, false, &req->path)) {
    return InvalidArgument("bad percent escape in the path");
  }
  if (q == std::string_view::npos) return Status::Ok();
  std::string_view query = target.substr(q + 1);
  std::string name, value;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (!Decode(pair.substr(0, eq), true, &name) ||
        !Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true,
                &value)) {
      return InvalidArgument("bad percent escape in the query parameter '{}'",
                             pair.substr(0, std::min<size_t>(pair.size(), 100)));
    }
    req->params.emplace(std::move(name), std::move(value));
  }
  return Status::Ok();
}

}  // namespace fh::api
