// The server side of TLS for HttpServer: a context that loads a certificate chain and its
// key (PEM) and speaks TLS 1.2 and 1.3 with forward-secret AEAD ciphers only (Mozilla's
// "intermediate" profile), so that what a scanner flags as weak is never offered.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "common/status.h"

namespace fh::api {

// InvalidArgument naming the file when the certificate or the key cannot be read, is not
// PEM, or the key does not belong to the certificate.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const std::string& cert,
                                                                        const std::string& key);

}  // namespace fh::api
