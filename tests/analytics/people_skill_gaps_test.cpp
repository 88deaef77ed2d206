// The skills matrix and skill gaps (analytics/people): a certificate's status at a time
// (valid, expiring within N days, expired, pending, missing), qualified people per line,
// required qualification and shift against people.yaml's minimums, what a line requires
// (its own and its equipment's requirements), inactive people left out, people without a
// line, the roadmap's per-qualification view, and people on work orders without a required
// qualification.
#include <gmock/gmock.h>

#include "analytics/people/people_config.h"
#include "analytics/people/people_json.h"
#include "analytics/people/skill_gaps.h"
#include "store/catalog_fixture.h"

namespace fh::testing {
namespace {

using analytics::people::CertificateStatus;
using analytics::people::ComputeSkillGaps;
using analytics::people::ComputeSkillsMatrix;
using analytics::people::GapOptions;
using analytics::people::PeopleConfig;
using analytics::people::QualificationGap;
using analytics::people::ShiftGap;
using analytics::people::SkillGaps;
using analytics::people::SkillsMatrix;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr TimestampNs kDay = 86'400'000'000'000;
constexpr TimestampNs kAt = 1'780'000'000'000'000'000;  // 2026-05-28

class PeopleSkillGapsTest : public CatalogTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(CatalogTest::SetUp());
    for (const char* path : {"acme/p1/mach/line-1/cnc-01", "acme/p1/mach/line-1/cnc-02",
                             "acme/p1/mach/line-2/mill-01"}) {
      ASSERT_OK(catalog().CreateAssetPath(path));
    }
    for (const char* code : {"cnc", "setting", "spindle", "forklift", "milling"}) {
      Result<int64_t> id = catalog().UpsertQualification(
          {.code = code, .name = std::string(code) + " name", .operations = "op-a, op-b"});
      ASSERT_OK(id);
      quals_[code] = *id;
    }
    Require("acme/p1/mach/line-1/cnc-01", "cnc");
    Require("acme/p1/mach/line-1/cnc-02", "cnc");
    Require("acme/p1/mach/line-1", "spindle");  // a line's own: each shift needs it on hand
    Require("acme/p1/mach/line-2/mill-01", "milling");
  }

  void Require(const std::string& path, const std::string& q) {
    Result<Asset> a = catalog().FindAsset(path);
    ASSERT_OK(a);
    ASSERT_OK(catalog().UpsertEquipmentQualification(
        {.equipment_id = a->id, .qualification_id = quals_.at(q)}));
  }
  int64_t Person(const std::string& code, const std::string& shift, const std::string& line,
                 bool active = true) {
    Personnel p;
    p.code = code;
    p.name = "Name of " + code;
    p.active = active;
    p.personnel_class = "operator";
    if (!shift.empty()) p.shift = shift;
    if (!line.empty()) p.line_id = catalog().FindAsset(line)->id;
    Result<int64_t> id = catalog().UpsertPersonnel(p);
    EXPECT_OK(id);
    people_[code] = id.ok() ? *id : -1;
    return people_[code];
  }
  // Holds `q` from `from_days` to `to_days` around kAt (nullopt: open).
  void Hold(const std::string& person, const std::string& q, std::optional<int> from_days,
            std::optional<int> to_days, const std::string& certificate = "") {
    PersonnelQualification pq;
    pq.personnel_id = people_.at(person);
    pq.qualification_id = quals_.at(q);
    if (from_days) pq.valid_from = kAt + *from_days * kDay;
    if (to_days) pq.valid_to = kAt + *to_days * kDay;
    if (!certificate.empty()) pq.certificate = certificate;
    ASSERT_OK(catalog().UpsertPersonnelQualification(pq));
  }
  GapOptions Options(const std::string& path = "") {
    GapOptions o;
    o.path = path;
    o.at = kAt;
    o.within_days = 90;
    o.config.shifts = {"A", "B"};
    return o;
  }
  static const ShiftGap* Find(const SkillGaps& g, const std::string& line, const std::string& q,
                              const std::string& shift) {
    for (const ShiftGap& s : g.gaps) {
      if (s.line == line && s.qualification == q && s.shift == shift) return &s;
    }
    return nullptr;
  }
  static const QualificationGap* FindQ(const SkillGaps& g, const std::string& code) {
    for (const QualificationGap& q : g.qualifications) {
      if (q.code == code) return &q;
    }
    return nullptr;
  }

