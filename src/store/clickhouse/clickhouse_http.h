// A client of ClickHouse's HTTP interface (port 8123): statements sent as the request body,
// answers as text or streamed RowBinary, and batches inserted in RowBinary, gzip-compressed,
// over one kept-alive connection. ClickHouse's own error text ("Code: 62, e.displayText() =
// DB::Exception: Syntax error ...") is what a failed statement says.
//
// One client is one connection: not for several threads at once (ClientPool shares them).
#pragma once

#include <chrono>
#include <functional>
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
  bool gzip = true;          // compress inserted batches (level 1: cheap, ~5x smaller on the wire)
  std::string url_settings;  // "name=value&..." sent with every statement

  // "http://host:port" (port 8123 when absent); InvalidArgument naming what is wrong.
  static Result<Endpoint> FromUrl(std::string_view url);
};

// Receives an answer's bytes as they arrive; false stops reading (the query is cancelled).
using BytesFn = std::function<bool(std::string_view bytes)>;

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
  // A statement's answer streamed to `fn` (for FORMAT RowBinary: bounded memory however
  // many rows). Stopping early is not an error.
  Status QueryStream(std::string_view sql, const BytesFn& fn);
  // A statement that answers nothing (CREATE, ALTER, ...).
  Status Execute(std::string_view sql);
  // `rows` (RowBinary, row_binary.h) into `table`'s `columns` ("tag, ts, value").
  Status InsertRowBinary(std::string_view table, std::string_view columns, std::string_view rows);

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Status Send(const std::string& query_param, std::string_view body, const BytesFn& fn);

  Endpoint endpoint_;
  struct Connection;
  std::unique_ptr<Connection> connection_;
};

}  // namespace fh::clickhouse
