// factoryhub alarms --hub DIR [--limit N] [--json]: alarms raised by models, newest first.
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "ml/alarms.h"

namespace fh::cli {
namespace {

struct AlarmsCli {
  std::string hub;
  int64_t limit = 100;
  bool json = false;
};

Status RunAlarms(const AlarmsCli& o) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(o.hub));
  Result<std::vector<ml::Alarm>> alarms = [&] {
    CatalogSession session = hub->OpenCatalog();
    return ml::ListAlarms(session.alarms(), o.limit);
  }();
  if (!alarms.ok()) return alarms.status();
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ml::Alarm& a : *alarms)
      list.push_back(ml::AlarmJson(a));
    PrintJson(list);
    return Status::Ok();
  }
  if (alarms->empty()) {
    fmt::print("No alarms: factoryhub predict --alarms raises them.\n");
    return Status::Ok();
  }
  Table t({{"time"}, {"equipment"}, {"class"}, {"probability", true}, {"model"}, {"top reasons"}});
  for (const ml::Alarm& a : *alarms) {
    t.AddRow({FormatRfc3339(a.ts), a.equipment, a.predicted_class,
              fmt::format("{:.3f}", a.probability), a.model, ml::ReasonsText(a.reasons)});
  }
  t.Print();
  return Status::Ok();
}

}  // namespace

Command RegisterAlarms(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("alarms", "Alarms raised by models, newest first");
  auto o = std::make_shared<AlarmsCli>();
  AddHubOption(sub, &o->hub);
  sub->add_option("--limit", o->limit, "At most this many (default 100)")
      ->check(CLI::PositiveNumber);
  AddJsonOption(sub, &o->json);
  sub->footer("Example:\n  factoryhub alarms --hub plant --limit 20");
  return {sub, [o] { return RunAlarms(*o); }};
}

}  // namespace fh::cli
