// What the dashboard's data, models and administration pages call, over real HTTP: a
// record's lineage (file, line, mapping version, batch) and why a missing one is missing;
// the model registry (list, one in full with its curves, promote, audited); users and
// tokens (added, disabled, created with the secret once, revoked, audited); the ledger's
// entries newest first and its verification.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "govern/mapping.h"
#include "ml/model_registry.h"
#include "pipeline/import_job.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ApiModelsAdminTest : public ApiTest {
 protected:
  std::vector<std::string> Actions() {
    CatalogSession session = hub_->OpenCatalog();
    std::vector<std::string> out;
    const std::vector<security::AuditEntry> entries = session.audit().Entries(0, 100).value();
    for (const security::AuditEntry& e : entries)
      out.push_back(e.action + " " + e.subject);
    return out;
  }
  void Register(const std::string& name, const std::string& report) {
    ml::RegisteredModel m;
    m.name = name;
    m.kind = "logistic";
    m.task = ml::Task::kBinary;
    m.spec = "name: " + name + "\n";
    m.threshold = 0.5;
    m.report = report;
    m.data = "model bytes";
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(ml::ModelRegistry(session.models()).Register(std::move(m)));
  }
};

TEST_F(ApiModelsAdminTest, ARecordsLineageNamesItsFileLineMappingAndBatch) {
  const std::string csv = (tmp_.path() / "materials.csv").string();
  std::ofstream(csv) << "code,name\nM-100,bolt\nM-200,\n";
  Result<govern::Mapping> m = govern::ParseMapping(
      "mapping: erp-materials\nsource: { system: erp }\nentity: material\n"
      "fields: { code: code, name: name }\n"
      "rules:\n  - { rule: not_null, field: name }\n",
      "m.yaml");
  ASSERT_OK(m);
  Result<pipeline::ImportReport> r = pipeline::ImportFile(*hub_, *m, csv, {});
  ASSERT_OK(r);

  Reply stored = Get("/api/v1/lineage?entity=material&key=M-100");
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.body["source_system"], "erp");
  EXPECT_EQ(stored.body["source_object"], "materials.csv");
  EXPECT_EQ(stored.body["line"], 2);
  EXPECT_EQ(stored.body["mapping_version"], "erp-materials@1");
  EXPECT_EQ(stored.body["batch"], *r->batch_id);
  EXPECT_EQ(stored.body["batch_status"], "completed");
  // By id, as the dashboard asks for a row it shows.
  Reply by_id = Get("/api/v1/lineage?entity=material&id=" + stored.body["id"].dump());
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(by_id.body["line"], 2);

  // Not stored because an import quarantined it: the answer says where it is.
  Reply quarantined = Get("/api/v1/lineage?entity=material&key=M-200");
  EXPECT_EQ(quarantined.status, 404);
  EXPECT_THAT(quarantined.body["error"].get<std::string>(), HasSubstr("in quarantine"));
  EXPECT_THAT(quarantined.body["error"].get<std::string>(), HasSubstr("materials.csv line 3"));
  EXPECT_EQ(quarantined.body["field"], "key");

  EXPECT_EQ(Get("/api/v1/lineage?entity=material").body["field"], "key");
  EXPECT_EQ(Get("/api/v1/lineage?entity=gadget&key=x").status, 400);
  EXPECT_EQ(Get("/api/v1/lineage?entity=material&key=M-100&id=1").status, 400);
  Reply sample = Get("/api/v1/lineage?entity=sample&key=line-1.temp&at=2026-01-01T00:00:00Z");
  ASSERT_EQ(sample.status, 200) << sample.body;
  EXPECT_TRUE(sample.body["batches"].is_array());
  EXPECT_EQ(Get("/api/v1/lineage?entity=sample&key=line-1.temp").body["field"], "at");
}

TEST_F(ApiModelsAdminTest, TheRegistryListsShowsAndPromotesAudited) {
  const std::string report =
      R"({"models": [{"kind": "logistic", "cv": {"roc_auc": 0.91, "f1": 0.7},
          "importance": {"torque": 0.6}, "curves": {"roc": [[0, 0], [0.1, 0.8], [1, 1]]}}]})";
  Register("spindle-failure", report);
  Register("spindle-failure", report);
  Reply list = Get("/api/v1/models");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.body["models"].size(), 2u);
  EXPECT_EQ(list.body["models"][0]["model"], "spindle-failure@2");  // newest first
  EXPECT_EQ(list.body["models"][0]["cv"]["roc_auc"], 0.91);

  Reply show = Get("/api/v1/models/show?model=spindle-failure@1");
  ASSERT_EQ(show.status, 200) << show.body;
  EXPECT_EQ(show.body["report"]["models"][0]["curves"]["roc"][1][1], 0.8);
  EXPECT_FALSE(show.body.contains("data"));  // the model's bytes are not the page's business
  EXPECT_EQ(Get("/api/v1/models/show?model=nope").status, 404);

  Reply promoted = Post("/api/v1/models/promote", {{"model", "spindle-failure@1"}});
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(promoted.body["stage"], "production");
  EXPECT_EQ(Get("/api/v1/models/show?model=spindle-failure").body["version"], 1);
  EXPECT_THAT(Actions(), ::testing::Contains("model.promote spindle-failure@1"));
  EXPECT_EQ(Post("/api/v1/models/promote", {{"model", "nope@1"}}).status, 404);
  EXPECT_EQ(Post("/api/v1/models/promote", nlohmann::json::object()).body["field"], "model");
}

