// Catalog: personnel, qualifications and the qualification check.
#include <string>
#include <vector>

#include "store/catalog_fixture.h"
#include "store/sqlite/migrations.h"
#include "testing/temp_dir.h"

namespace fh::testing {
namespace {

using CatalogPersonnelTest = CatalogTest;

TEST_F(CatalogPersonnelTest, PeopleAndQualificationsUpsert) {
  ASSERT_OK_AND_ASSIGN(int64_t site, catalog().CreateAssetPath("acme/sh"));
  Personnel p{.code = "E-7", .name = "Li Wei", .site_id = site};
  ASSERT_OK_AND_ASSIGN(p.id, catalog().UpsertPersonnel(p));
  p.active = false;
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertPersonnel(p));
  EXPECT_EQ(again, p.id);
  ASSERT_OK_AND_ASSIGN(Personnel got, catalog().FindPersonnel("E-7"));
  EXPECT_EQ(got, p);

  Qualification q{.code = "press", .name = "Press operation"};
  ASSERT_OK_AND_ASSIGN(q.id, catalog().UpsertQualification(q));
  PersonnelQualification pq{.personnel_id = p.id, .qualification_id = q.id, .valid_to = 100};
  ASSERT_OK_AND_ASSIGN(pq.id, catalog().UpsertPersonnelQualification(pq));
  pq.valid_to = 200;  // renewed
  ASSERT_OK_AND_ASSIGN(int64_t pq_again, catalog().UpsertPersonnelQualification(pq));
  EXPECT_EQ(pq_again, pq.id);
  ASSERT_OK_AND_ASSIGN(std::vector<PersonnelQualification> held,
                       catalog().ListPersonnelQualifications(p.id));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0], pq);

  Result<int64_t> dangling =
      catalog().UpsertPersonnelQualification({.personnel_id = p.id, .qualification_id = 999});
  EXPECT_EQ(dangling.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogPersonnelTest, MissingQualificationsFollowValidity) {
  ASSERT_OK_AND_ASSIGN(int64_t press,
                       catalog().CreateAssetPath("acme/sh/assembly/line-1/press-01"));
  ASSERT_OK_AND_ASSIGN(int64_t op, catalog().UpsertPersonnel({.code = "E-1", .name = "A"}));
  ASSERT_OK_AND_ASSIGN(int64_t press_q,
                       catalog().UpsertQualification({.code = "press", .name = "Press"}));
  ASSERT_OK_AND_ASSIGN(int64_t safety_q,
                       catalog().UpsertQualification({.code = "safety", .name = "Safety"}));
  ASSERT_OK_AND_ASSIGN(int64_t fork_q,
                       catalog().UpsertQualification({.code = "forklift", .name = "F"}));
  for (int64_t q : {press_q, safety_q}) {
    ASSERT_OK(
        catalog().UpsertEquipmentQualification({.equipment_id = press, .qualification_id = q}));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<EquipmentQualification> required,
                       catalog().ListEquipmentQualifications(press));
  EXPECT_EQ(required.size(), 2u);
  // press: valid [100, 200); safety: from 150 on; forklift: irrelevant to the press.
  ASSERT_OK(catalog().UpsertPersonnelQualification(
      {.personnel_id = op, .qualification_id = press_q, .valid_from = 100, .valid_to = 200}));
  ASSERT_OK(catalog().UpsertPersonnelQualification(
      {.personnel_id = op, .qualification_id = safety_q, .valid_from = 150}));
  ASSERT_OK(
      catalog().UpsertPersonnelQualification({.personnel_id = op, .qualification_id = fork_q}));

  const std::vector<std::pair<TimestampNs, std::vector<std::string>>> cases = {
      {50, {"press", "safety"}}, {120, {"safety"}}, {150, {}}, {199, {}},
      {200, {"press"}},  // valid_to is exclusive
  };
  for (const auto& [at, expected] : cases) {
    ASSERT_OK_AND_ASSIGN(std::vector<Qualification> missing,
                         catalog().MissingQualifications(op, press, at));
    std::vector<std::string> codes;
    for (const Qualification& q : missing)
      codes.push_back(q.code);
    EXPECT_EQ(codes, expected) << "at " << at;
  }
}