  std::map<std::string, int64_t> quals_;
  std::map<std::string, int64_t> people_;
};

TEST_F(PeopleSkillGapsTest, CountsQualifiedPeoplePerLineQualificationAndShift) {
  const std::string l1 = "acme/p1/mach/line-1";
  Person("E1", "A", l1);
  Person("E2", "A", "acme/p1/mach/line-1/cnc-02");  // a machine as home line: its line
  Person("E3", "B", l1);
  Person("E4", "B", l1, /*active=*/false);  // left: counts nowhere
  Person("E5", "B", "acme/p1/mach/line-2");
  Hold("E1", "cnc", -100, 400);
  Hold("E2", "cnc", -100, 30);                        // expiring within 90 days: still qualified
  Hold("E3", "cnc", -400, -1);                        // expired yesterday
  Hold("E4", "cnc", -100, 400);                       // inactive
  Hold("E5", "cnc", -100, 400);                       // another line
  Hold("E1", "spindle", std::nullopt, std::nullopt);  // open: always held
  Hold("E3", "spindle", 10, 400);                     // pending: not yet
  Result<SkillGaps> g = ComputeSkillGaps(*session_, Options());
  ASSERT_OK(g);
  EXPECT_THAT(g->lines, ElementsAre(l1, "acme/p1/mach/line-2"));
  EXPECT_THAT(g->shifts, ElementsAre("A", "B"));

  const ShiftGap* a = Find(*g, l1, "cnc", "A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->qualified, 2);
  EXPECT_EQ(a->expiring, 1);
  EXPECT_EQ(a->required, 2);  // the default minimum
  EXPECT_EQ(a->shortfall, 0);
  EXPECT_EQ(a->shortfall_after_expiry, 1);
  const ShiftGap* b = Find(*g, l1, "cnc", "B");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->qualified, 0);
  EXPECT_EQ(b->shortfall, 2);
  const ShiftGap* spindle_b = Find(*g, l1, "spindle", "B");
  ASSERT_NE(spindle_b, nullptr);
  EXPECT_EQ(spindle_b->qualified, 0);  // E3's certificate begins in ten days
  EXPECT_EQ(Find(*g, l1, "spindle", "A")->qualified, 1);
  // Line 2 requires milling only; nobody holds it.
  EXPECT_EQ(Find(*g, "acme/p1/mach/line-2", "cnc", "A"), nullptr);
  EXPECT_EQ(Find(*g, "acme/p1/mach/line-2", "milling", "B")->shortfall, 2);
  // 2 (cnc B) + 1 (spindle A) + 2 (spindle B) + 2 + 2 (milling) = 9
  EXPECT_EQ(g->shortfall, 9);

  const QualificationGap* cnc = FindQ(*g, "cnc");
  ASSERT_NE(cnc, nullptr);
  EXPECT_EQ(cnc->holders, 3);  // E1, E2, E5 (E3 expired, E4 inactive)
  EXPECT_EQ(cnc->holders_per_shift.at("A"), 2);
  EXPECT_EQ(cnc->holders_per_shift.at("B"), 1);
  EXPECT_EQ(cnc->required, 4);
  EXPECT_EQ(cnc->required_per_shift.at("A"), 2);
  EXPECT_EQ(cnc->shortfall, 2);
  EXPECT_EQ(cnc->shortfall_after_expiry, 3);
  EXPECT_EQ(cnc->expiring, 1);
  EXPECT_EQ(cnc->expired, 1);
  EXPECT_THAT(cnc->lines, ElementsAre(l1));
  EXPECT_THAT(cnc->operations, ElementsAre("op-a", "op-b"));

  ASSERT_EQ(g->expiring.size(), 1u);
  EXPECT_EQ(g->expiring[0].person, "E2");
  EXPECT_EQ(g->expiring[0].days_left, 30);
  EXPECT_EQ(g->expiring[0].line, l1);
  EXPECT_TRUE(g->expiring[0].required_on_line);
  ASSERT_EQ(g->expired.size(), 1u);
  EXPECT_EQ(g->expired[0].person, "E3");
  EXPECT_EQ(g->expired[0].days_left, -1);
}

