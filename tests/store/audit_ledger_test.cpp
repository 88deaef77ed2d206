// The audit ledger: appends build the RFC 9162 tree and sign its heads; proofs verify; and
// every way of tampering with the rows directly in the database — changing an entry's text or
// a column, deleting, reordering, inserting, even recomputing the changed leaf's hash — is
// detected, with the first bad entry named.
#include <gmock/gmock.h>

#include "security/merkle.h"
#include "store/audit/audit_ledger.h"
#include "store/hub.h"
#include "testing/catalog_access.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

class AuditLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(Hub::Init(dir_.path(), HubConfig{}));
    Result<std::unique_ptr<Hub>> hub = Hub::Open(dir_.path());
    ASSERT_OK(hub);
    hub_ = std::move(*hub);
  }

  // Ten entries in three appends (three signed heads: 4, 7, 10).
  void AppendTen() {
    for (int batch = 0, seq = 0; batch < 3; ++batch) {
      std::vector<AuditRecord> records;
      for (int i = 0; i < (batch == 2 ? 3 : batch == 0 ? 4 : 3); ++i, ++seq) {
        records.push_back({"li.wei",
                           "user.add",
                           "user-" + std::to_string(seq),
                           {{"role", "viewer"}, {"n", seq}}});
      }
      CatalogSession session = hub_->OpenCatalog();
      ASSERT_OK(session.audit().Append(records, key_));
    }
  }

  void Sql(const std::string& sql) {
    CatalogSession session = hub_->OpenCatalog();
    ASSERT_OK(CatalogSessionTestAccess::Connection(session).Exec(sql));
  }

  LedgerCheck Verify() {
    CatalogSession session = hub_->OpenCatalog();
    Result<LedgerCheck> c = session.audit().Verify(key_.public_key());
    EXPECT_OK(c);
    return c.ok() ? *c : LedgerCheck{};
  }

  TempDir dir_;
  std::unique_ptr<Hub> hub_;
  security::SigningKey key_ = security::SigningKey::Generate();
};

TEST_F(AuditLedgerTest, AppendsSignHeadsThatProofsAndTheTreeAgreeWith) {
  ASSERT_NO_FATAL_FAILURE(AppendTen());
  const LedgerCheck intact = Verify();
  EXPECT_TRUE(intact.ok()) << ::testing::PrintToString(intact.problems);
  EXPECT_EQ(intact.entries, 10u);
  EXPECT_EQ(intact.heads, 3u);
  CatalogSession session = hub_->OpenCatalog();
  AuditLedger& ledger = session.audit();
  Result<std::vector<SignedTreeHead>> heads = ledger.Heads();
  ASSERT_OK(heads);
  ASSERT_EQ(heads->size(), 3u);
  EXPECT_EQ((*heads)[0].head.size, 4u);
  for (const SignedTreeHead& h : *heads) {
    EXPECT_TRUE(security::VerifySignature(key_.public_key(), security::TreeHeadMessage(h.head),
                                          h.signature));
    EXPECT_EQ(h.key_id, key_.id());
    for (uint64_t seq = 0; seq < h.head.size; ++seq) {
      Result<std::vector<security::Hash>> proof =
          security::InclusionProof(ledger.Perfect(), seq, h.head.size);
      ASSERT_OK(proof);
      const security::Hash leaf = security::LeafHash(ledger.EntryText(seq).value());
      EXPECT_TRUE(security::VerifyInclusion(seq, h.head.size, leaf, *proof, h.head.root));
    }
  }
  // Each head is a prefix of the next.
  Result<std::vector<security::Hash>> proof = security::ConsistencyProof(ledger.Perfect(), 4, 10);
  ASSERT_OK(proof);
  EXPECT_TRUE(
      security::VerifyConsistency(4, 10, (*heads)[0].head.root, (*heads)[2].head.root, *proof));
  Result<std::vector<security::AuditEntry>> entries = ledger.Entries(8, 10);
  ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].subject, "user-8");
  EXPECT_EQ((*entries)[0].detail["n"], 8);
}

struct Tampering {
  const char* name;
  const char* sql;
  uint64_t first_bad;
  const char* says;
};

class AuditTamperTest : public AuditLedgerTest, public ::testing::WithParamInterface<Tampering> {};

