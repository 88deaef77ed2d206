// Sharing between two real hubs: a plant exports what an agreement allows (hourly means and
// maxima, never raw points), sealed to the supplier's key and signed; the supplier checks it
// whole before storing anything. Tampering, the wrong sender, the wrong recipient, an expired
// agreement and hostile packages store nothing; both ledgers record the exchange.
#include <cmath>
#include <regex>
#include <set>

#include <gmock/gmock.h>

#include "security/api_token.h"
#include "share/share_package.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
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

}  // namespace
}  // namespace fh::share