TEST_F(PeopleSkillGapsTest, MinimumsComeFromTheConfigTheMostSpecificRuleWinning) {
  const std::string l1 = "acme/p1/mach/line-1";
  Person("E1", "A", l1);
  Hold("E1", "cnc", -10, 400);
  Result<PeopleConfig> config = PeopleConfig::Parse(R"(
min_per_shift: 1
shifts: [A]
requirements:
  - {qualification: cnc, min_per_shift: 2}
  - {qualification: cnc, line: acme/p1/mach/line-1, min_per_shift: 3}
)",
                                                    "people.yaml");
  ASSERT_OK(config);
  GapOptions o = Options();
  o.config = *config;
  Result<SkillGaps> g = ComputeSkillGaps(*session_, o);
  ASSERT_OK(g);
  EXPECT_EQ(Find(*g, l1, "cnc", "A")->required, 3);
  EXPECT_EQ(Find(*g, l1, "cnc", "A")->shortfall, 2);
  EXPECT_EQ(Find(*g, l1, "spindle", "A")->required, 1);
  EXPECT_EQ(Find(*g, "acme/p1/mach/line-2", "milling", "A")->required, 1);
  o.min_per_shift = 0;  // a what-if: every minimum
  g = ComputeSkillGaps(*session_, o);
  ASSERT_OK(g);
  EXPECT_EQ(g->shortfall, 0);
}

