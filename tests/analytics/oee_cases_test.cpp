// The OEE cases in tests/analytics/oee_cases/*.yaml, each a small plant worked by hand:
// settings (as in oee.yaml), a window, the states and orders of one machine, and the
// figures expected for the window and for each period. Adding a case needs no C++
// (tests/analytics/oee_cases/README.md).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "analytics/oee/oee_engine.h"
#include "common/time.h"
#include "testing/source_dir.h"

namespace fh::analytics::oee {
namespace {

std::filesystem::path CasesDir() {
  return testing::SourceDir() / "tests" / "analytics" / "oee_cases";
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(CasesDir())) {
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TimestampNs Time(const YAML::Node& n) {
  Result<int64_t> t = ParseRfc3339(n.as<std::string>());
  EXPECT_TRUE(t.ok()) << n.as<std::string>() << " line " << n.Mark().line + 1;
  return t.ok() ? *t : 0;
}

std::optional<double> Figure(const OeeTotals& t, const OeeKpis& k, const std::string& name) {
  auto s = [](int64_t ns) { return static_cast<double>(ns) / kNanosPerSecond; };
  if (name == "calendar_s") return s(t.calendar_ns);
  if (name == "not_scheduled_s") return s(t.not_scheduled_ns);
  if (name == "planned_operation_s") return s(t.PlannedOperationNs());
  if (name == "planned_down_s") return s(t.PlannedDownNs());
  if (name == "planned_busy_s") return s(t.PlannedBusyNs());
  if (name == "break_s") return s(t.break_ns);
  if (name == "planned_stop_s") return s(t.planned_stop_ns);
  if (name == "production_s") return s(t.production_ns);
  if (name == "apt_s") return s(k.apt_ns);
  if (name == "setup_s") return s(t.setup_ns);
  if (name == "delay_s") return s(t.delay_ns);
  if (name == "down_s") return s(t.down_ns);
  if (name == "micro_stop_s") return s(t.micro_stop_ns);
  if (name == "unknown_s") return s(t.unknown_ns);
  if (name == "overlap_s") return s(t.overlap_ns);
  if (name == "unscheduled_run_s") return s(t.unscheduled_run_ns);
  if (name == "failure_s") return s(t.failure_ns);
  if (name == "produced") return t.produced;
  if (name == "good") return t.good;
  if (name == "scrap") return t.scrap;
  if (name == "rework") return t.rework;
  if (name == "scrap_ratio") return k.scrap_ratio;
  if (name == "rework_ratio") return k.rework_ratio;
  if (name == "ideal_s") return t.ideal_s;
  if (name == "unscheduled_produced") return t.unscheduled_produced;
  if (name == "failures") return static_cast<double>(t.failures);
  if (name == "micro_stops") return static_cast<double>(t.micro_stops);
  if (name == "availability") return k.availability;
  if (name == "performance") return k.performance;
  if (name == "quality") return k.quality;
  if (name == "oee") return k.oee;
  if (name == "teep") return k.teep;
  if (name == "nee") return k.nee;
  if (name == "technical_efficiency") return k.technical_efficiency;
  if (name == "setup_rate") return k.setup_rate;
  if (name == "first_pass_yield") return k.first_pass_yield;
  if (name == "mtbf_s") return k.mtbf_s;
  if (name == "mttr_s") return k.mttr_s;
  ADD_FAILURE() << "unknown figure '" << name << "'";
  return std::nullopt;
}

// Checks every figure the case expects; returns how many it checked.
int Expect(const YAML::Node& expected, const OeeTotals& t, const OeeSettings& settings,
           const std::string& where) {
  const OeeKpis k = ComputeKpis(t, settings);
  int checked = 0;
  for (const auto& kv : expected) {
    const std::string name = kv.first.as<std::string>();
    if (name == "label") continue;
    const std::optional<double> got = Figure(t, k, name);
    ++checked;
    if (kv.second.IsNull()) {
      EXPECT_FALSE(got.has_value()) << where << ": " << name << " should be empty, is " << *got;
      continue;
    }
    const double want = kv.second.as<double>();
    if (!got.has_value()) {
      ADD_FAILURE() << where << ": " << name << " is empty, want " << want;
      continue;
    }
    EXPECT_NEAR(*got, want, 5e-7 * std::max(1.0, std::fabs(want))) << where << ": " << name;
  }
  return checked;
}

class OeeCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OeeCaseTest, GivesTheFiguresWorkedByHand) {
  const std::filesystem::path file = CasesDir() / (GetParam() + ".yaml");
  const YAML::Node c = YAML::LoadFile(file.string());
  ASSERT_TRUE(c["name"]) << file << ": a case needs a name";
  ASSERT_TRUE(c["expect"]) << file << ": a case needs expectations";

