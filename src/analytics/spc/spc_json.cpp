#include "analytics/spc/spc_json.h"

#include <algorithm>

#include "common/time.h"

namespace fh::analytics::spc {

size_t PhaseOneCount(const SpcStudy& s) {
  return static_cast<size_t>(
      std::count_if(s.points.begin(), s.points.end(), [](const auto& p) { return !p.phase_two; }));
}

nlohmann::ordered_json LimitsJson(const ControlLimits& l) {
  return {{"cl", l.center}, {"lcl", l.lower}, {"ucl", l.upper}};
}

namespace {

nlohmann::ordered_json IndexJson(const std::optional<Index>& i) {
  if (!i) return nullptr;
  return {{"value", i->value}, {"low", i->confidence.low}, {"high", i->confidence.high}};
}

}  // namespace

nlohmann::ordered_json CapabilityJson(const Capability& c) {
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
  };
  return {{"n", c.n},
          {"mean", c.mean},
          {"sigma_within", c.sigma_within},
          {"sigma_overall", c.sigma_overall},
          {"cp", IndexJson(c.cp)},
          {"cpk", IndexJson(c.cpk)},
          {"pp", IndexJson(c.pp)},
          {"ppk", IndexJson(c.ppk)},
          {"cpl", opt(c.cpl)},
          {"cpu", opt(c.cpu)},
          {"cpm", opt(c.cpm)},
          {"confidence_level", c.confidence_level},
          {"normality",
           {{"test", "anderson-darling"},
            {"a2", c.normality.a2},
            {"p_value", c.normality.p_value},
            {"normal", c.normality.normal}}}};
}

nlohmann::ordered_json ViolationsJson(const SpcStudy& s) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& v : s.violations) {
    out.push_back({{"chart", v.chart},
                   {"rule", v.rule},
                   {"what", v.what},
                   {"subgroup", v.point + 1},
                   {"time", FormatRfc3339(s.points[v.point].ts)},
                   {"subgroups",
                    [&] {
                      nlohmann::ordered_json idx = nlohmann::ordered_json::array();
                      for (size_t p : v.points)
                        idx.push_back(p + 1);
                      return idx;
                    }()},
                   {"phase", v.phase_two ? 2 : 1}});
  }
  return out;
}

nlohmann::ordered_json SpcChartJson(const SpcStudy& s, nlohmann::ordered_json subject) {
  const size_t phase_one = PhaseOneCount(s);
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const auto& p : s.points) {
    points.push_back({{"subgroup", p.index + 1},
                      {"time", FormatRfc3339(p.ts)},
                      {s.location_chart, p.location},
                      {s.spread_chart, p.spread},
                      {"phase", p.phase_two ? 2 : 1},
                      {"excluded", p.excluded}});
  }
  nlohmann::ordered_json doc = {
      {"chart", s.location_chart + "-" + s.spread_chart},
      {"subgroup_size", s.limits.subgroup_size},
      {"subgroups", s.points.size()},
      {"baseline", phase_one},
      {s.location_chart, LimitsJson(s.limits.location)},
      {s.spread_chart, LimitsJson(s.limits.spread)},
      {"sigma_within", s.limits.sigma_within},
      {"excluded",
       [&] {
         nlohmann::ordered_json e = nlohmann::ordered_json::array();
         for (size_t i : s.excluded)
           e.push_back(i + 1);
         return e;
       }()},
      {"points", points},
      {"violations", ViolationsJson(s)},
      {"capability", s.capability ? CapabilityJson(*s.capability) : nlohmann::ordered_json()}};
  if (!subject.is_object()) return doc;
  for (auto& [key, value] : doc.items())
    subject[key] = std::move(value);
  return subject;
}

nlohmann::ordered_json SpcEventJson(const StoredSpcEvent& e) {
  return {{"id", e.id},
          {"characteristic", e.characteristic},
          {"limits_version", e.limits_version},
          {"chart", e.chart},
          {"rule", e.rule},
          {"what", e.what},
          {"first_ts", FormatRfc3339(e.first_ts)},
          {"ts", FormatRfc3339(e.ts)},
          {"last_ts", FormatRfc3339(e.last_ts)},
          {"points", e.points},
          {"value", e.value},
          {"active", e.active},
          {"raised_at", FormatRfc3339(e.raised_at)}};
}

}  // namespace fh::analytics::spc
