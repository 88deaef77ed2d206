// GET /api/v1/people/matrix and /api/v1/people/gaps on people stored in the catalog: the
// matrix's cells, the gaps against the hub's people.yaml, names and certificate numbers
// masked, errors that name the parameter, and a viewer scoped to line 2 who sees line 2's
// people only.
#include <fstream>

#include <gmock/gmock.h>

#include "api/api_access_fixture.h"
#include "api/api_fixture.h"
#include "store/catalog/catalog.h"
#include "store/catalog_session.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr TimestampNs kDay = 86'400'000'000'000;
constexpr const char* kLine1 = "acme/p1/mach/line-1";
constexpr const char* kLine2 = "acme/p1/mach/line-2";

// Line 1: cnc-01 requires "cnc"; E1 (early) holds it, E2 (night) held it until 3 days before.
// Line 2: mill-01 requires "milling"; E3 (early) holds it until 20 days after.
void StorePeople(Hub& hub, TimestampNs at) {
  CatalogSession session = hub.OpenCatalog();
  Catalog& c = session.catalog();
  ASSERT_OK(c.CreateAssetPath(std::string(kLine1) + "/cnc-01"));
  ASSERT_OK(c.CreateAssetPath(std::string(kLine2) + "/mill-01"));
  std::map<std::string, int64_t> q;
  for (const char* code : {"cnc", "milling"}) {
    Result<int64_t> id = c.UpsertQualification({.code = code, .name = code});
    ASSERT_OK(id);
    q[code] = *id;
  }
  ASSERT_OK(c.UpsertEquipmentQualification(
      {.equipment_id = c.FindAsset(std::string(kLine1) + "/cnc-01")->id,
       .qualification_id = q["cnc"]}));
  ASSERT_OK(c.UpsertEquipmentQualification(
      {.equipment_id = c.FindAsset(std::string(kLine2) + "/mill-01")->id,
       .qualification_id = q["milling"]}));
  struct P {
    const char* code;
    const char* shift;
    const char* line;
    const char* qualification;
    int to_days;
  };
  for (const P& p : std::initializer_list<P>{{"E1", "early", kLine1, "cnc", 400},
                                             {"E2", "night", kLine1, "cnc", -3},
                                             {"E3", "early", kLine2, "milling", 20}}) {
    Personnel person;
    person.code = p.code;
    person.name = std::string("Zhang ") + p.code;
    person.shift = p.shift;
    person.personnel_class = "operator";
    person.line_id = c.FindAsset(p.line)->id;
    Result<int64_t> id = c.UpsertPersonnel(person);
    ASSERT_OK(id);
    PersonnelQualification pq;
    pq.personnel_id = *id;
    pq.qualification_id = q[p.qualification];
    pq.valid_from = at - 300 * kDay;
    pq.valid_to = at + p.to_days * kDay;
    pq.certificate = std::string("CERT-1234567-") + p.code;
    ASSERT_OK(c.UpsertPersonnelQualification(pq));
  }
}

class ApiPeopleTest : public ApiTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ApiTest::SetUp());
    std::ofstream(tmp_.path() / "people.yaml") << "shifts: [early, night]\nmin_per_shift: 1\n";
    ASSERT_NO_FATAL_FAILURE(StorePeople(*hub_, kAt));
  }
  static constexpr TimestampNs kAt = 1'780'000'000'000'000'000;
  std::string At() const { return FormatRfc3339(kAt); }
};

TEST_F(ApiPeopleTest, GapsCountQualifiedPeoplePerShiftAgainstPeopleYaml) {
  Reply r = Get("/api/v1/people/gaps?at=" + At());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body["within_days"], 90);
  EXPECT_EQ(r.body["shifts"], nlohmann::json::array({"early", "night"}));
  // Line 1 night: E2's certificate lapsed; line 2 night: nobody. Early is staffed on both.
  EXPECT_EQ(r.body["shortfall"], 2);
  ASSERT_EQ(r.body["gaps"].size(), 4u);
  EXPECT_EQ(r.body["gaps"][1]["line"], kLine1);
  EXPECT_EQ(r.body["gaps"][1]["shift"], "night");
  EXPECT_EQ(r.body["gaps"][1]["qualified"], 0);
  EXPECT_EQ(r.body["gaps"][1]["shortfall"], 1);
  EXPECT_EQ(r.body["gaps"][2]["qualification"], "milling");
  EXPECT_EQ(r.body["gaps"][2]["expiring"], 1);
  EXPECT_EQ(r.body["gaps"][2]["shortfall_after_expiry"], 1);
  ASSERT_EQ(r.body["expiring"].size(), 1u);
  EXPECT_EQ(r.body["expiring"][0]["person"], "E3");
  EXPECT_EQ(r.body["expiring"][0]["days_left"], 20);
  ASSERT_EQ(r.body["expired"].size(), 1u);
  EXPECT_EQ(r.body["expired"][0]["person"], "E2");
  // Personal data: masked.
  EXPECT_THAT(r.body.dump(), Not(HasSubstr("Zhang E")));
  EXPECT_THAT(r.body.dump(), Not(HasSubstr("CERT-1234567")));
  // A what-if: two per shift.
  Reply two = Get("/api/v1/people/gaps?at=" + At() + "&min_per_shift=2");
  ASSERT_EQ(two.status, 200) << two.body;
  EXPECT_EQ(two.body["shortfall"], 6);
}