  Result<OeeConfig> config =
      OeeConfig::Parse(c["settings"] ? YAML::Dump(c["settings"]) : "", file.string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const OeeSettings& settings = config->defaults;

  OeeUnitInput unit;
  unit.path = "case/site/area/line/machine";
  for (const auto& s : c["states"]) {
    StateSpan span;
    Result<EquipmentState> state = ParseEquipmentState(s[0].as<std::string>());
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    span.state = *state;
    span.start_ts = Time(s[1]);
    if (!s[2].IsNull()) span.end_ts = Time(s[2]);
    if (s.size() > 3) span.reason_id = s[3].as<int64_t>();
    unit.states.push_back(span);
  }
  for (const auto& o : c["orders"]) {
    OeeOrder order;
    order.number = o["number"].as<std::string>();
    order.good = o["good"].as<double>(0);
    order.scrap = o["scrap"].as<double>(0);
    order.rework = o["rework"].as<double>(0);
    if (o["cycle_time_s"]) order.cycle_time_s = o["cycle_time_s"].as<double>();
    if (o["start"]) order.start = Time(o["start"]);
    if (o["end"]) order.end = Time(o["end"]);
    unit.orders.push_back(order);
  }
  const TimeRange window{Time(c["window"]["from"]), Time(c["window"]["to"])};
  const TimestampNs as_of = c["as_of"] ? Time(c["as_of"]) : window.to;
  const std::string by_name = c["by"] ? c["by"].as<std::string>() : "whole";
  const Period by = by_name == "shift"   ? Period::kShift
                    : by_name == "day"   ? Period::kDay
                    : by_name == "week"  ? Period::kWeek
                    : by_name == "month" ? Period::kMonth
                                         : Period::kWhole;
  const OeeUnitResult r = ComputeUnitOee(unit, settings, window, by, as_of);

  int checked = 0;
  if (c["expect"]["whole"]) checked += Expect(c["expect"]["whole"], r.whole, settings, "whole");
  if (const YAML::Node periods = c["expect"]["periods"]) {
    ASSERT_EQ(r.periods.size(), periods.size()) << "periods";
    for (size_t i = 0; i < periods.size(); ++i) {
      if (periods[i]["label"]) {
        EXPECT_EQ(r.periods[i].label, periods[i]["label"].as<std::string>()) << "period " << i;
      }
      checked += Expect(periods[i], r.periods[i].totals, settings, r.periods[i].label);
    }
  }
  if (const YAML::Node w = c["expect"]["warnings"]) {
    ++checked;
    std::string all;
    for (const std::string& s : r.warnings)
      all += s + "\n";
    for (const auto& needle : w) {
      EXPECT_NE(all.find(needle.as<std::string>()), std::string::npos)
          << "no warning says '" << needle.as<std::string>() << "' in:\n"
          << all;
    }
  } else {
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  }
  if (const YAML::Node losses = c["expect"]["losses"]) {
    for (const auto& l : losses) {
      ++checked;
      const std::string kind = l["kind"].as<std::string>();
      std::optional<int64_t> reason;
      if (l["reason"]) reason = l["reason"].as<int64_t>();
      const LossTime* found = nullptr;
      for (const auto& [key, time] : r.losses) {
        if (ToString(key.kind) == kind && key.reason_id == reason) found = &time;
      }
      ASSERT_NE(found, nullptr) << "no loss " << kind;
      EXPECT_NEAR(static_cast<double>(found->ns) / kNanosPerSecond, l["seconds"].as<double>(), 1e-9)
          << kind;
      if (l["stops"]) {
        EXPECT_EQ(found->stops, l["stops"].as<int64_t>()) << kind;
      }
    }
  }
  EXPECT_GT(checked, 0) << file << " checks nothing";
}

INSTANTIATE_TEST_SUITE_P(Cases, OeeCaseTest, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace fh::analytics::oee
