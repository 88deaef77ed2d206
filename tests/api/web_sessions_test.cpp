// WebSessions on a clock of the test's: a session ends after its idle time or its lifetime,
// whichever comes first; past the bound, the least recently used goes; and the cookie parser.
#include "api/web_sessions.h"

#include <gtest/gtest.h>

namespace fh::api {
namespace {

constexpr int64_t kHour = 3600 * kNanosPerSecond;

TEST(WebSessionsTest, ASessionEndsWhenIdleOrAtTheEndOfItsLifetime) {
  WebSessions sessions({.idle_ns = 1 * kHour, .lifetime_ns = 3 * kHour});
  const security::Principal who{"li.wei", security::Role::kViewer, "", 0};
  const std::string a = sessions.Create(who, "hash", 0);
  ASSERT_TRUE(sessions.Find(a, kHour - 1));       // seen: idle again from here
  ASSERT_TRUE(sessions.Find(a, 2 * kHour - 2));   // still within an hour of the last
  EXPECT_FALSE(sessions.Find(a, 3 * kHour - 2));  // idle an hour, within its lifetime: ended
  EXPECT_EQ(sessions.size(), 0u);

  const std::string b = sessions.Create(who, "hash", 0);
  for (int64_t t = 0; t < 3 * kHour; t += kHour / 2)
    ASSERT_TRUE(sessions.Find(b, t)) << t;
  EXPECT_FALSE(sessions.Find(b, 3 * kHour));  // busy, but three hours old
  EXPECT_FALSE(sessions.Find("", 0));
  EXPECT_FALSE(sessions.Find("unknown", 0));
}

TEST(WebSessionsTest, IdsAndTokensAreRandomAndTheLeastRecentlyUsedGoesFirst) {
  WebSessions sessions({.max_sessions = 2});
  const security::Principal who{"li.wei", security::Role::kViewer, "", 0};
  const std::string a = sessions.Create(who, "h", 1);
  const std::string b = sessions.Create(who, "h", 2);
  EXPECT_NE(a, b);
  EXPECT_NE(sessions.Find(a, 3)->csrf, sessions.Find(b, 3)->csrf);
  ASSERT_TRUE(sessions.Find(a, 4));  // b is now the least recently used
  const std::string c = sessions.Create(who, "h", 5);
  EXPECT_TRUE(sessions.Find(a, 6));
  EXPECT_FALSE(sessions.Find(b, 6));
  EXPECT_TRUE(sessions.Find(c, 6));
  sessions.End(a);
  EXPECT_FALSE(sessions.Find(a, 7));
}

TEST(WebSessionsTest, CookieValueFindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("fh_session=abc", "fh_session"), "abc");
  EXPECT_EQ(CookieValue("theme=dark; fh_session=abc; lang=zh", "fh_session"), "abc");
  EXPECT_EQ(CookieValue("xfh_session=abc", "fh_session"), "");
  EXPECT_EQ(CookieValue("theme=dark", "fh_session"), "");
  EXPECT_EQ(CookieValue("", "fh_session"), "");
}

}  // namespace
}  // namespace fh::api
