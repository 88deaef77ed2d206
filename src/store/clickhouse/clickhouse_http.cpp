#include "store/clickhouse/clickhouse_http.h"

#include <zlib.h>

#include <charconv>

#include <httplib.h>

namespace fh::clickhouse {
namespace http_detail {

// gzip at level 1: most of the size gain of the default level for a fraction of its time,
// which matters when a hub sends a million points a second.
Result<std::string> Gzip(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Internal("gzip: cannot initialise zlib");
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Internal("gzip: compressing {} bytes failed", data.size());
  return out;
}

std::string TrimmedMessage(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  return message;
}

}  // namespace http_detail

Result<Endpoint> Endpoint::FromUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return InvalidArgument("ClickHouse url '{}' must start with http:// (its HTTP interface)", url);
  }
  std::string_view rest = url.substr(kScheme.size());
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") {
      return InvalidArgument(
          "ClickHouse url '{}': give the database as storage.clickhouse."
          "database, not in the path",
          url);
    }
    rest = rest.substr(0, slash);
  }
  Endpoint e;
  size_t colon = rest.rfind(':');
  e.host = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view port = rest.substr(colon + 1);
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), e.port);
    if (ec != std::errc() || end != port.data() + port.size() || e.port < 1 || e.port > 65535) {
      return InvalidArgument("ClickHouse url '{}': port '{}' is not a number 1..65535", url, port);
    }
  }
  if (e.host.empty()) return InvalidArgument("ClickHouse url '{}' names no host", url);
  return e;
}

struct HttpClient::Connection {
  explicit Connection(const Endpoint& e) : client(e.host, e.port) {}
  httplib::Client client;
};

HttpClient::HttpClient(Endpoint endpoint)
    : endpoint_(std::move(endpoint)), connection_(std::make_unique<Connection>(endpoint_)) {
  httplib::Client& c = connection_->client;
  c.set_keep_alive(true);
  // Headers and body leave in two writes: without it, Nagle and delayed ACKs add 40 ms.
  c.set_tcp_nodelay(true);
  c.set_connection_timeout(endpoint_.timeout);
  c.set_read_timeout(endpoint_.timeout);
  c.set_write_timeout(endpoint_.timeout);
}

HttpClient::~HttpClient() = default;

Status HttpClient::Send(const std::string& query_param, std::string_view body, const BytesFn& fn) {
  httplib::Request req;
  req.method = "POST";
  // 18.16 knows neither X-ClickHouse-Database nor X-ClickHouse-Key: the database goes in
  // the URL, the credentials as HTTP Basic authentication (kept out of URLs and logs).
  req.path = "/?database=" + httplib::detail::encode_query_param(endpoint_.database);
  if (!endpoint_.url_settings.empty()) req.path += "&" + endpoint_.url_settings;
  if (!query_param.empty())
    req.path += "&query=" + httplib::detail::encode_query_param(query_param);
  req.headers = {httplib::make_basic_authentication_header(endpoint_.user, endpoint_.password),
                 {"Content-Type", "application/octet-stream"}};
  if (!query_param.empty() && endpoint_.gzip) {
    FH_ASSIGN_OR_RETURN(req.body, http_detail::Gzip(body));
    req.headers.emplace("Content-Encoding", "gzip");
  } else {
    req.body = std::string(body);
  }
  int status = 0;
  std::string error_body;
  bool stopped = false;
  req.response_handler = [&](const httplib::Response& r) {
    status = r.status;
    return true;
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (status != 200) {
      if (error_body.size() < 64 * 1024) error_body.append(data, n);
      return true;
    }
    if (fn && !fn(std::string_view(data, n))) {
      stopped = true;
      return false;
    }
    return true;
  };
  httplib::Result res = connection_->client.send(req);
  if (!res && !stopped && status == 0 &&
      (res.error() == httplib::Error::Read || res.error() == httplib::Error::Write)) {
    // A kept-alive connection the server had closed meanwhile (its keep_alive_timeout is 3 s)
    // fails on first use: once more on a new one. Nothing of the answer was read, and every
    // statement the store sends may be sent twice (inserts carry their version).
    connection_->client.stop();
    error_body.clear();
    res = connection_->client.send(req);
  }
  if (stopped) {
    // The answer was cut off mid-stream: the connection cannot carry the next request.
    connection_->client.stop();
    return Status();
  }
  if (!res) {
    return Unavailable("ClickHouse at {}:{}: {}", endpoint_.host, endpoint_.port,
                       httplib::to_string(res.error()));
  }
  if (status != 200) {
    std::string message = http_detail::TrimmedMessage(std::move(error_body));
    if (status >= 500 && message.find("DB::Exception") == std::string::npos) {
      return Unavailable("ClickHouse at {}:{} answered {}: {}", endpoint_.host, endpoint_.port,
                         status, message);
    }
    return InvalidArgument("ClickHouse: {}", message);
  }
  return Status();
}

Result<std::string> HttpClient::Query(std::string_view sql) {
  std::string out;
  FH_RETURN_IF_ERROR(Send("", sql, [&](std::string_view bytes) {
    out.append(bytes);
    return true;
  }));
  return out;
}

Status HttpClient::QueryStream(std::string_view sql, const BytesFn& fn) {
  return Send("", sql, fn);
}

Status HttpClient::Execute(std::string_view sql) {
  return Send("", sql, nullptr);
}

Status HttpClient::InsertRowBinary(std::string_view table, std::string_view columns,
                                   std::string_view rows) {
  const std::string insert = fmt::format("INSERT INTO {} ({}) FORMAT RowBinary", table, columns);
  return Send(insert, rows, nullptr);
}

}  // namespace fh::clickhouse
