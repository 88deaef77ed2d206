// factoryhub: the command-line edge. Each subcommand lives in its own cmd_*.cpp and is
// listed once in kCommands; this file parses, runs the chosen one and maps its Status to
// the exit code (cli/exit_codes.h).
#include <array>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/version.h"

namespace fh::cli {
namespace {

// In the order `factoryhub --help` lists them.
constexpr std::array<RegisterFn, 20> kCommands = {
    RegisterInit,    RegisterWrite,  RegisterImport, RegisterValidate, RegisterQuarantine,
    RegisterLineage, RegisterReport, RegisterTrain,  RegisterModel,    RegisterPredict,
    RegisterAlarms,  RegisterQuery,  RegisterLatest, RegisterTags,     RegisterInfo,
    RegisterCompact, RegisterServe,  RegisterDemo,   RegisterSimulate, RegisterVersion,
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
    return kExitOk;
  }
  return kExitUsage;  // unreachable: require_subcommand(1)
}

}  // namespace
}  // namespace fh::cli

int main(int argc, char** argv) {
  return fh::cli::Main(argc, argv);
}
