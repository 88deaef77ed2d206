// Access control on every route of the one table (api/routes.cpp): without credentials 401,
// with too little role 403, with enough neither; public routes answer everyone. Then the
// forms clients send credentials in (Bearer, Token, Basic, u/p), and the attacks: unknown,
// revoked and expired tokens, disabled users, wrong passwords, oversized and malformed
// headers, guessing (throttled), scoped tokens, acting in another's name.
#include <regex>

#include <gmock/gmock.h>

#include "api/api_access_fixture.h"
#include "api/routes.h"
#include "store/catalog/catalog.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ApiAccessTest, EveryRouteOfTheTableRefusesWhoMayNotCallIt) {
  int routes = 0, public_routes = 0, operator_routes = 0, engineer_routes = 0, admin_routes = 0,
      scoped_routes = 0;
  const std::string scoped = AddToken(security::Role::kOperator, "acme/line-2");
  for (const api::Route& r : api::Routes()) {
    ++routes;
    SCOPED_TRACE(std::string(r.method) + " " + std::string(r.path));
    const int anonymous = Call(r, {});
    if (r.need.is_public) {
      ++public_routes;
      EXPECT_NE(anonymous, 401);
      EXPECT_NE(anonymous, 403);
      continue;
    }
    EXPECT_EQ(anonymous, 401);
    EXPECT_EQ(Call(r, Bearer("fh_" + std::string(64, '0'))), 401);  // a token nobody made
    // A token of the right role but a part of the plant: only where answers are filtered.
    const int as_scoped = Call(r, Bearer(scoped));
    if (r.need.by_scope) {
      ++scoped_routes;
      EXPECT_NE(as_scoped, 401);
      EXPECT_NE(as_scoped, 403);
    } else {
      EXPECT_EQ(as_scoped, 403);
    }
    const int as_viewer = Call(r, Bearer(viewer_));
    const int as_operator = Call(r, Bearer(operator_));
    const int as_engineer = Call(r, Bearer(engineer_));
    const int as_admin = Call(r, Bearer(admin_));
    EXPECT_NE(as_admin, 401);
    EXPECT_NE(as_admin, 403);
    if (r.need.role == security::Role::kAdmin) {
      ++admin_routes;
      EXPECT_EQ(as_viewer, 403);
      EXPECT_EQ(as_operator, 403);
      EXPECT_EQ(as_engineer, 403);
      continue;
    }
    EXPECT_NE(as_engineer, 401);
    EXPECT_NE(as_engineer, 403);
    if (r.need.role == security::Role::kViewer) {
      EXPECT_NE(as_viewer, 401);
      EXPECT_NE(as_viewer, 403);
    } else if (r.need.role == security::Role::kOperator) {
      ++operator_routes;
      EXPECT_EQ(as_viewer, 403);
      EXPECT_NE(as_operator, 403);
    } else {
      ++engineer_routes;
      EXPECT_EQ(as_viewer, 403);
      EXPECT_EQ(as_operator, 403);
    }
  }
  EXPECT_GE(routes, 30);
  // the dashboard (/, /assets/), /healthz, the OpenAPI description, /api/v1/login, InfluxDB's
  // /ping, /health, /ready
  EXPECT_EQ(public_routes, 8);
  EXPECT_EQ(operator_routes, 5);  // the three writes, the alarm actions, an edge's sync push
  // import; the quarantine's fix, replay and close; promoting a model; browsing an OPC UA
  // server (it makes the hub connect where it is told)
  EXPECT_EQ(engineer_routes, 6);
  // users (list, add, disable), tokens (list, create, revoke), the ledger's entries and its
  // verification, what partners shared
  EXPECT_EQ(admin_routes, 9);
  // equipment and its states, tags, query, latest and its stream, records, oee, oee/losses,
  // people: matrix, gaps; spc: characteristics, chart, events; alarms: the models', states,
  // journal, report, stream, act; session, logout; InfluxDB's /query (GET, POST); the three
  // writes.
  EXPECT_EQ(scoped_routes, 27);
}

