// Inside ua_crypto*, ua_security* and ua_certificate*: owning pointers for OpenSSL's objects
// and the Status of a failed OpenSSL call. Not for other modules.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include <sys/types.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/status.h"
#include "connect/opcua/ua_crypto.h"

namespace fh::opcua::crypto_detail {

template <typename T, void (*FreeFn)(T*)>
struct OsslFree {
  void operator()(T* p) const { FreeFn(p); }
};

using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslFree<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslFree<EVP_MD_CTX, EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OsslFree<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, OsslFree<EVP_MAC, EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OsslFree<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OsslFree<BIO, BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, OsslFree<X509, X509_free>>;
using X509ExtPtr = std::unique_ptr<X509_EXTENSION, OsslFree<X509_EXTENSION, X509_EXTENSION_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OsslFree<BIGNUM, BN_free>>;

// Internal("{what}: {OpenSSL's error queue}"), emptying the queue.
Status OpenSslFailure(std::string_view what);

// A whole file's bytes (IOError naming it); NotFound when it is not there.
Result<CryptoBytes> ReadWholeFile(const std::filesystem::path& path);
// Writes `bytes` to a temporary file created with `mode` beside `path`, flushes it and renames
// it over `path`: readers see the old file or the new one, never a part.
Status WriteFileReplacing(const std::filesystem::path& path, ByteView bytes, mode_t mode);

}  // namespace fh::opcua::crypto_detail
