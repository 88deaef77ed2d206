#include "api/http_connection.h"

#include <strings.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include "api/content_decoding.h"
#include "common/json_text.h"

namespace fh::api::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Header fields, request line included; InfluxDB clients send short ones.
constexpr uint32_t kHeaderLimit = 32 << 10;
// Bytes asked of the socket at once while waiting for a request.
constexpr size_t kReadSize = 64 << 10;

std::string ErrorJson(std::string_view message) {
  return JsonText(nlohmann::json{{"error", message}}) + "\n";
}

// Boost 1.74's string_view is its own type.
std::string_view View(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Over plain TCP (beast::tcp_stream) or TLS (TlsStream): the same code, the stream's type
// chosen when the connection is accepted.
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
class HttpConnection : public std::enable_shared_from_this<HttpConnection<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  template <class... TlsContext>
  HttpConnection(asio::ip::tcp::socket socket, const ConnectionContext& context, TlsContext&... tls)
      : stream_(std::move(socket), tls...),
        timer_(stream_.get_executor()),
        context_(context),
        options_(*context.options) {
    context_.counters->open.fetch_add(1);
    boost::system::error_code ec;
    // An answer goes out at once, even when TLS writes its head and body as two records.
    Tcp().socket().set_option(asio::ip::tcp::no_delay(true), ec);
    const auto peer = Tcp().socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
  }
  ~HttpConnection() {
    if (events_ && context_.event_streams) context_.event_streams->Remove(this);
    ReleaseBody();
    context_.counters->open.fetch_sub(1);
  }

  void Start() {
    if constexpr (kTls) {
      DetectTls();
    } else {
      WaitForRequest();
    }
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  // A client that speaks plain HTTP to the TLS port is told so, in plain HTTP, instead of
  // seeing the connection drop.
  void DetectTls() {
    Tcp().expires_after(options_.header_timeout);
    beast::async_detect_ssl(Tcp(), buffer_,
                            [self = this->shared_from_this()](beast::error_code ec, bool tls) {
                              if (ec) return self->Closed(ec);
                              if (!tls) return self->RefusePlainHttp();
                              self->Handshake();
                            });
  }

  void Handshake() {
    if constexpr (kTls) {
      stream_.async_handshake(asio::ssl::stream_base::server, buffer_.data(),
                              [self = this->shared_from_this()](beast::error_code ec, size_t used) {
                                if (ec) {
                                  self->context_.counters->tls_failed.fetch_add(1);
                                  return self->Closed(ec);
                                }
                                self->buffer_.consume(used);
                                self->WaitForRequest();
                              });
    }
  }

  void RefusePlainHttp() {
    context_.counters->tls_failed.fetch_add(1);
    const std::string body =
        ErrorJson("this port speaks HTTPS: use https:// (the server has a TLS certificate)");
    refusal_ = fmt::format(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nConnection: "
        "close\r\nContent-Length: {}\r\n\r\n{}",
        body.size(), body);
    Tcp().expires_after(options_.write_timeout);
    asio::async_write(Tcp(), asio::buffer(refusal_),
                      [self = this->shared_from_this()](beast::error_code, size_t) {
                        beast::error_code ignored;  // closing anyway
                        self->Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send,
                                                      ignored);
                      });
  }

  // Keep-alive: nothing is owed to a client that sends nothing, until idle_timeout.
  void WaitForRequest() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(options_.max_body_bytes);
    if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is here
    Tcp().expires_after(options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadSize),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->Closed(ec);
                              self->buffer_.commit(n);
                              self->ReadHeader();
                            });
  }

  // The whole header within header_timeout of its first byte: a client sending a line
  // every few seconds is cut off.
  void ReadHeader() {
    Tcp().expires_after(options_.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Fail(413, fmt::format("the body is larger than {} bytes, the server's limit",
                                   options_.max_body_bytes));
    }
    if (ec == http::error::header_limit) {
      return Fail(431, fmt::format("the header is larger than {} bytes", kHeaderLimit));
    }
    if (ec == http::error::bad_content_length) {
      return Fail(400, "Content-Length is not a single whole number");
    }
    if (ec) return Closed(ec);
    const auto& req = parser_->get();
    // Beast takes "9, 9" and repeated equal fields as one length; proxies may not, and a
    // disagreement about where a body ends is how requests are smuggled.
    if (req.count(http::field::content_length) > 1 ||
        View(req[http::field::content_length]).find_first_not_of("0123456789") !=
            std::string_view::npos) {
      return Fail(400, "Content-Length must be one whole number, in one field");
    }
    version_ = req.version();
    if (IEquals(View(req[http::field::expect]), "100-continue")) {
      // curl asks before sending a body over 1 MiB and waits a second for the answer.
      continue_.emplace(http::status::continue_, version_);
      Tcp().expires_after(options_.write_timeout);
      return http::async_write(stream_, *continue_,
                               [self = this->shared_from_this()](beast::error_code wec, size_t) {
                                 if (wec) return self->Closed(wec);
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  // The body in pieces: each piece within body_timeout of the last, and all bodies being
  // received by the server within max_body_bytes_in_flight together.
  void ReadBody() {
    if (parser_->is_done()) return OnRequest();
    Tcp().expires_after(options_.body_timeout);
    http::async_read_some(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnBodyPiece(ec); });
  }

  void OnBodyPiece(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Fail(413, fmt::format("the body is larger than {} bytes, the server's limit",
                                   options_.max_body_bytes));
    }
    if (ec == http::error::partial_message || ec == http::error::end_of_stream) {
      return Closed(ec);
    }
    if (ec == beast::error::timeout || ec == asio::error::operation_aborted) return Closed(ec);
    if (ec) return Fail(400, "malformed body: " + ec.message());
    const int64_t size = static_cast<int64_t>(parser_->get().body().size());
    const int64_t total =
        context_.counters->body_bytes.fetch_add(size - body_bytes_) + size - body_bytes_;
    body_bytes_ = size;
    if (total > static_cast<int64_t>(options_.max_body_bytes_in_flight)) {
      return Fail(503, "the server is receiving too many bodies at once: retry after 1 s", true);
    }
    ReadBody();
  }

  void OnRequest() {
    http::request<http::string_body> msg = parser_->release();
    parser_.reset();
    keep_alive_ = msg.keep_alive();
    head_ = msg.method() == http::verb::head;
    auto req = std::make_shared<HttpRequest>();
    req->method = std::string(msg.method_string());
    for (const auto& field : msg) {
      req->headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    req->body = std::move(msg.body());
    req->remote = remote_;
    if (Status s = ParseTarget(View(msg.target()), req.get()); !s.ok())
      return Fail(400, s.message());
    if (const std::string_view encoding = req->Header("Content-Encoding"); !encoding.empty()) {
      bool too_large = false;
      Status s = DecodeContent(encoding, options_.max_body_bytes, &req->body, &too_large);
      if (!s.ok()) return Fail(too_large ? 413 : 400, s.message());
    }
    context_.counters->requests.fetch_add(1);
    // The answer comes back on this connection's strand, whichever thread produced it.
    context_.dispatch(std::move(req), [self = this->shared_from_this()](HttpResponse res) {
      auto* conn = self.get();
      asio::post(conn->stream_.get_executor(),
                 [self = std::move(self), res = std::move(res)]() mutable {
                   self->Write(std::move(res));
                 });
    });
  }

  void Write(HttpResponse res) {
    if (res.stream && !head_) return StartEventStream(std::move(res));
    response_.emplace();
    response_->version(version_ ? version_ : 11);
    response_->result(static_cast<unsigned>(res.status));
    response_->set(http::field::server, "factoryhub");
    if (!res.content_type.empty()) response_->set(http::field::content_type, res.content_type);
    for (auto& [name, value] : res.headers)
      response_->set(name, value);
    response_->body() = std::move(res.body);
    response_->keep_alive(keep_alive_);
    response_->prepare_payload();
    if (head_) response_->body().clear();  // Content-Length stays that of the GET
    Tcp().expires_after(options_.write_timeout);
    http::async_write(
        stream_, *response_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnWritten(ec); });
  }

  void OnWritten(beast::error_code ec) {
    ReleaseBody();
    response_.reset();
    if (ec) return Closed(ec);
    if (!keep_alive_) {
      return CloseSend();
    }
    WaitForRequest();
  }

  // An event stream (HttpEventStream): the head and the body so far, then what `next` gives.
  // Chunked for HTTP/1.1, the body ending with the connection for HTTP/1.0; either way the
  // connection serves nothing else.
  void StartEventStream(HttpResponse res) {
    ReleaseBody();
    events_ = std::move(res.stream);
    chunked_ = version_ >= 11;
    std::string head = fmt::format(
        "HTTP/1.{} {} {}\r\nServer: factoryhub\r\n", version_ % 10, res.status,
        View(http::obsolete_reason(http::int_to_status(static_cast<unsigned>(res.status)))));
    if (!res.content_type.empty()) head += fmt::format("Content-Type: {}\r\n", res.content_type);
    for (const auto& [name, value] : res.headers)
      head += fmt::format("{}: {}\r\n", name, value);
    head += chunked_ ? "Transfer-Encoding: chunked\r\n\r\n" : "Connection: close\r\n\r\n";
    if (context_.event_streams) {
      // The server stopping asks, from its own thread, on this connection's strand.
      const bool open = context_.event_streams->Add(this, [weak = this->weak_from_this()] {
        auto self = weak.lock();
        if (!self) return;
        auto* conn = self.get();
        asio::post(conn->stream_.get_executor(), [self = std::move(self)] {
          self->events_ending_ = true;
          self->timer_.cancel();  // a write under way finishes first, then the end is sent
        });
      });
      if (!open) events_ending_ = true;
    }
    SendEvents(head + Chunk(res.body));
  }

  // The server is stopping: the body's end (the last chunk; HTTP/1.0's is the connection's
  // end), then the connection closes.
  void EndEvents() {
    auto ended = [self = this->shared_from_this()] {
      if (self->context_.event_streams) self->context_.event_streams->Remove(self.get());
      self->CloseSend();
    };
    if (!chunked_) return ended();
    events_out_ = "0\r\n\r\n";
    Tcp().expires_after(options_.write_timeout);
    asio::async_write(stream_, asio::buffer(events_out_),
                      [ended](beast::error_code, size_t) { ended(); });
  }

  std::string Chunk(std::string_view text) const {
    if (!chunked_ || text.empty()) return std::string(text);  // an empty chunk would end it
    return fmt::format("{:x}\r\n{}\r\n", text.size(), text);
  }

  void SendEvents(std::string bytes) {
    events_out_ = std::move(bytes);
    events_sent_at_ = std::chrono::steady_clock::now();
    Tcp().expires_after(options_.write_timeout);
    asio::async_write(stream_, asio::buffer(events_out_),
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->Closed(ec);
                        self->WaitForEvents();
                      });
  }

  void WaitForEvents() {
    if (events_ending_) return EndEvents();
    timer_.expires_after(events_->poll_every);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (self->events_ending_) return self->EndEvents();
      if (ec) return;  // the event loop is going away
      std::string text = self->events_->next();
      if (text.empty()) {
        if (std::chrono::steady_clock::now() - self->events_sent_at_ < self->events_->heartbeat)
          return self->WaitForEvents();
        text = ": keep-alive\n\n";
      }
      self->SendEvents(self->Chunk(text));
    });
  }

  // The last answer is written: TLS says close_notify (so that the client can tell the end
  // of the answer from a cut connection), then TCP half-closes.
  void CloseSend() {
    if constexpr (kTls) {
      Tcp().expires_after(options_.write_timeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;  // the peer may be gone already; the socket closes anyway
        self->Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      });
    } else {
      beast::error_code ignored;  // the peer may be gone already; the socket closes anyway
      Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    }
  }

  // Answers a request that cannot be served and closes the connection: what is left of it
  // on the wire cannot be told apart from a next request.
  void Fail(int status, std::string_view message, bool retry = false) {
    if (status != 503) context_.counters->bad_requests.fetch_add(1);
    keep_alive_ = false;
    head_ = false;
    parser_.reset();
    HttpResponse res;
    res.status = status;
    res.SetContent(ErrorJson(message), "application/json");
    if (retry) res.SetHeader("Retry-After", "1");
    Write(std::move(res));
  }

  void Closed(beast::error_code ec) {
    if (ec == beast::error::timeout) context_.counters->timed_out.fetch_add(1);
    // Nothing else to do: the last handler holding `this` returns, and the socket closes.
  }

  void ReleaseBody() {
    if (body_bytes_) context_.counters->body_bytes.fetch_sub(body_bytes_);
    body_bytes_ = 0;
  }

  Stream stream_;
  asio::steady_timer timer_;  // an event stream's next poll
  beast::flat_buffer buffer_;
  const ConnectionContext& context_;
  const HttpServerOptions& options_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  unsigned version_ = 11;
  std::string remote_;  // the client's address, for access control's throttling
  bool keep_alive_ = true;
  bool head_ = false;
  int64_t body_bytes_ = 0;  // this request's share of counters->body_bytes
  // An event stream's source, what is being sent of it, and when something last was.
  std::shared_ptr<HttpEventStream> events_;
  std::string events_out_;
  std::chrono::steady_clock::time_point events_sent_at_;
  bool chunked_ = false;
  bool events_ending_ = false;  // the server is stopping: end the stream
  std::string refusal_;         // the answer to plain HTTP on the TLS port
};

}  // namespace

void ServeConnection(asio::ip::tcp::socket socket, const ConnectionContext& context) {
  if (context.tls != nullptr) {
    std::make_shared<HttpConnection<TlsStream>>(std::move(socket), context, *context.tls)->Start();
  } else {
    std::make_shared<HttpConnection<beast::tcp_stream>>(std::move(socket), context)->Start();
  }
}

void RefuseConnection(asio::ip::tcp::socket socket) {
  struct Refusal {
    asio::ip::tcp::socket socket;
    std::string text;
  };
  const std::string body = ErrorJson("too many connections: retry after 1 s");
  auto r = std::make_shared<Refusal>(
      Refusal{std::move(socket),
              fmt::format("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                          "Retry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
                          body.size(), body)});
  asio::async_write(r->socket, asio::buffer(r->text), [r](beast::error_code, size_t) {
    beast::error_code ignored;  // closing anyway
    r->socket.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  });
}

}  // namespace fh::api::detail
