#include "connect/mqtt/mqtt_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

namespace fh::connect {

namespace {

constexpr int kHandshakeMs = 10000;
constexpr int kSendMs = 10000;  // a broker that takes no bytes for this long is gone
constexpr size_t kReadSize = 1 << 20;

// OpenSSL's reason for the last failure; clears its error queue.
std::string OpenSslError() {
  std::string reason;
  while (const unsigned long e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    reason = text;  // the last is the most specific
  }
  return reason.empty() ? std::string("the connection was closed") : reason;
}

// With TLS 1.3 the broker judges the client's certificate after the client's handshake is
// done: its refusal arrives as an alert on the first read.
// `ssl`: a connection whose write failed: the broker's alert, if it sent one before it
// closed, is read to say why.
Status TlsFailure(std::string_view doing, SSL* ssl = nullptr) {
  if (ssl != nullptr && ERR_peek_error() == 0) {
    char sink[256];
    (void)SSL_read(ssl, sink, sizeof sink);
  }
  const std::string reason = OpenSslError();
  if (reason.find("certificate required") != std::string::npos) {
    return Unavailable("tls: the broker wants a client certificate (tls: cert and key): {}",
                       reason);
  }
  return Unavailable("tls: {}: {}", doing, reason);
}

bool IsIpAddress(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

Result<int> Dial(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); rc != 0) {
    return Unavailable("{}:{}: {}", host, port, gai_strerror(rc));
  }
  int fd = -1;
  std::string error = "no address";
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return Unavailable("{}:{}: {}", host, port, error);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

Status Readable(const std::string& path, const char* what) {
  if (!std::ifstream(path)) return InvalidArgument("tls: {} {} cannot be read", what, path);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const TlsClient>> TlsClient::Make(const TlsClientSpec& spec) {
  if (spec.cert_file.empty() != spec.key_file.empty()) {
    return InvalidArgument("tls: a client certificate needs its key, and a key its certificate");
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Internal("tls: {}", OpenSslError());
  std::shared_ptr<const TlsClient> client(new TlsClient(ctx, spec.server_name));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (!spec.ca_file.empty()) {
    FH_RETURN_IF_ERROR(Readable(spec.ca_file, "CA file"));
    if (SSL_CTX_load_verify_locations(ctx, spec.ca_file.c_str(), nullptr) != 1) {
      return InvalidArgument("tls: CA file {}: {}", spec.ca_file, OpenSslError());
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return InvalidArgument("tls: the system's CA certificates: {}", OpenSslError());
  }
  if (!spec.cert_file.empty()) {
    FH_RETURN_IF_ERROR(Readable(spec.cert_file, "certificate"));
    FH_RETURN_IF_ERROR(Readable(spec.key_file, "key"));
    if (SSL_CTX_use_certificate_chain_file(ctx, spec.cert_file.c_str()) != 1) {
      return InvalidArgument("tls: certificate {}: {}", spec.cert_file, OpenSslError());
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, spec.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return InvalidArgument("tls: key {}: {}", spec.key_file, OpenSslError());
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
      ERR_clear_error();
      return InvalidArgument("tls: key {} does not belong to the certificate {}", spec.key_file,
                             spec.cert_file);
    }
  }
  return client;
}

TlsClient::~TlsClient() {
  SSL_CTX_free(ctx_);
}

Status BrokerConnection::Open(const std::string& host, int port, const TlsClient* tls) {
  Close();
  FH_ASSIGN_OR_RETURN(fd_, Dial(host, port));
  if (tls == nullptr) return Status::Ok();
  Status s = Handshake(host, *tls);
  if (!s.ok()) Close();
  return s;
}

Status BrokerConnection::Handshake(const std::string& host, const TlsClient& tls) {
  // Non-blocking from here: every wait is a poll with a deadline.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  ssl_ = SSL_new(tls.context());
  if (ssl_ == nullptr) return Unavailable("tls: {}", OpenSslError());
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE);
  SSL_set_fd(ssl_, fd_);
  const std::string& name = tls.server_name().empty() ? host : tls.server_name();
  if (IsIpAddress(name)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), name.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl_, name.c_str());
    SSL_set1_host(ssl_, name.c_str());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHandshakeMs);
  while (true) {
    const int rc = SSL_connect(ssl_);
    if (rc == 1) return Status::Ok();
    const int err = SSL_get_error(ssl_, rc);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) && left > 0) {
      FH_RETURN_IF_ERROR(WaitFor(err == SSL_ERROR_WANT_READ, static_cast<int>(left)));
      continue;
    }
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      return Unavailable("tls: no handshake within {} s", kHandshakeMs / 1000);
    }
    if (const long verify = SSL_get_verify_result(ssl_); verify != X509_V_OK) {
      ERR_clear_error();
      return Unavailable("tls: the broker's certificate is not trusted for {}: {}", name,
                         X509_verify_cert_error_string(verify));
    }
    return TlsFailure(fmt::format("handshake with {} failed", name));
  }
}

