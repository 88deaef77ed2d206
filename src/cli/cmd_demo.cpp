// factoryhub demo [--dir DIR] [--port N] [--bind ADDR]
//
// What `make demo` runs: a hub with a small plant, a few hours of history, live data every
// second, and the HTTP API, until Ctrl-C.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "api/http_server.h"
#include "cli/command.h"
#include "cli/demo_generator.h"
#include "cli/demo_plant.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "common/time.h"

namespace fh::cli {
namespace {

constexpr int64_t kHistoryNs = 4 * kNanosPerHour;
constexpr int64_t kHistoryStepNs = 5 * kNanosPerSecond;
constexpr int64_t kStepsPerWrite = 120;  // ten minutes of history per Storage::Write

struct DemoOptions {
  std::string dir = "demo-hub";
  int port = 8080;
  std::string bind = "127.0.0.1";
};

// How the user started us (argv[0]), so the suggested commands run as printed.
std::string InvokedAs() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string argv0;
  if (in && std::getline(in, argv0, '\0') && !argv0.empty()) return argv0;
  return "factoryhub";
}

// The word as a shell reads it: as is when plain, else in single quotes.
std::string ShellWord(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    plain &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
             c == '/' || c == ':' || c == '=';
  }
  if (plain) return s;
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Backfill {
  int64_t points = 0;
  TimestampNs last_ts = 0;
};

// Writes the history from where the hub's data ends (at most kHistoryNs ago) up to now.
Result<Backfill> BackfillHistory(Storage& storage, DemoPlant& plant) {
  const TimestampNs now = NowNs();
  TimestampNs from = (now - kHistoryNs) / kHistoryStepNs * kHistoryStepNs;

  // A reused hub: continue each walk from its stored value, after its newest point.
  std::vector<std::pair<std::string, double>> last_values;
  for (const DemoSignal& s : plant.signals()) {
    Result<std::optional<Sample>> latest = storage.Latest(s.tag);
    if (!latest.ok() && latest.status().code() == StatusCode::kNotFound) continue;
    if (!latest.ok()) return latest.status();
    if (!latest->has_value()) continue;
    last_values.emplace_back(s.tag, (*latest)->value);
    from = std::max(from, ((*latest)->ts / kHistoryStepNs + 1) * kHistoryStepNs);
  }
  plant.Resume(last_values);

  Backfill result;
  result.last_ts = from - kHistoryStepNs;
  SampleBatch batch;
  int64_t steps = 0;
  for (TimestampNs ts = from; ts <= now; ts += kHistoryStepNs) {
    plant.Step(ts, static_cast<double>(kHistoryStepNs) / kNanosPerSecond, &batch);
    result.last_ts = ts;
    if (++steps % kStepsPerWrite == 0) {
      FH_RETURN_IF_ERROR(storage.Write(batch));
      result.points += static_cast<int64_t>(batch.size());
      batch.Clear();
    }
  }
  if (!batch.empty()) {
    FH_RETURN_IF_ERROR(storage.Write(batch));
    result.points += static_cast<int64_t>(batch.size());
  }
  return result;
}

Status RunDemo(const DemoOptions& opts) {
  // Before any thread starts (threads inherit the mask): Ctrl-C is taken at the end.
  BlockStopSignals();

  const std::filesystem::path dir(opts.dir);
  std::error_code ec;
  const bool reuse = std::filesystem::exists(dir / kHubConfigFile, ec);
  if (!reuse) {
    HubConfig config;
    config.name = "demo";
    config.server.bind = opts.bind;
    config.server.port = opts.port;
    FH_RETURN_IF_ERROR(Hub::Init(dir, config));
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, Hub::Open(dir));

  DemoPlant plant;
  FH_RETURN_IF_ERROR(plant.RegisterInCatalog(*hub));
  FH_ASSIGN_OR_RETURN(Backfill backfill, BackfillHistory(hub->storage(), plant));

  api::HttpServer server(*hub);
  api::HttpServerOptions server_opts;
  server_opts.bind = opts.bind;
  server_opts.port = opts.port;
  if (Status s = server.Start(server_opts); !s.ok()) {
    return Status(s.code(), s.message() + "; pick another with --port");
  }
  LiveGenerator generator(hub->storage(), plant);
  generator.Start(backfill.last_ts);

  const std::string abs = std::filesystem::absolute(dir, ec).lexically_normal().string();
  const std::string fh = ShellWord(InvokedAs());
  const std::string hub_arg = "--hub " + ShellWord(opts.dir);
  const std::string url = server.url();
  fmt::print("factoryhub demo: {} hub '{}' in {}\n", reuse ? "reusing" : "created",
             hub->config().name, abs);
  fmt::print("  plant    {}: cnc-01 .. cnc-0{}, {} tags\n", DemoPlant::kLinePath,
             DemoPlant::kMachines, plant.signals().size());
  fmt::print("  history  {} points written (last {}, one per tag every {})\n",
             FormatCount(backfill.points), FormatDuration(kHistoryNs),
             FormatDuration(kHistoryStepNs));
  fmt::print("  live     one point per tag every second\n\n");
  fmt::print("Open {} in a browser, or run:\n", url);
  fmt::print("  {} tags {}\n", fh, hub_arg);
  fmt::print("  {} latest {} --tag 'line-1.cnc-01.*'\n", fh, hub_arg);
  fmt::print(
      "  {} query {} --tag line-1.cnc-01.process_temperature --every 1m --agg mean,max "
      "--from now-1h\n",
      fh, hub_arg);
  fmt::print("  curl '{}api/v1/query?tag=line-1.cnc-01.power&from=now-15m&every=1m&agg=mean,max'\n",
             url);
  fmt::print("Press Ctrl-C to stop.\n");
  std::fflush(stdout);

  int sig = WaitForStopSignal();
  fmt::print(stderr, "factoryhub: {} received, stopping...\n",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
  generator.Stop();
  server.Stop();
  fmt::print(stderr, "factoryhub: stopped. The data stays in {}; run the demo again to continue.\n",
             abs);
  return Status::Ok();
}

}  // namespace

Command RegisterDemo(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "demo", "Run a demo plant: a hub with history and live data, served over HTTP");
  auto opts = std::make_shared<DemoOptions>();
  sub->add_option("--dir", opts->dir, "Hub directory, created or reused")
      ->capture_default_str()
      ->type_name("DIR");
  sub->add_option("--port", opts->port, "TCP port of the HTTP API (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub->add_option("--bind", opts->bind, "Address to listen on (0.0.0.0 for every interface)")
      ->capture_default_str()
      ->type_name("ADDR");
  return {sub, [opts] { return RunDemo(*opts); }};
}

}  // namespace fh::cli
