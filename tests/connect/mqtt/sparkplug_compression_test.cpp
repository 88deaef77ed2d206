// Compressed Sparkplug B payloads (uuid SPBV1.0_COMPRESSED, the inner payload in the
// body, an "algorithm" metric): compressed here by zlib itself, wrapped by libprotobuf,
// read by factoryhub's decoder. What cannot be read is refused with a reason (the
// connector quarantines it); a compression bomb is refused at 16 MiB inflated.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "connect/mqtt/sparkplug.h"
#include "connect/mqtt/sparkplug_compression.h"
#include "connect/mqtt/sparkplug_testing.h"
#include "testing/batch_points.h"
#include "testing/deflate.h"

#include "connect/mqtt/sparkplug_b.pb.h"
#include "testing/status_matchers.h"

namespace fh::connect {
namespace {

using namespace sparkplug_testing;

using Point = testing::BatchPoint;
using fh::testing::Deflate;
using ::testing::HasSubstr;

std::string TemperatureBirth() {
  sparkplug_test::Payload p;
  p.set_timestamp(kT);
  p.set_seq(0);
  auto* m = p.add_metrics();
  m->set_name("Temperature");
  m->set_alias(1);
  m->set_datatype(10);
  m->set_double_value(71.5);
  return p.SerializeAsString();
}

// The wrapper Tahu's PayloadUtil.compress writes: the seq, the uuid, the body and (unless
// `algorithm` is empty) the algorithm's name.
std::string Wrap(const std::string& body, const std::string& algorithm, uint64_t seq = 0) {
  sparkplug_test::Payload p;
  p.set_seq(seq);
  p.set_uuid("SPBV1.0_COMPRESSED");
  p.set_body(body);
  if (!algorithm.empty()) {
    auto* m = p.add_metrics();
    m->set_name("algorithm");
    m->set_datatype(12);
    m->set_string_value(algorithm);
  }
  return p.SerializeAsString();
}

SparkplugState::Outcome ApplyBirth(const std::string& payload, SampleBatch& b) {
  SparkplugState state;
  return state.Apply(*ParseSparkplugTopic("spBv1.0/g/NBIRTH/n"), payload, 0, b);
}

TEST(SparkplugCompressionTest, DeflateAndGzipPayloadsAreRead) {
  const std::vector<Point> want = {{"g/n/online", kTns, 1}, {"g/n/Temperature", kTns, 71.5}};
  struct Case {
    const char* what;
    std::string payload;
  };
  const std::vector<Case> cases = {
      {"DEFLATE", Wrap(Deflate(TemperatureBirth(), 15), "DEFLATE")},
      {"no algorithm: DEFLATE", Wrap(Deflate(TemperatureBirth(), 15), "")},
      {"raw DEFLATE", Wrap(Deflate(TemperatureBirth(), -15), "DEFLATE")},
      {"GZIP", Wrap(Deflate(TemperatureBirth(), 16 + 15), "GZIP")},
      {"gzip", Wrap(Deflate(TemperatureBirth(), 16 + 15), "gzip")},
  };
  for (const Case& c : cases) {
    SampleBatch b;
    const SparkplugState::Outcome o = ApplyBirth(c.payload, b);
    EXPECT_EQ(o.error, "") << c.what;
    EXPECT_EQ(testing::BatchPoints(b), want) << c.what;
  }
}

TEST(SparkplugCompressionTest, WhatCannotBeReadIsRefusedWithAReason) {
  const std::string deflated = Deflate(TemperatureBirth(), 15);
  struct Case {
    const char* what;
    std::string payload;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"an unknown algorithm", Wrap(deflated, "LZ4"),
       "sparkplug: compression algorithm 'LZ4' is not DEFLATE or GZIP"},
      {"GZIP named, DEFLATE sent", Wrap(deflated, "GZIP"), "sparkplug: the GZIP body is damaged"},
      {"damaged", Wrap(std::string(deflated).replace(4, 8, "garbage!"), "DEFLATE"),
       "sparkplug: the DEFLATE body is damaged"},
      {"truncated", Wrap(deflated.substr(0, deflated.size() / 2), "DEFLATE"),
       "sparkplug: the DEFLATE body is truncated"},
      {"no payload inside", Wrap(Deflate("\xff\xff\xff", 15), "DEFLATE"),
       "sparkplug: the compressed payload holds no payload"},
      {"compressed twice", Wrap(Deflate(Wrap(deflated, "DEFLATE"), 15), "DEFLATE"),
       "sparkplug: a compressed payload inside a compressed payload"},
  };
  for (const Case& c : cases) {
    SampleBatch b;
    const SparkplugState::Outcome o = ApplyBirth(c.payload, b);
    EXPECT_THAT(o.error, HasSubstr(c.error)) << c.what;
    EXPECT_EQ(b.size(), 0u) << c.what;
  }
}

TEST(SparkplugCompressionTest, ACompressionBombIsRefusedAt16MiB) {
  // 64 MiB of zeros deflate to about 64 KiB.
  const std::string bomb = Deflate(std::string(64 << 20, '\0'), 15);
  ASSERT_LT(bomb.size(), 100u << 10);
  SampleBatch b;
  const SparkplugState::Outcome o = ApplyBirth(Wrap(bomb, "DEFLATE"), b);
  EXPECT_EQ(o.error, "sparkplug: the DEFLATE body inflates past 16 MiB");
  EXPECT_EQ(b.size(), 0u);
  // Just under the limit is read (and found to be no payload: zeros).
  Result<std::string> under =
      InflateSparkplugBody(Deflate(std::string(1 << 20, 'x'), 15), SparkplugCompression::kDeflate);
  ASSERT_OK(under);
  EXPECT_EQ(under->size(), 1u << 20);
}

TEST(SparkplugCompressionTest, TheOuterSeqStandsInForAMissingInnerOne) {
  sparkplug_test::Payload inner;
  inner.set_timestamp(kT);
  auto* m = inner.add_metrics();
  m->set_name("Temperature");
  m->set_datatype(10);
  m->set_double_value(1);
  Result<SparkplugPayload> p =
      DecodeSparkplugPayload(Wrap(Deflate(inner.SerializeAsString(), 15), "DEFLATE", 7));
  ASSERT_OK(p);
  EXPECT_EQ(p->seq, 7u);
  EXPECT_EQ(p->timestamp, kT);
  ASSERT_EQ(p->metrics.size(), 1u);
  EXPECT_EQ(p->metrics[0].name, "Temperature");
}

}  // namespace
}  // namespace fh::connect