TEST_P(AuditTamperTest, IsDetectedWithTheFirstBadEntryNamed) {
  ASSERT_NO_FATAL_FAILURE(AppendTen());
  ASSERT_NO_FATAL_FAILURE(Sql(GetParam().sql));
  const LedgerCheck c = Verify();
  EXPECT_FALSE(c.ok());
  ASSERT_TRUE(c.first_bad.has_value()) << ::testing::PrintToString(c.problems);
  EXPECT_EQ(*c.first_bad, GetParam().first_bad) << ::testing::PrintToString(c.problems);
  EXPECT_THAT(::testing::PrintToString(c.problems), HasSubstr(GetParam().says));
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, AuditTamperTest,
    ::testing::Values(
        Tampering{"ChangedText",
                  "UPDATE audit_entry SET entry = replace(entry, 'viewer', 'admin') WHERE seq = 5",
                  5, "entry 5: its text does not hash to its leaf hash"},
        Tampering{"ChangedColumn", "UPDATE audit_entry SET actor = 'someone' WHERE seq = 2", 2,
                  "entry 2: its columns differ"},
        Tampering{"DeletedInTheMiddle", "DELETE FROM audit_entry WHERE seq = 3", 3,
                  "entry 3 is missing"},
        Tampering{"DeletedAtTheEnd", "DELETE FROM audit_entry WHERE seq = 9", 9,
                  "only 9 entries are stored"},
        Tampering{"Reordered",
                  "UPDATE audit_entry SET seq = 1000 WHERE seq = 6;"
                  "UPDATE audit_entry SET seq = 6 WHERE seq = 7;"
                  "UPDATE audit_entry SET seq = 7 WHERE seq = 1000",
                  6, "entry 6: its text is entry 7's"},
        Tampering{"InsertedAtTheEnd",
                  "INSERT INTO audit_entry SELECT 10, ts, actor, action, subject, "
                  "replace(entry, '\"seq\":9', '\"seq\":10'), leaf_hash FROM audit_entry "
                  "WHERE seq = 9",
                  10, "covered by no signed head"}),
    [](const ::testing::TestParamInfo<Tampering>& tampering) { return tampering.param.name; });

// A careful forger changes an entry and its leaf hash, and every stored subtree above it: the
// signed heads still hold the old roots.
TEST_F(AuditLedgerTest, AForgerWhoRehashesEverythingStillCannotSign) {
  ASSERT_NO_FATAL_FAILURE(AppendTen());
  std::string forged;
  {
    CatalogSession session = hub_->OpenCatalog();
    forged = session.audit().EntryText(5).value();
  }
  const size_t at = forged.find("viewer");
  ASSERT_NE(at, std::string::npos);
  forged.replace(at, 6, "admin!");
  // The forged leaf and every subtree recomputed, as a forger with the database would.
  std::vector<std::string> texts;
  {
    CatalogSession session = hub_->OpenCatalog();
    for (uint64_t s = 0; s < 10; ++s)
      texts.push_back(s == 5 ? forged : session.audit().EntryText(s).value());
  }
  security::CompactRange range;
  std::vector<security::CompactRange::Node> nodes;
  for (const std::string& t : texts)
    range.Append(security::LeafHash(t), &nodes);
  {
    CatalogSession session = hub_->OpenCatalog();
    sqlite::Db& db = CatalogSessionTestAccess::Connection(session);
    Result<sqlite::Stmt> entry =
        db.Prepare("UPDATE audit_entry SET entry = ?1, leaf_hash = ?2 WHERE seq = 5");
    ASSERT_OK(entry);
    const security::Hash leaf = security::LeafHash(forged);
    entry->Bind(1, std::string_view(forged))
        .BindBlob(2, std::string_view(reinterpret_cast<const char*>(leaf.data()), leaf.size()));
    ASSERT_OK(entry->Run());
    for (const auto& n : nodes) {
      Result<sqlite::Stmt> node =
          db.Prepare("UPDATE audit_node SET hash = ?3 WHERE level = ?1 AND idx = ?2");
      ASSERT_OK(node);
      node->Bind(1, int64_t{n.level})
          .Bind(2, static_cast<int64_t>(n.index))
          .BindBlob(3, std::string_view(reinterpret_cast<const char*>(n.hash.data()), 32));
      ASSERT_OK(node->Run());
    }
  }
  const LedgerCheck c = Verify();
  EXPECT_FALSE(c.ok());
  // Heads 4 and 7... 4 still matches; 7 and 10 do not: the change is in entries 4 to 6.
  ASSERT_TRUE(c.first_bad.has_value());
  EXPECT_EQ(*c.first_bad, 4u);
  EXPECT_THAT(::testing::PrintToString(c.problems), HasSubstr("head of 7 entries (signed"));
  EXPECT_THAT(::testing::PrintToString(c.problems), HasSubstr("an entry from 4 to 6 was changed"));
}

}  // namespace
}  // namespace fh
