#include "api/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fstream>

namespace fh::api {

namespace asio = boost::asio;

namespace {

// TLS 1.2 suites with ECDHE and an AEAD; TLS 1.3 has only such suites.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's reason for the last failure, without its queue of codes.
std::string OpenSslReason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  ERR_clear_error();
  return reason;
}

Status Readable(const std::string& path, const char* what) {
  if (path.empty()) return InvalidArgument("TLS: no {} file given", what);
  std::ifstream in(path);
  if (!in) return InvalidArgument("TLS {} {}: cannot be read", what, path);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<asio::ssl::context>> MakeServerTlsContext(const std::string& cert,
                                                                 const std::string& key) {
  FH_RETURN_IF_ERROR(Readable(cert, "certificate"));
  FH_RETURN_IF_ERROR(Readable(key, "key"));
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    ERR_clear_error();
    return Internal("TLS: this OpenSSL knows none of the ECDHE AEAD cipher suites");
  }
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(cert, ec);
  if (ec) return InvalidArgument("TLS certificate {}: {}", cert, OpenSslReason(ec));
  ctx->use_private_key_file(key, asio::ssl::context::pem, ec);
  if (ec) {
    const std::string reason = OpenSslReason(ec);
    if (reason.find("mismatch") != std::string::npos) {
      return InvalidArgument("TLS key {} does not belong to the certificate {}", key, cert);
    }
    return InvalidArgument("TLS key {}: {}", key, reason);
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return InvalidArgument("TLS key {} does not belong to the certificate {}", key, cert);
  }
  return ctx;
}

}  // namespace fh::api
