// Exit codes of `factoryhub`: the only place where a Status becomes a process exit code.
#pragma once

#include "common/status.h"

namespace fh::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,       // anything not listed below (a bug, an unavailable resource)
  kExitUsage = 2,         // bad command line: unknown flag, missing or malformed value
  kExitInvalidData = 3,   // the input data is malformed (bad CSV line, ...)
  kExitNotFound = 4,      // a named thing does not exist (tag, file)
  kExitPrecondition = 5,  // no hub / not a hub / already exists / wrong state
  kExitIO = 6,            // I/O error or corruption
  kExitCheckFailed = 7,   // `check` ran and found problems in the hub
};

int ExitCodeFor(const Status& status);

// The table printed at the end of `factoryhub --help` (and in docs/cli.md).
inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  other failure\n"
    "  2  usage error (bad flag or argument)\n"
    "  3  invalid input data (e.g. a malformed CSV line; nothing is stored)\n"
    "  4  not found (tag, file)\n"
    "  5  no hub, not a hub, or another precondition failed\n"
    "  6  I/O error or corruption\n"
    "  7  check found problems in the hub\n"
    "\n"
    "The hub is chosen with --hub DIR or the environment variable FH_HUB.\n"
    "Run 'factoryhub COMMAND --help' for the options of a command.";

}  // namespace fh::cli
