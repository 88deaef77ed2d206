#include "govern/units.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

namespace fh::govern {
namespace {

double Convert(double x, std::string_view from, std::string_view to) {
  Result<UnitConversion> c = MakeConversion(from, to);
  EXPECT_OK(c) << from << " → " << to << ": " << c.status().ToString();
  return c.ok() ? c->Apply(x) : std::nan("");
}

TEST(UnitsTest, Temperature) {
  EXPECT_EQ(Convert(0, "°C", "°F"), 32);
  EXPECT_EQ(Convert(100, "°C", "°F"), 212);
  EXPECT_EQ(Convert(0, "°C", "K"), 273.15);
  EXPECT_EQ(Convert(32, "°F", "°C"), 0);
  EXPECT_EQ(Convert(212, "°F", "°C"), 100);
  EXPECT_NEAR(Convert(32, "°F", "K"), 273.15, 1e-12);
  EXPECT_EQ(Convert(-40, "°F", "°C"), -40);
  EXPECT_EQ(Convert(0, "K", "°F"), -459.67);
  EXPECT_EQ(Convert(300, "K", "°C"), 300 - 273.15);
  // The conversion is exactly x * 1.8 + 32, not off in the last bit.
  Result<UnitConversion> c = MakeConversion("degC", "degF");
  ASSERT_OK(c);
  EXPECT_EQ(c->a, 1.8);
  EXPECT_EQ(c->b, 32);
}

TEST(UnitsTest, KnownValues) {
  EXPECT_NEAR(Convert(1, "bar", "psi"), 14.5037738, 1e-7);
  EXPECT_NEAR(Convert(1, "psi", "Pa"), 6894.757293168, 1e-9);
  EXPECT_EQ(Convert(1, "kWh", "MJ"), 3.6);
  EXPECT_EQ(Convert(1, "kWh", "J"), 3.6e6);
  EXPECT_NEAR(Convert(1000, "rpm", "rad/s"), 104.719755, 1e-6);
  EXPECT_EQ(Convert(60, "rpm", "rps"), 1);
  EXPECT_EQ(Convert(1, "atm", "kPa"), 101.325);
  EXPECT_EQ(Convert(1, "atm", "Torr"), 760);
  EXPECT_EQ(Convert(1, "MPa", "bar"), 10);
  EXPECT_EQ(Convert(1, "mbar", "hPa"), 1);
  EXPECT_EQ(Convert(1, "in", "mm"), 25.4);
  EXPECT_EQ(Convert(1, "ft", "in"), 12);
  EXPECT_EQ(Convert(1, "mi", "km"), 1.609344);
  EXPECT_EQ(Convert(1, "lb", "kg"), 0.45359237);
  EXPECT_EQ(Convert(1, "lb", "oz"), 16);
  EXPECT_EQ(Convert(1, "t", "kg"), 1000);
  EXPECT_EQ(Convert(1, "h", "s"), 3600);
  EXPECT_EQ(Convert(1, "d", "min"), 1440);
  EXPECT_EQ(Convert(1500, "ms", "s"), 1.5);
  EXPECT_EQ(Convert(1, "us", "µs"), 1);
  EXPECT_NEAR(Convert(1, "lbf·ft", "N·m"), 1.3558179483314004, 1e-15);
  EXPECT_NEAR(Convert(12, "lbf·in", "lbf·ft"), 1, 1e-15);
  EXPECT_EQ(Convert(2.5, "kN·m", "Nm"), 2500);
  EXPECT_EQ(Convert(1, "BTU", "J"), 1055.05585262);
  EXPECT_EQ(Convert(1, "kcal", "cal"), 1000);
  EXPECT_EQ(Convert(1, "cal", "J"), 4.184);
  EXPECT_EQ(Convert(1, "Wh", "kJ"), 3.6);
  EXPECT_NEAR(Convert(1, "hp", "kW"), 0.74569987158227022, 1e-15);
  EXPECT_EQ(Convert(1, "MW", "kW"), 1000);
  EXPECT_EQ(Convert(50, "%", "ratio"), 0.5);
  EXPECT_EQ(Convert(0.25, "1", "%"), 25);
  EXPECT_EQ(Convert(1, "m3", "L"), 1000);
  EXPECT_EQ(Convert(250, "mL", "L"), 0.25);
  EXPECT_EQ(Convert(60, "L/min", "L/s"), 1);
  EXPECT_EQ(Convert(1, "m3/h", "L/h"), 1000);
  EXPECT_NEAR(Convert(6, "m3/h", "L/min"), 100, 1e-12);
  EXPECT_EQ(Convert(10, "m/s", "km/h"), 36);
  EXPECT_EQ(Convert(1, "m/s", "km/h"), 3.6);
  EXPECT_EQ(Convert(36, "km/h", "m/s"), 10);
  EXPECT_EQ(Convert(60, "m/min", "m/s"), 1);
  EXPECT_EQ(Convert(1000, "mm/s", "m/s"), 1);
  EXPECT_EQ(Convert(1, "kV", "V"), 1000);
  EXPECT_EQ(Convert(20, "mA", "A"), 0.02);
  EXPECT_EQ(Convert(1, "kHz", "Hz"), 1000);
  EXPECT_EQ(Convert(12, "pcs", "ea"), 12);
}

TEST(UnitsTest, IdentityIsExact) {
  Result<UnitConversion> c = MakeConversion("kPa", "KPa");
  ASSERT_OK(c);
  EXPECT_TRUE(c->is_identity());
  EXPECT_EQ(c->Apply(0.1), 0.1);
  EXPECT_EQ(c->from, c->to);
}

TEST(UnitsTest, RoundTripsWithinEachDimension) {
  const std::span<const Unit> units = ListUnits();
  const double samples[] = {-273.15, -1, 0, 0.1, 1, 42.5, 1e6};
  for (const Unit& from : units) {
    for (const Unit& to : units) {
      if (from.dimension != to.dimension) continue;
      Result<UnitConversion> there = MakeConversion(from, to);
      Result<UnitConversion> back = MakeConversion(to, from);
      ASSERT_TRUE(there.ok() && back.ok()) << from.symbol << " " << to.symbol;
      for (double x : samples) {
        const double y = back->Apply(there->Apply(x));
        EXPECT_NEAR(y, x, 1e-11 * std::max(1.0, std::abs(x)))
            << from.symbol << " → " << to.symbol << " → " << from.symbol << " of " << x;
      }
    }
  }
}

TEST(UnitsTest, AgreesWithTheTableFactors) {
  for (const Unit& from : ListUnits()) {
    for (const Unit& to : ListUnits()) {
      if (from.dimension != to.dimension) continue;
      Result<UnitConversion> c = MakeConversion(from, to);
      ASSERT_OK(c);
      const double x = 12.5;
      const double expected = (x + from.offset()) * from.scale() / to.scale() - to.offset();
      EXPECT_NEAR(c->Apply(x), expected, 1e-12 * std::max(1.0, std::abs(expected)))
          << from.symbol << " → " << to.symbol;
    }
  }
}

TEST(UnitsTest, Aliases) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"degC", "°C"},       {"C", "°C"},      {"celsius", "°C"},    {"Celsius", "°C"},
      {"℃", "°C"},          {"ºC", "°C"},     {"degF", "°F"},       {"F", "°F"},
      {"Fahrenheit", "°F"}, {"kelvin", "K"},  {"um", "µm"},         {"μm", "µm"},
      {"us", "µs"},         {"tonne", "t"},   {"lbs", "lb"},        {"r/min", "rpm"},
      {"rev/min", "rpm"},   {"RPM", "rpm"},   {"Nm", "N·m"},        {"N.m", "N·m"},
      {"N*m", "N·m"},       {"kNm", "kN·m"},  {"ft·lbf", "lbf·ft"}, {"lbf.ft", "lbf·ft"},
      {"ratio", "1"},       {"percent", "%"}, {"ea", "pcs"},        {"m3", "m³"},
      {"l", "L"},           {"ml", "mL"},     {"m3/h", "m³/h"},     {"l/min", "L/min"},
      {"KW", "kW"},         {"kwh", "kWh"},   {"KWh", "kWh"},       {"PSI", "psi"},
      {"Btu", "BTU"},       {"hz", "Hz"},     {" kPa ", "kPa"},     {"kgf/cm2", "kgf/cm²"},
  };
  for (const auto& [alias, symbol] : cases) {
    Result<const Unit*> unit = FindUnit(alias);
    ASSERT_OK(unit) << alias << ": " << unit.status().ToString();
    EXPECT_EQ((*unit)->symbol, symbol) << alias;
  }
}

