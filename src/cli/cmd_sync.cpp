// factoryhub sync status --hub DIR [--json]: how forwarding to a central hub stands
// (docs/sync.md): on an edge hub its backlog, lag and last error; on a central hub every
// site forwarding to it.
#include "cli/command.h"
#include "cli/output.h"
#include "common/time.h"
#include "sync/sync_status.h"

namespace fh::cli {
namespace {

struct SyncOptions {
  std::string hub;
  bool json = false;
};

std::string Text(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

Status RunSyncStatus(const SyncOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  FH_ASSIGN_OR_RETURN(nlohmann::ordered_json status, sync::SyncStatusJson(*hub, nullptr, NowNs()));
  if (opts.json) {
    PrintJson(status);
    return Status::Ok();
  }
  if (status.contains("edge")) {
    const auto& e = status["edge"];
    fmt::print("Forwarding to {} as site '{}'\n", Text(e["central"]), Text(e["site"]));
    Table table({{""}, {"", true}});
    table.AddRow({"backlog records", FormatCount(e["backlog"]["records"].get<int64_t>())});
    table.AddRow({"backlog points", FormatCount(e["backlog"]["points"].get<int64_t>())});
    table.AddRow({"backlog bytes", FormatBytes(e["backlog"]["bytes"].get<int64_t>())});
    table.AddRow({"changed rows (orders, events ...)",
                  FormatCount(e["backlog"]["changed_rows"].get<int64_t>())});
    table.AddRow({"lag (oldest unsent)", fmt::format("{} s", Text(e["lag_seconds"]))});
    table.AddRow({"dropped points (limits)", FormatCount(e["dropped"]["points"].get<int64_t>())});
    table.AddRow(
        {"sent points (last serve)", FormatCount(e["forwarder"]["sent_points"].get<int64_t>())});
    table.AddRow({"last success", Text(e["forwarder"]["last_ok"])});
    table.AddRow({"last error", Text(e["forwarder"]["last_error"])});
    table.AddRow({"last error at", Text(e["forwarder"]["last_error_at"])});
    table.Print();
  }
  if (!status["sites"].empty()) {
    fmt::print("{}Sites forwarding to this hub\n", status.contains("edge") ? "\n" : "");
    Table table({{"site"},
                 {"points", true},
                 {"records", true},
                 {"resent", true},
                 {"rows", true},
                 {"quarantined", true},
                 {"edge backlog", true},
                 {"last push"},
                 {"newest point"},
                 {"lag s", true}});
    for (const auto& s : status["sites"]) {
      table.AddRow({Text(s["site"]), FormatCount(s["points"].get<int64_t>()),
                    FormatCount(s["records"].get<int64_t>()),
                    FormatCount(s["resent_records"].get<int64_t>()),
                    FormatCount(s["rows"]["applied"].get<int64_t>()),
                    FormatCount(s["rows"]["quarantined"].get<int64_t>()),
                    FormatCount(s["backlog"]["points"].get<int64_t>()), Text(s["last_push"]),
                    Text(s["newest_point"]), Text(s["lag_seconds"])});
    }
    table.Print();
  }
  if (!status.contains("edge") && status["sites"].empty()) {
    fmt::print(
        "This hub neither forwards (no sync: section in factoryhub.yaml) nor receives from "
        "any edge hub yet (docs/sync.md).\n");
  }
  return Status::Ok();
}

}  // namespace

Command RegisterSync(CLI::App& parent) {
  auto opts = std::make_shared<SyncOptions>();
  CLI::App* sub = parent.add_subcommand("sync", "Forwarding from edge hubs to a central hub");
  sub->require_subcommand(1);
  CLI::App* status = sub->add_subcommand(
      "status", "Backlog, lag and last error of forwarding; the sites a central hub receives");
  AddHubOption(status, &opts->hub);
  AddJsonOption(status, &opts->json);
  sub->footer(
      "Examples:\n"
      "  factoryhub sync status --hub edge-shanghai     # what is waiting to be sent, and why\n"
      "  factoryhub sync status --hub central --json    # every site forwarding here\n"
      "An edge forwards when factoryhub.yaml has a sync: section and serve runs (docs/sync.md).");
  return {sub, [opts] { return RunSyncStatus(*opts); }};
}

}  // namespace fh::cli
