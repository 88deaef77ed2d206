#include "analytics/oee/oee_json.h"

#include "common/enum_names.h"
#include "common/time.h"

namespace fh::analytics::oee {
namespace {

constexpr EnumNames<Period, 5> kPeriodNames = {{
    {Period::kWhole, "whole"},
    {Period::kShift, "shift"},
    {Period::kDay, "day"},
    {Period::kWeek, "week"},
    {Period::kMonth, "month"},
}};

nlohmann::ordered_json Opt(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
}

}  // namespace

std::string_view ToString(Period p) {
  return EnumToString(kPeriodNames, p);
}
Result<Period> ParsePeriod(std::string_view text) {
  return EnumParse(kPeriodNames, "period", text);
}

Result<OeeQuery> ParseOeeQuery(const OeeQueryText& text, TimestampNs now, std::string* bad_field) {
  std::string ignored;
  std::string& field = bad_field ? *bad_field : ignored;
  OeeQuery q;
  q.path = text.path;
  while (!q.path.empty() && q.path.back() == '/')
    q.path.pop_back();
  q.as_of = now;
  q.window.to = now;
  if (!text.to.empty()) {
    field = "to";
    Result<int64_t> to = ParseTimePoint(text.to, now);
    if (!to.ok()) return InvalidArgument("to '{}': {}", text.to, to.status().message());
    q.window.to = *to;
  }
  q.window.from = q.window.to - kNanosPerDay;
  if (!text.from.empty()) {
    field = "from";
    Result<int64_t> from = ParseTimePoint(text.from, now);
    if (!from.ok()) return InvalidArgument("from '{}': {}", text.from, from.status().message());
    q.window.from = *from;
  }
  field = "from";
  if (q.window.from >= q.window.to) {
    return InvalidArgument("the window is empty: from {} is not before to {}",
                           FormatRfc3339(q.window.from), FormatRfc3339(q.window.to));
  }
  if (q.window.to - q.window.from > 2 * 366 * kNanosPerDay) {
    return InvalidArgument("the window is longer than two years: ask for less at a time");
  }
  if (!text.by.empty()) {
    field = "by";
    FH_ASSIGN_OR_RETURN(q.by, ParsePeriod(text.by));
  }
  if (!text.level.empty()) {
    field = "level";
    FH_ASSIGN_OR_RETURN(q.level, ParseAssetLevel(text.level));
  }
  field.clear();
  return q;
}

nlohmann::ordered_json OeeRowJson(const OeeRow& row) {
  const OeeTotals& t = row.totals;
  const OeeKpis& k = row.kpis;
  return {
      {"asset", row.asset},
      {"period", row.period},
      {"from", FormatRfc3339(row.start)},
      {"to", FormatRfc3339(row.end)},
      {"availability", Opt(k.availability)},
      {"performance", Opt(k.performance)},
      {"quality", Opt(k.quality)},
      {"oee", Opt(k.oee)},
      {"teep", Opt(k.teep)},
      {"nee", Opt(k.nee)},
      {"technical_efficiency", Opt(k.technical_efficiency)},
      {"setup_rate", Opt(k.setup_rate)},
      {"first_pass_yield", Opt(k.first_pass_yield)},
      {"scrap_ratio", Opt(k.scrap_ratio)},
      {"rework_ratio", Opt(k.rework_ratio)},
      {"mtbf_s", Opt(k.mtbf_s)},
      {"mttr_s", Opt(k.mttr_s)},
      {"times",
       {{"calendar_s", NanosToSeconds(t.calendar_ns)},
        {"not_scheduled_s", NanosToSeconds(t.not_scheduled_ns)},
        {"planned_operation_s", NanosToSeconds(t.PlannedOperationNs())},
        {"planned_down_s", NanosToSeconds(t.PlannedDownNs())},
        {"break_s", NanosToSeconds(t.break_ns)},
        {"planned_stop_s", NanosToSeconds(t.planned_stop_ns)},
        {"planned_busy_s", NanosToSeconds(t.PlannedBusyNs())},
        {"production_s", NanosToSeconds(t.production_ns)},
        {"actual_production_s", NanosToSeconds(k.apt_ns)},
        {"setup_s", NanosToSeconds(t.setup_ns)},
        {"delay_s", NanosToSeconds(t.delay_ns)},
        {"down_s", NanosToSeconds(t.down_ns)},
        {"micro_stop_s", NanosToSeconds(t.micro_stop_ns)},
        {"unknown_s", NanosToSeconds(t.unknown_ns)},
        {"unscheduled_run_s", NanosToSeconds(t.unscheduled_run_ns)},
        {"overlap_s", NanosToSeconds(t.overlap_ns)}}},
      {"counts",
       {{"produced", t.produced},
        {"good", t.good},
        {"scrap", t.scrap},
        {"rework", t.rework},
        {"ideal_s", t.ideal_s},
        {"unscheduled_produced", t.unscheduled_produced},
        {"failures", t.failures},
        {"micro_stops", t.micro_stops}}},
  };
}

nlohmann::ordered_json OeeLossesJson(const OeeReport& report) {
  nlohmann::ordered_json waterfall = nlohmann::ordered_json::array();
  for (const WaterfallStep& s : report.waterfall) {
    waterfall.push_back({{"step", s.name}, {"seconds", s.seconds}});
  }
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const ReasonLoss& r : report.reasons) {
    reasons.push_back(
        {{"kind", r.kind},
         {"code", r.code.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.code)},
         {"category",
          r.category.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.category)},
         {"description", r.description},
         {"seconds", r.seconds},
         {"stops", r.stops},
         {"share", r.share},
         {"cumulative", r.cumulative}});
  }
  return {{"waterfall", waterfall}, {"reasons", reasons}};
}

nlohmann::ordered_json OeeReportJson(const OeeReport& report, bool losses) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const OeeRow& r : report.rows)
    rows.push_back(OeeRowJson(r));
  nlohmann::ordered_json doc = {
      {"units", report.units}, {"total", OeeRowJson(report.total)}, {"rows", rows}};
  if (losses) doc["losses"] = OeeLossesJson(report);
  doc["warnings"] = report.warnings;
  return doc;
}

}  // namespace fh::analytics::oee
