// The ClickHouse HTTP client against a real clickhouse-server (Debian's 18.16, started by the
// test): a MergeTree table of samples as the back end will keep them, a RowBinary batch in
// gzip, aggregates computed by ClickHouse, and its errors said in its own words.
#include "store/clickhouse/clickhouse_http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/clickhouse/row_binary.h"
#include "testing/clickhouse_server.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace fh::clickhouse {
namespace {

using ::testing::HasSubstr;

TEST(RowBinaryTest, StringsCarryTheirLengthAsLeb128) {
  std::string out;
  RowBinaryWriter w(&out);
  w.String("ab");
  w.String(std::string(300, 'x'));  // 300 = 0b10'0101100: 0xAC 0x02
  w.UInt8(192);
  w.UInt64(1);
  ASSERT_EQ(out.size(), 1 + 2 + 2 + 300 + 1 + 8);
  EXPECT_EQ(out.substr(0, 3), std::string("\x02"
                                          "ab",
                                          3));
  EXPECT_EQ(static_cast<uint8_t>(out[3]), 0xAC);
  EXPECT_EQ(static_cast<uint8_t>(out[4]), 0x02);
  EXPECT_EQ(static_cast<uint8_t>(out[305]), 192);
  EXPECT_EQ(out.substr(306), std::string("\x01\0\0\0\0\0\0\0", 8));
}

class ClickHouseHttpTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;
  testing::ClickHouseTestServer server_{tmp_.path() / "clickhouse"};
};

TEST_F(ClickHouseHttpTest, ARowBinaryBatchIsStoredAndAggregatedByClickHouse) {
  Endpoint e;
  e.port = server_.http_port();
  HttpClient client(e);
  // Time as UInt64 nanoseconds: 18.16 has no DateTime64.
  ASSERT_OK(client.Execute(
      "CREATE TABLE samples (tag String, ts UInt64, value Float64, quality UInt8) ENGINE = "
      "MergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000000000))) ORDER BY (tag, ts)"));
  std::string rows;
  RowBinaryWriter w(&rows);
  const uint64_t t0 = 1767225600000000000ull;  // 2026-01-01T00:00:00Z
  for (int i = 0; i < 10000; ++i) {
    w.String(i % 2 ? "line-1.cnc-01.speed" : "line-1.cnc-01.load");
    w.UInt64(t0 + static_cast<uint64_t>(i) * 1'000'000'000ull);
    w.Float64(i % 100);
    w.UInt8(192);
  }
  ASSERT_OK(client.InsertRowBinary("samples", "tag, ts, value, quality", rows));
  Result<std::string> counted = client.Query(
      "SELECT tag, count(), sum(value), max(ts) FROM samples GROUP BY tag ORDER BY tag");
  ASSERT_OK(counted);
  EXPECT_EQ(*counted,
            "line-1.cnc-01.load\t5000\t245000\t1767235598000000000\n"
            "line-1.cnc-01.speed\t5000\t250000\t1767235599000000000\n");
  // One-minute buckets, as the back end's aggregates will ask.
  Result<std::string> buckets = client.Query(
      "SELECT intDiv(ts, 60000000000) * 60000000000 AS b, count(), avg(value) FROM samples WHERE "
      "tag = 'line-1.cnc-01.speed' GROUP BY b ORDER BY b LIMIT 1");
  ASSERT_OK(buckets);
  EXPECT_EQ(*buckets, "1767225600000000000\t30\t30\n");
}

TEST_F(ClickHouseHttpTest, ErrorsAreClickHousesOwnAndAnAbsentServerIsUnavailable) {
  Endpoint e;
  e.port = server_.http_port();
  HttpClient client(e);
  Status bad = client.Execute("SELEC 1");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("Syntax error"));
  Status missing = client.Query("SELECT * FROM no_such_table").status();
  EXPECT_THAT(missing.message(), HasSubstr("no_such_table"));

  server_.Stop();
  Status away = client.Execute("SELECT 1");
  EXPECT_EQ(away.code(), StatusCode::kUnavailable) << away.ToString();
  EXPECT_THAT(away.message(), HasSubstr("127.0.0.1"));
}

}  // namespace
}  // namespace fh::clickhouse
