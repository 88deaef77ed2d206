// The OpenAPI description (api/openapi.yaml, served at /api/v1/openapi.json) and the route
// table agree: the same paths and methods; each operation's summary and permission are the
// table's; and every endpoint that checks its query parameters takes exactly the ones the
// description declares (its "unknown parameter" answer lists what it takes). What the answers
// look like is checked against the schemas on a live demo (web/e2e/openapi.test.mjs).
#include <set>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "api/routes.h"
#include "security/role.h"

namespace fh::testing {
namespace {

class ApiOpenApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Reply doc = Get("/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200) << doc.body;
    doc_ = doc.body;
  }
  static std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  // The query parameters the description declares for an operation, references resolved.
  std::set<std::string> Declared(const nlohmann::json& op) {
    std::set<std::string> names;
    for (const nlohmann::json& p : op.value("parameters", nlohmann::json::array())) {
      const nlohmann::json* param = &p;
      if (p.contains("$ref")) {
        const std::string ref = p["$ref"];  // #/components/parameters/NAME
        param = &doc_["components"]["parameters"][ref.substr(ref.rfind('/') + 1)];
      }
      if ((*param)["in"] == "query") names.insert((*param)["name"].get<std::string>());
    }
    return names;
  }
  nlohmann::json doc_;
};

TEST_F(ApiOpenApiTest, DescribesEveryRouteOfTheTableAndNothingElse) {
  EXPECT_EQ(doc_["openapi"], "3.1.0");
  std::set<std::string> table, described;
  for (const api::Route& r : api::Routes()) {
    if (r.summary.empty()) continue;  // InfluxDB's compatibility routes, not listed
    table.insert(Lower(r.method) + " " + std::string(r.path));
    const nlohmann::json& op = doc_["paths"][std::string(r.path)][Lower(r.method)];
    SCOPED_TRACE(std::string(r.method) + " " + std::string(r.path));
    ASSERT_TRUE(op.is_object()) << "not described";
    EXPECT_EQ(op["summary"], std::string(r.summary));
    EXPECT_EQ(op["x-permission"], security::NeedName(r.need));
    EXPECT_EQ(op["security"].empty(), r.need.is_public);
    EXPECT_TRUE(op["responses"].contains("200") || op["responses"].contains("204"));
  }
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, op] : item.items())
      described.insert(method + " " + path);
  }
  EXPECT_EQ(table, described);
}

TEST_F(ApiOpenApiTest, EachEndpointTakesExactlyTheParametersDescribed) {
  int checked = 0;
  for (const api::Route& r : api::Routes()) {
    if (r.summary.empty()) continue;
    SCOPED_TRACE(std::string(r.method) + " " + std::string(r.path));
    const std::string target = std::string(r.path) + "?zz_not_a_parameter=1";
    auto res = r.method == "GET" ? client_->Get(target)
                                 : client_->Post(target, "", "application/octet-stream");
    ASSERT_TRUE(res);
    Reply reply;
    reply.status = res->status;
    reply.body = nlohmann::json::parse(res->body, nullptr, false);
    const std::set<std::string> declared =
        Declared(doc_["paths"][std::string(r.path)][Lower(r.method)]);
    if (reply.status != 400 || !reply.body.is_object() ||
        reply.body.value("field", "") != "zz_not_a_parameter") {
      continue;  // takes any parameter (the writes: InfluxDB clients send their own)
    }
    // "unknown parameter 'zz_not_a_parameter' (this endpoint takes: a, b, c)"
    const std::string error = reply.body["error"];
    const size_t open = error.find("takes: ");
    ASSERT_NE(open, std::string::npos) << error;
    std::string list = error.substr(open + 7, error.rfind(')') - open - 7);
    std::set<std::string> takes;
    if (list != "none") {
      for (size_t at = 0; at <= list.size();) {
        const size_t comma = std::min(list.find(", ", at), list.size());
        takes.insert(list.substr(at, comma - at));
        at = comma + 2;
      }
    }
    EXPECT_EQ(takes, declared);
    ++checked;
  }
  // Every read endpoint but the index, the liveness check, this description, /metrics and
  // the connectors; and the import.
  EXPECT_GE(checked, 34);
}

}  // namespace
}  // namespace fh::testing
