// Sparkplug B: payloads encoded by libprotobuf (protoc's code for the spec's Payload),
// decoded by factoryhub's own reader; births name metrics, data comes by alias, deaths
// mark nodes and devices offline, a sequence gap or an unknown alias asks for a rebirth.
#include "connect/mqtt/sparkplug.h"
#include "connect/mqtt/sparkplug_testing.h"

#include <gtest/gtest.h>

#include "testing/batch_points.h"

#include "connect/mqtt/sparkplug_b.pb.h"

namespace fh::connect {
namespace {

using namespace sparkplug_testing;

using Metric = sparkplug_test::Payload::Metric;

using Point = testing::BatchPoint;

std::string Birth() {
  sparkplug_test::Payload p;
  p.set_timestamp(kT);
  p.set_seq(0);
  auto metric = [&](const char* name, uint64_t alias, uint32_t datatype) {
    Metric* m = p.add_metrics();
    m->set_name(name);
    m->set_alias(alias);
    m->set_datatype(datatype);
    return m;
  };
  metric("bdSeq", 0, 8)->set_long_value(3);
  metric("Temperature", 1, 9)->set_float_value(71.5f);
  metric("Setpoint", 2, 2)->set_int_value(static_cast<uint32_t>(-20));  // Int16, two's complement
  metric("Running", 3, 11)->set_boolean_value(true);
  metric("Energy", 4, 10)->set_double_value(1234.5);
  metric("Firmware", 5, 12)->set_string_value("1.2.3");  // not a number: not stored
  return p.SerializeAsString();
}

// An NDEATH as a node's MQTT will carries it: written when the session began (before the
// birth), naming the session's bdSeq.
std::string Death(uint64_t bd_seq, uint64_t ts = kT - 60'000) {
  sparkplug_test::Payload p;
  p.set_timestamp(ts);
  Metric* m = p.add_metrics();
  m->set_name("bdSeq");
  m->set_datatype(8);
  m->set_long_value(bd_seq);
  return p.SerializeAsString();
}

std::string Data(uint64_t seq, uint64_t alias, float value, uint64_t ts = kT + 1000) {
  sparkplug_test::Payload p;
  p.set_timestamp(ts);
  p.set_seq(seq);
  Metric* m = p.add_metrics();
  m->set_alias(alias);
  m->set_datatype(9);
  m->set_float_value(value);
  return p.SerializeAsString();
}

TEST(SparkplugTest, TopicsAreParsed) {
  const SparkplugTopic t = Topic("spBv1.0/plant-a/DDATA/edge-1/press-7");
  EXPECT_EQ(t.group, "plant-a");
  EXPECT_EQ(t.type, "DDATA");
  EXPECT_EQ(t.node, "edge-1");
  EXPECT_EQ(t.device, "press-7");
  EXPECT_FALSE(ParseSparkplugTopic("spBv1.0/g/NDATA/n/d"));  // a node message with a device
  EXPECT_FALSE(ParseSparkplugTopic("spBv1.0/g/DDATA/n"));    // a device message without one
  EXPECT_FALSE(ParseSparkplugTopic("spAv1.0/g/NDATA/n"));
  EXPECT_FALSE(ParseSparkplugTopic("spBv1.0/g/FOO/n"));  // no such type: not data
  EXPECT_FALSE(ParseSparkplugTopic("spBv1.0/g/NDATA/n/d/x"));
  // A primary host's STATE (Sparkplug 3.0) is Sparkplug, and no data.
  const SparkplugTopic state = Topic("spBv1.0/STATE/factoryhub");
  EXPECT_EQ(state.type, "STATE");
  EXPECT_EQ(state.node, "factoryhub");
  SparkplugState s;
  SampleBatch b;
  const SparkplugState::Outcome o = s.Apply(state, R"({"online":true,"timestamp":1})", 0, b);
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(b.size(), 0u);
}

TEST(SparkplugTest, BirthNamesDataByAliasDeathTakesOffline) {
  SparkplugState state;
  SampleBatch b;
  SparkplugState::Outcome o = state.Apply(Topic("spBv1.0/g/NBIRTH/edge-1"), Birth(), 0, b);
  EXPECT_EQ(o.error, "");
  EXPECT_FALSE(o.rebirth);
  EXPECT_EQ(o.skipped, 1);  // Firmware, a string
  // bdSeq names the MQTT session: it is no measurement and not stored.
  EXPECT_EQ(testing::BatchPoints(b), (std::vector<Point>{{"g/edge-1/online", kTns, 1},
                                                         {"g/edge-1/Temperature", kTns, 71.5},
                                                         {"g/edge-1/Setpoint", kTns, -20},
                                                         {"g/edge-1/Running", kTns, 1},
                                                         {"g/edge-1/Energy", kTns, 1234.5}}));
  b.Clear();
  o = state.Apply(Topic("spBv1.0/g/NDATA/edge-1"), Data(1, 1, 72.25f), 0, b);
  EXPECT_EQ(o.error, "");
  EXPECT_FALSE(o.rebirth);
  EXPECT_EQ(testing::BatchPoints(b),
            (std::vector<Point>{{"g/edge-1/Temperature", kTns + 1'000'000'000, 72.25}}));
  EXPECT_EQ(state.online(), (std::set<std::string>{"g/edge-1"}));

  // A device of the node: its own birth and aliases.
  sparkplug_test::Payload dbirth;
  dbirth.set_timestamp(kT);
  dbirth.set_seq(2);
  Metric* m = dbirth.add_metrics();
  m->set_name("Pressure");
  m->set_alias(1);  // the same alias as the node's Temperature: aliases are per device
  m->set_datatype(10);
  m->set_double_value(5.5);
  b.Clear();
  EXPECT_EQ(
      state.Apply(Topic("spBv1.0/g/DBIRTH/edge-1/press-7"), dbirth.SerializeAsString(), 0, b).error,
      "");
  b.Clear();
  EXPECT_EQ(state.Apply(Topic("spBv1.0/g/DDATA/edge-1/press-7"), Data(3, 1, 6.0f), 0, b).error, "");
  EXPECT_EQ(testing::BatchPoints(b),
            (std::vector<Point>{{"g/edge-1/press-7/Pressure", kTns + 1'000'000'000, 6}}));

  b.Clear();
  // The death arrives 5 s later; its will was written before the birth.
  state.Apply(Topic("spBv1.0/g/NDEATH/edge-1"), Death(3), kTns + 5'000'000'000, b);
  EXPECT_EQ(testing::BatchPoints(b),
            (std::vector<Point>{{"g/edge-1/online", kTns + 5'000'000'000, 0},
                                {"g/edge-1/press-7/online", kTns + 5'000'000'000, 0}}));
  EXPECT_TRUE(state.online().empty());
}

TEST(SparkplugTest, GapsAndUnknownAliasesAskForARebirth) {
  SparkplugState state;
  SampleBatch b;
  // Data before any birth: nothing to name it by.
  SparkplugState::Outcome o = state.Apply(Topic("spBv1.0/g/NDATA/n"), Data(5, 1, 1), 0, b);
  EXPECT_TRUE(o.rebirth);
  EXPECT_EQ(o.error, "alias 1 of g/n was named by no birth");
  EXPECT_EQ(b.size(), 0u);
  state.Apply(Topic("spBv1.0/g/NBIRTH/n"), Birth(), 0, b);
  b.Clear();
  o = state.Apply(Topic("spBv1.0/g/NDATA/n"), Data(2, 1, 1), 0, b);  // 1 was skipped
  EXPECT_TRUE(o.rebirth);
  EXPECT_EQ(o.error, "");  // the data itself is good
  EXPECT_EQ(b.size(), 1u);
  o = state.Apply(Topic("spBv1.0/g/NDATA/n"), Data(3, 1, 1), 0, b);
  EXPECT_FALSE(o.rebirth);
  EXPECT_EQ(state.Apply(Topic("spBv1.0/g/NDATA/n"), "\xff\xff", 0, b).error,
            "sparkplug: the payload is not a protobuf message");
  // A metric whose tag name would be too long is not dropped quietly: the message is
  // refused (and quarantined by the connector).
  sparkplug_test::Payload long_name;
  long_name.set_seq(4);
  Metric* m = long_name.add_metrics();
  m->set_name(std::string(300, 'x'));
  m->set_datatype(10);
  m->set_double_value(1);
  const size_t before = b.size();
  o = state.Apply(Topic("spBv1.0/g/NDATA/n"), long_name.SerializeAsString(), 0, b);
  EXPECT_EQ(o.error.substr(0, 20), "metric 'xxxxxxxxxxxx");
  EXPECT_EQ(b.size(), before);
}

TEST(SparkplugTest, TheRebirthRequestIsAPayloadOtherCodeReads) {
  sparkplug_test::Payload p;
  ASSERT_TRUE(p.ParseFromString(EncodeRebirthRequest(kT)));
  EXPECT_EQ(p.timestamp(), kT);
  ASSERT_EQ(p.metrics_size(), 1);
  EXPECT_EQ(p.metrics(0).name(), "Node Control/Rebirth");
  EXPECT_EQ(p.metrics(0).datatype(), 11u);
  EXPECT_TRUE(p.metrics(0).boolean_value());
}

}  // namespace
}  // namespace fh::connect
