#include "store/clickhouse/clickhouse_http.h"

#include <httplib.h>

namespace fh::clickhouse {

struct HttpClient::Connection {
  explicit Connection(const Endpoint& e) : client(e.host, e.port) {}
  httplib::Client client;
};

HttpClient::HttpClient(Endpoint endpoint)
    : endpoint_(std::move(endpoint)), connection_(std::make_unique<Connection>(endpoint_)) {
  httplib::Client& c = connection_->client;
  c.set_keep_alive(true);
  c.set_connection_timeout(endpoint_.timeout);
  c.set_read_timeout(endpoint_.timeout);
  c.set_write_timeout(endpoint_.timeout);
}

HttpClient::~HttpClient() = default;

Result<std::string> HttpClient::Post(const std::string& query_param, std::string_view body,
                                     bool gzip) {
  httplib::Client& c = connection_->client;
  c.set_compress(gzip);
  httplib::Headers headers = {{"X-ClickHouse-User", endpoint_.user},
                              {"X-ClickHouse-Key", endpoint_.password},
                              {"X-ClickHouse-Database", endpoint_.database}};
  const std::string path =
      query_param.empty() ? "/" : "/?query=" + httplib::detail::encode_query_param(query_param);
  httplib::Result res = c.Post(path, headers, body.data(), body.size(), "text/plain");
  if (!res) {
    return Unavailable("ClickHouse at {}:{}: {}", endpoint_.host, endpoint_.port,
                       httplib::to_string(res.error()));
  }
  if (res->status != 200) {
    std::string message = res->body;
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    if (res->status >= 500 && message.find("DB::Exception") == std::string::npos) {
      return Unavailable("ClickHouse at {}:{} answered {}: {}", endpoint_.host, endpoint_.port,
                         res->status, message);
    }
    return InvalidArgument("ClickHouse: {}", message);
  }
  return std::move(res->body);
}

Result<std::string> HttpClient::Query(std::string_view sql) {
  return Post("", sql, false);
}

Status HttpClient::Execute(std::string_view sql) {
  return Post("", sql, false).status();
}

Status HttpClient::InsertRowBinary(std::string_view table, std::string_view columns,
                                   std::string_view rows) {
  const std::string insert = fmt::format("INSERT INTO {} ({}) FORMAT RowBinary", table, columns);
  return Post(insert, rows, true).status();
}

}  // namespace fh::clickhouse
