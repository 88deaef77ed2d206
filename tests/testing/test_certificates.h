// Certificates made at test time with the openssl command: a CA, a server certificate it
// signed for 127.0.0.1 and localhost, a client certificate it signed, and a second CA that
// signed nothing of these (what a client that trusts the wrong authority holds). EC P-256
// keys, valid for two days; nothing is committed, nothing expires in the repository.
#pragma once

#include <filesystem>

namespace fh::testing {

struct TestCertificates {
  std::filesystem::path ca_cert, server_cert, server_key, client_cert, client_key;
  std::filesystem::path other_ca_cert;
};

// Writes them into `dir`; a test failure (and empty paths) when openssl fails.
TestCertificates MakeTestCertificates(const std::filesystem::path& dir);

}  // namespace fh::testing