TEST_F(PeopleSkillGapsTest, ConfigErrorsNameFileAndKey) {
  Result<PeopleConfig> bad = PeopleConfig::Parse("min_per_shift: -1\n", "people.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("people.yaml"));
  EXPECT_THAT(bad.status().message(), HasSubstr("min_per_shift"));
  bad = PeopleConfig::Parse("minimum: 2\n", "people.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("minimum"));
  bad = PeopleConfig::Parse("requirements:\n  - {qualification: cnc}\n", "people.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("min_per_shift"));
}

TEST_F(PeopleSkillGapsTest, MatrixShowsEachCellsStatusRequiredColumnsFirst) {
  const std::string l1 = "acme/p1/mach/line-1";
  Person("E2", "B", l1);
  Person("E1", "A", l1);
  Hold("E1", "cnc", -100, 400, "CNC-7");
  Hold("E1", "forklift", -100, std::nullopt);  // held, not required: a column after
  Hold("E2", "cnc", -100, 89);
  Hold("E2", "spindle", -400, -5);
  Result<SkillsMatrix> m = ComputeSkillsMatrix(*session_, Options(l1));
  ASSERT_OK(m);
  ASSERT_EQ(m->lines.size(), 1u);
  const auto& line = m->lines[0];
  EXPECT_EQ(line.line, l1);
  ASSERT_EQ(line.columns.size(), 3u);
  EXPECT_EQ(line.columns[0].code, "cnc");
  EXPECT_TRUE(line.columns[0].required);
  EXPECT_THAT(line.columns[0].equipment,
              ElementsAre("acme/p1/mach/line-1/cnc-01", "acme/p1/mach/line-1/cnc-02"));
  EXPECT_EQ(line.columns[1].code, "spindle");
  EXPECT_EQ(line.columns[2].code, "forklift");
  EXPECT_FALSE(line.columns[2].required);
  ASSERT_EQ(line.rows.size(), 2u);
  EXPECT_EQ(line.rows[0].person, "E1");  // shift A first
  EXPECT_EQ(line.rows[0].cells[0].status, CertificateStatus::kValid);
  EXPECT_EQ(line.rows[0].cells[0].certificate, "CNC-7");
  EXPECT_EQ(line.rows[0].cells[1].status, CertificateStatus::kMissing);
  EXPECT_EQ(line.rows[0].cells[2].status, CertificateStatus::kValid);
  EXPECT_EQ(line.rows[0].missing_required, 1);
  EXPECT_EQ(line.rows[1].cells[0].status, CertificateStatus::kExpiring);
  EXPECT_EQ(line.rows[1].cells[0].days_left, 89);
  EXPECT_EQ(line.rows[1].cells[1].status, CertificateStatus::kExpired);
  EXPECT_EQ(line.rows[1].missing_required, 1);

  // Thirty days later E2's CNC certificate has lapsed as well; with a window of 10 days,
  // E1's is not expiring.
  GapOptions later = Options(l1);
  later.at = kAt + 100 * kDay;
  later.within_days = 10;
  m = ComputeSkillsMatrix(*session_, later);
  ASSERT_OK(m);
  EXPECT_EQ(m->lines[0].rows[1].cells[0].status, CertificateStatus::kExpired);
  EXPECT_EQ(m->lines[0].rows[0].cells[0].status, CertificateStatus::kValid);

  // JSON masks names and certificate numbers when asked.
  const nlohmann::ordered_json masked = analytics::people::SkillsMatrixJson(*m, true);
  EXPECT_NE(masked["lines"][0]["rows"][0]["name"], "Name of E1");
  EXPECT_NE(masked["lines"][0]["rows"][0]["cells"][0]["certificate"], "CNC-7");
  const nlohmann::ordered_json clear = analytics::people::SkillsMatrixJson(*m, false);
  EXPECT_EQ(clear["lines"][0]["rows"][0]["name"], "Name of E1");
}

TEST_F(PeopleSkillGapsTest, AnUnknownPathOrAMachineIsAnError) {
  Result<SkillGaps> g = ComputeSkillGaps(*session_, Options("acme/p1/mach/line-9"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(g.status().message(), HasSubstr("unknown line 'acme/p1/mach/line-9'"));
  g = ComputeSkillGaps(*session_, Options("acme/p1/mach/line-1/cnc-01"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(), HasSubstr("name its line (acme/p1/mach/line-1)"));
  // An area covers its lines.
  g = ComputeSkillGaps(*session_, Options("acme/p1/mach"));
  ASSERT_OK(g);
  EXPECT_EQ(g->lines.size(), 2u);
}

TEST_F(PeopleSkillGapsTest, FindsPeopleOnWorkOrdersWithoutARequiredQualification) {
  const std::string l1 = "acme/p1/mach/line-1";
  Person("E1", "A", l1);
  Person("E2", "A", l1);
  Hold("E1", "cnc", -100, 400);
  Hold("E2", "cnc", -100, -2);  // lapsed two days ago
  Result<int64_t> material = catalog().UpsertMaterial({.code = "M", .name = "m"});
  ASSERT_OK(material);
  WorkOrder wo;
  wo.number = "WO-1";
  wo.material_id = *material;
  wo.equipment_id = catalog().FindAsset("acme/p1/mach/line-1/cnc-01")->id;
  wo.actual_start = kAt - kDay;
  wo.actual_end = kAt - kDay + 8 * 3'600'000'000'000;
  Result<int64_t> order = catalog().UpsertWorkOrder(wo);
  ASSERT_OK(order);
  ASSERT_OK(catalog().UpsertWorkOrderOperator(
      {.work_order_id = *order, .personnel_id = people_.at("E1")}));
  ASSERT_OK(catalog().UpsertWorkOrderOperator(
      {.work_order_id = *order, .personnel_id = people_.at("E2"), .from_ts = kAt - kDay}));
  Result<SkillGaps> g = ComputeSkillGaps(*session_, Options());
  ASSERT_OK(g);
  ASSERT_EQ(g->unqualified.size(), 1u);
  EXPECT_EQ(g->unqualified[0].person, "E2");
  EXPECT_EQ(g->unqualified[0].work_order, "WO-1");
  EXPECT_EQ(g->unqualified[0].equipment, "acme/p1/mach/line-1/cnc-01");
  EXPECT_THAT(g->unqualified[0].missing, ElementsAre("cnc"));
  // Orders older than the window are not looked at.
  GapOptions o = Options();
  o.at = kAt + 30 * kDay;
  g = ComputeSkillGaps(*session_, o);
  ASSERT_OK(g);
  EXPECT_TRUE(g->unqualified.empty());
}

TEST_F(PeopleSkillGapsTest, AHubWithoutShiftsIsStaffedAsOneShift) {
  const std::string l1 = "acme/p1/mach/line-1";
  Person("E1", "", l1);
  Hold("E1", "cnc", -1, 1);
  GapOptions o = Options(l1);
  o.config.shifts.clear();
  Result<SkillGaps> g = ComputeSkillGaps(*session_, o);
  ASSERT_OK(g);
  EXPECT_THAT(g->shifts, ElementsAre(""));
  EXPECT_EQ(Find(*g, l1, "cnc", "")->qualified, 1);
  EXPECT_EQ(Find(*g, l1, "cnc", "")->expiring, 1);
}

}  // namespace
}  // namespace fh::testing