TEST_F(ApiModelsAdminTest, UsersAndTokensAreAdministeredAndAudited) {
  Reply added = Post("/api/v1/users/add", {{"name", "zhang.min"},
                                           {"role", "viewer"},
                                           {"scope", "acme/plant/line-1"},
                                           {"password", "a long passphrase"}});
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.body["scope"], "acme/plant/line-1");
  EXPECT_FALSE(added.body.contains("password_hash"));
  EXPECT_EQ(
      Post("/api/v1/users/add", {{"name", "zhang.min"}, {"password", "a long passphrase"}}).status,
      409);
  EXPECT_EQ(Post("/api/v1/users/add", {{"name", "x"}, {"password", "short"}}).body["field"],
            "password");
  EXPECT_EQ(
      Post("/api/v1/users/add", {{"name", "x"}, {"role", "boss"}, {"password", "long enough"}})
          .body["field"],
      "role");

  // A token of a user never allows more than the user.
  Reply too_much = Post("/api/v1/tokens/create", {{"user", "zhang.min"}, {"role", "engineer"}});
  EXPECT_EQ(too_much.status, 400);
  EXPECT_EQ(too_much.body["field"], "role");
  Reply created = Post("/api/v1/tokens/create", {{"user", "zhang.min"},
                                                 {"role", "viewer"},
                                                 {"expires", "30d"},
                                                 {"description", "line 1 screen"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_THAT(created.body["secret"].get<std::string>(), StartsWith("fh_"));
  EXPECT_EQ(created.body["scope"], "acme/plant/line-1");  // the user's
  const int64_t id = created.body["id"];
  Reply tokens = Get("/api/v1/tokens");
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  ASSERT_EQ(tokens.body["tokens"].size(), 1u);
  EXPECT_EQ(tokens.body["tokens"][0]["description"], "line 1 screen");
  EXPECT_EQ(tokens.body["tokens"][0]["state"], "valid");
  EXPECT_FALSE(tokens.body["tokens"][0].contains("secret"));  // shown once, when created
  ASSERT_EQ(Post("/api/v1/tokens/revoke", {{"id", id}}).status, 200);
  EXPECT_THAT(Get("/api/v1/tokens").body["tokens"][0]["state"].get<std::string>(),
              StartsWith("revoked"));
  EXPECT_EQ(Post("/api/v1/tokens/revoke", {{"id", id}}).status, 409);
  EXPECT_EQ(Post("/api/v1/tokens/revoke", {{"id", 999}}).status, 404);

  Reply disabled = Post("/api/v1/users/disable", {{"name", "zhang.min"}, {"disabled", true}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_TRUE(disabled.body["disabled"]);
  EXPECT_TRUE(Get("/api/v1/users").body["users"][0]["disabled"]);

  // Nobody disables themselves from the browser (on an open hub nobody is logged in).
  EXPECT_EQ(Post("/api/v1/users/disable", {{"name", "zhang.min"}}).body["field"], "disabled");

  // The ledger, newest first, filtered by action, and intact.
  Reply entries = Get("/api/v1/audit/entries?action=token.");
  ASSERT_EQ(entries.status, 200) << entries.body;
  ASSERT_EQ(entries.body["entries"].size(), 2u);
  EXPECT_EQ(entries.body["entries"][0]["action"], "token.revoke");
  EXPECT_EQ(entries.body["entries"][1]["action"], "token.create");
  EXPECT_EQ(Get("/api/v1/audit/entries?limit=1").body["entries"][0]["action"], "user.disable");
  EXPECT_EQ(Get("/api/v1/audit/entries?from=0").body["entries"].size(), 1u);
  EXPECT_EQ(Get("/api/v1/audit/entries?from=x").status, 400);
  EXPECT_EQ(Get("/api/v1/audit/entries?from=-1").body["field"], "from");
  Reply verify = Get("/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.body["ok"]);
  EXPECT_EQ(verify.body["entries"], 4);
}

}  // namespace
}  // namespace fh::testing
