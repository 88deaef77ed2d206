#include "analytics/people/people_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/oee/oee_config.h"
#include "govern/yaml_reader.h"
#include "store/hub.h"

namespace fh::analytics::people {

bool PathCovers(std::string_view prefix, std::string_view path) {
  if (prefix.empty()) return true;
  if (path.size() < prefix.size() || path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

int PeopleConfig::MinPerShift(std::string_view line_path, std::string_view qualification) const {
  int best = min_per_shift;
  size_t best_len = 0;
  bool found = false;
  for (const Requirement& r : requirements) {
    if (r.qualification != qualification) continue;
    if (!r.line.empty() && !PathCovers(r.line, line_path)) continue;
    if (found && r.line.size() < best_len) continue;
    best = r.min_per_shift;
    best_len = r.line.size();
    found = true;
  }
  return best;
}

Result<PeopleConfig> PeopleConfig::Parse(const std::string& yaml, const std::string& file) {
  FH_ASSIGN_OR_RETURN(YAML::Node root, govern::LoadYaml(yaml, file));
  PeopleConfig c;
  if (!root || root.IsNull()) return c;
  govern::YamlReader r(file);
  try {
    if (!root.IsMap()) return r.Error(root, "people.yaml: expected a map of settings");
    FH_RETURN_IF_ERROR(r.CheckKeys(
        root, "people.yaml", {"min_per_shift", "expiring_within_days", "shifts", "requirements"}));
    if (YAML::Node n = root["min_per_shift"]) {
      FH_ASSIGN_OR_RETURN(const int64_t v, r.Integer(n, "min_per_shift", 0, 1000));
      c.min_per_shift = static_cast<int>(v);
    }
    if (YAML::Node n = root["expiring_within_days"]) {
      FH_ASSIGN_OR_RETURN(const int64_t v, r.Integer(n, "expiring_within_days", 0, 3650));
      c.expiring_within_days = static_cast<int>(v);
    }
    if (YAML::Node n = root["shifts"]) {
      FH_ASSIGN_OR_RETURN(c.shifts, r.Strings(n, "shifts"));
      for (size_t i = 0; i < c.shifts.size(); ++i) {
        if (c.shifts[i].empty()) return r.Error(n, "shifts: a shift's name is empty");
        for (size_t j = 0; j < i; ++j) {
          if (c.shifts[j] == c.shifts[i]) {
            return r.Error(n, fmt::format("shifts: '{}' is listed twice", c.shifts[i]));
          }
        }
      }
    }
    if (YAML::Node list = root["requirements"]) {
      if (!list.IsSequence()) return r.Error(list, "requirements: expected a list");
      for (const YAML::Node& item : list) {
        if (!item.IsMap()) {
          return r.Error(item, "requirements: each item is {qualification, line, min_per_shift}");
        }
        FH_RETURN_IF_ERROR(
            r.CheckKeys(item, "requirements", {"qualification", "line", "min_per_shift"}));
        Requirement req;
        if (!item["qualification"]) {
          return r.Error(item, "requirements: an item without 'qualification' (its code)");
        }
        FH_ASSIGN_OR_RETURN(req.qualification, r.Scalar(item["qualification"], "qualification"));
        if (YAML::Node line = item["line"]) {
          FH_ASSIGN_OR_RETURN(req.line, r.Scalar(line, "line"));
        }
        if (!item["min_per_shift"]) {
          return r.Error(item,
                         fmt::format("requirements: '{}' has no min_per_shift", req.qualification));
        }
        FH_ASSIGN_OR_RETURN(const int64_t v,
                            r.Integer(item["min_per_shift"], "min_per_shift", 0, 1000));
        req.min_per_shift = static_cast<int>(v);
        c.requirements.push_back(std::move(req));
      }
    }
  } catch (const YAML::Exception& e) {
    return r.FromException(e);
  }
  return c;
}

Result<PeopleConfig> PeopleConfig::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return PeopleConfig{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return IOError("cannot read {}", path);
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

Result<PeopleConfig> LoadPeopleConfig(const Hub& hub) {
  FH_ASSIGN_OR_RETURN(PeopleConfig config,
                      PeopleConfig::Load((hub.dir() / kPeopleConfigFile).string()));
  if (!config.shifts.empty()) return config;
  FH_ASSIGN_OR_RETURN(const oee::OeeConfig oee,
                      oee::OeeConfig::Load((hub.dir() / oee::kOeeConfigFile).string()));
  for (const oee::ShiftSpec& s : oee.defaults.shifts) {
    // A shift defined twice (weekdays and weekends apart) is staffed once.
    if (std::find(config.shifts.begin(), config.shifts.end(), s.name) == config.shifts.end())
      config.shifts.push_back(s.name);
  }
  return config;
}

}  // namespace fh::analytics::people
