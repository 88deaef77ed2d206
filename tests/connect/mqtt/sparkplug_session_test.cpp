// Sparkplug B sessions as Eclipse Tahu's and node's sparkplug clients run them: the
// NDEATH is the node's MQTT will, written (and stamped) before its birth and naming the
// session's bdSeq; a stale will of an earlier session must not take the current one
// offline; DDEATH counts in the node's sequence; DATA leaves data types to the birth.
// Payloads are encoded by libprotobuf.
#include <limits>

#include <gtest/gtest.h>

#include "connect/mqtt/sparkplug.h"
#include "connect/mqtt/sparkplug_testing.h"
#include "testing/batch_points.h"

#include "connect/mqtt/sparkplug_b.pb.h"

namespace fh::connect {
namespace {

using namespace sparkplug_testing;

using Metric = sparkplug_test::Payload::Metric;
using Point = testing::BatchPoint;

constexpr TimestampNs kSecond = 1'000'000'000;

Metric* Add(sparkplug_test::Payload& p, const char* name, uint64_t alias, uint32_t datatype) {
  Metric* m = p.add_metrics();
  if (*name) m->set_name(name);
  m->set_alias(alias);
  if (datatype) m->set_datatype(datatype);
  return m;
}

std::string NodeBirth(uint64_t bd_seq, uint64_t ts = kT) {
  sparkplug_test::Payload p;
  p.set_timestamp(ts);
  p.set_seq(0);
  Add(p, "bdSeq", 0, 8)->set_long_value(bd_seq);
  Add(p, "Setpoint", 1, 2)->set_int_value(static_cast<uint32_t>(-20));  // Int16
  Add(p, "Offset", 2, 1)->set_int_value(0xff);        // Int8 -1, written without sign extension
  Add(p, "Count", 3, 7)->set_int_value(0xfffffff0u);  // UInt32
  return p.SerializeAsString();
}

// The will: stamped when the session began, a minute before the birth.
std::string NodeDeath(uint64_t bd_seq, uint64_t ts = kT - 60'000) {
  sparkplug_test::Payload p;
  p.set_timestamp(ts);
  Add(p, "bdSeq", 0, 8)->set_long_value(bd_seq);
  return p.SerializeAsString();
}

std::string Message(uint64_t seq, uint64_t ts) {
  sparkplug_test::Payload p;
  p.set_timestamp(ts);
  p.set_seq(seq);
  return p.SerializeAsString();
}

std::vector<Point> Online(const SampleBatch& b) {
  std::vector<Point> out;
  for (const Point& p : testing::BatchPoints(b)) {
    if (p.tag.ends_with("/online")) out.push_back(p);
  }
  return out;
}

TEST(SparkplugSessionTest, ADeathReadsAfterTheBirthItEnds) {
  SparkplugState state;
  SampleBatch b;
  ASSERT_EQ(state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(5), kTns, b).error, "");
  // The hub's clock runs 30 s behind the node's: the death arrives "before" the birth.
  const SparkplugState::Outcome o =
      state.Apply(Topic("spBv1.0/g/NDEATH/n"), NodeDeath(5), kTns - 30 * kSecond, b);
  EXPECT_EQ(o.error, "");
  EXPECT_FALSE(o.ignored);
  EXPECT_EQ(Online(b), (std::vector<Point>{{"g/n/online", kTns, 1}, {"g/n/online", kTns + 1, 0}}));
  EXPECT_TRUE(state.online().empty());

  // With clocks that agree, the death is stamped at its arrival, not at its will's time.
  SparkplugState agreeing;
  SampleBatch a;
  agreeing.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(5), kTns, a);
  agreeing.Apply(Topic("spBv1.0/g/NDEATH/n"), NodeDeath(5), kTns + 9 * kSecond, a);
  EXPECT_EQ(Online(a),
            (std::vector<Point>{{"g/n/online", kTns, 1}, {"g/n/online", kTns + 9 * kSecond, 0}}));
  // A rebirth stamped before that death (the node's clock behind) still reads online.
  a.Clear();
  agreeing.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(6, kT + 1000), kTns + 9 * kSecond, a);
  EXPECT_EQ(Online(a), (std::vector<Point>{{"g/n/online", kTns + 9 * kSecond + 1, 1}}));
}

TEST(SparkplugSessionTest, ADeviceDeathReadsAfterItsBirth) {
  SparkplugState state;
  SampleBatch b;
  state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(1), kTns, b);
  state.Apply(Topic("spBv1.0/g/DBIRTH/n/d"), Message(1, kT + 2000), kTns, b);
  b.Clear();
  const SparkplugState::Outcome o =
      state.Apply(Topic("spBv1.0/g/DDEATH/n/d"), Message(2, kT + 1000), kTns, b);
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(Online(b), (std::vector<Point>{{"g/n/d/online", kTns + 2 * kSecond + 1, 0}}));
  EXPECT_EQ(state.online(), (std::set<std::string>{"g/n"}));
}

TEST(SparkplugSessionTest, AStaleWillOfAnEarlierSessionIsIgnored) {
  SparkplugState state;
  SampleBatch b;
  state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(8), kTns, b);
  state.Apply(Topic("spBv1.0/g/DBIRTH/n/d"), Message(1, kT), kTns, b);
  b.Clear();
  // The broker sends the will of session 7 after session 8 was born.
  SparkplugState::Outcome o =
      state.Apply(Topic("spBv1.0/g/NDEATH/n"), NodeDeath(7), kTns + kSecond, b);
  EXPECT_TRUE(o.ignored);
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(state.online(), (std::set<std::string>{"g/n", "g/n/d"}));
  // The sequence goes on: session 8 is alive.
  o = state.Apply(Topic("spBv1.0/g/NDATA/n"), Message(2, kT + 2000), kTns, b);
  EXPECT_FALSE(o.rebirth);
  // Its own will takes it and its devices offline; bdSeq is not stored.
  o = state.Apply(Topic("spBv1.0/g/NDEATH/n"), NodeDeath(8), kTns + 3 * kSecond, b);
  EXPECT_FALSE(o.ignored);
  EXPECT_EQ(testing::BatchPoints(b), (std::vector<Point>{{"g/n/online", kTns + 3 * kSecond, 0},
                                                         {"g/n/d/online", kTns + 3 * kSecond, 0}}));
  EXPECT_TRUE(state.online().empty());
}

