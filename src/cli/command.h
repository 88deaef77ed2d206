// How a subcommand plugs into `factoryhub`: each cmd_*.cpp defines one Register function,
// listed in main.cpp's table. Register adds the subcommand and its flags to the parent
// app, keeps the parsed values in state it owns, and returns the step that runs it.
//
// Flag values are checked while parsing (CLI11 validators, or a callback that throws
// CLI::ValidationError), so a bad flag is a usage error (exit 2) before any work starts.
// The run step returns a Status; main.cpp turns it into the message and exit code.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "common/status.h"
#include "store/hub.h"

namespace fh::cli {

struct Command {
  CLI::App* app = nullptr;      // the subcommand
  std::function<Status()> run;  // called if the subcommand was given
  // When run succeeds but its answer is "no" (check found problems): the exit code it
  // sets. Null: 0.
  std::shared_ptr<const int> exit_code;
};

using RegisterFn = Command (*)(CLI::App& parent);

Command RegisterInit(CLI::App& parent);
Command RegisterWrite(CLI::App& parent);
Command RegisterQuery(CLI::App& parent);
Command RegisterLatest(CLI::App& parent);
Command RegisterTags(CLI::App& parent);
Command RegisterInfo(CLI::App& parent);
Command RegisterCompact(CLI::App& parent);
Command RegisterSync(CLI::App& parent);
Command RegisterBackup(CLI::App& parent);
Command RegisterRestore(CLI::App& parent);
Command RegisterRetention(CLI::App& parent);
Command RegisterCheck(CLI::App& parent);
Command RegisterServe(CLI::App& parent);
Command RegisterDemo(CLI::App& parent);
Command RegisterSimulate(CLI::App& parent);
Command RegisterImport(CLI::App& parent);
Command RegisterValidate(CLI::App& parent);
Command RegisterQuarantine(CLI::App& parent);
Command RegisterLineage(CLI::App& parent);
Command RegisterRecords(CLI::App& parent);
Command RegisterReport(CLI::App& parent);
Command RegisterTrain(CLI::App& parent);
Command RegisterModel(CLI::App& parent);
Command RegisterPredict(CLI::App& parent);
Command RegisterOptimize(CLI::App& parent);
Command RegisterAlarms(CLI::App& parent);
Command RegisterAnomaly(CLI::App& parent);
Command RegisterSpc(CLI::App& parent);
Command RegisterOee(CLI::App& parent);
Command RegisterPeople(CLI::App& parent);
Command RegisterPlan(CLI::App& parent);
Command RegisterRank(CLI::App& parent);
Command RegisterTrace(CLI::App& parent);
Command RegisterUser(CLI::App& parent);
Command RegisterToken(CLI::App& parent);
Command RegisterAudit(CLI::App& parent);
Command RegisterShare(CLI::App& parent);
Command RegisterKeys(CLI::App& parent);
Command RegisterOpcUa(CLI::App& parent);
Command RegisterVersion(CLI::App& parent);

// Adds `--hub DIR` (default: $FH_HUB) to `sub`, stored in *dir.
void AddHubOption(CLI::App* sub, std::string* dir);
// Adds `--json` to `sub`, stored in *json.
void AddJsonOption(CLI::App* sub, bool* json);

// The hub directory: the --hub flag's value, else $FH_HUB, else empty.
std::string HubDir(const std::string& flag);
// Opens the hub named by --hub (its value `flag`) or FH_HUB. FailedPrecondition if none was
// given or DIR is not a hub.
Result<std::unique_ptr<Hub>> OpenHub(const std::string& flag);

// The time range of --from and --to (RFC 3339, now-1d, epoch seconds; to exclusive); an
// empty flag leaves that end open.
Result<TimeRange> ParseTimeRange(const std::string& from, const std::string& to);

}  // namespace fh::cli
