// factoryhub alarms --hub DIR [--limit N] [--json]: alarms raised by models, newest first.
// (list, journal, report and the operators' actions: cmd_alarm_states.cpp)
// factoryhub alarms evaluate --hub DIR [--from T] [--to T] [--operators N] [--journal]
//   [--json]: the alarms of the hub's alarms.yaml applied to stored history, and the alarm
//   system's performance over it (EEMUA 191 / ISA-18.2).
#include <cmath>
#include <filesystem>

#include <fmt/ranges.h>

#include "analytics/alarms/alarm_history.h"
#include "analytics/alarms/alarm_json.h"
#include "analytics/alarms/alarm_report.h"
#include "cli/cmd_alarms_shared.h"
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "ml/alarms.h"

namespace fh::cli {
namespace {

namespace alarms = analytics::alarms;

struct AlarmsCli {
  std::string hub;
  int64_t limit = 100;
  bool json = false;
};

struct EvaluateCli {
  std::string hub;
  std::string from, to;
  int operators = 1;
  bool journal = false;
  bool json = false;
};

Status RunModelAlarms(const AlarmsCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  Result<std::vector<ml::Alarm>> list = [&] {
    CatalogSession session = hub->OpenCatalog();
    return ml::ListAlarms(session.alarms(), o.limit);
  }();
  if (!list.ok()) return list.status();
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const ml::Alarm& a : *list)
      out.push_back(ml::AlarmJson(a));
    PrintJson(out);
    return Status::Ok();
  }
  if (list->empty()) {
    fmt::print("No alarms: factoryhub predict --alarms raises them.\n");
    return Status::Ok();
  }
  Table t({{"time"}, {"equipment"}, {"class"}, {"probability", true}, {"model"}, {"top reasons"}});
  for (const ml::Alarm& a : *list) {
    t.AddRow({FormatRfc3339(a.ts), a.equipment, a.predicted_class,
              fmt::format("{:.3f}", a.probability), a.model, ml::ReasonsText(a.reasons)});
  }
  t.Print();
  return Status::Ok();
}

std::string Percent(double share) {
  return fmt::format("{:.1f}%", 100 * share);
}

std::string Counted(const std::vector<alarms::AlarmCount>& counts) {
  std::string out;
  for (const alarms::AlarmCount& c : counts)
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", c.alarm, c.count);
  return out.empty() ? "none" : out;
}

}  // namespace

void PrintAlarmReport(const alarms::AlarmReport& r) {
  fmt::print("\nAlarm system performance, {} to {}, {} operator{} (EEMUA 191 / ISA-18.2):\n\n",
             FormatRfc3339(r.range.from), FormatRfc3339(r.range.to), r.operators,
             r.operators == 1 ? "" : "s");
  std::string mix;
  for (alarms::Priority p : {alarms::Priority::kCritical, alarms::Priority::kHigh,
                             alarms::Priority::kMedium, alarms::Priority::kLow}) {
    const int64_t n = r.by_priority[static_cast<size_t>(p)];
    mix += fmt::format("{}{} {}", mix.empty() ? "" : ", ", alarms::PriorityName(p),
                       Percent(r.annunciated > 0 ? double(n) / double(r.annunciated) : 0));
  }
  PrintKeyValues({
      {"annunciated alarms", fmt::format("{}", r.annunciated)},
      {"per operator per 10 minutes",
       fmt::format("{:.2f}  (about 1 acceptable, 2 the most manageable)",
                   r.per_operator_per_10_minutes)},
      {"per operator per hour", fmt::format("{:.1f}  (about 6 acceptable, 12 the most manageable)",
                                            r.per_operator_per_hour)},
      {"per operator per day",
       fmt::format("{:.0f}  (about 150 acceptable, 300 the most manageable)",
                   r.per_operator_per_day)},
      {"10-minute periods in flood",
       fmt::format("{} of {} ({:.1f}%; more than 10 alarms; under 1% acceptable)",
                   r.periods_in_flood, r.periods, r.flood_percent)},
      {"most in 10 minutes",
       r.peak_in_period > 0
           ? fmt::format("{:.0f} from {}  (at most 10)", r.peak_in_period, FormatRfc3339(r.peak_at))
           : "0"},
      {"top bad actors", Counted(r.bad_actors)},
      {"their share", fmt::format("{}  (1-5% acceptable)", Percent(r.bad_actors_share))},
      {"chattering (3+ in a minute)", Counted(r.chattering)},
      {"fleeting (cleared within 1 s)", fmt::format("{}", r.fleeting)},
      {"stale (active over 24 h)",
       r.stale.empty() ? std::string("none") : fmt::format("{}", fmt::join(r.stale, ", "))},
      {"priority mix", mix + "  (about 5% high, 15% medium, 80% low)"},
      {"raised, not annunciated",
       fmt::format("{} (shelved, suppressed or out of service)", r.suppressed_activations)},
  });
}

