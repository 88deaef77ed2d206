// A served hub with access control on: two users (viewer.li, op.wang) and a viewer and an
// operator token, nothing remembered between requests (every change shows at once).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/access_control.h"
#include "api/api_fixture.h"
#include "api/routes.h"
#include "security/api_token.h"
#include "security/password.h"
#include "store/access/access_store.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {

class ApiAccessTest : public ApiTest {
 protected:
  void ConfigureServer(api::HttpServerOptions& options) override {
    // Nothing remembered between requests: every change shows at once.
    access_ = std::make_unique<api::AccessControl>(
        *hub_, api::AccessOptions{.refresh_ns = 0, .max_failures = max_failures_});
    options.access = access_.get();
    AddUser("viewer.li", security::Role::kViewer, "password-of-li");
    AddUser("op.wang", security::Role::kOperator, "password-of-wang");
    viewer_ = AddToken(security::Role::kViewer);
    operator_ = AddToken(security::Role::kOperator);
    engineer_ = AddToken(security::Role::kEngineer);
    admin_ = AddToken(security::Role::kAdmin);
  }

  void AddUser(const std::string& name, security::Role role, const std::string& password,
               const std::string& scope = "") {
    StoredUser u;
    u.name = name;
    u.role = role;
    u.scope = scope;
    u.password_hash = security::HashPassword(password).value();
    u.created_at = NowNs();
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(session.access().AddUser(u));
  }

  std::string AddToken(security::Role role, const std::string& scope = "",
                       std::optional<int64_t> expires_at = std::nullopt, int64_t* id = nullptr) {
    const security::NewToken t = security::GenerateToken();
    StoredToken s;
    s.hash = t.hash;
    s.display = t.display;
    s.role = role;
    s.scope = scope;
    s.created_at = NowNs();
    s.expires_at = expires_at;
    CatalogSession session = hub_->OpenCatalog();
    Result<int64_t> added = session.access().AddToken(s);
    EXPECT_OK(added);
    if (id) *id = added.ok() ? *added : 0;
    return t.secret;
  }

  // The status of calling `route` with `headers`.
  int Call(const api::Route& route, const httplib::Headers& headers) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(std::chrono::seconds(10));
    const std::string path(route.path);
    auto res = route.method == "GET" ? client.Get(path, headers)
                                     : client.Post(path, headers, "", "text/plain");
    if (!res) {
      ADD_FAILURE() << route.method << " " << path << ": " << httplib::to_string(res.error());
      return 0;
    }
    if (res->status == 401) {
      EXPECT_EQ(res->get_header_value("WWW-Authenticate"), R"(Bearer realm="factoryhub")");
    }
    return res->status;
  }

  int Get(const std::string& target, const httplib::Headers& headers, std::string* body = nullptr) {
    auto res = client_->Get(target, headers);
    if (!res) return 0;
    if (body) *body = res->body;
    return res->status;
  }

  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  int max_failures_ = 1000;  // the table walk tries a wrong token on every route
  std::unique_ptr<api::AccessControl> access_;
  std::string viewer_, operator_, engineer_, admin_;
};

class ApiAccessThrottleTest : public ApiAccessTest {
 protected:
  ApiAccessThrottleTest() { max_failures_ = 10; }
};

}  // namespace fh::testing
