#include "cli/command.h"

namespace fh::cli {

void AddHubOption(CLI::App* sub, std::string* dir) {
  sub->add_option("--hub", *dir, "Hub directory (default: $FH_HUB)")
      ->envname("FH_HUB")
      ->type_name("DIR");
}

void AddJsonOption(CLI::App* sub, bool* json) {
  sub->add_flag("--json", *json, "Print one JSON document instead of text");
}

Result<std::unique_ptr<Hub>> OpenHub(const std::string& dir) {
  if (dir.empty()) return FailedPrecondition("no hub: pass --hub DIR or set FH_HUB");
  return Hub::Open(dir);
}

}  // namespace fh::cli
