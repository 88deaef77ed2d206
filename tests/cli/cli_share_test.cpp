// Sharing from the command line, between two hubs: the supplier's `share key` goes into the
// agreement, the plant exports, an independent reader (tests/share/package_verify.py:
// hashlib and PyNaCl, none of factoryhub's code) checks the signature, opens the sealed box
// with the supplier's key and finds only hourly buckets in the window; the supplier imports,
// and both ledgers verify. A package from an untrusted key is exit 5 and stores nothing.
#include <fmt/format.h>
#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(CliTest, APlantSharesHourlyMeansWithASupplier) {
  const std::string plant = (tmp_ / "plant").string(), supplier = (tmp_ / "supplier").string();
  Ok({"init", plant});
  Ok({"init", supplier});
  std::string csv = "timestamp,tag,value\n";
  for (int i = 0; i < 7200; i += 10) {
    csv += fmt::format("{},line-1.cnc-01.power,{}\n", 1793491200 + i, 5 + (i % 100) / 100.0);
  }
  Ok({"write", "--hub", plant, "--epoch", "s", WriteFile("power.csv", csv)});
  // Inspections, the inspector's badge personal data.
  const std::string mapping =
      WriteFile("inspections.yaml",
                "mapping: inspections\nsource: { system: qms }\nentity: inspection\n"
                "fields: { characteristic: char, inspected_at: at, value: value, result: result }\n"
                "attributes:\n  badge: { from: badge, personal: true }\n");
  Ok({"import", "--hub", plant, "--mapping", mapping,
      WriteFile("inspections.csv",
                "char,at,value,result,badge\nbore,2026-11-02T08:00:00Z,12.01,pass,B-1\n"
                "bore,2026-11-02T09:00:00Z,12.09,fail,B-2\n")});
  const nlohmann::json supplier_keys = Json({"share", "key", "--hub", supplier});
  const nlohmann::json plant_keys = Json({"share", "key", "--hub", plant});
  const std::string agreement =
      WriteFile("acme.yaml", "agreement: acme-spindles\npartner: Supplier GmbH\npartner_key: " +
                                 supplier_keys["box_key"].get<std::string>() +
                                 "\npurpose: spindle wear study\ntags: [line-1.cnc-01.power]\n"
                                 "aggregate: 1h\nfunctions: [mean, max]\nfrom: 2026-11-01\n"
                                 "to: 2026-12-01\nexpires: 2099-01-01\n"
                                 "records:\n  - entity: inspection\n"
                                 "    fields: [characteristic, inspected_at, value, badge]\n"
                                 "    time: inspected_at\n    pseudonymise: [badge]\n");
  const std::string package = (tmp_ / "acme.fhshare").string();
  const nlohmann::json exported =
      Json({"share", "export", "--hub", plant, "--agreement", agreement, "--out", package});
  EXPECT_EQ(exported["series"], 1);
  EXPECT_EQ(exported["buckets"], 2);
  EXPECT_EQ(exported["records"], 2);

  const auto [rc, out] =
      Shell("/usr/bin/python3 " + (SourceDir() / "tests/share/package_verify.py").string() + " " +
            package + " " + plant_keys["signing_key"].get<std::string>() + " " + supplier);
  ASSERT_EQ(rc, 0) << out;
  const nlohmann::json read = nlohmann::json::parse(out);
  EXPECT_EQ(read["agreement"], "acme-spindles");
  EXPECT_EQ(read["series"], nlohmann::json::array({"line-1.cnc-01.power"}));
  EXPECT_EQ(read["buckets"], 2);
  EXPECT_EQ(read["first_ns"], 1793491200'000000000);
  EXPECT_EQ(read["functions"], nlohmann::json::array({"mean", "max"}));
  EXPECT_EQ(read["records"]["inspection"], 2);

  CliResult untrusted = RunCli({"share", "import", "--hub", supplier, package, "--sender-key",
                                supplier_keys["signing_key"].get<std::string>()});
  EXPECT_EQ(untrusted.exit_code, 5);
  EXPECT_THAT(untrusted.err, HasSubstr("not the partner's"));
  const nlohmann::json imported =
      Json({"share", "import", "--hub", supplier, package, "--sender-key",
            plant_keys["signing_key"].get<std::string>()});
  EXPECT_EQ(imported["points"], 4);
  EXPECT_EQ(imported["sender_hub"], "plant");
  CliResult tags = Ok({"tags", "--hub", supplier});
  EXPECT_THAT(tags.out, HasSubstr("partner.acme-spindles.line-1.cnc-01.power.mean"));
  for (const std::string& hub : {plant, supplier}) {
    EXPECT_EQ(Json({"audit", "verify", "--hub", hub})["ok"], true);
  }
  EXPECT_EQ(Json({"audit", "list", "--hub", supplier})[0]["action"], "share.import");

  // The records that came: listed by agreement, the badges pseudonymised.
  EXPECT_EQ(imported["records"], 2);
  const nlohmann::json received = Json({"share", "received", "--hub", supplier});
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["entity"], "inspection");
  EXPECT_EQ(received[0]["records"], 2);
  const nlohmann::json records = Json({"share", "received", "--hub", supplier, "--agreement",
                                       "acme-spindles", "--entity", "inspection"});
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(records[0]["fields"]["badge"].get<std::string>().starts_with("p_"));
  EXPECT_EQ(records[0]["fields"]["characteristic"], "bore");

  // Revoked: the plant exports nothing more under it (exit 5), and its ledger says so.
  CliResult revoked = Ok(
      {"share", "revoke", "--hub", plant, "--agreement", agreement, "--reason", "the study ended"});
  EXPECT_THAT(revoked.out, HasSubstr("Revoked agreement acme-spindles"));
  CliResult again = RunCli({"share", "export", "--hub", plant, "--agreement", agreement});
  EXPECT_EQ(again.exit_code, 5);
  EXPECT_THAT(again.err, HasSubstr("was revoked"));
  EXPECT_EQ(Json({"audit", "list", "--hub", plant}).back()["action"], "share.revoke");
}

}  // namespace
}  // namespace fh::testing
