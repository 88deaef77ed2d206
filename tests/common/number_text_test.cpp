#include "common/number_text.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace fh {
namespace {

std::string Text(double v) {
  std::string out;
  AppendShortestDouble(&out, v);
  return out;
}

double Parse(const std::string& text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  EXPECT_EQ(ec, std::errc()) << text;
  EXPECT_EQ(end, text.data() + text.size()) << text;
  return v;
}

// The text reads back bit for bit and is no longer than std::to_chars' shortest text.
void ExpectShortestRoundTrip(double v) {
  const std::string text = Text(v);
  const double back = Parse(text);
  ASSERT_EQ(std::memcmp(&back, &v, sizeof v), 0) << text;
  char ref[64];
  const std::string reference(ref, std::to_chars(ref, ref + sizeof ref, v).ptr);
  // Same digits; to_chars may pick exponent notation where we print plain decimals.
  if (reference.find('e') == std::string::npos) {
    EXPECT_EQ(text, reference) << v;
  }
}

TEST(NumberText, PrintedReadings) {
  EXPECT_EQ(Text(21.375), "21.375");
  EXPECT_EQ(Text(1480), "1480");
  EXPECT_EQ(Text(-0.05), "-0.05");
  EXPECT_EQ(Text(0.001), "0.001");
  EXPECT_EQ(Text(-12.5), "-12.5");
  EXPECT_EQ(Text(0), "0");
  EXPECT_EQ(Text(-0.0), "-0");
  EXPECT_EQ(Text(123456789.123456), "123456789.123456");
}

TEST(NumberText, FallsBackToShortestForEverythingElse) {
  EXPECT_EQ(Text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(Text(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(Text(1e300), "1e+300");
  EXPECT_EQ(Text(5e-324), "5e-324");
  EXPECT_EQ(Text(std::numeric_limits<double>::infinity()), "inf");
}

TEST(NumberText, RandomDecimalsAndDoublesRoundTrip) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const int decimals = static_cast<int>(rng() % 8);
    const double printed =
        std::round(static_cast<double>(static_cast<int64_t>(rng() % 2000000001) - 1000000000) /
                   std::pow(10.0, decimals) * 1e6) /
        1e6;
    ExpectShortestRoundTrip(printed);
    uint64_t bits = rng();
    double any;
    std::memcpy(&any, &bits, sizeof any);
    if (std::isfinite(any)) ExpectShortestRoundTrip(any);
  }
  for (double edge : {999999999.999999, 1e9, 1e9 - 1, 0.000001, 0.0000001, 4503599627370496.0})
    ExpectShortestRoundTrip(edge);
}

}  // namespace
}  // namespace fh
