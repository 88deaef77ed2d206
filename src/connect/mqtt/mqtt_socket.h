// A connection to an MQTT broker, as the subscriber (mqtt_connector.h) and the publisher
// (mqtt_publisher.h) use it: TCP, or TLS over it (OpenSSL) with the broker's certificate
// checked against a CA and its name, and optionally a client certificate. Blocking calls
// with timeouts; errors are Unavailable (the connection is to be dropped and made again),
// except a TLS configuration that cannot work, which is InvalidArgument.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "connect/mqtt/mqtt_codec.h"

struct ssl_ctx_st;
struct ssl_st;

namespace fh::connect {

// TLS towards a broker, as connectors.yaml and notify.yaml say it.
struct TlsClientSpec {
  bool enabled = false;
  std::string ca_file;  // PEM CA certificates to trust; empty: the system's (/etc/ssl/certs)
  std::string cert_file, key_file;  // a client certificate and its key (PEM): both or none
  std::string server_name;          // the name the certificate must carry; empty: the broker's host
};

// A TLS configuration loaded once (certificates read, checked) and shared by every
// connection made with it.
class TlsClient {
 public:
  // InvalidArgument naming the file that cannot be read or used.
  static Result<std::shared_ptr<const TlsClient>> Make(const TlsClientSpec& spec);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  ssl_ctx_st* context() const { return ctx_; }
  const std::string& server_name() const { return server_name_; }

 private:
  TlsClient(ssl_ctx_st* ctx, std::string server_name)
      : ctx_(ctx), server_name_(std::move(server_name)) {}
  ssl_ctx_st* ctx_;
  std::string server_name_;
};

class BrokerConnection {
 public:
  BrokerConnection() = default;
  ~BrokerConnection() { Close(); }
  BrokerConnection(const BrokerConnection&) = delete;
  BrokerConnection& operator=(const BrokerConnection&) = delete;

  // Connects to host:port (TCP_NODELAY) and, with `tls`, completes the handshake within
  // 10 s and checks the broker's certificate; Unavailable saying why not.
  Status Open(const std::string& host, int port, const TlsClient* tls);
  bool is_open() const { return fd_ >= 0; }
  void Close();

  Status Send(std::string_view bytes);
  // Reads what is available into `buffer` (waiting up to timeout_ms for something); false
  // on timeout. Unavailable when the broker closed the connection.
  Result<bool> ReadSome(std::string& buffer, int timeout_ms);

 private:
  Status Handshake(const std::string& host, const TlsClient& tls);
  // Waits until the socket can be read (`for_read`) or written, up to timeout_ms.
  Status WaitFor(bool for_read, int timeout_ms) const;

  int fd_ = -1;
  ssl_st* ssl_ = nullptr;
};

// Waits up to 10 s for one packet of `type` (others before it are an error) and takes it
// off the front of `buffer`.
Result<MqttPacket> Expect(BrokerConnection& conn, std::string& buffer, MqttType type,
                          std::string_view what);

}  // namespace fh::connect
