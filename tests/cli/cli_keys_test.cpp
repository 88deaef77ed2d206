// Encryption at rest from the command line: customers imported into a hub that protects their
// names and countries are encrypted in the database file (no name in its bytes), read back
// in clear, found by name; a re-import changes nothing; `keys rotate` puts every value under
// a new data key; without the master key nothing protected is read; the key may come from the
// environment; the ledger records the rotations.
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliKeysTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    InitHub();
    std::ofstream(tmp_ / "hub" / "factoryhub.yaml", std::ios::app)
        << "encryption:\n  fields: [customer.name, customer.country]\n";
    mapping_ = (SourceDir() / "examples/plant-a/mappings/crm-customers.yaml").string();
    customers_ = (SourceDir() / "examples/plant-a/crm/customers.json").string();
  }
  CliResult Import() { return Ok({"import", "--hub", hub(), "--mapping", mapping_, customers_}); }
  std::string mapping_, customers_;
};

TEST_F(CliKeysTest, ProtectedFieldsAreEncryptedInTheFileAndClearOnTheWayOut) {
  CliResult no_key = RunCli({"import", "--hub", hub(), "--mapping", mapping_, customers_});
  EXPECT_EQ(no_key.exit_code, 5);
  EXPECT_THAT(no_key.err, HasSubstr("no master key at"));
  Ok({"keys", "init", "--hub", hub()});
  EXPECT_EQ(RunCli({"keys", "init", "--hub", hub()}).exit_code, 5);  // never overwritten
  Import();
  Ok({"check", "--hub", hub()});  // checkpoints the write-ahead log into the file
  const std::string db =
      FileBytes(tmp_ / "hub" / "factoryhub.db") + FileBytes(tmp_ / "hub" / "factoryhub.db-wal");
  EXPECT_EQ(db.find("Bosch Automotive"), std::string::npos);
  EXPECT_NE(db.find("fhenc1:1:"), std::string::npos);
  EXPECT_NE(db.find("C-100"), std::string::npos);  // the key stays in clear

  const nlohmann::json found =
      Json({"records", "--hub", hub(), "customer", "--where", "name=Bosch Automotive Suzhou"});
  ASSERT_EQ(found.size(), 1u) << found.dump();
  EXPECT_EQ(found[0]["fields"]["code"], "C-100");
  EXPECT_EQ(found[0]["fields"]["country"], "CN");
  CliResult range = RunCli({"records", "--hub", hub(), "customer", "--where", "name>B"});
  EXPECT_EQ(range.exit_code, 3);
  EXPECT_THAT(range.err, HasSubstr("is encrypted: it compares with = and != only"));
  EXPECT_THAT(Import().out, HasSubstr("accepted     0"));  // the same values, the same texts

  const nlohmann::json rotated = Json({"keys", "rotate", "--hub", hub()});
  EXPECT_EQ(rotated["new_key"], 2);
  EXPECT_GE(rotated["values"].get<int>(), 2);
  const std::string after =
      FileBytes(tmp_ / "hub" / "factoryhub.db") + FileBytes(tmp_ / "hub" / "factoryhub.db-wal");
  EXPECT_NE(after.find("fhenc1:2:"), std::string::npos);
  EXPECT_EQ(
      Json({"records", "--hub", hub(), "customer", "--where", "code=C-100"})[0]["fields"]["name"],
      "Bosch Automotive Suzhou");
  EXPECT_THAT(Import().out, HasSubstr("accepted     0"));
  const nlohmann::json again = Json({"keys", "rotate", "--hub", hub()});
  EXPECT_EQ(again["dropped"], nlohmann::json::array({1}));  // key 1 encrypts nothing now
  const nlohmann::json status = Json({"keys", "status", "--hub", hub()});
  ASSERT_EQ(status["data_keys"].size(), 2u);
  EXPECT_EQ(status["data_keys"][1]["state"], "active");
  const nlohmann::json ledger = Json({"audit", "list", "--hub", hub()});
  int rotations = 0;
  for (const auto& e : ledger)
    rotations += e["action"] == "keys.rotate";
  EXPECT_EQ(rotations, 2);

  // Without the master key nothing protected is read.
  std::filesystem::rename(tmp_ / "hub" / "keys" / "master.key", tmp_ / "master.key");
  CliResult blind = RunCli({"records", "--hub", hub(), "customer"});
  EXPECT_EQ(blind.exit_code, 5);
  EXPECT_THAT(blind.err, HasSubstr("no master key"));
}

TEST_F(CliKeysTest, TheMasterKeyMayComeFromTheEnvironmentAndBeReplaced) {
  std::ofstream(tmp_ / "hub" / "factoryhub.yaml", std::ios::app) << "  key_env: FH_TEST_MASTER\n";
  const std::string key = Ok({"keys", "init", "--hub", hub()}).out.substr(0, 64);
  ASSERT_EQ(key.size(), 64u);
  CliResult unset = RunCli({"import", "--hub", hub(), "--mapping", mapping_, customers_});
  EXPECT_THAT(unset.err, HasSubstr("$FH_TEST_MASTER, which is not set"));
  const CliRunOptions env{.env = {{"FH_TEST_MASTER", key}}};
  Ok({"import", "--hub", hub(), "--mapping", mapping_, customers_}, env);
  // A new master key: the data keys are wrapped again, the values stay.
  const std::string next(64, 'b');
  Ok({"keys", "rotate", "--hub", hub(), "--master", WriteFile("next.key", next)}, env);
  CliResult old = RunCli({"records", "--hub", hub(), "customer"}, env);
  EXPECT_NE(old.exit_code, 0);
  EXPECT_THAT(old.err, HasSubstr("does not open with this master key"));
  const nlohmann::json now = [&] {
    CliResult r = Ok({"records", "--hub", hub(), "customer", "--json"},
                     CliRunOptions{.env = {{"FH_TEST_MASTER", next}}});
    return nlohmann::json::parse(r.out);
  }();
  EXPECT_EQ(now[0]["fields"]["name"], "Bosch Automotive Suzhou");
}

}  // namespace
}  // namespace fh::testing