void BrokerConnection::Close() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  ssl_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status BrokerConnection::WaitFor(bool for_read, int timeout_ms) const {
  pollfd p{fd_, static_cast<short>(for_read ? POLLIN : POLLOUT), 0};
  const int ready = ::poll(&p, 1, timeout_ms);
  if (ready < 0 && errno != EINTR) return Unavailable("poll: {}", std::strerror(errno));
  if (ready == 0) return Unavailable("the broker took nothing for {} s", timeout_ms / 1000);
  return Status::Ok();
}

Status BrokerConnection::Send(std::string_view bytes) {
  if (fd_ < 0) return Unavailable("not connected");
  while (!bytes.empty()) {
    if (ssl_ == nullptr) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Unavailable("send: {}", std::strerror(errno));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    const int n =
        SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), 1 << 30)));
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    const int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) {
      FH_RETURN_IF_ERROR(WaitFor(err == SSL_ERROR_WANT_READ, kSendMs));
      continue;
    }
    return TlsFailure("sending", ssl_);
  }
  return Status::Ok();
}

Result<bool> BrokerConnection::ReadSome(std::string& buffer, int timeout_ms) {
  if (fd_ < 0) return Unavailable("not connected");
  // TLS may hold a decrypted record already: then the socket has nothing to say.
  if (ssl_ == nullptr || !SSL_has_pending(ssl_)) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready < 0)
      return errno == EINTR ? Result<bool>(false) : Unavailable("poll: {}", std::strerror(errno));
    if (ready == 0) return false;
  }
  const size_t old = buffer.size();
  buffer.resize(old + kReadSize);
  if (ssl_ == nullptr) {
    const ssize_t n = ::recv(fd_, buffer.data() + old, kReadSize, 0);
    if (n <= 0) {
      buffer.resize(old);
      if (n < 0 && errno == EINTR) return false;
      return Unavailable("the broker closed the connection{}",
                         n < 0 ? std::string(": ") + std::strerror(errno) : "");
    }
    buffer.resize(old + static_cast<size_t>(n));
    return true;
  }
  const int n = SSL_read(ssl_, buffer.data() + old, static_cast<int>(kReadSize));
  if (n > 0) {
    buffer.resize(old + static_cast<size_t>(n));
    return true;
  }
  buffer.resize(old);
  const int err = SSL_get_error(ssl_, n);
  // A record not whole yet, or one with no data for us (a TLS 1.3 session ticket).
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return false;
  if (err == SSL_ERROR_ZERO_RETURN) return Unavailable("the broker closed the connection");
  if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
    return Unavailable("the broker closed the connection{}",
                       errno != 0 ? std::string(": ") + std::strerror(errno) : "");
  }
  return TlsFailure("reading");
}

Result<MqttPacket> Expect(BrokerConnection& conn, std::string& buffer, MqttType type,
                          std::string_view what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    FH_ASSIGN_OR_RETURN(std::optional<Decoded> d, NextPacket(buffer));
    if (d) {
      if (d->packet.type != type) {
        return Unavailable("expected {}, got packet type {}", what,
                           static_cast<int>(d->packet.type));
      }
      MqttPacket p = d->packet;
      buffer.erase(0, d->size);
      return p;
    }
    if (std::chrono::steady_clock::now() > deadline) return Unavailable("no {} within 10 s", what);
    FH_ASSIGN_OR_RETURN(bool got, conn.ReadSome(buffer, 200));
    (void)got;
  }
}

}  // namespace fh::connect
