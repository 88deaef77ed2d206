// The built-in types' binary encoding: bytes written out by hand from OPC 10000-6 §5.2.2,
// round trips of every type, and the decoders refusing what is truncated, oversize or
// nested too deep, with messages that say what and where.
#include "connect/opcua/ua_types.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/time.h"
#include "connect_opcua/ua_test_bytes.h"
#include "testing/status_matchers.h"

namespace fh::opcua {
namespace types_test {

using test_bytes::Encoded;
using test_bytes::HexBytes;
using test_bytes::ToHex;

template <typename T>
T Decoded(const std::vector<uint8_t>& bytes) {
  Reader r(bytes);
  T out{};
  Status s = Read(r, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(r.AtEnd()) << r.remaining() << " bytes left";
  return out;
}

template <typename T>
void ExpectRoundTrip(const T& value) {
  const auto bytes = Encoded(value);
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(Decoded<T>(bytes), value) << ToHex(bytes);
}

// Every strict prefix of `bytes` is refused with a message naming the byte offset.
template <typename T>
void ExpectEveryPrefixRefused(const std::vector<uint8_t>& bytes) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    Reader r(std::span<const uint8_t>(bytes.data(), n));
    T out{};
    Status s = Read(r, &out);
    ASSERT_FALSE(s.ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_NE(s.message().find("at byte"), std::string::npos) << s.message();
  }
}

TEST(UaTypesTest, NodeIdUsesTheCompactFormsOfTheSpec) {
  EXPECT_EQ(Encoded(NodeId::Numeric(0, 85)), HexBytes("00 55"));          // two-byte
  EXPECT_EQ(Encoded(NodeId::Numeric(0, 2258)), HexBytes("01 00 d2 08"));  // four-byte
  EXPECT_EQ(Encoded(NodeId::Numeric(5, 1025)), HexBytes("01 05 01 04"));
  EXPECT_EQ(Encoded(NodeId::Numeric(1000, 70000)), HexBytes("02 e8 03 70 11 01 00"));
  EXPECT_EQ(Encoded(NodeId::String(2, "Machine.Speed")),
            HexBytes("03 02 00 0d 00 00 00 4d 61 63 68 69 6e 65 2e 53 70 65 65 64"));
  // The spec's Guid example: {72962B91-FA75-4AE6-8D28-B404DC7DAF63}.
  auto guid = ParseGuid("72962B91-FA75-4AE6-8D28-B404DC7DAF63");
  ASSERT_OK(guid);
  EXPECT_EQ(Encoded(NodeId::FromGuid(1, *guid)),
            HexBytes("04 01 00 91 2b 96 72 75 fa e6 4a 8d 28 b4 04 dc 7d af 63"));
  EXPECT_EQ(Encoded(NodeId::Opaque(1, "\x01\x02")), HexBytes("05 01 00 02 00 00 00 01 02"));

  EXPECT_EQ(Decoded<NodeId>(HexBytes("01 00 d2 08")), NodeId::Numeric(0, 2258));
  EXPECT_EQ(Decoded<NodeId>(HexBytes("02 00 00 d2 08 00 00")), NodeId::Numeric(0, 2258));
}

TEST(UaTypesTest, ExpandedNodeIdCarriesNamespaceUriAndServerIndexFlags) {
  ExpandedNodeId id{NodeId::Numeric(0, 2258), "urn:x", 3};
  EXPECT_EQ(Encoded(id), HexBytes("c1 00 d2 08 05 00 00 00 75 72 6e 3a 78 03 00 00 00"));
  ExpectRoundTrip(id);
  ExpectRoundTrip(ExpandedNodeId{NodeId::String(4, "a;b"), "", 0});
  // On a plain NodeId the flags are an error.
  const auto r_bytes = HexBytes("c1 00 d2 08");
  Reader r(r_bytes);
  NodeId plain;
  Status s = Read(r, &plain);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("NodeId.Encoding at byte 0"), std::string::npos) << s.message();
}

TEST(UaTypesTest, NodeIdTextForms) {
  ASSERT_OK_AND_ASSIGN(auto a, ParseNodeId("ns=2;s=Machine.Speed"));
  EXPECT_EQ(a, NodeId::String(2, "Machine.Speed"));
  ASSERT_OK_AND_ASSIGN(auto b, ParseNodeId("i=2258"));
  EXPECT_EQ(b, NodeId::Numeric(0, 2258));
  ASSERT_OK_AND_ASSIGN(auto c, ParseNodeId("ns=1;g=72962b91-fa75-4ae6-8d28-b404dc7daf63"));
  EXPECT_EQ(FormatNodeId(c), "ns=1;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63");
  ASSERT_OK_AND_ASSIGN(auto d, ParseNodeId("ns=1;b=M/RbKBsRVkePCePcx24oRA=="));
  EXPECT_EQ(d.type, NodeIdType::kOpaque);
  EXPECT_EQ(d.text.size(), 16u);
  EXPECT_EQ(FormatNodeId(d), "ns=1;b=M/RbKBsRVkePCePcx24oRA==");
  ASSERT_OK_AND_ASSIGN(auto e, ParseNodeId("ns=3;s=a;b=c"));  // the rest is the string
  EXPECT_EQ(e.text, "a;b=c");
  EXPECT_EQ(FormatNodeId(NodeId::Numeric(0, 85)), "i=85");
  EXPECT_EQ(FormatNodeId(NodeId::Numeric(7, 1)), "ns=7;i=1");
  EXPECT_EQ(FormatNodeId(NodeId::String(2, "x")), "ns=2;s=x");
  for (const char* bad : {"", "x=1", "ns=70000;i=1", "ns=1", "i=", "i=12a", "i=4294967296",
                          "ns=1;g=nothex", "ns=1;b=abc", "ns=1;s=", "ns=;i=1"}) {
    auto r = ParseNodeId(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("NodeId"), std::string::npos) << r.status().message();
    }
  }
}

