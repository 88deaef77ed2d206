// A client of ClickHouse's HTTP interface (port 8123): statements sent as the request body,
// answers in TabSeparated text, and batches inserted in RowBinary, gzip-compressed, over one
// kept-alive connection. ClickHouse's own error text ("Code: 62, e.displayText() =
// DB::Exception: Syntax error ...") is what a failed statement says.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::clickhouse {

struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 8123;
  std::string database = "default";
  std::string user = "default";
  std::string password;  // from the environment, never a file (docs/storage.md)
  std::chrono::milliseconds timeout{30000};
};

class HttpClient {
 public:
  explicit HttpClient(Endpoint endpoint);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // A statement that answers rows: its TabSeparated text ("" for none).
  // InvalidArgument with ClickHouse's message when it refuses the statement, Unavailable
  // when it cannot be reached.
  Result<std::string> Query(std::string_view sql);
  // A statement that answers nothing (CREATE, ALTER, ...).
  Status Execute(std::string_view sql);
  // `rows` (RowBinary, row_binary.h) into `table`'s `columns` ("tag, ts, value"), gzip on
  // the wire.
  Status InsertRowBinary(std::string_view table, std::string_view columns, std::string_view rows);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Result<std::string> Post(const std::string& query_param, std::string_view body, bool gzip);

  Endpoint endpoint_;
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace fh::clickhouse