Result<TimeRange> DefaultedRange(const std::string& from, const std::string& to) {
  FH_ASSIGN_OR_RETURN(TimeRange range, ParseTimeRange(from, to));
  // Whole seconds: the report's periods start at the range's start.
  if (to.empty()) range.to = NowNs() / kNanosPerSecond * kNanosPerSecond;
  if (from.empty()) range.from = range.to - kNanosPerDay;
  if (from.starts_with("now")) range.from = range.from / kNanosPerSecond * kNanosPerSecond;
  if (range.from >= range.to)
    return InvalidArgument("the range is empty: --from is not before --to");
  return range;
}

namespace {

Status RunEvaluate(const EvaluateCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  const std::string file = (hub->dir() / alarms::kAlarmConfigFile).string();
  FH_ASSIGN_OR_RETURN(alarms::AlarmConfig config, alarms::AlarmConfig::Load(file));
  if (config.alarms.empty()) {
    return NotFound("{} defines no alarms (docs/alarms.md says how)", file);
  }
  FH_ASSIGN_OR_RETURN(const TimeRange range, DefaultedRange(o.from, o.to));
  FH_ASSIGN_OR_RETURN(std::vector<alarms::JournalEntry> journal,
                      alarms::EvaluateHistory(*hub, config, range));
  const alarms::AlarmReport report =
      alarms::ReportAlarms(journal, range, {.operators = o.operators});
  if (o.json) {
    nlohmann::ordered_json out;
    out["alarms"] = config.alarms.size();
    out["report"] = alarms::AlarmReportJson(report);
    if (o.journal) out["journal"] = alarms::JournalJson(journal);
    PrintJson(out);
    return Status::Ok();
  }
  fmt::print("{} alarm definitions of {} over {} to {}: {} events, {} annunciated.\n",
             config.alarms.size(), file, FormatRfc3339(range.from), FormatRfc3339(range.to),
             journal.size(), report.annunciated);
  if (o.journal && !journal.empty()) {
    fmt::print("\n");
    Table t({{"time"}, {"alarm"}, {"priority"}, {"event"}, {"state"}, {"value", true}});
    for (const alarms::JournalEntry& e : journal) {
      t.AddRow({FormatRfc3339(e.event.ts), std::string(e.alarm),
                std::string(alarms::PriorityName(e.priority)),
                std::string(alarms::AlarmEventText(e.event.kind)),
                std::string(alarms::AlarmStateText(e.event.state)),
                std::isfinite(e.value) ? FormatValue(e.value) : ""});
    }
    t.Print();
  }
  PrintAlarmReport(report);
  return Status::Ok();
}

void AddEvaluate(CLI::App* parent, std::shared_ptr<std::function<Status()>> chosen) {
  auto o = std::make_shared<EvaluateCli>();
  CLI::App* sub = parent->add_subcommand(
      "evaluate",
      "Apply the hub's alarms.yaml to stored history: the alarms it would have raised, and "
      "the alarm system's performance (EEMUA 191 / ISA-18.2)");
  AddHubOption(sub, &o->hub);
  sub->add_option("--from", o->from,
                  "Start of the history (RFC 3339, a date, now-7d; default: a day before --to)");
  sub->add_option("--to", o->to, "End of the history, exclusive (default: now)");
  sub->add_option("--operators", o->operators,
                  "Operator positions sharing these alarms (the rates are per operator)")
      ->check(CLI::PositiveNumber);
  sub->add_flag("--journal", o->journal, "Also every event: activations, clears, suppressions");
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Example:\n  factoryhub alarms evaluate --hub plant --from now-30d --journal\n"
      "The alarms are defined in HUB/alarms.yaml (docs/alarms.md).");
  sub->callback([chosen, o] { *chosen = [o] { return RunEvaluate(*o); }; });
}

}  // namespace

Command RegisterAlarms(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "alarms",
      "Alarms: those of alarms.yaml (list, ack, shelve, journal, report, evaluate on history) "
      "and those models raised (newest first, without a subcommand)");
  auto o = std::make_shared<AlarmsCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("--limit", o->limit, "At most this many (default 100)")
      ->check(CLI::PositiveNumber);
  AddJsonOption(sub, &o->json);
  sub->footer(
      "Examples:\n  factoryhub alarms --hub plant --limit 20    # what models raised\n"
      "  factoryhub alarms list --hub plant\n"
      "  factoryhub alarms ack --hub plant oven-high --comment 'checking the burner'\n"
      "  factoryhub alarms evaluate --hub plant --from now-7d");
  auto chosen = std::make_shared<std::function<Status()>>();
  AddEvaluate(sub, chosen);
  AddAlarmStateCommands(sub, chosen);
  return {sub, [o, chosen] { return *chosen ? (*chosen)() : RunModelAlarms(*o); }};
}

}  // namespace fh::cli
