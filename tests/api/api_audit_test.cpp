// GET /api/v1/audit/head and /proof: the signed head and an entry's inclusion proof, which a
// client checks with nothing but the RFC's hashing and the head's public key.
#include <gmock/gmock.h>

#include "api/api_fixture.h"
#include "security/merkle.h"
#include "security/signing_key.h"
#include "store/audit/audit_ledger.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

template <size_t N>
std::array<uint8_t, N> FromHex(const std::string& hex) {
  std::array<uint8_t, N> out{};
  for (size_t i = 0; i < N && 2 * i + 1 < hex.size(); ++i)
    out[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

TEST_F(ApiTest, TheLedgersHeadAndProofsAreServedAndVerify) {
  Reply empty = Get("/api/v1/audit/head");
  EXPECT_EQ(empty.status, 404);
  EXPECT_THAT(empty.body["error"].get<std::string>(), ::testing::HasSubstr("empty"));

  ASSERT_OK(RecordAudit(*hub_, {"li.wei", "user.add", "ops", {{"role", "operator"}}}));
  ASSERT_OK(RecordAudit(*hub_, {"ops", "alarm.acknowledge", "oven-high", {}}));
  ASSERT_OK(RecordAudit(*hub_, {"ops", "alarm.shelve", "oven-high", {{"for", "2h"}}}));

  Reply head = Get("/api/v1/audit/head");
  ASSERT_EQ(head.status, 200) << head.body;
  EXPECT_EQ(head.body["tree_size"], 3);
  security::TreeHead th;
  th.size = head.body["tree_size"].get<uint64_t>();
  th.root = security::HashFromHex(head.body["root_hash"].get<std::string>()).value();
  th.ts = head.body["timestamp"].get<int64_t>();
  EXPECT_TRUE(security::VerifySignature(FromHex<32>(head.body["public_key"]),
                                        security::TreeHeadMessage(th),
                                        FromHex<64>(head.body["signature"])));

  Reply proof = Get("/api/v1/audit/proof?entry=1");
  ASSERT_EQ(proof.status, 200) << proof.body;
  EXPECT_EQ(proof.body["verified"], true);
  std::vector<security::Hash> path;
  for (const auto& h : proof.body["inclusion_path"])
    path.push_back(security::HashFromHex(h.get<std::string>()).value());
  EXPECT_TRUE(security::VerifyInclusion(
      1, 3, security::LeafHash(proof.body["entry"].get<std::string>()), path, th.root));
  EXPECT_THAT(proof.body["entry"].get<std::string>(),
              ::testing::HasSubstr(R"("action":"alarm.acknowledge")"));

  Reply older = Get("/api/v1/audit/proof?entry=0&size=1");
  ASSERT_EQ(older.status, 200) << older.body;
  EXPECT_EQ(older.body["head"]["tree_size"], 1);
  EXPECT_TRUE(older.body["inclusion_path"].empty());

  EXPECT_EQ(Get("/api/v1/audit/proof?entry=9").status, 404);
  Reply bad = Get("/api/v1/audit/proof?entry=one");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["field"], "entry");
  EXPECT_EQ(Get("/api/v1/audit/proof").body["field"], "entry");
}

}  // namespace
}  // namespace fh::testing
