// Sharing between two real hubs: a plant exports what an agreement allows (hourly means and
// maxima, never raw points), sealed to the supplier's key and signed; the supplier checks it
// whole before storing anything. Tampering, the wrong sender, the wrong recipient, an expired
// agreement and hostile packages store nothing; both ledgers record the exchange.
#include <cmath>
#include <regex>
#include <set>

#include <gmock/gmock.h>

#include <fstream>

#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "security/api_token.h"
#include "share/share_package.h"
#include "share/shared_records.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/share/share_store.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::share {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNov1 = 1793491200'000000000;  // 2026-11-01T00:00:00Z
constexpr int64_t kHour = 3600'000000000;
constexpr int64_t kNow = kNov1 + 40 * 24 * kHour;  // 2026-12-11: the agreement holds

class ShareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plant_ = MakeHub("plant");
    supplier_ = MakeHub("supplier");
    // Two hours of one reading a second on two spindles: 5.0, 5.1, ... 5.9, 5.0, ...
    SampleBatch batch;
    for (int i = 0; i < 7200; ++i) {
      batch.Add("line-1.cnc-01.power", kNov1 + i * 1'000'000'000LL, 5 + (i % 10) / 10.0);
      batch.Add("line-1.cnc-02.power", kNov1 + i * 1'000'000'000LL, i < 3600 ? 7.0 : 8.0);
      batch.Add("line-1.cnc-01.temp", kNov1 + i * 1'000'000'000LL, 40);
    }
    ASSERT_OK(plant_->storage().Write(batch));
  }

  std::unique_ptr<Hub> MakeHub(const std::string& name) {
    HubConfig config;
    config.name = name;
    EXPECT_OK(Hub::Init(tmp_ / name, config));
    Result<std::unique_ptr<Hub>> hub = Hub::Open(tmp_ / name);
    EXPECT_OK(hub);
    return std::move(*hub);
  }

  std::string AgreementYaml(const std::string& extra = "") {
    return "agreement: acme-spindles\n"
           "partner: Supplier GmbH\n"
           "partner_key: " +
           security::Hex(HubBoxPublicKey(*supplier_).value()) +
           "\n"
           "purpose: spindle wear study\n"
           "tags: ['line-1.cnc-*.power']\n"
           "aggregate: 1h\n"
           "functions: [mean, max]\n"
           "from: 2026-11-01\n"
           "to: 2026-12-01\n"
           "expires: 2027-03-01\n" +
           extra;
  }
  Agreement Parsed(const std::string& extra = "") {
    Result<Agreement> a = Agreement::Parse(AgreementYaml(extra), "acme.yaml");
    EXPECT_OK(a);
    return *a;
  }
  security::PublicKey PlantKey() { return HubSigningKey(*plant_).value().public_key(); }

  Result<ImportedShare> Import(std::string_view bytes, TimestampNs now = kNow) {
    return ImportShare(*supplier_, bytes, "acme.fhshare", PlantKey(), "cli:test", now);
  }
  size_t SupplierTags() {
    Result<std::vector<TagInfo>> tags = supplier_->storage().ListTags();
    return tags.ok() ? tags->size() : 0;
  }
  std::vector<std::string> Actions(Hub& hub) {
    CatalogSession session = hub.OpenCatalog();
    std::vector<std::string> out;
    const std::vector<security::AuditEntry> entries = session.audit().Entries(0, 100).value();
    for (const security::AuditEntry& e : entries)
      out.push_back(e.action);
    return out;
  }

  // Four inspections of the plant's: three in the agreement's window (two by the same
  // inspector), one in October; the inspector's badge is personal data.
  void ImportInspections() {
    const std::string csv = (tmp_ / "inspections.csv").string();
    std::ofstream(csv) << "char,at,value,result,badge\n"
                          "bore,2026-11-02T08:00:00Z,12.01,pass,B-1001\n"
                          "bore,2026-11-02T09:00:00Z,12.09,fail,B-1001\n"
                          "flatness,2026-11-03T08:00:00Z,0.02,pass,B-2002\n"
                          "bore,2026-10-30T08:00:00Z,12.00,pass,B-1001\n";
    Result<govern::Mapping> m = govern::ParseMapping(
        "mapping: inspections\nsource: { system: qms }\nentity: inspection\n"
        "fields: { characteristic: char, inspected_at: at, value: value, result: result }\n"
        "attributes:\n  badge: { from: badge, personal: true }\n",
        "m.yaml");
    ASSERT_OK(m);
    Result<pipeline::ImportReport> r = pipeline::ImportFile(*plant_, *m, csv, {});
    ASSERT_OK(r);
    ASSERT_EQ(r->accepted, 4);
  }
  std::string RecordsYaml(const std::string& fields, const std::string& more = "") {
    return "records:\n  - entity: inspection\n    fields: " + fields +
           "\n    time: inspected_at\n" + more;
  }
  std::vector<SharedRecord> Received() {
    CatalogSession session = supplier_->OpenCatalog();
    return session.shares().Records("", "", 100).value();
  }

  testing::TempDir tmp_;
  std::unique_ptr<Hub> plant_, supplier_;
};

TEST_F(ShareTest, ThePartnerGetsTheAgreedAggregatesAndBothLedgersSaySo) {
  Result<ExportedPackage> p = ExportShare(*plant_, Parsed(), "cli:li.wei", kNow);
  ASSERT_OK(p);
  EXPECT_EQ(p->series, 2);   // the two spindles' power, not the temperature
  EXPECT_EQ(p->buckets, 4);  // two hours each
  // Sealed: no tag name or value in clear in the file.
  EXPECT_EQ(p->bytes.find("cnc-01"), std::string::npos);
  EXPECT_EQ(p->bytes.find("spindle wear"), std::string::npos);

  Result<ImportedShare> s = Import(p->bytes);
  ASSERT_OK(s);
  EXPECT_EQ(s->sender_hub, "plant");
  EXPECT_EQ(s->points, 8);  // 2 series × 2 hours × (mean, max): no raw point
  EXPECT_GE(s->sender_ledger_size, 1u);
  std::vector<Sample> got;
  ASSERT_OK(supplier_->storage().Scan("partner.acme-spindles.line-1.cnc-01.power.mean", {},
                                      [&](auto ts, auto values, auto) {
                                        for (size_t i = 0; i < ts.size(); ++i)
                                          got.push_back({ts[i], values[i]});
                                        return true;
                                      }));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].ts, kNov1);
  EXPECT_NEAR(got[0].value, 5.45, 1e-9);  // the mean of 5.0 ... 5.9
  EXPECT_EQ(got[1].ts, kNov1 + kHour);
  EXPECT_EQ(SupplierTags(), 4u);
  EXPECT_THAT(Actions(*plant_), ::testing::ElementsAre("share.export"));
  EXPECT_THAT(Actions(*supplier_), ::testing::ElementsAre("share.import"));
  // Both ledgers still verify.
  for (Hub* hub : {plant_.get(), supplier_.get()}) {
    CatalogSession session = hub->OpenCatalog();
    Result<LedgerCheck> check = session.audit().Verify(HubSigningKey(*hub).value().public_key());
    ASSERT_OK(check);
    EXPECT_TRUE(check->ok());
  }
}