TEST_F(ApiPeopleTest, MatrixOfOneLine) {
  Reply r = Get(std::string("/api/v1/people/matrix?line=") + kLine1 + "&at=" + At());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.body["lines"].size(), 1u);
  const auto& line = r.body["lines"][0];
  EXPECT_EQ(line["line"], kLine1);
  ASSERT_EQ(line["columns"].size(), 1u);
  EXPECT_EQ(line["columns"][0]["qualification"], "cnc");
  EXPECT_EQ(line["columns"][0]["required"], true);
  EXPECT_EQ(line["columns"][0]["min_per_shift"], 1);
  ASSERT_EQ(line["rows"].size(), 2u);
  EXPECT_EQ(line["rows"][0]["person"], "E1");
  EXPECT_EQ(line["rows"][0]["cells"][0]["status"], "valid");
  EXPECT_NE(line["rows"][0]["name"], "Zhang E1");
  EXPECT_EQ(line["rows"][1]["cells"][0]["status"], "expired");
  EXPECT_EQ(line["rows"][1]["cells"][0]["days_left"], -3);
  EXPECT_EQ(line["rows"][1]["missing_required"], 1);
  // Within 500 days E1's certificate is expiring too.
  Reply wide =
      Get(std::string("/api/v1/people/matrix?line=") + kLine1 + "&at=" + At() + "&within=500");
  ASSERT_EQ(wide.status, 200) << wide.body;
  EXPECT_EQ(wide.body["lines"][0]["rows"][0]["cells"][0]["status"], "expiring");
}

TEST_F(ApiPeopleTest, BadParametersAreNamed) {
  for (const auto& [target, field, status] :
       std::initializer_list<std::tuple<const char*, const char*, int>>{
           {"/api/v1/people/matrix?line=acme/p1/mach/line-9", "line", 404},
           {"/api/v1/people/gaps?line=acme/p1/mach/line-1/cnc-01", "line", 400},
           {"/api/v1/people/gaps?at=last-tuesday", "at", 400},
           {"/api/v1/people/gaps?within=soon", "within", 400},
           {"/api/v1/people/gaps?within=4000", "within", 400},
           {"/api/v1/people/matrix?min_per_shift=-1", "min_per_shift", 400},
           {"/api/v1/people/matrix?shift=night", "shift", 400}}) {
    Reply r = Get(target);
    EXPECT_EQ(r.status, status) << target << " " << r.body;
    EXPECT_EQ(r.body["field"], field) << target << " " << r.body;
  }
  Reply r = Get("/api/v1/people/matrix?line=acme/p1/mach/line-9");
  EXPECT_THAT(r.body["error"].get<std::string>(), HasSubstr("unknown line 'acme/p1/mach/line-9'"));
}

class ApiPeopleScopeTest : public ApiAccessTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ApiAccessTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(StorePeople(*hub_, NowNs()));
  }
};

TEST_F(ApiPeopleScopeTest, AViewerOfLineTwoSeesLineTwosPeopleOnly) {
  const std::string line2 = AddToken(security::Role::kViewer, kLine2);
  std::string body;
  ASSERT_EQ(Get("/api/v1/people/matrix", Bearer(line2), &body), 200) << body;
  nlohmann::json m = nlohmann::json::parse(body);
  ASSERT_EQ(m["lines"].size(), 1u);
  EXPECT_EQ(m["lines"][0]["line"], kLine2);
  EXPECT_THAT(body, Not(HasSubstr("\"E1\"")));
  EXPECT_THAT(body, Not(HasSubstr("\"E2\"")));
  EXPECT_THAT(body, HasSubstr("\"E3\""));

  ASSERT_EQ(Get("/api/v1/people/gaps", Bearer(line2), &body), 200) << body;
  nlohmann::json g = nlohmann::json::parse(body);
  EXPECT_EQ(g["lines"], nlohmann::json::array({kLine2}));
  EXPECT_THAT(body, Not(HasSubstr("\"E1\"")));
  EXPECT_THAT(body, Not(HasSubstr("\"E2\"")));
  for (const auto& q : g["qualifications"])
    EXPECT_NE(q["qualification"], "cnc") << "line 1's qualification, held by line 1's people";

  // Line 1 is outside the scope; the whole plant is seen by an unscoped viewer.
  EXPECT_EQ(Get(std::string("/api/v1/people/gaps?line=") + kLine1, Bearer(line2), &body), 403);
  ASSERT_EQ(Get("/api/v1/people/gaps", Bearer(viewer_), &body), 200) << body;
  EXPECT_THAT(body, HasSubstr("\"E2\""));  // line 1's expired certificate
  ASSERT_EQ(Get("/api/v1/people/matrix", Bearer(viewer_), &body), 200) << body;
  EXPECT_THAT(body, HasSubstr("\"E1\""));
}

}  // namespace
}  // namespace fh::testing
