#include "govern/units.h"

#include <array>

namespace fh::govern {
namespace {

using D = Dimension;

constexpr Unit U(std::string_view symbol, std::string_view name, Dimension dimension,
                 double scale_num, double scale_den, std::string_view aliases) {
  return {symbol, name, dimension, scale_num, scale_den, 0, 1, aliases};
}

// Offsets in hundredths of a degree keep 273.15 and 459.67 exact.
constexpr Unit Temperature(std::string_view symbol, std::string_view name, double scale_num,
                           double scale_den, double offset_hundredths, std::string_view aliases) {
  return {symbol, name, D::kTemperature, scale_num, scale_den, offset_hundredths, 100, aliases};
}

constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr double kPsi = 6894.757293168;        // lbf/in², with lb and in as below
constexpr double kLbfFt = 1.3558179483314004;  // 0.45359237 kg × 9.80665 m/s² × 0.3048 m
constexpr double kBtu = 1055.05585262;         // International Table
constexpr double kHp = 745.69987158227022;     // mechanical: 550 ft·lbf/s

// Grouped by dimension, base unit first; ListUnits shows them in this order.
constexpr std::array kUnits = {
    U("1", "ratio", D::kDimensionless, 1, 1, "|ratio fraction"),
    U("%", "percent", D::kDimensionless, 1, 100, "|percent pct"),
    U("ppm", "parts per million", D::kDimensionless, 1, 1e6, "|ppm"),

    U("pcs", "pieces", D::kCount, 1, 1, "ea pc|pcs pieces piece each count"),

    Temperature("K", "kelvin", 1, 1, 0, "|kelvin kelvins"),
    Temperature("°C", "degree Celsius", 1, 1, 27315, "degC ºC C ℃|celsius"),
    Temperature("°F", "degree Fahrenheit", 5, 9, 45967, "degF ºF F ℉|fahrenheit"),

    U("Pa", "pascal", D::kPressure, 1, 1, "|pascal pascals"),
    U("hPa", "hectopascal", D::kPressure, 100, 1, ""),
    U("kPa", "kilopascal", D::kPressure, 1000, 1, "KPa|kilopascal kilopascals"),
    U("MPa", "megapascal", D::kPressure, 1e6, 1, "|megapascal megapascals"),
    U("mbar", "millibar", D::kPressure, 100, 1, "mBar|millibar millibars"),
    U("bar", "bar", D::kPressure, 1e5, 1, "|bar bars"),
    U("psi", "pound-force per square inch", D::kPressure, kPsi, 1, "|psi"),
    U("atm", "standard atmosphere", D::kPressure, 101325, 1, "|atm atmosphere atmospheres"),
    U("Torr", "torr", D::kPressure, 101325, 760, "|torr"),
    U("mmHg", "millimetre of mercury", D::kPressure, 133.322387415, 1, ""),
    U("kgf/cm²", "kilogram-force per square centimetre", D::kPressure, 98066.5, 1, "kgf/cm2"),

    U("m", "metre", D::kLength, 1, 1, "|metre metres meter meters"),
    U("km", "kilometre", D::kLength, 1000, 1, "|kilometre kilometres kilometer kilometers"),
    U("cm", "centimetre", D::kLength, 1, 100, "|centimetre centimetres centimeter centimeters"),
    U("mm", "millimetre", D::kLength, 1, 1000, "|millimetre millimetres millimeter millimeters"),
    U("µm", "micrometre", D::kLength, 1, 1e6, "um μm|micron microns micrometre micrometer"),
    U("nm", "nanometre", D::kLength, 1, 1e9, "|nanometre nanometer"),
    U("in", "inch", D::kLength, 254, 10000, "|inch inches"),
    U("ft", "foot", D::kLength, 3048, 10000, "|foot feet"),
    U("yd", "yard", D::kLength, 9144, 10000, "|yard yards"),
    U("mi", "mile", D::kLength, 1609.344, 1, "|mile miles"),

    U("kg", "kilogram", D::kMass, 1, 1, "|kilogram kilograms"),
    U("g", "gram", D::kMass, 1, 1000, "|gram grams"),
    U("mg", "milligram", D::kMass, 1, 1e6, "|milligram milligrams"),
    U("t", "tonne", D::kMass, 1000, 1, "|tonne tonnes"),
    U("lb", "pound", D::kMass, 0.45359237, 1, "lbs|pound pounds"),
    U("oz", "ounce", D::kMass, 0.028349523125, 1, "|ounce ounces"),

    U("s", "second", D::kTime, 1, 1, "sec|second seconds"),
    U("ms", "millisecond", D::kTime, 1, 1000, "|millisecond milliseconds"),
    U("µs", "microsecond", D::kTime, 1, 1e6, "us μs|microsecond microseconds"),
    U("ns", "nanosecond", D::kTime, 1, 1e9, "|nanosecond nanoseconds"),
    U("min", "minute", D::kTime, 60, 1, "|minute minutes"),
    U("h", "hour", D::kTime, 3600, 1, "hr|hour hours"),
    U("d", "day", D::kTime, 86400, 1, "|day days"),

    U("rad/s", "radian per second", D::kRotationalSpeed, 1, 1, ""),
    U("rpm", "revolution per minute", D::kRotationalSpeed, kTwoPi, 60, "r/min rev/min|rpm"),
    U("rps", "revolution per second", D::kRotationalSpeed, kTwoPi, 1, "r/s rev/s|rps"),

    U("N·m", "newton metre", D::kTorque, 1, 1, "Nm N.m N*m N-m N⋅m"),
    U("kN·m", "kilonewton metre", D::kTorque, 1000, 1, "kNm kN.m kN*m kN-m"),
    U("lbf·ft", "pound-force foot", D::kTorque, kLbfFt, 1,
      "ft·lbf lbf.ft ft.lbf lbf*ft ft*lbf lbf-ft ft-lbf lb·ft lb-ft ft-lb"),
    U("lbf·in", "pound-force inch", D::kTorque, kLbfFt, 12,
      "in·lbf lbf.in in.lbf lbf*in in*lbf lbf-in in-lbf lb-in in-lb"),

    U("J", "joule", D::kEnergy, 1, 1, "|joule joules"),
    U("kJ", "kilojoule", D::kEnergy, 1000, 1, "KJ|kilojoule kilojoules"),
    U("MJ", "megajoule", D::kEnergy, 1e6, 1, "|megajoule megajoules"),
    U("GJ", "gigajoule", D::kEnergy, 1e9, 1, "|gigajoule gigajoules"),
    U("Wh", "watt hour", D::kEnergy, 3600, 1, ""),
    U("kWh", "kilowatt hour", D::kEnergy, 3.6e6, 1, "|kwh"),
    U("MWh", "megawatt hour", D::kEnergy, 3.6e9, 1, ""),
    U("cal", "calorie (thermochemical)", D::kEnergy, 4.184, 1, "|calorie calories"),
    U("kcal", "kilocalorie (thermochemical)", D::kEnergy, 4184, 1, "|kcal kilocalorie"),
    U("BTU", "British thermal unit (IT)", D::kEnergy, kBtu, 1, "|btu"),

    U("W", "watt", D::kPower, 1, 1, "|watt watts"),
    U("kW", "kilowatt", D::kPower, 1000, 1, "|kw kilowatt kilowatts"),
    U("MW", "megawatt", D::kPower, 1e6, 1, "|megawatt megawatts"),
    U("hp", "horsepower (mechanical)", D::kPower, kHp, 1, "|hp horsepower"),
    U("PS", "metric horsepower", D::kPower, 735.49875, 1, ""),
    U("BTU/h", "BTU per hour", D::kPower, kBtu, 3600, "Btu/h BTU/hr Btu/hr"),

    U("m³", "cubic metre", D::kVolume, 1, 1, "m3"),
    U("L", "litre", D::kVolume, 1, 1000, "l|litre litres liter liters"),
    U("mL", "millilitre", D::kVolume, 1, 1e6, "ml cm3 cm³|millilitre millilitres milliliter"),

    U("m³/s", "cubic metre per second", D::kVolumeFlow, 1, 1, "m3/s"),
    U("m³/min", "cubic metre per minute", D::kVolumeFlow, 1, 60, "m3/min"),
    U("m³/h", "cubic metre per hour", D::kVolumeFlow, 1, 3600, "m3/h m3/hr m³/hr"),
    U("L/s", "litre per second", D::kVolumeFlow, 1, 1000, "l/s"),
    U("L/min", "litre per minute", D::kVolumeFlow, 1, 60000, "l/min|lpm"),
    U("L/h", "litre per hour", D::kVolumeFlow, 1, 3.6e6, "l/h"),
    U("mL/min", "millilitre per minute", D::kVolumeFlow, 1, 6e7, "ml/min"),

    U("V", "volt", D::kVoltage, 1, 1, "|volt volts"),
    U("mV", "millivolt", D::kVoltage, 1, 1000, "|millivolt millivolts"),
    U("kV", "kilovolt", D::kVoltage, 1000, 1, "|kilovolt kilovolts"),

    U("A", "ampere", D::kCurrent, 1, 1, "|amp amps ampere amperes"),
    U("mA", "milliampere", D::kCurrent, 1, 1000, "|milliamp milliamps milliampere"),

    U("Hz", "hertz", D::kFrequency, 1, 1, "|hz hertz"),
    U("kHz", "kilohertz", D::kFrequency, 1000, 1, "|khz kilohertz"),

    U("m/s", "metre per second", D::kVelocity, 1, 1, ""),
    U("km/h", "kilometre per hour", D::kVelocity, 1000, 3600, "|kph kmh"),
    U("m/min", "metre per minute", D::kVelocity, 1, 60, ""),
    U("mm/s", "millimetre per second", D::kVelocity, 1, 1000, ""),
    U("mm/min", "millimetre per minute", D::kVelocity, 1, 60000, ""),
};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

// Calls fn(word) for each space-separated word of list until it returns true.
template <typename Fn>
bool AnyWord(std::string_view list, Fn fn) {
  while (!list.empty()) {
    const size_t end = list.find(' ');
    if (fn(list.substr(0, end))) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return false;
}

std::string_view ExactAliases(const Unit& unit) {
  return unit.aliases.substr(0, unit.aliases.find('|'));
}

std::string_view WordAliases(const Unit& unit) {
  const size_t bar = unit.aliases.find('|');
  return bar == std::string_view::npos ? std::string_view() : unit.aliases.substr(bar + 1);
}

}  // namespace

std::string_view DimensionName(Dimension dimension) {
  switch (dimension) {
    case D::kDimensionless:
      return "dimensionless";
    case D::kCount:
      return "count";
    case D::kTemperature:
      return "temperature";
    case D::kPressure:
      return "pressure";
    case D::kLength:
      return "length";
    case D::kMass:
      return "mass";
    case D::kTime:
      return "time";
    case D::kRotationalSpeed:
      return "rotational speed";
    case D::kTorque:
      return "torque";
    case D::kEnergy:
      return "energy";
    case D::kPower:
      return "power";
    case D::kVolume:
      return "volume";
    case D::kVolumeFlow:
      return "volume flow";
    case D::kVoltage:
      return "voltage";
    case D::kCurrent:
      return "current";
    case D::kFrequency:
      return "frequency";
    case D::kVelocity:
      return "velocity";
  }
  return "?";
}

std::span<const Unit> ListUnits() {
  return kUnits;
}

Result<const Unit*> FindUnit(std::string_view name) {
  name = TrimSpaces(name);
  auto is_name = [name](std::string_view word) { return word == name; };
  for (const Unit& unit : kUnits) {
    if (unit.symbol == name || AnyWord(ExactAliases(unit), is_name)) return &unit;
  }
  auto is_word = [name](std::string_view word) { return EqualsIgnoringCase(word, name); };
  for (const Unit& unit : kUnits) {
    if (AnyWord(WordAliases(unit), is_word)) return &unit;
  }
  // Only a hint: matching symbols ignoring case would read "MM" (megametre?) as mm.
  for (const Unit& unit : kUnits) {
    if (is_word(unit.symbol) || AnyWord(ExactAliases(unit), is_word)) {
      return InvalidArgument("unknown unit '{}' (names are case-sensitive: did you mean '{}'?)",
                             name, unit.symbol);
    }
  }
  return InvalidArgument("unknown unit '{}'", name);
}

Result<UnitConversion> MakeConversion(const Unit& from, const Unit& to) {
  if (from.dimension != to.dimension) {
    return InvalidArgument("cannot convert {} ({}) to {} ({})", from.symbol,
                           DimensionName(from.dimension), to.symbol, DimensionName(to.dimension));
  }
  UnitConversion conversion{&from, &to, 1, 0};
  if (&from == &to) return conversion;
  // y = (x + o1) * s1 / s2 - o2, each of s1, s2, o1, o2 a ratio n / d. Keeping one common
  // denominator means a single rounding at the end: the products of the table's integers
  // are exact in the 64-bit mantissa of x86 long double.
  using L = long double;
  const L s1n = from.scale_num, s1d = from.scale_den, s2n = to.scale_num, s2d = to.scale_den;
  const L o1n = from.offset_num, o1d = from.offset_den, o2n = to.offset_num, o2d = to.offset_den;
  conversion.a = static_cast<double>((s1n * s2d) / (s1d * s2n));
  conversion.b = static_cast<double>((o1n * s1n * s2d * o2d - o2n * o1d * s1d * s2n) /
                                     (o1d * s1d * s2n * o2d));
  return conversion;
}

Result<UnitConversion> MakeConversion(std::string_view from, std::string_view to) {
  FH_ASSIGN_OR_RETURN(const Unit* from_unit, FindUnit(from));
  FH_ASSIGN_OR_RETURN(const Unit* to_unit, FindUnit(to));
  return MakeConversion(*from_unit, *to_unit);
}

}  // namespace fh::govern
