// factoryhub info --hub DIR [--json]
#include "analytics/hub_info.h"
#include "api/json_encode.h"
#include "cli/command.h"
#include "cli/output.h"

namespace fh::cli {
namespace {

struct InfoOptions {
  std::string hub;
  bool json = false;
};

Status RunInfo(const InfoOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  FH_ASSIGN_OR_RETURN(analytics::HubInfo info, analytics::GetHubInfo(*hub));
  if (opts.json) {
    PrintJson(api::HubInfoJson(info));
    return Status::Ok();
  }
  const StorageStats& s = info.stats;
  if (!hub->read_only_reason().empty()) {
    PrintNote("the hub is open read-only: " + hub->read_only_reason());
  }
  PrintKeyValues({
      {"hub", info.name},
      {"path", info.path},
      {"schema version", std::to_string(info.schema_version)},
      {"storage", info.backend},
      {"tags", FormatCount(s.tags)},
      {"samples", FormatCount(s.samples)},
      {"chunks", FormatCount(s.chunks)},
      {"buffered", FormatCount(s.buffered) + " (fresh points not yet in chunks)"},
      {"bytes on disk", FormatBytes(s.bytes_on_disk) + " (" + FormatCount(s.bytes_on_disk) + ")"},
      {"bytes/sample", s.samples > 0 ? fmt::format("{:.2f}", info.bytes_per_sample) : "-"},
  });
  return Status::Ok();
}

}  // namespace

Command RegisterInfo(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("info", "Show a hub's name, schema and storage statistics");
  auto opts = std::make_shared<InfoOptions>();
  AddHubOption(sub, &opts->hub);
  AddJsonOption(sub, &opts->json);
  return {sub, [opts] { return RunInfo(*opts); }};
}

}  // namespace fh::cli
