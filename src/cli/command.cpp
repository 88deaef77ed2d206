#include "cli/command.h"

#include <cstdlib>

#include "common/time.h"

namespace fh::cli {

void AddHubOption(CLI::App* sub, std::string* dir) {
  // Not CLI11's envname: CLI11 fills an option from the environment in every subcommand,
  // used or not, so subcommands sharing one variable (report quality|warnings|batches)
  // had FH_HUB overwrite the --hub given. HubDir() falls back to FH_HUB instead.
  sub->add_option("--hub", *dir, "Hub directory (default: $FH_HUB)")->type_name("DIR");
}

std::string HubDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv("FH_HUB");
  return env != nullptr ? env : "";
}

void AddJsonOption(CLI::App* sub, bool* json) {
  sub->add_flag("--json", *json, "Print one JSON document instead of text");
}

Result<std::unique_ptr<Hub>> OpenHub(const std::string& flag) {
  const std::string dir = HubDir(flag);
  if (dir.empty()) return FailedPrecondition("no hub: pass --hub DIR or set FH_HUB");
  return Hub::Open(dir);
}

Result<TimeRange> ParseTimeRange(const std::string& from, const std::string& to) {
  TimeRange range;
  const TimestampNs now = NowNs();
  if (!from.empty()) {
    FH_ASSIGN_OR_RETURN(range.from, ParseTimePoint(from, now));
  }
  if (!to.empty()) {
    FH_ASSIGN_OR_RETURN(range.to, ParseTimePoint(to, now));
  }
  return range;
}

}  // namespace fh::cli
