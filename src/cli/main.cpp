// factoryhub: the command-line edge. Each subcommand lives in its own cmd_*.cpp and is
// listed once in kCommands; this file parses, runs the chosen one and maps its Status to
// the exit code (cli/exit_codes.h).
#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/version.h"

namespace fh::cli {
namespace {

// In the order `factoryhub --help` lists them (the array is sized by its list).
constexpr RegisterFn kCommands[] = {
    RegisterInit,    RegisterWrite,    RegisterImport, RegisterValidate, RegisterQuarantine,
    RegisterLineage, RegisterRecords,  RegisterReport, RegisterTrain,    RegisterModel,
    RegisterPredict, RegisterOptimize, RegisterAlarms, RegisterAnomaly,  RegisterSpc,
    RegisterOee,     RegisterPeople,   RegisterPlan,   RegisterRank,     RegisterTrace,
    RegisterQuery,   RegisterLatest,   RegisterTags,   RegisterInfo,     RegisterCompact,
    RegisterCheck,   RegisterSync,     RegisterBackup, RegisterRestore,  RegisterRetention,
    RegisterOpcUa,   RegisterServe,    RegisterDemo,   RegisterSimulate, RegisterUser,
    RegisterToken,   RegisterAudit,    RegisterShare,  RegisterKeys,     RegisterVersion,
};

int Main(int argc, char** argv) {
  CLI::App app("factoryhub: a smart-manufacturing data hub (time series, catalog, API).",
               "factoryhub");
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("factoryhub ") + kVersion);

  std::vector<Command> commands;
  for (RegisterFn reg : kCommands)
    commands.push_back(reg(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    PrintError(e.what());
    std::string hint = "factoryhub --help";
    for (const Command& c : commands) {
      if (c.app->parsed()) hint = "factoryhub " + c.app->get_name() + " --help";
    }
    fmt::print(stderr, "Run '{}' for usage.\n", hint);
    return kExitUsage;
  }

  for (const Command& c : commands) {
    if (!c.app->parsed()) continue;
    Status status = c.run();
    if (!status.ok()) {
      PrintError(status.message());
      return ExitCodeFor(status);
    }
    return c.exit_code ? *c.exit_code : kExitOk;
  }
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace
}  // namespace fh::cli

namespace fh::cli {
namespace {

// Any exception is a bug, but it must end the program with a word and an exit code, never
// with an abort: what escapes a command is caught in main, what escapes another thread
// reaches std::terminate, which says it too.
[[noreturn]] void SayInternalErrorAndExit(std::string_view what) {
  PrintError(fmt::format("internal: {}", what));
  std::fflush(stderr);
  std::_Exit(ExitCodeFor(Internal("")));
}

[[noreturn]] void OnTerminate() {
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      SayInternalErrorAndExit(ex.what());
    } catch (...) {
      SayInternalErrorAndExit("an exception of unknown type");
    }
  }
  SayInternalErrorAndExit("std::terminate called without an exception");
}

}  // namespace
}  // namespace fh::cli

int main(int argc, char** argv) {
  std::set_terminate(fh::cli::OnTerminate);
  // OpenMP threads (XGBoost's) that spin at most 100,000 times at a barrier before they
  // sleep, unless the environment names a policy: libgomp's default of 300,000 lets them
  // take the cores from the thread they wait for when the machine is busy (AI4I's training
  // beside two busy processes: 19 s, against 10 s), and sleeping at once (passive) slows
  // small fits on a quiet one (6.9 s, against 3.9 s). Read once, when XGBoost is loaded
  // (ml/xgboost_api.h), and set here while the process has one thread.
  if (!std::getenv("OMP_WAIT_POLICY")) setenv("GOMP_SPINCOUNT", "100000", /*overwrite=*/0);
  try {
    return fh::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    fh::cli::SayInternalErrorAndExit(e.what());
  } catch (...) {
    fh::cli::SayInternalErrorAndExit("an exception of unknown type");
  }
}
