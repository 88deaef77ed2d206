// `records` reads what an import stored — fields, custom attributes, by key or --where —
// and, like the quarantine's lists and exports, masks what the mapping marks personal.
#include <gmock/gmock.h>

#include <fstream>
#include <sstream>

#include "cli/cli_fixture.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliRecordsTest : public CliTest {
 protected:
  void ImportCustomers() {
    InitHub();
    const std::string mapping = WriteFile("customers.yaml", R"(mapping: crm-customers
source: { system: crm }
entity: customer
fields: { code: code, name: company }
attributes:
  credit_limit: { from: limit, type: real }
  email: { from: email, personal: true }
rules:
  - { rule: regex, field: email, pattern: "[^@ ]+@[^@ ]+" }
)");
    const std::string csv = WriteFile("customers.csv",
                                      "code,company,limit,email\n"
                                      "C-1,Acme,50000,zhang.wei@acme.cn\n"
                                      "C-2,Globex,120000,li.na@globex.cn\n"
                                      "C-3,Initech,8000,wang.fang-at-initech\n");
    CliResult r = RunCli({"import", "--hub", hub(), "--mapping", mapping, csv});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(CliRecordsTest, SelectsByAttributeAndMasksPersonalValues) {
  ImportCustomers();
  CliResult r =
      RunCli({"records", "--hub", hub(), "customer", "--where", "credit_limit>=50000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 2u) << r.out;
  EXPECT_EQ(list[0]["key"], "C-1");
  EXPECT_EQ(list[0]["attributes"]["credit_limit"], 50000);
  EXPECT_EQ(list[0]["attributes"]["email"], "z***@acme.cn");
  EXPECT_EQ(list[1]["key"], "C-2");

  CliResult unmasked = RunCli({"records", "--hub", hub(), "customer", "C-2", "--unmasked"});
  ASSERT_EQ(unmasked.exit_code, 0) << unmasked.err;
  EXPECT_THAT(unmasked.out, HasSubstr("li.na@globex.cn"));
  EXPECT_THAT(unmasked.out, Not(HasSubstr("C-1")));

  CliResult bad = RunCli({"records", "--hub", hub(), "customer", "--where", "credit"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("expected NAME OP VALUE"));
  CliResult unknown = RunCli({"records", "--hub", hub(), "customer", "--where", "colour=red"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("customer has no field 'colour'"));
}

TEST_F(CliRecordsTest, QuarantineShowsPersonalColumnsMaskedUnlessAskedNotTo) {
  ImportCustomers();
  CliResult show = RunCli({"quarantine", "show", "--hub", hub(), "1"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, Not(HasSubstr("wang.fang-at-initech")));
  EXPECT_THAT(show.out, HasSubstr("w*******************"));  // field, raw text and reason

  CliResult exported = RunCli({"quarantine", "export", "--hub", hub()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out, Not(HasSubstr("wang.fang-at-initech")));
  EXPECT_THAT(exported.err, HasSubstr("1 personal values are masked"));

  // Unmasked, the export is the record as received: fixed, it imports again.
  CliResult raw = RunCli({"quarantine", "export", "--hub", hub(), "--unmasked"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_THAT(raw.out, HasSubstr("C-3,Initech,8000,wang.fang-at-initech"));
}

// The steward's round trip: export the rejected rows, fix them, import the fix with the
// same mapping. The records keep their lineage to the original file and line, and the
// quarantine entries they fix are resolved.
TEST_F(CliRecordsTest, AFixedExportKeepsTheOriginalLineageAndResolvesItsEntries) {
  ImportCustomers();
  const std::string fix = (tmp_ / "fix.csv").string();
  CliResult exported = RunCli({"quarantine", "export", "--hub", hub(), "--unmasked", "-o", fix});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::ifstream in(fix);
  std::stringstream text;
  text << in.rdbuf();
  std::string fixed = text.str();
  const size_t at = fixed.find("wang.fang-at-initech");
  ASSERT_NE(at, std::string::npos) << fixed;
  fixed.replace(at, 20, "wang.fang@initech.cn");
  std::ofstream(fix, std::ios::binary | std::ios::trunc) << fixed;

  const std::string mapping = (tmp_ / "customers.yaml").string();
  CliResult imported = RunCli({"import", "--hub", hub(), "--mapping", mapping, fix, "--json"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(nlohmann::json::parse(imported.out)["accepted"], 1);

  CliResult lineage = RunCli({"lineage", "--hub", hub(), "customer", "C-3", "--json"});
  ASSERT_EQ(lineage.exit_code, 0) << lineage.err;
  const nlohmann::json l = nlohmann::json::parse(lineage.out);
  EXPECT_EQ(l["source_object"], "customers.csv");  // not fix.csv
  EXPECT_EQ(l["line"], 4);
  CliResult open = RunCli({"quarantine", "list", "--hub", hub(), "--json"});
  EXPECT_EQ(nlohmann::json::parse(open.out).size(), 0u) << open.out;
  CliResult resolved =
      RunCli({"quarantine", "list", "--hub", hub(), "--status", "resolved", "--json"});
  EXPECT_EQ(nlohmann::json::parse(resolved.out).size(), 1u) << resolved.out;
}

// A failed import stores nothing; the quality report says which and why, not only the
// batch table.
TEST_F(CliRecordsTest, QualityReportShowsAFailedImportAndWhy) {
  ImportCustomers();
  const std::string mapping = WriteFile("m.yaml",
                                        "mapping: crm-customers\nsource: { system: crm, encoding: "
                                        "utf-8 }\nentity: customer\nfields: { code: code, name: "
                                        "company }\n");
  const std::string bad = WriteFile("bad.csv", "code,company\nC-9,Caf\xE9\n");
  CliResult r = RunCli({"import", "--hub", hub(), "--mapping", mapping, bad});
  EXPECT_NE(r.exit_code, 0);
  CliResult report = RunCli({"report", "quality", "--hub", hub()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("Failed imports (nothing of them is stored):"));
  EXPECT_THAT(report.out, HasSubstr("bad.csv"));
  EXPECT_THAT(report.out, HasSubstr("invalid utf-8 sequence"));
  // And the import history lists it, newest first, with the same message.
  CliResult history = RunCli({"report", "batches", "--hub", hub(), "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  const nlohmann::json batches = nlohmann::json::parse(history.out);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0]["status"], "failed");
  EXPECT_THAT(batches[0]["message"].get<std::string>(), HasSubstr("invalid utf-8 sequence"));
  EXPECT_EQ(batches[1]["status"], "completed");
  EXPECT_EQ(batches[1]["read"], 3);
}

}  // namespace
}  // namespace fh::testing