TEST(UnitsTest, CaseMattersForSymbols) {
  EXPECT_EQ((*FindUnit("mm"))->symbol, "mm");
  EXPECT_FALSE(FindUnit("Mm").ok());
  EXPECT_FALSE(FindUnit("MM").ok());
  EXPECT_FALSE(FindUnit("pa").ok());
  EXPECT_EQ((*FindUnit("MW"))->symbol, "MW");
  EXPECT_EQ(FindUnit("mW").status().message(),
            "unknown unit 'mW' (names are case-sensitive: did you mean 'MW'?)");
  EXPECT_EQ(FindUnit("MPA").status().message(),
            "unknown unit 'MPA' (names are case-sensitive: did you mean 'MPa'?)");
}

TEST(UnitsTest, EverySpellingNamesOneUnit) {
  std::set<std::string> exact;
  std::set<std::string> folded;  // words, lower case
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out)
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
  };
  for (const Unit& unit : ListUnits()) {
    EXPECT_TRUE(exact.insert(std::string(unit.symbol)).second) << unit.symbol;
    std::string_view aliases = unit.aliases;
    const size_t bar = aliases.find('|');
    std::string_view exact_part = aliases.substr(0, bar);
    std::string_view word_part =
        bar == std::string_view::npos ? std::string_view() : aliases.substr(bar + 1);
    for (std::string_view part : {exact_part, word_part}) {
      const bool words = part.data() == word_part.data() && !word_part.empty();
      while (!part.empty()) {
        const size_t end = part.find(' ');
        const std::string_view name = part.substr(0, end);
        if (words) {
          EXPECT_TRUE(folded.insert(lower(name)).second) << name;
        } else {
          EXPECT_TRUE(exact.insert(std::string(name)).second) << name;
        }
        Result<const Unit*> found = FindUnit(name);
        ASSERT_OK(found) << name;
        EXPECT_EQ(*found, &unit) << name;
        if (end == std::string_view::npos) break;
        part.remove_prefix(end + 1);
      }
    }
  }
}

TEST(UnitsTest, Errors) {
  EXPECT_EQ(MakeConversion("kPa", "°C").status().ToString(),
            "InvalidArgument: cannot convert kPa (pressure) to °C (temperature)");
  EXPECT_EQ(MakeConversion("foo", "kPa").status().ToString(),
            "InvalidArgument: unknown unit 'foo'");
  EXPECT_EQ(MakeConversion("kPa", "").status().message(), "unknown unit ''");
  // Shaft speed and electrical frequency are different things.
  EXPECT_EQ(MakeConversion("rpm", "Hz").status().message(),
            "cannot convert rpm (rotational speed) to Hz (frequency)");
  EXPECT_FALSE(MakeConversion("pcs", "1").ok());
  EXPECT_FALSE(MakeConversion("psig", "kPa").ok());
}

TEST(UnitsTest, DimensionNames) {
  EXPECT_EQ(DimensionName(Dimension::kVolumeFlow), "volume flow");
  EXPECT_EQ((*FindUnit("m3/h"))->dimension, Dimension::kVolumeFlow);
}

}  // namespace
}  // namespace fh::govern
