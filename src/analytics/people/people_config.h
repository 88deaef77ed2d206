// How many qualified people a line needs on each shift, and which shifts it works: the hub's
// people.yaml (docs/people.md). Every key is optional; a hub without the file asks for two
// qualified people per shift (two deep: one absence does not stop the line), on the shifts
// of its oee.yaml, else on the shifts its people work.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh {
class Hub;
}

namespace fh::analytics::people {

inline constexpr const char* kPeopleConfigFile = "people.yaml";
inline constexpr int kDefaultMinPerShift = 2;
inline constexpr int kDefaultExpiringWithinDays = 90;

// A minimum for one qualification, on every line or on the lines under `line`.
struct Requirement {
  std::string qualification;  // a qualification's code
  std::string line;           // an ISA-95 path prefix; empty: every line
  int min_per_shift = kDefaultMinPerShift;
};

struct PeopleConfig {
  int min_per_shift = kDefaultMinPerShift;  // for every required qualification without a rule
  int expiring_within_days = kDefaultExpiringWithinDays;
  // The shifts to staff, in order. Empty: those of oee.yaml (LoadPeopleConfig), else the
  // shifts the hub's active people work.
  std::vector<std::string> shifts;
  // The most specific rule (the longest line prefix) for a qualification wins.
  std::vector<Requirement> requirements;

  // The minimum per shift of `qualification` on the line at `line_path`.
  int MinPerShift(std::string_view line_path, std::string_view qualification) const;

  // Parses people.yaml text; errors name the file, line and key.
  static Result<PeopleConfig> Parse(const std::string& yaml, const std::string& file);
  // The file at `path`, or the defaults when there is no such file.
  static Result<PeopleConfig> Load(const std::string& path);
};

// Whether the ISA-95 path `prefix` ("" = everything) covers `path`: the same path or one
// below it ("acme/line-2" covers "acme/line-2/cnc-01", not "acme/line-20").
bool PathCovers(std::string_view prefix, std::string_view path);

// The hub's people.yaml; without `shifts:` there, the shift names of the hub's oee.yaml.
Result<PeopleConfig> LoadPeopleConfig(const Hub& hub);

}  // namespace fh::analytics::people
