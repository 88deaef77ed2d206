// The audit ledger from the command line: what user and token commands, imports and model
// promotions record; a head kept and verified later; proofs and heads checked by an
// independent verifier written from RFC 9162 (tests/security/ledger_verify.py: Python's
// hashlib and PyNaCl, none of factoryhub's code); and tampering found by `audit verify`.
#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, TheLedgerRecordsActionsAndAnIndependentVerifierAgrees) {
  InitHub();
  const std::string pw = WriteFile("pw.txt", "a long passphrase\n");
  Ok({"user", "add", "--hub", hub(), "li.wei", "--role", "admin", "--password-stdin"},
     {.stdin_file = pw});
  Ok({"token", "create", "--hub", hub(), "--role", "operator", "--description", "telegraf"});
  Ok({"audit", "head", "--hub", hub()});
  const std::string head = RunCli({"audit", "head", "--hub", hub(), "--json"}).out;
  WriteFile("head.json", head);
  Ok({"user", "disable", "--hub", hub(), "li.wei"});
  Ok({"token", "revoke", "--hub", hub(), "1"});

  const nlohmann::json entries = Json({"audit", "list", "--hub", hub()});
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0]["action"], "user.add");
  EXPECT_EQ(entries[0]["subject"], "li.wei");
  EXPECT_EQ(entries[0]["detail"]["role"], "admin");
  EXPECT_THAT(entries[0]["actor"].get<std::string>(), ::testing::StartsWith("cli:"));
  EXPECT_EQ(entries[1]["action"], "token.create");
  EXPECT_EQ(entries[2]["action"], "user.disable");
  EXPECT_EQ(entries[3]["action"], "token.revoke");

  const nlohmann::json verified =
      Json({"audit", "verify", "--hub", hub(), "--head", (tmp_ / "head.json").string()});
  EXPECT_EQ(verified["ok"], true) << verified.dump();
  EXPECT_EQ(verified["entries"], 4);
  EXPECT_EQ(verified["signed_heads"], 4);
  EXPECT_EQ(verified["saved_head_consistent"], true);

  // The independent verifier: every head's signature and root, and two inclusion proofs.
  WriteFile("export.json", Ok({"audit", "export", "--hub", hub()}).out);
  WriteFile("proof0.json", Ok({"audit", "proof", "--hub", hub(), "0", "--json"}).out);
  WriteFile("proof2.json",
            Ok({"audit", "proof", "--hub", hub(), "2", "--size", "3", "--json"}).out);
  const auto [rc, out] =
      Shell("/usr/bin/python3 " + (SourceDir() / "tests/security/ledger_verify.py").string() + " " +
            (tmp_ / "export.json").string() + " " + (tmp_ / "proof0.json").string() + " " +
            (tmp_ / "proof2.json").string());
  EXPECT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("ok head 4: signature and root"));
  EXPECT_THAT(out, HasSubstr("ok proof of entry 0 in 4"));
  EXPECT_THAT(out, HasSubstr("ok proof of entry 2 in 3"));

  // Someone with the database changes what an entry says: found, the entry named, exit 7;
  // and the independent verifier finds it too.
  const auto [sql_rc, sql_out] =
      Shell("sqlite3 " + (tmp_ / "hub" / "factoryhub.db").string() +
            " \"UPDATE audit_entry SET entry = replace(entry, 'admin', 'viewer') WHERE seq = 0\"");
  ASSERT_EQ(sql_rc, 0) << sql_out;
  CliResult tampered = RunCli({"audit", "verify", "--hub", hub()});
  EXPECT_EQ(tampered.exit_code, 7) << tampered.err;
  EXPECT_THAT(tampered.out, HasSubstr("tampered with (first bad entry: 0)"));
  EXPECT_THAT(tampered.out, HasSubstr("entry 0: its text does not hash to its leaf hash"));
  WriteFile("export2.json", Ok({"audit", "export", "--hub", hub()}).out);
  const auto [rc2, out2] =
      Shell("/usr/bin/python3 " + (SourceDir() / "tests/security/ledger_verify.py").string() + " " +
            (tmp_ / "export2.json").string());
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_THAT(out2, HasSubstr("FAIL head 1: root does not match the entries"));
}

TEST_F(CliTest, AnImportIsInTheLedger) {
  InitHub();
  const std::string mapping = WriteFile("m.yaml",
                                        "mapping: materials\nsource: {system: erp, object: "
                                        "materials}\nentity: material\n"
                                        "fields:\n  code: code\n  name: name\n");
  const std::string csv = WriteFile("m.csv", "code,name\nM1,Steel bar\nM2,Shaft\n");
  CliResult imported = RunCli({"import", "--hub", hub(), "--mapping", mapping, csv});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  nlohmann::json entries = Json({"audit", "list", "--hub", hub()});
  ASSERT_EQ(entries.size(), 2u);
  // The mapping's text was new: its version is recorded first, then the batch.
  EXPECT_EQ(entries[0]["action"], "mapping.version");
  EXPECT_EQ(entries[0]["subject"], "materials@1");
  EXPECT_EQ(entries[1]["action"], "import.batch");
  EXPECT_EQ(entries[1]["detail"]["accepted"], 2);
  EXPECT_EQ(entries[1]["detail"]["mapping"], "materials@1");
  EXPECT_THAT(entries[1]["detail"]["file"].get<std::string>(), HasSubstr("m.csv"));
  // The same mapping again: no new version, one more batch.
  ASSERT_EQ(RunCli({"import", "--hub", hub(), "--mapping", mapping, csv}).exit_code, 0);
  entries = Json({"audit", "list", "--hub", hub()});
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[2]["action"], "import.batch");
}

}  // namespace
}  // namespace fh::testing