TEST_F(ApiAccessTest, ClientsSendCredentialsInEveryFormTheyUse) {
  EXPECT_EQ(Get("/api/v1/tags", Bearer(viewer_)), 200);
  EXPECT_EQ(Get("/api/v1/tags", {{"Authorization", "Token " + viewer_}}), 200);  // InfluxDB 2
  EXPECT_EQ(Get("/api/v1/tags", {{"authorization", "bearer " + viewer_}}), 200);
  httplib::Client basic("127.0.0.1", server_->port());
  basic.set_basic_auth("viewer.li", "password-of-li");
  auto res = basic.Get("/api/v1/tags");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  basic.set_basic_auth("anyone", viewer_);  // Telegraf's basic auth with a token
  res = basic.Get("/api/v1/tags");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // InfluxDB 1.x: u and p; writes need an operator.
  EXPECT_EQ(Get("/query?q=SHOW%20DATABASES&u=viewer.li&p=password-of-li", {}), 200);
  auto write = client_->Post("/write?db=x&u=viewer.li&p=password-of-li", "m v=1 1", "text/plain");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 403);
  EXPECT_THAT(write->body, HasSubstr("viewer.li is a viewer; POST /write needs operator"));
  write = client_->Post("/write?db=x&u=op.wang&p=password-of-wang", "m v=1 1", "text/plain");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 204) << write->body;
}

TEST_F(ApiAccessTest, RevokedExpiredUnknownAndDisabledAreRefused) {
  int64_t id = 0;
  const std::string token = AddToken(security::Role::kViewer, "", std::nullopt, &id);
  EXPECT_EQ(Get("/api/v1/tags", Bearer(token)), 200);
  {
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(session.access().RevokeToken(id, NowNs()));
  }
  std::string body;
  EXPECT_EQ(Get("/api/v1/tags", Bearer(token), &body), 401);
  EXPECT_THAT(body, HasSubstr("is revoked"));

  const std::string expired = AddToken(security::Role::kViewer, "", NowNs() - 1);
  EXPECT_EQ(Get("/api/v1/tags", Bearer(expired), &body), 401);
  EXPECT_THAT(body, HasSubstr("has expired"));

  EXPECT_EQ(Get("/api/v1/tags", Bearer("fh_" + std::string(64, 'a')), &body), 401);
  EXPECT_THAT(body, HasSubstr("unknown token"));
  EXPECT_EQ(Get("/api/v1/tags", Bearer("letmein"), &body), 401);
  EXPECT_THAT(body, HasSubstr("not a factoryhub token"));

  httplib::Client basic("127.0.0.1", server_->port());
  basic.set_basic_auth("viewer.li", "password-of-li");
  ASSERT_EQ(basic.Get("/api/v1/tags")->status, 200);
  {
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(session.access().SetUserDisabled("viewer.li", true, NowNs()));
  }
  auto res = basic.Get("/api/v1/tags");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_THAT(res->body, HasSubstr("user 'viewer.li' is disabled"));
  basic.set_basic_auth("op.wang", "not-the-password");
  res = basic.Get("/api/v1/tags");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_THAT(res->body, HasSubstr("wrong user name or password"));
  basic.set_basic_auth("nobody", "password-of-li");  // the same answer: names are not told
  res = basic.Get("/api/v1/tags");
  ASSERT_TRUE(res);
  EXPECT_THAT(res->body, HasSubstr("wrong user name or password"));
}

