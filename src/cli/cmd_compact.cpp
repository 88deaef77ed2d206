// factoryhub compact --hub DIR [--json]
#include <chrono>

#include "cli/command.h"
#include "cli/output.h"

namespace fh::cli {
namespace {

struct CompactOptions {
  std::string hub;
  bool json = false;
};

nlohmann::ordered_json StatsJson(const StorageStats& s) {
  return {{"tags", s.tags},
          {"samples", s.samples},
          {"chunks", s.chunks},
          {"buffered", s.buffered},
          {"bytes_on_disk", s.bytes_on_disk}};
}

Status RunCompact(const CompactOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  Storage& storage = hub->storage();
  FH_ASSIGN_OR_RETURN(StorageStats before, storage.Stats());
  const auto start = std::chrono::steady_clock::now();
  FH_RETURN_IF_ERROR(storage.Compact());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  FH_ASSIGN_OR_RETURN(StorageStats after, storage.Stats());

  if (opts.json) {
    PrintJson({{"before", StatsJson(before)}, {"after", StatsJson(after)}, {"seconds", seconds}});
    return Status::Ok();
  }
  Table table({{""}, {"before", true}, {"after", true}});
  table.AddRow({"samples", FormatCount(before.samples), FormatCount(after.samples)});
  table.AddRow({"chunks", FormatCount(before.chunks), FormatCount(after.chunks)});
  table.AddRow({"buffered", FormatCount(before.buffered), FormatCount(after.buffered)});
  table.AddRow(
      {"bytes on disk", FormatBytes(before.bytes_on_disk), FormatBytes(after.bytes_on_disk)});
  table.Print();
  fmt::print("Compacted in {}.\n", FormatSeconds(seconds));
  return Status::Ok();
}

}  // namespace

Command RegisterCompact(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "compact", "Merge fresh rows and small chunks into large ones and free disk space");
  auto opts = std::make_shared<CompactOptions>();
  AddHubOption(sub, &opts->hub);
  AddJsonOption(sub, &opts->json);
  return {sub, [opts] { return RunCompact(*opts); }};
}

}  // namespace fh::cli