TEST_F(ShareTest, PseudonymsHideTagNamesAndDifferByAgreement) {
  Result<ExportedPackage> p = ExportShare(*plant_, Parsed("pseudonymise: [tags]\n"), "t", kNow);
  ASSERT_OK(p);
  ASSERT_OK(Import(p->bytes));
  Result<std::vector<TagInfo>> tags = supplier_->storage().ListTags();
  ASSERT_OK(tags);
  ASSERT_EQ(tags->size(), 4u);
  for (const TagInfo& t : *tags) {
    EXPECT_THAT(t.name, HasSubstr("partner.acme-spindles.p_"));
    EXPECT_EQ(t.name.find("cnc"), std::string::npos) << t.name;
  }
  // The same agreement again: the same pseudonyms (the partner's series continue).
  ASSERT_OK(Import(ExportShare(*plant_, Parsed("pseudonymise: [tags]\n"), "t", kNow)->bytes));
  EXPECT_EQ(SupplierTags(), 4u);
  // Another agreement: other pseudonyms, so two partners cannot join what they got.
  const std::string other = std::regex_replace(AgreementYaml("pseudonymise: [tags]\n"),
                                               std::regex("acme-spindles"), "acme-other");
  Result<ExportedPackage> q =
      ExportShare(*plant_, Agreement::Parse(other, "other.yaml").value(), "t", kNow);
  ASSERT_OK(q);
  ASSERT_OK(Import(q->bytes));
  std::set<std::string> first, second;
  const std::vector<TagInfo> all = supplier_->storage().ListTags().value();
  for (const TagInfo& t : all) {
    const std::string pseudonym = t.name.substr(t.name.find(".p_"), 35);
    (t.name.starts_with("partner.acme-other.") ? second : first).insert(pseudonym);
  }
  EXPECT_EQ(first.size(), 2u);
  EXPECT_EQ(second.size(), 2u);
  for (const std::string& name : first)
    EXPECT_EQ(second.count(name), 0u) << name << " in both agreements";
}

