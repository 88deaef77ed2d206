// factoryhub check --hub DIR [--quick] [--json]
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "store/hub_check.h"

namespace fh::cli {
namespace {

struct CheckOptionsCli {
  std::string hub;
  bool quick = false;
  bool json = false;
};

Status RunCheck(const CheckOptionsCli& opts, int* exit_code) {
  const std::string hub = HubDir(opts.hub);
  if (hub.empty()) return FailedPrecondition("no hub: pass --hub DIR or set FH_HUB");
  FH_ASSIGN_OR_RETURN(CheckReport report, CheckHub(hub, {.quick = opts.quick}));
  *exit_code = report.ok() ? kExitOk : kExitCheckFailed;
  if (opts.json) {
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const CheckProblem& p : report.problems)
      problems.push_back({{"check", p.check}, {"where", p.where}, {"what", p.what}});
    PrintJson({{"ok", report.ok()},
               {"checked",
                {{"chunks", report.chunks},
                 {"log_entries", report.log_entries},
                 {"crosswalk_rows", report.references}}},
               {"problems", std::move(problems)}});
    return Status::Ok();
  }
  for (const CheckProblem& p : report.problems) {
    if (p.where.empty()) {
      fmt::print("{}: {}\n", p.check, p.what);
    } else {
      fmt::print("{}: {}: {}\n", p.check, p.where, p.what);
    }
  }
  fmt::print("{}: {} chunks, {} write log entries, {} crosswalk rows checked; {}\n", hub,
             FormatCount(report.chunks), FormatCount(report.log_entries),
             FormatCount(report.references),
             report.ok() ? "no problem found"
                         : fmt::format("{} problem{} found", report.problems.size(),
                                       report.problems.size() == 1 ? "" : "s"));
  return Status::Ok();
}

}  // namespace

Command RegisterCheck(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "check",
      "Check a hub's database without changing it: SQLite's integrity, references, every "
      "chunk and write log entry (exit 7 if a problem is found)");
  auto opts = std::make_shared<CheckOptionsCli>();
  auto exit_code = std::make_shared<int>(kExitOk);
  AddHubOption(sub, &opts->hub);
  sub->add_flag("--quick", opts->quick,
                "SQLite's quick_check instead of integrity_check (faster; skips checking that "
                "indexes match their tables)");
  AddJsonOption(sub, &opts->json);
  return {sub, [opts, exit_code] { return RunCheck(*opts, exit_code.get()); }, exit_code};
}

}  // namespace fh::cli