TEST_F(ApiAccessTest, MalformedAndOversizedHeadersAreRefusedClearly) {
  std::string body;
  EXPECT_EQ(Get("/api/v1/tags", {{"Authorization", "Bearer " + std::string(5000, 'x')}}, &body),
            401);
  EXPECT_THAT(body, HasSubstr("longer than 4096 bytes"));
  EXPECT_EQ(Get("/api/v1/tags", {{"Authorization", "Basic !!!not-base64"}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("not base64"));
  EXPECT_EQ(Get("/api/v1/tags", {{"Authorization", "Basic dXNlcg=="}}, &body), 401);  // "user"
  EXPECT_THAT(body, HasSubstr("not user:password"));
  EXPECT_EQ(Get("/api/v1/tags", {{"Authorization", "Digest x=1"}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("unknown scheme 'Digest'"));
  EXPECT_EQ(Get("/api/v1/tags", {{"Authorization", "Bearer"}}, &body), 401);
  EXPECT_THAT(body, HasSubstr("no credentials"));
}

TEST_F(ApiAccessThrottleTest, GuessingIsThrottledPerAddress) {
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(Get("/api/v1/tags", Bearer("fh_" + std::string(64, '1'))), 401);
  std::string body;
  auto res = client_->Get("/api/v1/tags", Bearer(viewer_));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);  // even a right token, from the guessing address, for a while
  EXPECT_EQ(res->get_header_value("Retry-After"), "60");
  EXPECT_THAT(res->body, HasSubstr("too many failed attempts from 127.0.0.1"));
  EXPECT_EQ(Get("/healthz", {}), 200);  // public routes stay open
}

// No route serves files, and none resolves a path: a traversal, however encoded, is no such
// endpoint (and never reaches a file).
TEST_F(ApiAccessTest, PathTraversalOnEveryRouteIsNoSuchEndpoint) {
  for (const api::Route& r : api::Routes()) {
    for (const char* tail : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                             "/..%2f..%2f..%2fetc%2fpasswd", "%00/../etc/passwd"}) {
      const std::string target = std::string(r.path) + tail;
      SCOPED_TRACE(target);
      auto res = client_->Get(target, Bearer(operator_));
      ASSERT_TRUE(res);
      EXPECT_TRUE(res->status == 404 || res->status == 400) << res->status;
      EXPECT_EQ(res->body.find("root:"), std::string::npos);
    }
  }
  // And in the parameters that name things: refused or not found, never a file.
  for (const char* target : {"/api/v1/records?entity=../../../etc/passwd",
                             "/api/v1/spc/chart?characteristic=../../etc/passwd",
                             "/api/v1/trace/backward?lot=../../../etc/passwd"}) {
    auto res = client_->Get(target, Bearer(operator_));
    ASSERT_TRUE(res);
    EXPECT_GE(res->status, 400) << target;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << target;
  }
}

// A viewer of line 1 sees line 1's tags in lists, queries, aggregates and latest values; a
// tag of line 2 answers as one that does not exist; routes that do not filter by scope yet
// refuse it.
TEST_F(ApiAccessTest, AScopedViewerSeesOnlyItsPartOfThePlant) {
  {
    CatalogSession session = hub_->OpenCatalog();
    Catalog& catalog = session.catalog();
    const int64_t oven1 = catalog.CreateAssetPath("acme/plant/bake/line-1/oven-1").value();
    const int64_t oven2 = catalog.CreateAssetPath("acme/plant/bake/line-2/oven-2").value();
    for (const auto& [tag, equipment] :
         {std::pair{"line1.temp", oven1}, std::pair{"line1.speed", oven1},
          std::pair{"line2.temp", oven2}}) {
      TagMeta meta;
      meta.name = tag;
      meta.equipment_id = equipment;
      ASSERT_OK(catalog.UpsertTag(meta));
    }
  }
  const std::string line1 = AddToken(security::Role::kViewer, "acme/plant/bake/line-1");
  std::string body;
  ASSERT_EQ(Get("/api/v1/tags", Bearer(line1), &body), 200) << body;
  EXPECT_THAT(body, HasSubstr("line1.temp"));
  EXPECT_THAT(body, HasSubstr("line1.speed"));
  EXPECT_THAT(body, ::testing::Not(HasSubstr("line2.temp")));
  ASSERT_EQ(Get("/api/v1/tags", Bearer(viewer_), &body), 200);
  EXPECT_THAT(body, HasSubstr("line2.temp"));  // an unscoped viewer sees the whole plant

  std::string hidden, absent;
  EXPECT_EQ(Get("/api/v1/query?tag=line2.temp", Bearer(line1), &hidden), 404);
  EXPECT_EQ(Get("/api/v1/query?tag=line9.temp", Bearer(line1), &absent), 404);
  EXPECT_EQ(hidden, std::regex_replace(absent, std::regex("line9"), "line2"));  // no leak
  EXPECT_EQ(Get("/api/v1/latest?tag=line2.temp", Bearer(line1), &body), 404);
  ASSERT_EQ(Get("/api/v1/query?tag=line*&agg=count", Bearer(line1), &body), 200) << body;
  EXPECT_THAT(body, HasSubstr("line1.temp"));
  EXPECT_THAT(body, ::testing::Not(HasSubstr("line2")));
  EXPECT_EQ(Get("/api/v1/query?tag=line2*", Bearer(line1), &body), 404);
  EXPECT_THAT(body, HasSubstr("no tag matches 'line2*'"));
  EXPECT_EQ(Get("/api/v1/latest?tag=line1.temp", Bearer(line1), &body), 200);

  // OEE: the scope's report by default; another line's is refused.
  EXPECT_EQ(Get("/api/v1/oee?path=acme/plant/bake/line-2", Bearer(line1), &body), 403);
  EXPECT_THAT(body, HasSubstr("acme/plant/bake/line-2 is outside acme/plant/bake/line-1"));
  EXPECT_NE(Get("/api/v1/oee?from=2026-03-01&to=2026-03-02", Bearer(line1), &body), 403) << body;

  EXPECT_EQ(Get("/api/v1/info", Bearer(line1), &body), 403);
  EXPECT_THAT(body, HasSubstr("limited to acme/plant/bake/line-1, and GET /api/v1/info answers "
                              "about the whole plant"));
}

TEST_F(ApiAccessTest, NobodyActsOnAnAlarmInAnothersName) {
  httplib::Client basic("127.0.0.1", server_->port());
  basic.set_basic_auth("op.wang", "password-of-wang");
  auto res = basic.Post("/api/v1/alarms/act",
                        R"({"alarm": "oven-high", "action": "acknowledge", "user": "boss"})",
                        "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_THAT(res->body, HasSubstr("you are op.wang, not boss"));
}

TEST_F(ApiAccessTest, AHubWithoutUsersOrTokensAnswersEveryone) {
  TempDir dir;
  HubConfig config;
  ASSERT_OK(Hub::Init(dir.path(), config));
  Result<std::unique_ptr<Hub>> open = Hub::Open(dir.path());
  ASSERT_OK(open);
  api::AccessControl access(**open);
  EXPECT_FALSE(access.Enabled());
  api::HttpRequest req;
  req.method = "GET";
  req.path = "/api/v1/tags";
  EXPECT_EQ(access.Check(req, security::kViewer).status, 200);
  EXPECT_EQ(access.Check(req, security::kAdmin).status, 200);
}

// An admin finds the credentials nobody uses: a token's last use and a user's last sign-in
// are kept to the minute, written once per minute however many requests come.
TEST_F(ApiAccessTest, TokensAndUsersKeepWhenTheyWereLastUsed) {
  int64_t unused_id = 0, used_id = 0;
  AddToken(security::Role::kViewer, "", std::nullopt, &unused_id);
  const std::string used = AddToken(security::Role::kViewer, "", std::nullopt, &used_id);
  auto token = [&](int64_t id) {
    CatalogSession session = hub_->OpenCatalog();
    Result<std::vector<StoredToken>> tokens = session.access().ListTokens();
    EXPECT_OK(tokens);
    const std::vector<StoredToken> list = tokens.ok() ? *tokens : std::vector<StoredToken>{};
    for (const StoredToken& t : list) {
      if (t.id == id) return t;
    }
    ADD_FAILURE() << "no token " << id;
    return StoredToken{};
  };
  auto user = [&](const std::string& name) {
    CatalogSession session = hub_->OpenCatalog();
    return session.access().FindUser(name).value().value();
  };
  const int64_t before = NowNs();
  EXPECT_FALSE(token(used_id).last_used_at);
  EXPECT_FALSE(user("viewer.li").last_seen_at);

  ASSERT_EQ(Get("/api/v1/tags", Bearer(used)), 200);
  const std::optional<int64_t> first = token(used_id).last_used_at;
  ASSERT_TRUE(first);
  EXPECT_GE(*first, before);
  EXPECT_LE(*first, NowNs());
  EXPECT_FALSE(token(unused_id).last_used_at) << "a token nobody sent";
  // Within the minute, more requests write nothing more.
  ASSERT_EQ(Get("/api/v1/tags", Bearer(used)), 200);
  EXPECT_EQ(token(used_id).last_used_at, first);

  httplib::Client basic("127.0.0.1", server_->port());
  basic.set_basic_auth("viewer.li", "password-of-li");
  auto res = basic.Get("/api/v1/tags");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_GE(user("viewer.li").last_seen_at.value_or(0), before);
  EXPECT_FALSE(user("op.wang").last_seen_at);

  // Both lists show it to an admin.
  std::string body;
  ASSERT_EQ(Get("/api/v1/tokens", Bearer(admin_), &body), 200);
  const nlohmann::json tokens = nlohmann::json::parse(body);
  for (const nlohmann::json& t : tokens["tokens"]) {
    ASSERT_TRUE(t.contains("last_used")) << t.dump();
    if (t["id"] == used_id) {
      EXPECT_EQ(t["last_used"], FormatRfc3339(*first));
    } else if (t["id"] == unused_id) {
      EXPECT_TRUE(t["last_used"].is_null());
    }
  }
  ASSERT_EQ(Get("/api/v1/users", Bearer(admin_), &body), 200);
  const nlohmann::json users = nlohmann::json::parse(body);
  for (const nlohmann::json& u : users["users"])
    EXPECT_EQ(u["last_seen"].is_string(), u["name"] == "viewer.li") << u.dump();
}

}  // namespace
}  // namespace fh::testing