TEST_F(ShareTest, AChangedPackageStoresNothing) {
  const std::string good = ExportShare(*plant_, Parsed(), "t", kNow)->bytes;
  // A byte of the sealed data, the agreement's name, the recipient: each breaks the signature.
  const size_t sealed = good.find("\"sealed\":\"") + 20;
  std::string changed = good;
  changed[sealed] = changed[sealed] == 'A' ? 'B' : 'A';
  Status s = Import(changed).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("the signature does not match"));
  changed = std::regex_replace(good, std::regex("\"agreement\":\"acme-spindles\""),
                               "\"agreement\":\"acme-spindlez\"");
  EXPECT_THAT(Import(changed).status().message(), HasSubstr("the signature does not match"));
  EXPECT_EQ(SupplierTags(), 0u);
  EXPECT_TRUE(Actions(*supplier_).empty());
}

TEST_F(ShareTest, OnlyTheTrustedSenderAndTheNamedRecipientCount) {
  const std::string good = ExportShare(*plant_, Parsed(), "t", kNow)->bytes;
  // Signed by the plant, but the supplier expects another partner's key.
  Status s = ImportShare(*supplier_, good, "acme.fhshare",
                         security::SigningKey::Generate().public_key(), "t", kNow)
                 .status();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("not the partner's"));
  // Another hub with the plant's key trusted cannot open what was sealed to the supplier.
  std::unique_ptr<Hub> stranger = MakeHub("stranger");
  s = ImportShare(*stranger, good, "acme.fhshare", PlantKey(), "t", kNow).status();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("not this hub's"));
  EXPECT_EQ(SupplierTags(), 0u);
}

TEST_F(ShareTest, AnExpiredAgreementExportsAndImportsNothing) {
  const int64_t after = kNov1 + 200 * 24 * kHour;  // 2027-05
  Status s = ExportShare(*plant_, Parsed(), "t", after).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("expired on 2027-03-01"));
  const std::string good = ExportShare(*plant_, Parsed(), "t", kNow)->bytes;
  s = Import(good, after).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SupplierTags(), 0u);
}

TEST_F(ShareTest, HostilePackagesAreRefusedUnread) {
  EXPECT_THAT(Import(std::string(100000, '[')).status().message(),
              HasSubstr("not a share package"));
  EXPECT_THAT(Import("not json").status().message(), HasSubstr("not JSON"));
  EXPECT_THAT(Import(R"({"format":"factoryhub-share-v1"})").status().message(),
              HasSubstr("'agreement' missing"));
  EXPECT_EQ(SupplierTags(), 0u);
}

TEST_F(ShareTest, AnAgreementsErrorsNameTheFileAndLine) {
  Result<Agreement> raw = Agreement::Parse(
      std::regex_replace(AgreementYaml(), std::regex("aggregate: 1h"), "aggregate: 0s"), "a.yaml");
  ASSERT_FALSE(raw.ok());
  EXPECT_THAT(raw.status().message(), HasSubstr("a.yaml:6:12"));
  EXPECT_THAT(raw.status().message(), HasSubstr("raw points are never shared"));
  Result<Agreement> key = Agreement::Parse(
      std::regex_replace(AgreementYaml(), std::regex("partner_key: [0-9a-f]+"), "partner_key: x"),
      "a.yaml");
  EXPECT_THAT(key.status().message(), HasSubstr("a.yaml:3"));
  Result<Agreement> missing = Agreement::Parse("agreement: x\n", "a.yaml");
  EXPECT_THAT(missing.status().message(), HasSubstr("missing 'partner'"));
  Result<Agreement> what = Agreement::Parse(AgreementYaml("pseudonymise: [customers]\n"), "a.yaml");
  EXPECT_THAT(what.status().message(), HasSubstr("'customers' (what can be: tags)"));
}

