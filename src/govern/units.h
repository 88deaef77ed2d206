// Units of measure and conversions between them, for mappings that say "this column is in
// psi, store it in kPa".
//
// A conversion is looked up by name once, when a mapping is compiled, and then applied to
// every value as y = x * a + b: two floating-point operations, no lookup, no allocation.
//
// Each unit is defined by how a value in it becomes a value in its dimension's base unit
// (base = (x + offset) * scale); the base units are K, Pa, m, kg, s, rad/s, N·m, J, W, 1,
// pcs, m³, m³/s, V, A, Hz and m/s. Factors are the exact definitional constants where one
// exists (in = 0.0254 m, lb = 0.45359237 kg, psi = 6894.757293168 Pa, BTU (IT) =
// 1055.05585262 J, cal (thermochemical) = 4.184 J, hp (mechanical) = 745.69987158227022 W).
//
// Choices worth knowing:
// - Rotational speed (rpm, rps, rad/s) and frequency (Hz) are different dimensions: a
//   drive's output frequency is not its shaft speed (that depends on the motor's pole
//   pairs), so converting rpm to Hz is refused rather than guessed. Use rps for rev/s.
// - Temperatures are absolute readings (0 °C = 273.15 K); a temperature difference in °C
//   converted this way would wrongly gain the offset.
// - Pressures are not marked gauge or absolute (psig/psia are not accepted): the offset
//   between them is the local atmosphere, which a table cannot know.
// - Names are case-sensitive ("mm" is not "Mm", "Pa" is not "PA"), except whole words
//   ("Celsius", "TONNE") and the capital-K kilo exports often use (KPa, KW, KWh), which
//   cannot mean anything else. Surrounding spaces are ignored.
#pragma once

#include <span>
#include <string_view>

#include "common/status.h"

namespace fh::govern {

enum class Dimension {
  kDimensionless,
  kCount,
  kTemperature,
  kPressure,
  kLength,
  kMass,
  kTime,
  kRotationalSpeed,
  kTorque,
  kEnergy,
  kPower,
  kVolume,
  kVolumeFlow,
  kVoltage,
  kCurrent,
  kFrequency,
  kVelocity,
};

// "temperature", "rotational speed", ...
std::string_view DimensionName(Dimension dimension);

struct Unit {
  std::string_view symbol;  // canonical: "°C", "N·m", "m³/h"
  std::string_view name;    // "degree Celsius"
  Dimension dimension;
  // A value x in this unit is (x + offset) * scale in the base unit. Both are ratios of
  // exactly representable numbers, combined in extended precision, so that conversions
  // come out as the nearest doubles: m/s → km/h is 3.6 (not 3.5999999999999996) and
  // °C → °F is x * 1.8 + 32 (not + 31.999999999999943).
  double scale_num;
  double scale_den;
  double offset_num;  // non-zero only for °C and °F
  double offset_den;
  // Other spellings accepted by FindUnit, space-separated: exact ones, then after '|'
  // whole words matched ignoring ASCII case ("degC C ℃|celsius").
  std::string_view aliases;

  double scale() const { return scale_num / scale_den; }
  double offset() const { return offset_num / offset_den; }
};

// The unit a symbol or alias names. InvalidArgument "unknown unit 'foo'", with a hint when
// only the case is wrong ("unknown unit 'MPA' (names are case-sensitive: did you mean
// 'MPa'?)").
Result<const Unit*> FindUnit(std::string_view name);

// Every unit, grouped by dimension, for documentation and the CLI. Static storage.
std::span<const Unit> ListUnits();

// x in `from` → y in `to`, as y = x * a + b.
struct UnitConversion {
  const Unit* from = nullptr;
  const Unit* to = nullptr;
  double a = 1;
  double b = 0;

  double Apply(double x) const { return x * a + b; }
  bool is_identity() const { return a == 1 && b == 0; }
};

// InvalidArgument "cannot convert kPa (pressure) to °C (temperature)" or "unknown unit
// 'foo'". Converting a unit to itself gives exactly a = 1, b = 0.
Result<UnitConversion> MakeConversion(std::string_view from, std::string_view to);
Result<UnitConversion> MakeConversion(const Unit& from, const Unit& to);

}  // namespace fh::govern