TEST(SparkplugSessionTest, ADeviceDeathCountsInTheNodesSequence) {
  SparkplugState state;
  SampleBatch b;
  state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(1), kTns, b);
  EXPECT_FALSE(state.Apply(Topic("spBv1.0/g/DBIRTH/n/d"), Message(1, kT), kTns, b).rebirth);
  EXPECT_FALSE(state.Apply(Topic("spBv1.0/g/DDEATH/n/d"), Message(2, kT), kTns, b).rebirth);
  EXPECT_FALSE(state.Apply(Topic("spBv1.0/g/NDATA/n"), Message(3, kT), kTns, b).rebirth);
  // A DDEATH out of sequence is a gap like any other.
  EXPECT_TRUE(state.Apply(Topic("spBv1.0/g/DDEATH/n/d"), Message(9, kT), kTns, b).rebirth);
}

TEST(SparkplugSessionTest, DataWithoutADataTypeIsReadAsItsBirthSaid) {
  SparkplugState state;
  SampleBatch b;
  ASSERT_EQ(state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(1), kTns, b).error, "");
  EXPECT_EQ(testing::BatchPoints(b), (std::vector<Point>{{"g/n/online", kTns, 1},
                                                         {"g/n/Setpoint", kTns, -20},
                                                         {"g/n/Offset", kTns, -1},
                                                         {"g/n/Count", kTns, 4294967280.0}}));
  // DATA by alias without data types, as the spec recommends and Tahu sends.
  sparkplug_test::Payload data;
  data.set_timestamp(kT + 1000);
  data.set_seq(1);
  Add(data, "", 1, 0)->set_int_value(static_cast<uint32_t>(-5));
  Add(data, "", 2, 0)->set_int_value(0xfe);
  Add(data, "", 3, 0)->set_int_value(0xfffffff1u);
  b.Clear();
  ASSERT_EQ(state.Apply(Topic("spBv1.0/g/NDATA/n"), data.SerializeAsString(), kTns, b).error, "");
  EXPECT_EQ(testing::BatchPoints(b),
            (std::vector<Point>{{"g/n/Setpoint", kTns + kSecond, -5},
                                {"g/n/Offset", kTns + kSecond, -2},
                                {"g/n/Count", kTns + kSecond, 4294967281.0}}));
}

// A time past what the store keeps (the year 2262) is refused with the message (the
// connector quarantines it) instead of overflowing, and changes nothing.
TEST(SparkplugSessionTest, TimesOutOfRangeRefuseTheMessage) {
  SparkplugState state;
  SampleBatch b;
  SparkplugState::Outcome o =
      state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(1, uint64_t{1} << 63), kTns, b);
  EXPECT_EQ(o.error, "sparkplug: the timestamp 9223372036854775808 ms is out of range");
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(state.online().empty());
  ASSERT_EQ(state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(1), kTns, b).error, "");
  sparkplug_test::Payload data;
  data.set_seq(1);
  Metric* m = Add(data, "Speed", 0, 10);
  m->set_double_value(1);
  m->set_timestamp(9223372036855);  // ms: one past the last storable
  b.Clear();
  o = state.Apply(Topic("spBv1.0/g/NDATA/n"), data.SerializeAsString(), kTns, b);
  EXPECT_EQ(o.error, "sparkplug: metric 'Speed': the timestamp 9223372036855 ms is out of range");
  EXPECT_EQ(b.size(), 0u);
  m->set_timestamp(9223372036854);  // the last storable
  o = state.Apply(Topic("spBv1.0/g/NDATA/n"), data.SerializeAsString(), kTns, b);
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(b.size(), 1u);
}

TEST(SparkplugSessionTest, ValuesThatAreNoFiniteNumbersAreCounted) {
  SparkplugState state;
  SampleBatch b;
  state.Apply(Topic("spBv1.0/g/NBIRTH/n"), NodeBirth(1), kTns, b);
  sparkplug_test::Payload data;
  data.set_seq(1);
  Add(data, "Mode", 0, 12)->set_string_value("AUTO");
  Add(data, "Image", 0, 17)->set_bytes_value("\x89PNG");
  Metric* null = Add(data, "Setpoint", 1, 2);
  null->set_is_null(true);
  Add(data, "Speed", 0, 10)->set_double_value(1480);
  // NaN and infinities are refused, as line protocol refuses them.
  Add(data, "Torque", 0, 10)->set_double_value(std::numeric_limits<double>::quiet_NaN());
  Add(data, "Force", 0, 9)->set_float_value(-std::numeric_limits<float>::infinity());
  // A transient metric is not to be historized (the spec).
  Metric* transient = Add(data, "Jog", 0, 10);
  transient->set_is_transient(true);
  transient->set_double_value(1);
  b.Clear();
  const SparkplugState::Outcome o =
      state.Apply(Topic("spBv1.0/g/NDATA/n"), data.SerializeAsString(), kTns, b);
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.skipped, 6);
  EXPECT_EQ(testing::BatchPoints(b), (std::vector<Point>{{"g/n/Speed", kTns, 1480}}));
}

}  // namespace
}  // namespace fh::connect
