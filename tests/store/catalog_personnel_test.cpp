// Catalog: personnel, qualifications and the qualification check.
#include <string>
#include <vector>

#include "store/catalog_fixture.h"

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

}  // namespace
}  // namespace fh::testing