TEST(UaTypesTest, StringsFollowTheSpecExampleAndNullIsMinusOne) {
  std::vector<uint8_t> out;
  Writer w(&out);
  w.WriteString(
      "\xE6\xB0\xB4"
      "Boy");  // the spec's "水Boy"
  w.WriteNullString();
  EXPECT_EQ(out, HexBytes("06 00 00 00 e6 b0 b4 42 6f 79 ff ff ff ff"));
  Reader r(out);
  std::string s;
  bool is_null = true;
  ASSERT_OK(r.ReadString(&s, "first", &is_null));
  EXPECT_EQ(s,
            "\xE6\xB0\xB4"
            "Boy");
  EXPECT_FALSE(is_null);
  ASSERT_OK(r.ReadString(&s, "second", &is_null));
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(is_null);
}

TEST(UaTypesTest, WriterAppendsToAStringAsToAVector) {
  std::string text = "x";
  Writer w(&text);
  w.WriteUInt16(0x0102);
  w.WriteInt32(-2);
  w.WriteDouble(1.0);
  w.WriteString("ab");
  w.PatchUInt32(3, 7);
  EXPECT_EQ(w.size(), 21u);
  std::vector<uint8_t> bytes(text.begin(), text.end());
  EXPECT_EQ(ToHex(bytes), "78 02 01 07 00 00 00 00 00 00 00 00 00 f0 3f 02 00 00 00 61 62");
  Reader r(std::string_view(text).substr(1));
  uint16_t a = 0;
  int32_t b = 0;
  double c = 0;
  std::string d;
  ASSERT_OK(r.ReadUInt16(&a, "a"));
  ASSERT_OK(r.ReadInt32(&b, "b"));
  ASSERT_OK(r.ReadDouble(&c, "c"));
  ASSERT_OK(r.ReadString(&d, "d"));
  EXPECT_EQ(a, 0x0102);
  EXPECT_EQ(b, 7);
  EXPECT_EQ(c, 1.0);
  EXPECT_EQ(d, "ab");
  EXPECT_TRUE(r.AtEnd());
  bool flag = false;
  EXPECT_EQ(r.ReadBoolean(&flag, "Flag").message(),
            "OPC UA decode: Flag at byte 20: truncated: needs 1 bytes, 0 left");
}