TEST_F(ShareTest, AgreedRecordFieldsOfTheWindowArriveAndNothingElse) {
  ImportInspections();
  Result<ExportedPackage> p = ExportShare(
      *plant_, Parsed(RecordsYaml("[characteristic, inspected_at, value, result]")), "t", kNow);
  ASSERT_OK(p);
  EXPECT_EQ(p->records, 3);                                 // October's is outside the window
  EXPECT_EQ(p->bytes.find("flatness"), std::string::npos);  // sealed
  Result<ImportedShare> s = Import(p->bytes);
  ASSERT_OK(s);
  EXPECT_EQ(s->records, 3);
  EXPECT_EQ(s->points, 8);  // the tags came too
  std::vector<SharedRecord> got = Received();
  ASSERT_EQ(got.size(), 3u);
  const nlohmann::json first = nlohmann::json::parse(got[0].fields_json);
  EXPECT_EQ(got[0].entity, "inspection");
  EXPECT_EQ(got[0].sender_hub, "plant");
  EXPECT_EQ(got[0].package_sha256, s->sha256);
  EXPECT_EQ(first["characteristic"], "bore");
  EXPECT_EQ(first["inspected_at"], "2026-11-02T08:00:00Z");
  EXPECT_EQ(first["result"], "pass");
  EXPECT_FALSE(first.contains("badge"));  // not agreed, not sent
  EXPECT_EQ(nlohmann::json::parse(got[0].fields_json).size(), 4u);

  // Again: the same records, replaced, not repeated. And `where` narrows.
  ASSERT_OK(Import(p->bytes));
  EXPECT_EQ(Received().size(), 3u);
  Result<ExportedPackage> fails = ExportShare(
      *plant_, Parsed(RecordsYaml("[characteristic, value]", "    where: ['result=fail']\n")), "t",
      kNow);
  ASSERT_OK(fails);
  EXPECT_EQ(fails->records, 1);
}

TEST_F(ShareTest, PersonalFieldsLeaveOnlyPseudonymised) {
  ImportInspections();
  Status refused =
      ExportShare(*plant_, Parsed(RecordsYaml("[characteristic, badge]")), "t", kNow).status();
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(),
              HasSubstr("inspection.badge is personal data (a mapping marks it personal): it "
                        "leaves pseudonymised"));
  EXPECT_TRUE(Actions(*plant_).empty());  // nothing exported, nothing recorded

  Result<ExportedPackage> p = ExportShare(
      *plant_,
      Parsed(RecordsYaml("[characteristic, inspected_at, badge]", "    pseudonymise: [badge]\n")),
      "t", kNow);
  ASSERT_OK(p);
  ASSERT_OK(Import(p->bytes));
  std::vector<std::string> badges;
  for (const SharedRecord& r : Received())
    badges.push_back(nlohmann::json::parse(r.fields_json)["badge"]);
  ASSERT_EQ(badges.size(), 3u);
  for (const std::string& b : badges) {
    EXPECT_TRUE(std::regex_match(b, std::regex("p_[0-9a-f]{32}"))) << b;
    EXPECT_EQ(b.find("B-"), std::string::npos);
  }
  // The same inspector, the same pseudonym (the partner can count per inspector), another
  // inspector another.
  EXPECT_EQ(std::set<std::string>(badges.begin(), badges.end()).size(), 2u);
  EXPECT_EQ(badges[0], SharedPseudonym(HubBoxKey(*plant_).value(), Parsed(), "B-1001"));
  // An unknown field is named.
  Status unknown =
      ExportShare(*plant_, Parsed(RecordsYaml("[characteristic, colour]")), "t", kNow).status();
  EXPECT_THAT(unknown.message(), HasSubstr("inspection has no field 'colour'"));
}

TEST_F(ShareTest, RecordsOutsideTheAgreementAreRefusedBeforeAnythingIsStored) {
  const Agreement a =
      Parsed(RecordsYaml("[characteristic, inspected_at, badge]", "    pseudonymise: [badge]\n"));
  auto payload = [](const std::string& at, const std::string& badge) {
    using nlohmann::json;
    json block = {{"entity", "inspection"},
                  {"fields", json::array({"characteristic", "inspected_at", "badge"})},
                  {"pseudonymised", json::array({"badge"})},
                  {"rows", json::array({json::array({"k1", json::array({"bore", at, badge})})})}};
    return json{{"records", json::array({block})}};
  };
  const std::string pseudonym = "p_" + std::string(32, 'a');
  ASSERT_OK(ReadSharedRecords(payload("2026-11-02T08:00:00Z", pseudonym), a, "x.fhshare"));
  EXPECT_THAT(ReadSharedRecords(payload("2026-11-02T08:00:00Z", "B-1001"), a, "x.fhshare")
                  .status()
                  .message(),
              HasSubstr("badge should be pseudonymised under agreement acme-spindles"));
  EXPECT_THAT(ReadSharedRecords(payload("2026-10-02T08:00:00Z", pseudonym), a, "x.fhshare")
                  .status()
                  .message(),
              HasSubstr("its inspected_at is outside agreement acme-spindles's window"));
  nlohmann::json more_fields = payload("2026-11-02T08:00:00Z", pseudonym);
  more_fields["records"][0]["fields"].push_back("value");
  EXPECT_THAT(ReadSharedRecords(more_fields, a, "x.fhshare").status().message(),
              HasSubstr("not the entity and fields agreement acme-spindles names"));
  EXPECT_THAT(ReadSharedRecords(nlohmann::json::object(), a, "x.fhshare").status().message(),
              HasSubstr("the records are not the agreement's"));
}

