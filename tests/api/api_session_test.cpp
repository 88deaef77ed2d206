// People in a browser: POST /api/v1/login sets an HttpOnly, SameSite=Strict session cookie
// and answers a CSRF token; with the cookie, reads work, and changes need the token in
// X-CSRF-Token and no foreign Origin; logout, a disabled user and a new password end the
// session; wrong passwords count towards the address's throttle.
#include <gmock/gmock.h>

#include "api/api_access_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Session {
  std::string cookie;  // "fh_session=..."
  std::string csrf;
};

class ApiSessionTest : public ApiAccessTest {
 protected:
  httplib::Result LogIn(const std::string& user, const std::string& password) {
    const nlohmann::json body{{"user", user}, {"password", password}};
    return client_->Post("/api/v1/login", body.dump(), "application/json");
  }
  Session LoggedIn(const std::string& user, const std::string& password) {
    auto res = LogIn(user, password);
    if (!res || res->status != 200) {
      ADD_FAILURE() << "login of " << user << ": " << (res ? res->body : "no answer");
      return {};
    }
    const std::string set = res->get_header_value("Set-Cookie");
    return {set.substr(0, set.find(';')), nlohmann::json::parse(res->body)["csrf"]};
  }
  httplib::Result Write(const Session& s, httplib::Headers extra = {}) {
    extra.emplace("Cookie", s.cookie);
    return client_->Post("/write?db=plant", extra, "m v=1 1767225600000000000", "text/plain");
  }
};

class ApiSessionThrottleTest : public ApiSessionTest {
 protected:
  ApiSessionThrottleTest() { max_failures_ = 10; }
};

TEST_F(ApiSessionTest, ALoginSetsAStrictHttpOnlyCookieAndAnswersTheCsrfToken) {
  auto res = LogIn("op.wang", "password-of-wang");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("fh_session="));
  EXPECT_THAT(cookie, HasSubstr("; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200"));
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));  // plain HTTP: a browser would drop it
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  const nlohmann::json body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["user"], "op.wang");
  EXPECT_EQ(body["role"], "operator");
  EXPECT_EQ(body["csrf"].get<std::string>().size(), 43u);
  // The id is not the CSRF token, and neither is the other's.
  const std::string id = cookie.substr(11, cookie.find(';') - 11);
  EXPECT_EQ(id.size(), 43u);
  EXPECT_NE(id, body["csrf"]);

  const Session s{cookie.substr(0, cookie.find(';')), body["csrf"]};
  EXPECT_EQ(Get("/api/v1/tags", {{"Cookie", "theme=dark; " + s.cookie}}), 200);
  std::string who;
  EXPECT_EQ(Get("/api/v1/session", {{"Cookie", s.cookie}}, &who), 200);
  EXPECT_EQ(nlohmann::json::parse(who)["csrf"], s.csrf);
}

TEST_F(ApiSessionTest, ChangesWithACookieNeedTheCsrfTokenAndThisSite) {
  const Session s = LoggedIn("op.wang", "password-of-wang");
  auto res = Write(s);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, HasSubstr("X-CSRF-Token"));
  res = Write(s, {{"X-CSRF-Token", std::string(43, 'A')}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  const std::string host = "127.0.0.1:" + std::to_string(server_->port());
  res = Write(s, {{"X-CSRF-Token", s.csrf}, {"Origin", "https://evil.example"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, HasSubstr("another site (https://evil.example)"));
  res = Write(s, {{"X-CSRF-Token", s.csrf}, {"Origin", "http://" + host}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204) << res->body;
  // A token needs no CSRF token: no browser sends it by itself.
  res = client_->Post("/write?db=plant", Bearer(operator_), "m v=2 1767225601000000000",
                      "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  // A viewer's session reads, and is refused writes for its role, not only for CSRF.
  const Session viewer = LoggedIn("viewer.li", "password-of-li");
  res = Write(viewer, {{"X-CSRF-Token", viewer.csrf}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, HasSubstr("needs operator"));
}

TEST_F(ApiSessionTest, LogoutDisablingAndANewPasswordEndTheSession) {
  Session s = LoggedIn("viewer.li", "password-of-li");
  auto out = client_->Post("/api/v1/logout", {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}}, "",
                           "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200) << out->body;
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("fh_session=; Path=/"));
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  std::string body;
  EXPECT_EQ(Get("/api/v1/tags", {{"Cookie", s.cookie}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("the session has ended"));

  s = LoggedIn("viewer.li", "password-of-li");
  {
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(session.access().SetPasswordHash(
        "viewer.li", security::HashPassword("a new password").value(), NowNs()));
  }
  EXPECT_EQ(Get("/api/v1/tags", {{"Cookie", s.cookie}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("password of 'viewer.li' was changed"));

  s = LoggedIn("viewer.li", "a new password");
  {
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(session.access().SetUserDisabled("viewer.li", true, NowNs()));
  }
  EXPECT_EQ(Get("/api/v1/tags", {{"Cookie", s.cookie}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("disabled"));
  auto again = LogIn("viewer.li", "a new password");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 401);
  EXPECT_THAT(again->body, HasSubstr("disabled"));
}

TEST_F(ApiSessionTest, AWrongPasswordOrAnUnknownUserGetTheSameAnswer) {
  auto wrong = LogIn("viewer.li", "not the password");
  auto unknown = LogIn("nobody", "not the password");
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_EQ(wrong->get_header_value("Set-Cookie"), "");
  auto malformed = client_->Post("/api/v1/login", "user=viewer.li", "text/plain");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  // A forged or stale cookie is no guess, but no access either.
  std::string body;
  EXPECT_EQ(Get("/api/v1/tags", {{"Cookie", "fh_session=" + std::string(43, 'x')}}, &body), 401);
  EXPECT_EQ(Get("/api/v1/tags", {{"Cookie", "fh_session=" + std::string(500, 'x')}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("too long"));
}

TEST_F(ApiSessionThrottleTest, FailedLoginsAreThrottledPerAddress) {
  for (int i = 0; i < 10; ++i) {
    auto res = LogIn("viewer.li", "guess " + std::to_string(i));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
  }
  auto res = LogIn("viewer.li", "password-of-li");  // right, but too late
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "60");
}

}  // namespace
}  // namespace fh::testing