TEST(UaTypesTest, DateTimeIsTicksSince1601) {
  ASSERT_OK_AND_ASSIGN(const int64_t ns, ParseRfc3339("2026-01-01T00:00:00Z"));
  const DateTime t = DateTime::FromUnixNanos(ns);
  EXPECT_EQ(t.ticks, 134116992000000000);
  EXPECT_EQ(Encoded(t), HexBytes("00 00 81 92 b1 7a dc 01"));
  EXPECT_EQ(t.ToUnixNanos(), ns);
  EXPECT_EQ(DateTime{kUnixEpochTicks}.ToUnixNanos(), 0);
  EXPECT_EQ(DateTime::FromUnixNanos(-1).ToUnixNanos(), -100);  // floor to whole ticks
  EXPECT_EQ(DateTime{0}.ToUnixNanos(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(DateTime{std::numeric_limits<int64_t>::max()}.ToUnixNanos(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(DateTime{-5}.ToUnixNanos(), std::numeric_limits<int64_t>::min());
  // Year 9999 is beyond int64 ns (2262): clamped, not wrapped.
  EXPECT_EQ(DateTime{2650467743990000000}.ToUnixNanos(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(DateTime::FromUnixNanos(std::numeric_limits<int64_t>::min()).ticks, 0);
}

TEST(UaTypesTest, ScalarTypesRoundTrip) {
  ExpectRoundTrip(QualifiedName{3, "Speed"});
  ExpectRoundTrip(LocalizedText{"en", "hello"});
  ExpectRoundTrip(LocalizedText{"", "only text"});
  ExpectRoundTrip(LocalizedText{});
  EXPECT_EQ(Encoded(LocalizedText{"en", "hi"}), HexBytes("03 02 00 00 00 65 6e 02 00 00 00 68 69"));
  ExpectRoundTrip(ExtensionObject{NodeId::Numeric(0, 724), 1, std::string("\x01\x02\x03", 3)});
  ExpectRoundTrip(ExtensionObject{});
  EXPECT_EQ(Encoded(ExtensionObject{}), HexBytes("00 00 00"));
  ExpectRoundTrip(DateTime{134116992000000000});
  ExpectRoundTrip(NodeId::Numeric(0, 0));
  ExpectRoundTrip(NodeId::Numeric(65535, 4294967295u));
  ExpectRoundTrip(NodeId::String(0, ""));
  ExpectRoundTrip(NodeId::Opaque(9, std::string("\0\xff", 2)));
}

Variant ArrayOf(BuiltinType t, std::vector<VariantValue> values) {
  std::vector<Variant> elements;
  for (auto& v : values)
    elements.push_back(Variant{t, false, std::move(v), {}});
  return Variant{t, true, std::move(elements), {}};
}

TEST(UaTypesTest, VariantOfEveryTypeRoundTrips) {
  auto guid = ParseGuid("72962B91-FA75-4AE6-8D28-B404DC7DAF63");
  ASSERT_OK(guid);
  const std::vector<Variant> scalars = {
      Variant{},
      Variant::Of(true),
      Variant{BuiltinType::kSByte, false, int8_t{-5}, {}},
      Variant{BuiltinType::kByte, false, uint8_t{200}, {}},
      Variant{BuiltinType::kInt16, false, int16_t{-300}, {}},
      Variant{BuiltinType::kUInt16, false, uint16_t{60000}, {}},
      Variant::Of(int32_t{-70000}),
      Variant::Of(uint32_t{4000000000u}),
      Variant::Of(int64_t{-1} << 40),
      Variant{BuiltinType::kUInt64, false, uint64_t{1} << 63, {}},
      Variant::Of(1.5f),
      Variant::Of(-2.25),
      Variant::Of(std::string("text")),
      Variant::Of(DateTime{134116992000000000}),
      Variant{BuiltinType::kGuid, false, *guid, {}},
      Variant{BuiltinType::kByteString, false, std::string("\x00\x01", 2), {}},
      Variant{BuiltinType::kXmlElement, false, std::string("<a/>"), {}},
      Variant{BuiltinType::kNodeId, false, NodeId::String(2, "n"), {}},
      Variant{
          BuiltinType::kExpandedNodeId, false, ExpandedNodeId{NodeId::Numeric(1, 2), "u", 1}, {}},
      Variant{BuiltinType::kStatusCode, false, uint32_t{kBadNodeIdUnknown}, {}},
      Variant{BuiltinType::kQualifiedName, false, QualifiedName{1, "q"}, {}},
      Variant{BuiltinType::kLocalizedText, false, LocalizedText{"de", "Text"}, {}},
      Variant{BuiltinType::kExtensionObject,
              false,
              ExtensionObject{NodeId::Numeric(0, 811), 1, "body"},
              {}},
  };
  for (const auto& v : scalars) {
    SCOPED_TRACE(std::string(BuiltinTypeName(v.type)));
    ExpectRoundTrip(v);
  }
  auto inner = std::make_shared<DataValue>();
  inner->has_value = true;
  inner->value = Variant::Of(7.0);
  ExpectRoundTrip(Variant{BuiltinType::kDataValue, false, inner, {}});

  ExpectRoundTrip(ArrayOf(BuiltinType::kDouble, {1.0, 2.0, 3.0}));
  ExpectRoundTrip(ArrayOf(BuiltinType::kString, {std::string("a"), std::string("")}));
  ExpectRoundTrip(ArrayOf(BuiltinType::kNodeId, {NodeId::Numeric(0, 1), NodeId::String(1, "x")}));
  ExpectRoundTrip(ArrayOf(BuiltinType::kBoolean, {}));
  // An array of Variant holds elements of their own types.
  ExpectRoundTrip(
      Variant{BuiltinType::kVariant,
              true,
              std::vector<Variant>{Variant::Of(1.0), Variant::Of(std::string("s")), Variant{}},
              {}});
}

TEST(UaTypesTest, VariantBytesByHand) {
  EXPECT_EQ(Encoded(Variant::Of(int32_t{5})), HexBytes("06 05 00 00 00"));
  EXPECT_EQ(Encoded(Variant{}), HexBytes("00"));
  EXPECT_EQ(Encoded(ArrayOf(BuiltinType::kInt32, {int32_t{1}, int32_t{2}})),
            HexBytes("86 02 00 00 00 01 00 00 00 02 00 00 00"));
  // A 2x2 matrix: the array flat, then its dimensions.
  const auto matrix = HexBytes(
      "c6 04 00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00"
      " 02 00 00 00 02 00 00 00 02 00 00 00");
  const Variant m = Decoded<Variant>(matrix);
  EXPECT_TRUE(m.is_array);
  EXPECT_EQ(m.dimensions, (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(std::get<std::vector<Variant>>(m.value).size(), 4u);
  EXPECT_EQ(Encoded(m), matrix);
  // Dimensions that do not multiply to the length are refused.
  auto wrong = matrix;
  wrong[wrong.size() - 4] = 3;
  Reader r(wrong);
  Variant v;
  Status s = Read(r, &v);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Variant.ArrayDimensions at byte 21"), std::string::npos)
      << s.message();
  // A DiagnosticInfo inside a Variant is read past and kept as nothing.
  const Variant d = Decoded<Variant>(HexBytes("19 21 05 00 00 00 00 00 00 80"));
  EXPECT_EQ(d.type, BuiltinType::kDiagnosticInfo);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(d.value));
}

TEST(UaTypesTest, VariantToDouble) {
  EXPECT_EQ(Variant::Of(true).ToDouble(), 1.0);
  EXPECT_EQ(Variant::Of(int32_t{-3}).ToDouble(), -3.0);
  EXPECT_EQ((Variant{BuiltinType::kUInt16, false, uint16_t{7}, {}}).ToDouble(), 7.0);
  EXPECT_EQ(Variant::Of(2.5f).ToDouble(), 2.5);
  EXPECT_FALSE(Variant::Of(std::string("1")).ToDouble().has_value());
  EXPECT_FALSE(Variant{}.ToDouble().has_value());
  EXPECT_FALSE(ArrayOf(BuiltinType::kDouble, {1.0}).ToDouble().has_value());
}

TEST(UaTypesTest, DataValueWithTimestampsByHand) {
  DataValue dv;
  dv.has_value = true;
  dv.value = Variant::Of(int32_t{5});
  dv.has_source_timestamp = true;
  dv.source_timestamp = DateTime{134116992000000000};
  dv.has_server_timestamp = true;
  dv.server_timestamp = DateTime{134116992005000000};
  // Mask 0x0D: value, source and server timestamps; the status (Good) is left out.
  const auto bytes = HexBytes(
      "0d 06 05 00 00 00"
      " 00 00 81 92 b1 7a dc 01"
      " 40 4b cd 92 b1 7a dc 01");
  EXPECT_EQ(Encoded(dv), bytes);
  EXPECT_EQ(Decoded<DataValue>(bytes), dv);

  DataValue full = dv;
  full.has_status = true;
  full.status = kUncertainLastUsableValue;
  full.has_source_picoseconds = true;
  full.source_picoseconds = 10;
  full.has_server_picoseconds = true;
  full.server_picoseconds = 20;
  ExpectRoundTrip(full);
  ExpectEveryPrefixRefused<DataValue>(Encoded(full));
  // Only a status: the value is null.
  const DataValue bad = Decoded<DataValue>(HexBytes("02 00 00 34 80"));
  EXPECT_FALSE(bad.has_value);
  EXPECT_EQ(bad.status, kBadNodeIdUnknown);
}

TEST(UaTypesTest, DecodingIntoTheSameValueReusesIt) {
  DataValue dv;
  dv.has_value = true;
  dv.value = Variant::Of(std::string(100, 'x'));
  const auto bytes = Encoded(dv);
  DataValue out;
  {
    Reader r(bytes);
    ASSERT_OK(Read(r, &out));
  }
  const char* buffer = std::get<std::string>(out.value.value).data();
  {
    Reader r(bytes);
    ASSERT_OK(Read(r, &out));
  }
  EXPECT_EQ(std::get<std::string>(out.value.value).data(), buffer);
}

TEST(UaTypesTest, TruncatedInputIsRefusedWhereItEnds) {
  ExpectEveryPrefixRefused<NodeId>(Encoded(NodeId::String(2, "Machine.Speed")));
  ExpectEveryPrefixRefused<ExpandedNodeId>(
      Encoded(ExpandedNodeId{NodeId::Numeric(0, 2258), "urn:x", 3}));
  ExpectEveryPrefixRefused<LocalizedText>(Encoded(LocalizedText{"en", "hello"}));
  ExpectEveryPrefixRefused<QualifiedName>(Encoded(QualifiedName{1, "q"}));
  ExpectEveryPrefixRefused<ExtensionObject>(
      Encoded(ExtensionObject{NodeId::Numeric(0, 811), 1, "body"}));
  ExpectEveryPrefixRefused<Variant>(Encoded(ArrayOf(BuiltinType::kString, {std::string("ab")})));
  ExpectEveryPrefixRefused<Guid>(Encoded(Guid{}));

  const auto r_bytes = HexBytes("0b 00 00 00");
  Reader r(r_bytes);
  Variant v;
  Status s = Read(r, &v);
  EXPECT_EQ(s.message(),
            "OPC UA decode: Variant Double at byte 1: truncated: needs 8 bytes, 3 left");
}

TEST(UaTypesTest, OversizeLengthsAreRefusedBeforeAllocating) {
  {
    // A string claiming 2 GB.
    const auto r_bytes = HexBytes("ff ff ff 7f 41");
    Reader r(r_bytes);
    std::string s;
    Status st = r.ReadString(&s, "Name");
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("Name at byte 0: length 2147483647 exceeds the limit"),
              std::string::npos)
        << st.message();
  }
  {
    // Within the limit but beyond the bytes left.
    const auto r_bytes = HexBytes("10 00 00 00 41");
    Reader r(r_bytes);
    std::string s;
    Status st = r.ReadString(&s, "Name");
    EXPECT_NE(st.message().find("truncated: needs 16 bytes, 1 left"), std::string::npos)
        << st.message();
  }
  {
    const auto r_bytes = HexBytes("fe ff ff ff");
    Reader r(r_bytes);
    std::string s;
    EXPECT_NE(r.ReadString(&s, "Name").message().find("negative length -2"), std::string::npos);
  }
  {
    // An array of a million Doubles in 8 bytes.
    const auto r_bytes = HexBytes("8b 40 42 0f 00 00 00 00 00");
    Reader r(r_bytes);
    Variant v;
    Status st = Read(r, &v);
    EXPECT_NE(st.message().find("Variant.ArrayLength at byte 1: 1000000 elements of at least 8 "
                                "bytes do not fit in the 4 bytes left"),
              std::string::npos)
        << st.message();
  }
  {
    DecodeLimits limits;
    limits.max_array_length = 2;
    const auto bytes = Encoded(ArrayOf(BuiltinType::kByte, {uint8_t{1}, uint8_t{2}, uint8_t{3}}));
    Reader r(bytes, limits);
    Variant v;
    EXPECT_NE(Read(r, &v).message().find("3 elements exceed the limit 2"), std::string::npos);
  }
  {
    DecodeLimits limits;
    limits.max_string_length = 3;
    const auto r_bytes = Encoded(Variant::Of(std::string("four")));
    Reader r(r_bytes, limits);
    Variant v;
    EXPECT_NE(Read(r, &v).message().find("length 4 exceeds the limit 3"), std::string::npos);
  }
}

TEST(UaTypesTest, NestingIsBounded) {
  // Variants in arrays of Variant, 30 deep: "98 01 00 00 00" opens one level.
  std::vector<uint8_t> deep;
  for (int i = 0; i < 30; ++i) {
    for (uint8_t b : HexBytes("98 01 00 00 00"))
      deep.push_back(b);
  }
  deep.push_back(0);
  Reader r(deep);
  Variant v;
  Status s = Read(r, &v);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Variant at byte 50: nested deeper than 10 levels"), std::string::npos)
      << s.message();
  // Nine levels are fine.
  std::vector<uint8_t> shallow;
  for (int i = 0; i < 9; ++i) {
    for (uint8_t b : HexBytes("98 01 00 00 00"))
      shallow.push_back(b);
  }
  shallow.push_back(0);
  Reader ok(shallow);
  EXPECT_OK(Read(ok, &v));
  EXPECT_EQ(Encoded(v), shallow);

  // DiagnosticInfo's InnerDiagnosticInfo, 50 deep.
  std::vector<uint8_t> diag(50, 0x40);
  diag.push_back(0);
  Reader d(diag);
  Status ds = SkipDiagnosticInfo(d);
  EXPECT_NE(ds.message().find("DiagnosticInfo at byte 10: nested deeper than 10 levels"),
            std::string::npos)
      << ds.message();
  // A DiagnosticInfo with every field.
  const auto full_bytes = HexBytes(
      "7f 01 00 00 00 02 00 00 00 03 00 00 00 04 00 00 00 02 00 00 00 68 69"
      " 00 00 34 80 01 09 00 00 00");
  Reader full(full_bytes);
  EXPECT_OK(SkipDiagnosticInfo(full));
  EXPECT_TRUE(full.AtEnd());
}

TEST(UaTypesTest, UnknownEncodingsAreRefused) {
  const auto a_bytes = HexBytes("1a");
  Reader a(a_bytes);
  Variant v;
  EXPECT_NE(Read(a, &v).message().find("unknown built-in type 26"), std::string::npos);
  const auto b_bytes = HexBytes("06 00");
  Reader b(b_bytes);
  NodeId n;
  EXPECT_NE(Read(b, &n).message().find("unknown encoding 0x06"), std::string::npos);
  const auto c_bytes = HexBytes("00 00 03");
  Reader c(c_bytes);
  ExtensionObject e;
  EXPECT_NE(Read(c, &e).message().find("ExtensionObject.Encoding at byte 2"), std::string::npos);
  const auto d_bytes = HexBytes("46 05 00 00 00");
  Reader d(d_bytes);  // dimensions on a scalar
  EXPECT_NE(Read(d, &v).message().find("dimensions on a scalar"), std::string::npos);
  const auto f_bytes = HexBytes("18 00");
  Reader f(f_bytes);  // a Variant scalar in a Variant
  EXPECT_FALSE(Read(f, &v).ok());
}

TEST(UaTypesTest, WritingAVariantWithAMismatchedValueFails) {
  std::vector<uint8_t> out;
  Writer w(&out);
  EXPECT_FALSE(Write(w, Variant{BuiltinType::kDouble, false, int32_t{1}, {}}).ok());
  EXPECT_FALSE(Write(w, Variant{BuiltinType::kDiagnosticInfo, false, std::monostate{}, {}}).ok());
}

}  // namespace types_test
}  // namespace fh::opcua
