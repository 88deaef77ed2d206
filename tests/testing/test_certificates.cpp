#include "testing/test_certificates.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace fh::testing {

namespace {

bool Run(const std::string& command) {
  const int rc = std::system((command + " >/dev/null 2>&1").c_str());
  if (rc != 0) ADD_FAILURE() << "failed (" << rc << "): " << command;
  return rc == 0;
}

std::string Q(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

// A self-signed CA: its certificate and key.
bool MakeCa(const std::filesystem::path& cert, const std::filesystem::path& key,
            const std::string& name) {
  return Run(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
      "-keyout " +
      Q(key) + " -out " + Q(cert) + " -subj '/CN=" + name +
      "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign");
}

// A leaf certificate signed by the CA, with `extensions` (an openssl extfile's text).
bool MakeLeaf(const std::filesystem::path& dir, const std::string& stem, const std::string& cn,
              const std::string& extensions, const std::filesystem::path& ca_cert,
              const std::filesystem::path& ca_key) {
  const auto key = dir / (stem + ".key"), csr = dir / (stem + ".csr"), cert = dir / (stem + ".crt"),
             ext = dir / (stem + ".ext");
  std::ofstream(ext) << extensions;
  return Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + Q(key) +
             " -out " + Q(csr) + " -subj '/CN=" + cn + "'") &&
         Run("openssl x509 -req -in " + Q(csr) + " -CA " + Q(ca_cert) + " -CAkey " + Q(ca_key) +
             " -CAcreateserial -days 2 -out " + Q(cert) + " -extfile " + Q(ext));
}

}  // namespace

TestCertificates MakeTestCertificates(const std::filesystem::path& dir) {
  TestCertificates c;
  const auto ca_key = dir / "ca.key";
  const auto other_key = dir / "other-ca.key";
  if (!MakeCa(dir / "ca.crt", ca_key, "factoryhub test CA") ||
      !MakeCa(dir / "other-ca.crt", other_key, "some other CA") ||
      !MakeLeaf(dir, "server", "localhost",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
                dir / "ca.crt", ca_key) ||
      !MakeLeaf(dir, "client", "factoryhub-test-client", "extendedKeyUsage=clientAuth\n",
                dir / "ca.crt", ca_key)) {
    return c;
  }
  c.ca_cert = dir / "ca.crt";
  c.other_ca_cert = dir / "other-ca.crt";
  c.server_cert = dir / "server.crt";
  c.server_key = dir / "server.key";
  c.client_cert = dir / "client.crt";
  c.client_key = dir / "client.key";
  return c;
}

}  // namespace fh::testing