TEST_F(CatalogPersonnelTest, WorkOrderOperators) {
  ASSERT_OK_AND_ASSIGN(int64_t product, catalog().UpsertMaterial({.code = "P", .name = "p"}));
  ASSERT_OK_AND_ASSIGN(
      int64_t wo,
      catalog().UpsertWorkOrder({.number = "WO-1", .material_id = product, .planned_qty = 1}));
  ASSERT_OK_AND_ASSIGN(int64_t op, catalog().UpsertPersonnel({.code = "E-1", .name = "A"}));
  WorkOrderOperator o{.work_order_id = wo, .personnel_id = op, .from_ts = 10};
  ASSERT_OK_AND_ASSIGN(o.id, catalog().UpsertWorkOrderOperator(o));
  o.to_ts = 20;
  ASSERT_OK_AND_ASSIGN(int64_t again, catalog().UpsertWorkOrderOperator(o));
  EXPECT_EQ(again, o.id);
  ASSERT_OK_AND_ASSIGN(std::vector<WorkOrderOperator> ops, catalog().ListWorkOrderOperators(wo));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0], o);
}

// Schema version 25: a person's class, shift and home line, the operations a qualification
// allows, a certificate's number, read back as written.
TEST_F(CatalogPersonnelTest, ClassShiftLineOperationsAndCertificateRoundTrip) {
  ASSERT_OK_AND_ASSIGN(int64_t line, catalog().CreateAssetPath("acme/sh/mach/line-1"));
  Personnel p{.code = "E-8",
              .name = "Wang Fang",
              .personnel_class = "setter",
              .shift = "night",
              .line_id = line};
  ASSERT_OK_AND_ASSIGN(p.id, catalog().UpsertPersonnel(p));
  ASSERT_OK_AND_ASSIGN(Personnel got, catalog().FindPersonnel("E-8"));
  EXPECT_EQ(got, p);
  ASSERT_OK_AND_ASSIGN(std::vector<Personnel> all, catalog().ListPersonnel());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].line_id, line);

  Qualification q{
      .code = "tool-setting", .name = "Tool setting", .operations = "tool-change; offset"};
  ASSERT_OK_AND_ASSIGN(q.id, catalog().UpsertQualification(q));
  ASSERT_OK_AND_ASSIGN(Qualification gotq, catalog().FindQualification("tool-setting"));
  EXPECT_EQ(gotq, q);
  EXPECT_EQ(SplitOperations(*gotq.operations), (std::vector<std::string>{"tool-change", "offset"}));
  EXPECT_TRUE(SplitOperations(" , ;").empty());

  PersonnelQualification pq{
      .personnel_id = p.id, .qualification_id = q.id, .valid_to = 500, .certificate = "TS-0042"};
  ASSERT_OK_AND_ASSIGN(pq.id, catalog().UpsertPersonnelQualification(pq));
  ASSERT_OK_AND_ASSIGN(std::vector<PersonnelQualification> held,
                       catalog().ListPersonnelQualifications(p.id));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0], pq);
}

// A hub made before version 25 keeps its people, their ids and certificates; the new columns
// are empty and every reference still holds.
TEST(CatalogPersonnelUpgradeTest, PeopleFromVersion24KeepTheirIdsAndLinks) {
  TempDir dir;
  auto db = sqlite::Db::Open(dir / "hub.db", {.create = true});
  ASSERT_OK(db);
  auto all = sqlite::HubMigrations();
  ASSERT_OK(sqlite::Migrate(**db, all.first(24)));
  ASSERT_OK((*db)->Exec(
      "INSERT INTO personnel(id, code, name) VALUES(7, 'E-7', 'Li Wei');"
      "INSERT INTO qualification(id, code, name, description) VALUES(3, 'press', 'Press', 'd');"
      "INSERT INTO personnel_qualification(personnel_id, qualification_id, valid_to) "
      "VALUES(7, 3, 100);"
      "INSERT INTO asset(id, level, name, path) VALUES(1, 'enterprise', 'acme', 'acme');"
      "INSERT INTO equipment_qualification(equipment_id, qualification_id) VALUES(1, 3);"));
  ASSERT_OK(sqlite::Migrate(**db, all));
  Catalog catalog(**db);
  ASSERT_OK_AND_ASSIGN(Personnel p, catalog.FindPersonnel("E-7"));
  EXPECT_EQ(p.id, 7);
  EXPECT_EQ(p.name, "Li Wei");
  EXPECT_FALSE(p.personnel_class.has_value());
  EXPECT_FALSE(p.line_id.has_value());
  ASSERT_OK_AND_ASSIGN(Qualification q, catalog.FindQualification("press"));
  EXPECT_EQ(q.id, 3);
  EXPECT_EQ(q.description, "d");
  ASSERT_OK_AND_ASSIGN(std::vector<PersonnelQualification> held,
                       catalog.ListPersonnelQualifications(7));
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].valid_to, 100);
  EXPECT_FALSE(held[0].certificate.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<Qualification> missing,
                       catalog.MissingQualifications(7, 1, 200));
  ASSERT_EQ(missing.size(), 1u);  // expired at 100
  EXPECT_EQ(missing[0].code, "press");
}

}  // namespace
}  // namespace fh::testing