TEST_F(ShareTest, ARevokedAgreementExportsAndImportsNothingMore) {
  const std::string before = ExportShare(*plant_, Parsed(), "t", kNow)->bytes;
  ASSERT_OK(RevokeAgreement(*plant_, "acme-spindles", "the study ended", "cli:li.wei", kNow));
  Status s = ExportShare(*plant_, Parsed(), "t", kNow + 1).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("agreement acme-spindles was revoked on"));
  EXPECT_THAT(s.message(), HasSubstr("by cli:li.wei (the study ended): nothing is exported"));
  EXPECT_EQ(RevokeAgreement(*plant_, "acme-spindles", "", "t", kNow).code(),
            StatusCode::kAlreadyExists);
  EXPECT_THAT(Actions(*plant_), ::testing::ElementsAre("share.export", "share.revoke"));
  // The partner revokes its side too: a package made before is stored no more.
  ASSERT_OK(RevokeAgreement(*supplier_, "acme-spindles", "", "t", kNow));
  s = Import(before).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("nothing is stored"));
  EXPECT_EQ(SupplierTags(), 0u);
}

TEST_F(ShareTest, ARecordsAgreementsErrorsNameTheLine) {
  auto error = [&](const std::string& records) {
    return Agreement::Parse(AgreementYaml(records), "a.yaml").status().message();
  };
  EXPECT_THAT(error("records:\n  - entity: widget\n    fields: [x]\n"),
              HasSubstr("entity: one of"));
  EXPECT_THAT(error("records:\n  - entity: inspection\n"), HasSubstr("records: missing 'fields'"));
  EXPECT_THAT(error(RecordsYaml("[value]", "    pseudonymise: [badge]\n")),
              HasSubstr("'badge' is not one of the fields shared"));
  EXPECT_THAT(error("records:\n  - entity: inspection\n    fields: [value]\n    time: value\n"),
              HasSubstr("time: a time field of inspection, not 'value'"));
  EXPECT_THAT(error(RecordsYaml("[value]", "    where: ['value']\n")), HasSubstr("where:"));
  // Records alone: no tags, no aggregate needed.
  const std::string records_only = std::regex_replace(
      std::regex_replace(AgreementYaml(RecordsYaml("[value]")), std::regex("tags: .*\n"), ""),
      std::regex("aggregate: 1h\n"), "");
  Result<Agreement> a = Agreement::Parse(records_only, "a.yaml");
  ASSERT_OK(a);
  EXPECT_TRUE(a->tags.empty());
  EXPECT_EQ(a->records.size(), 1u);
  EXPECT_THAT(
      Agreement::Parse(std::regex_replace(AgreementYaml(), std::regex("tags: .*\n"), ""), "a.yaml")
          .status()
          .message(),
      HasSubstr("what is shared: tags, records or both"));
}

TEST_F(ShareTest, RecordsAloneMakeAPackage) {
  ImportInspections();
  const std::string records_only =
      std::regex_replace(std::regex_replace(AgreementYaml(RecordsYaml("[characteristic, value]")),
                                            std::regex("tags: .*\n"), ""),
                         std::regex("aggregate: 1h\n"), "");
  Result<ExportedPackage> p =
      ExportShare(*plant_, Agreement::Parse(records_only, "a.yaml").value(), "t", kNow);
  ASSERT_OK(p);
  EXPECT_EQ(p->series, 0);
  EXPECT_EQ(p->records, 3);
  Result<ImportedShare> s = Import(p->bytes);
  ASSERT_OK(s);
  EXPECT_EQ(s->points, 0);
  EXPECT_EQ(Received().size(), 3u);
  EXPECT_EQ(SupplierTags(), 0u);
}

}  // namespace
}  // namespace fh::share
