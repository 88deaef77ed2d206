// factoryhub demo [--dir DIR] [--port N] [--bind ADDR]
//
// What `make demo` runs: a hub with a small plant, a few hours of history, live data every
// second, and the HTTP API, until Ctrl-C.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "analytics/alarms/alarm_monitor.h"
#include "analytics/oee/oee_config.h"
#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/spc_config.h"
#include "analytics/spc/spc_monitor.h"
#include "api/access_control.h"
#include "api/http_server.h"
#include "api/write_service.h"
#include "cli/command.h"
#include "cli/demo_anomaly.h"
#include "cli/demo_edge.h"
#include "cli/demo_edge_records.h"
#include "cli/demo_erp.h"
#include "cli/demo_generator.h"
#include "cli/demo_models.h"
#include "cli/demo_opcua.h"
#include "cli/demo_people.h"
#include "cli/demo_plan.h"
#include "cli/demo_setpoints.h"
#include "cli/demo_share.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "common/time.h"
#include "ml/live_model.h"
#include "notify/alarm_notifier.h"
#include "sim/demo_plant.h"
#include "sim/plant_simulation.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog/catalog.h"
#include "store/governance/governance_store.h"
#include "store/keys/field_protection.h"

namespace fh::cli {
namespace {

constexpr int64_t kHistoryNs = 4 * kNanosPerHour;
constexpr int64_t kHistoryStepNs = kNanosPerSecond;
constexpr uint64_t kDemoSeed = 20260301;

struct DemoOptions {
  std::string dir = "demo-hub";
  int port = 8080;
  std::string bind = "127.0.0.1";
  // The AI4I 2020 data set the failure model learns from: the source tree's copy.
  std::string ai4i = FH_DATASETS_DIR "/ai4i2020/ai4i2020.csv";
  // An OPC UA server to collect a machine from (make demo-opcua); "": none.
  std::string opcua;
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

// The demo plant's stream mapping, written into a new demo hub: the live data passes
// these rules like any machine's (docs/governance.md). Edit it in the hub to try others.
constexpr const char* kDemoStreamMapping =
    R"(# Every point the demo plant sends goes through this (docs/governance.md, "Live streams").
mapping: demo-streams
signals:
  - tags: "line-1.*.spindle_speed"
    rules: [{ rule: range, min: 0, max: 6000 }]
  - tags: "line-1.*.torque"
    rules: [{ rule: range, min: 0, max: 200 }]
  - tags: "line-1.*_temperature"
    rules:
      - { rule: range, min: 250, max: 400 }
      - { rule: range, id: hot, max: 315, severity: warn }
  - tags: "line-1.*.power"
    rules: [{ rule: range, min: 0, max: 50 }]
rules:
  - { rule: freshness, field: timestamp, max_age: 1d }
)";

// The demo plant's shift calendar (docs/oee.md): three eight-hour shifts in Shanghai,
// weekends included, so `oee --by shift` has a current shift at any hour.
constexpr const char* kDemoOeeConfig = R"(# OEE settings of the demo plant (docs/oee.md).
time_zone: Asia/Shanghai
performance: capped
micro_stops: {threshold: 5m, loss: availability}
shifts:
  - {name: early, start: "06:00", end: "14:00"}
  - {name: late, start: "14:00", end: "22:00"}
  - {name: night, start: "22:00", end: "06:00"}
cycle_times:
  - {equipment: "acme/shanghai/machining/line-1/*", seconds: 45}
)";

// The demo plant's SPC characteristics (docs/cli.md#spc): each machine's bore diameters as
// inspected (subgroups of five, 25 ± 0.05 mm as the inspections record), one signal, and
// the burr checks as a p chart (ten parts a check, pass or fail).
constexpr const char* kDemoSpcConfig = R"(# SPC characteristics of the demo plant (docs/cli.md#spc).
characteristics:
  - {name: bore-cnc-01, inspection: bore_diameter, equipment: "*/line-1/cnc-01", baseline: 10, cusum: true}
  - {name: bore-cnc-02, inspection: bore_diameter, equipment: "*/line-1/cnc-02", baseline: 10, cusum: true}
  - {name: bore-cnc-03, inspection: bore_diameter, equipment: "*/line-1/cnc-03", baseline: 10, cusum: true}
  - {name: bore-cnc-04, inspection: bore_diameter, equipment: "*/line-1/cnc-04", baseline: 10, cusum: true}
  - {name: torque-cnc-01, tag: line-1.cnc-01.torque, subgroup: 5, baseline: 25, rules: we}
  - {name: burrs-line-1, inspection: burr_check, equipment: "*/line-1/*", chart: p, baseline: 20}
)";

// The demo plant's alarms (docs/alarms.md): each machine's process temperature above its
// window, cnc-01's torque while the spindle turns, worn tools, a power meter gone quiet, and
// the bores' SPC signals; `alarms evaluate` applies them to the history.
constexpr const char* kDemoAlarmConfig = R"(# Alarms of the demo plant (docs/alarms.md).
alarms:
  - {name: cnc-01-process-temperature-high, type: high, tag: line-1.cnc-01.process_temperature,
     limit: 310.8, deadband: 0.3, on_delay: 30s, priority: medium,
     equipment: acme/shanghai/machining/line-1/cnc-01}
  - {name: cnc-02-process-temperature-high, type: high, tag: line-1.cnc-02.process_temperature,
     limit: 310.8, deadband: 0.3, on_delay: 30s, priority: medium,
     equipment: acme/shanghai/machining/line-1/cnc-02}
  - {name: cnc-01-torque-high, type: high, tag: line-1.cnc-01.torque, limit: 60, deadband: 5,
     on_delay: 10s, priority: high, equipment: acme/shanghai/machining/line-1/cnc-01,
     suppressed_when: {tag: line-1.cnc-01.spindle_speed, states: 0}}
  - {name: cnc-01-tool-worn, type: high, tag: line-1.cnc-01.tool_wear, limit: 200, priority: low,
     equipment: acme/shanghai/machining/line-1/cnc-01, description: Tool change due}
  - {name: cnc-01-power-meter-silent, type: stale, tag: line-1.cnc-01.power, after: 30s,
     priority: critical, equipment: acme/shanghai/machining/line-1/cnc-01}
  - {name: bore-cnc-01-out-of-control, type: spc, characteristic: bore-cnc-01, priority: low,
     equipment: acme/shanghai/machining/line-1/cnc-01}
  - {name: cnc-02-anomaly, type: model, model: line-1-anomaly, unit: cnc-02, limit: 1,
     on_delay: 20s, priority: high, equipment: acme/shanghai/machining/line-1/cnc-02,
     description: "speed, torque and power left their usual relation"}
  - {name: cnc-04-anomaly, type: model, model: line-1-anomaly, unit: cnc-04, limit: 1,
     on_delay: 20s, priority: high, equipment: acme/shanghai/machining/line-1/cnc-04,
     description: "speed, torque and power left their usual relation"}
)";

// Where the history starts: kHistoryNs ago, or after the newest stored point of a reused
// hub, whose walks continue from their stored values.
Result<TimestampNs> HistoryStart(Storage& storage, sim::DemoPlant& plant) {
  TimestampNs from = (NowNs() - kHistoryNs) / kHistoryStepNs * kHistoryStepNs;
  std::vector<std::pair<std::string, double>> last_values;
  for (const sim::DemoSignal& s : plant.signals()) {
    Result<std::optional<Sample>> latest = storage.Latest(s.tag);
    if (!latest.ok() && latest.status().code() == StatusCode::kNotFound) continue;
    if (!latest.ok()) return latest.status();
    if (!latest->has_value()) continue;
    last_values.emplace_back(s.tag, (*latest)->value);
    from = std::max(from, ((*latest)->ts / kHistoryStepNs + 1) * kHistoryStepNs);
  }
  plant.Resume(last_values);
  return from;
}

// The number of the newest pallet the demo shipped (PAL-<window>), for the trace example;
// empty before the first window completes.
std::string NewestPallet(Hub& hub) {
  CatalogSession session = hub.OpenCatalog();
  Result<Material> pallet = session.catalog().FindMaterial("P-100-PAL");
  if (!pallet.ok()) return "";
  Result<std::vector<Lot>> lots = session.catalog().ListLots(pallet->id);
  return lots.ok() && !lots->empty() ? lots->back().number : "";  // by number: by time
}

// Freezes the limits of each characteristic that has none yet, from the history's baseline;
// returns how many. A characteristic without enough history yet is left for later (its
// chart estimates limits each time until someone freezes them).
Result<int> FreezeMissingLimits(Hub& hub, const analytics::spc::SpcConfig& config) {
  int frozen = 0;
  for (const analytics::spc::Characteristic& c : config.characteristics) {
    FH_ASSIGN_OR_RETURN(std::optional<analytics::spc::FrozenLimits> limits,
                        analytics::spc::LatestLimits(hub, c.name));
    if (limits) continue;
    if (analytics::spc::FreezeLimits(hub, c, TimeRange{}, "the demo's history").ok()) ++frozen;
  }
  return frozen;
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
    // Its customers' and people's names and certificate numbers are encrypted in the database
    // (docs/security.md).
    config.encryption.fields = {"customer.name", "customer.country", "personnel.name",
                                "personnel_qualification.certificate"};
    FH_RETURN_IF_ERROR(Hub::Init(dir, config));
    FH_RETURN_IF_ERROR(CreateMasterKeyFile(dir / config.encryption.key_file));
  }
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, Hub::Open(dir));

  if (!reuse) {
    std::ofstream(dir / pipeline::kStreamMappingFile) << kDemoStreamMapping;
    std::ofstream(dir / analytics::oee::kOeeConfigFile) << kDemoOeeConfig;
    std::ofstream(dir / analytics::spc::kSpcConfigFile) << kDemoSpcConfig;
  }
  // The roadmap's catalogue (factoryhub plan); an older demo's hub gets it too.
  FH_RETURN_IF_ERROR(WriteDemoPlanCatalogue(dir, NowNs()));
  // A hub of an older demo gets the alarms it did not have.
  if (!std::filesystem::exists(dir / analytics::alarms::kAlarmConfigFile, ec)) {
    std::ofstream(dir / analytics::alarms::kAlarmConfigFile) << kDemoAlarmConfig;
  }
  sim::DemoPlant plant;
  FH_RETURN_IF_ERROR(plant.RegisterInCatalog(*hub));
  // The ERP's material master, imported as `factoryhub import` would: three of its rows
  // break the mapping's rules and wait in the quarantine (the dashboard's Data page).
  if (!reuse) FH_RETURN_IF_ERROR(ImportDemoErp(*hub, dir).status());
  FH_ASSIGN_OR_RETURN(const int64_t quarantined, [&]() -> Result<int64_t> {
    CatalogSession session = hub->OpenCatalog();
    return session.governance().CountQuarantine({});
  }());

  // SPC judged live, as serve does: the monitor sees every stored batch; it charts once it
  // has limits (frozen below, from the history's baseline).
  FH_ASSIGN_OR_RETURN(
      analytics::spc::SpcConfig spc_config,
      analytics::spc::SpcConfig::Load((dir / analytics::spc::kSpcConfigFile).string()));
  analytics::spc::SpcMonitor spc(*hub, spc_config);
  // The alarms of alarms.yaml, followed live as serve follows them.
  FH_ASSIGN_OR_RETURN(
      analytics::alarms::AlarmConfig alarm_config,
      analytics::alarms::AlarmConfig::Load((dir / analytics::alarms::kAlarmConfigFile).string()));
  // The detector (made once the history is written) says why its alarms rose: the signals
  // that moved. Stopped before the alarms it tells.
  std::unique_ptr<ml::LiveModel> detector;
  analytics::alarms::AlarmMonitorOptions alarm_opts;
  alarm_opts.explain = [&detector](const analytics::alarms::AlarmDefinition& d, TimestampNs ts) {
    return detector && d.model == kDemoDetector ? detector->Explain(d.unit, ts) : std::string();
  };
  analytics::alarms::AlarmMonitor alarms(*hub, std::move(alarm_config), std::move(alarm_opts));
  // Told where alarms.yaml's notify list says (the demo's has none until one is added).
  FH_ASSIGN_OR_RETURN(
      notify::NotifyConfig notify_config,
      notify::NotifyConfig::Load((dir / analytics::alarms::kAlarmConfigFile).string()));
  notify::AlarmNotifier notifier(alarms, std::move(notify_config));

  // A demo hub someone gave users to asks for credentials like any hub.
  api::AccessControl access(*hub);
  api::HttpServer server(*hub);
  api::HttpServerOptions server_opts;
  server_opts.bind = opts.bind;
  server_opts.port = opts.port;
  server_opts.on_stored = [&spc, &alarms](const SampleBatch& b) {
    spc.Observe(b);
    alarms.Observe(b);
  };
  server_opts.alarms = &alarms;
  server_opts.access = &access;
  FH_ASSIGN_OR_RETURN(server_opts.stream_mapping, pipeline::LoadHubStreamMapping(dir.string()));
  if (Status s = server.Start(server_opts); !s.ok()) {
    return Status(s.code(), s.message() + "; pick another with --port");
  }
  // The plant is a live source like any machine: its points go through the server's stream
  // ingest (the stream mapping, lineage, /api/v1/connectors); its machines' states, work
  // orders and inspections go to the catalog.
  pipeline::StreamIngest& ingest = server.writes().ingest();
  const pipeline::StreamSource source{"simulate", sim::DemoPlant::kLinePath};
  sim::PlantSimulation sim(
      plant,
      [&ingest, &source](const SampleBatch& b) {
        return ingest.Write(source, "simulate", b, {}).status();
      },
      hub.get(), kDemoSeed);
  // Before the history is written, so that the alarms follow it from where they stopped.
  FH_RETURN_IF_ERROR(alarms.Load(NowNs()));
  FH_ASSIGN_OR_RETURN(const TimestampNs from, HistoryStart(hub->storage(), plant));
  FH_ASSIGN_OR_RETURN(const TimestampNs last_ts, sim.RunWindow(from, NowNs(), kHistoryStepNs));
  const int64_t history_points = sim.points_sent();
  // The HR system's people and certificates, the MES's qualification requirements and who ran
  // the recent work orders (docs/people.md), imported through their mappings.
  FH_ASSIGN_OR_RETURN(const DemoPeople people, ImportDemoPeople(*hub, dir, NowNs(), last_ts + 1));
  // The detector learns the history (the first run's: later runs keep it), then judges what
  // the plant sends from now on, with faults injected into its sensors to find.
  FH_ASSIGN_OR_RETURN(const bool trained, TrainDemoDetector(*hub, from, last_ts + 1));
  FH_ASSIGN_OR_RETURN(sim::FaultPlan faults, WriteDemoFaults(dir, last_ts));
  plant.SetFaults(&faults);
  FH_ASSIGN_OR_RETURN(detector,
                      ml::MakeLiveModel(*hub, kDemoDetector, kNanosPerSecond, kNanosPerMinute));
  detector->PublishScores([&hub, &alarms](const SampleBatch& scores) -> Status {
    FH_RETURN_IF_ERROR(hub->storage().Write(scores));
    alarms.Observe(scores);
    return Status::Ok();
  });
  FH_ASSIGN_OR_RETURN(const int frozen, FreezeMissingLimits(*hub, spc_config));
  // What the demo set up is in the hub's audit ledger, as anyone's changes are.
  if (trained) {
    FH_RETURN_IF_ERROR(RecordAudit(
        *hub,
        {"demo", "model.train", kDemoDetector, {{"kind", "pca"}, {"trained_on", "the history"}}}));
  }
  if (frozen > 0) {
    FH_RETURN_IF_ERROR(RecordAudit(
        *hub, {"demo", "spc.freeze", "every characteristic", {{"characteristics", frozen}}}));
  }
  // The last hours shared with a partner hub under an agreement, as a plant shares with a
  // tool maker.
  FH_ASSIGN_OR_RETURN(const DemoShare shared,
                      ShareWithDemoPartner(*hub, dir, last_ts + 1 - kHistoryNs, last_ts + 1));
  // A supervised model beside the detector: a machine-failure model of a real milling
  // machine's records, its predictions of the last day alarms with their reasons.
  Result<DemoModel> failure_model = TrainDemoFailureModel(*hub, dir, opts.ai4i, last_ts + 1);
  if (!failure_model.ok() && failure_model.status().code() != StatusCode::kNotFound) {
    return failure_model.status();
  }
  // Set-points of the mill that lower that model's risk, within its bounds and the training
  // data; a failure is said, not fatal.
  Result<DemoSetpoints> setpoints = failure_model.ok()
                                        ? RecommendDemoSetpoints(*hub, dir)
                                        : Result<DemoSetpoints>(failure_model.status());
  FH_RETURN_IF_ERROR(spc.Load(NowNs()));
  spc.Start();
  alarms.Start();
  notifier.Start();
  detector->Start();
  // An OPC UA machine, when the demo was given a server (make demo-opcua).
  std::vector<std::unique_ptr<connect::Connector>> connectors;
  if (!opts.opcua.empty()) {
    FH_ASSIGN_OR_RETURN(connectors, SetUpDemoOpcUa(*hub, dir, opts.opcua, ingest));
    for (const auto& c : connectors)
      c->Start();
  }
  server.writes().SetConnectorStatuses([&spc, &alarms, &notifier, &detector, &connectors] {
    std::vector<ConnectorStatus> out{spc.status(), alarms.status(), detector->status()};
    for (ConnectorStatus& st : notifier.status())
      out.push_back(std::move(st));
    for (const auto& c : connectors)
      out.push_back(c->status());
    return out;
  });
  LiveGenerator generator(sim);
  generator.Start(last_ts);
  // A second plant forwarding here, as an edge hub forwards to a central one (docs/sync.md).
  std::string central = server.url();
  if (central.ends_with('/')) central.pop_back();
  FH_ASSIGN_OR_RETURN(std::unique_ptr<DemoEdge> edge,
                      DemoEdge::Start(dir, central, 15 * kNanosPerMinute, NowNs()));

  const std::string abs = std::filesystem::absolute(dir, ec).lexically_normal().string();
  const std::string fh = ShellWord(InvokedAs());
  const std::string hub_arg = "--hub " + ShellWord(opts.dir);
  const std::string url = server.url();
  fmt::print("factoryhub demo: {} hub '{}' in {}\n", reuse ? "reusing" : "created",
             hub->config().name, abs);
  fmt::print("  plant    {}: cnc-01 .. cnc-0{}, {} tags\n", sim::DemoPlant::kLinePath,
             sim::DemoPlant::kMachines, plant.signals().size());
  fmt::print("  history  {} points written (last {}, one per tag every {})\n",
             FormatCount(history_points), FormatDuration(kHistoryNs),
             FormatDuration(kHistoryStepNs));
  fmt::print("  live     one point per tag every second, through the stream mapping {}\n",
             (dir / pipeline::kStreamMappingFile).string());
  fmt::print(
      "  also     machine states and stop reasons, work orders, bore and burr inspections, lots\n"
      "           from steel bars to shipped pallets\n");
  fmt::print("  shifts   early, late and night in Asia/Shanghai ({})\n",
             (dir / analytics::oee::kOeeConfigFile).string());
  fmt::print(
      "  SPC      bore diameters of each machine, torque of cnc-01, burrs of line 1 ({}), judged "
      "live{}\n",
      (dir / analytics::spc::kSpcConfigFile).string(),
      frozen > 0 ? fmt::format(" ({} limits frozen from the history)", frozen) : "");
  fmt::print(
      "  alarms   process temperatures, torque, tool wear, a silent meter, SPC, anomalies ({}), "
      "followed live\n",
      (dir / analytics::alarms::kAlarmConfigFile).string());
  fmt::print(
      "  anomaly  {}: PCA of speed, torque and power per machine, {} the history, judged live; "
      "a fault every 30 min, on cnc-02 and cnc-04 in turn ({})\n",
      kDemoDetector, trained ? "trained on" : "kept from an earlier run on",
      (dir / kDemoFaultsFile).string());
  if (failure_model.ok()) {
    fmt::print(
        "  model    {}: XGBoost on the AI4I 2020 milling machine's 10,000 records (line-2/mill-01, "
        "the week before), ROC AUC {:.3f} cross-validated, in production{} ({})\n",
        failure_model->label, failure_model->roc_auc,
        failure_model->trained
            ? fmt::format("; {} predicted failures of the last day raised as alarms",
                          failure_model->alarms)
            : "",
        (dir / kDemoFailureSpec).string());
  } else {
    fmt::print("  model    none: {}\n", failure_model.status().message());
  }
  if (setpoints.ok()) {
    fmt::print("  setpoint {} ({})\n", setpoints->summary, (dir / kDemoControlsFile).string());
  } else if (failure_model.ok()) {
    fmt::print("  setpoint none: {}\n", setpoints.status().message());
  }
  if (!hub->config().encryption.fields.empty()) {
    fmt::print("  keys     {} encrypted in the database (master key {})\n",
               fmt::join(hub->config().encryption.fields, ", "),
               (dir / hub->config().encryption.key_file).string());
  }
  fmt::print(
      "  data     the ERP's material master imported through {}; {} of its records wait in "
      "the quarantine with their reasons\n",
      (dir / kDemoErpMapping).string(), quarantined);
  fmt::print(
      "  people   the HR export's people of lines 1 and 2 over three shifts, their certificates "
      "and the MES's qualification requirements, imported through mappings ({}), {} work order "
      "assignments; minimums per shift in {}\n",
      (dir / kDemoPeopleMapping).parent_path().string(), people.assignments,
      (dir / analytics::people::kPeopleConfigFile).string());
  if (Result<std::string> roadmap = DemoPlanSummary(*hub, NowNs()); roadmap.ok())
    fmt::print("  roadmap  {}\n", *roadmap);
  else
    fmt::print("  roadmap  not planned: {}\n", roadmap.status().message());
  fmt::print(
      "  sharing  {} series of tool wear and torque, {} bore inspections (work orders "
      "pseudonymised) of the last {} to partner hub '{}' ({}), under {}\n",
      shared.series, shared.records, FormatDuration(kHistoryNs), shared.partner,
      shared.partner_dir.string(), shared.agreement_file.string());
  fmt::print(
      "  sites    {}: an edge hub ({}) forwarding {} tags of two presses here as {}/...: "
      "{}api/v1/sync, {} sync status {}\n",
      kDemoEdgeSite, edge->dir().string(), edge->tags(), kDemoEdgeSite, url, fh, hub_arg);
  fmt::print(
      "           and its records: presses under {}, their work orders, states and an "
      "inspection batch: {} records {} work_order SZ-WO-1\n",
      kDemoEdgeLine, fh, hub_arg);
  fmt::print(
      "  retain   the edge keeps raw points 10 minutes, then per-minute rollups (forwarded as "
      "{}/press-1/temperature:mean_1m ...): {} retention --hub {} --dry-run\n",
      kDemoEdgeSite, fh, ShellWord(edge->dir().string()));
  fmt::print("\n");
  fmt::print("Open {} in a browser, or run:\n", url);
  fmt::print("  {} tags {}\n", fh, hub_arg);
  fmt::print("  {} latest {} --tag 'line-1.cnc-01.*'\n", fh, hub_arg);
  fmt::print(
      "  {} query {} --tag line-1.cnc-01.process_temperature --every 1m --agg mean,max "
      "--from now-1h\n",
      fh, hub_arg);
  fmt::print("  curl '{}api/v1/query?tag=line-1.cnc-01.power&from=now-15m&every=1m&agg=mean,max'\n",
             url);
  fmt::print(
      "  curl -G '{}query' --data-urlencode 'q=SELECT mean(value) FROM \"line-1.cnc-01.power\" "
      "WHERE time > now() - 15m GROUP BY time(1m)'    # InfluxQL, as Grafana asks\n",
      url);
  fmt::print(
      "  {} oee {} --by shift --from now-4h --losses    # OEE per shift, where the time went\n", fh,
      hub_arg);
  fmt::print("  curl '{}api/v1/oee?by=shift&from=now-8h'    # the current shift's OEE, live\n",
             url);
  fmt::print("  {} spc chart {} --characteristic bore-cnc-01    # X-bar and R of the bores\n", fh,
             hub_arg);
  fmt::print("  curl '{}api/v1/spc/chart?characteristic=bore-cnc-01'\n", url);
  fmt::print("  {} spc attribute {} --characteristic burrs-line-1    # p chart of the burrs\n", fh,
             hub_arg);
  fmt::print("  {} spc events {}    # run rules that fired on live data\n", fh, hub_arg);
  fmt::print(
      "  {} alarms evaluate {} --from now-4h    # the alarms of the history, ISA-18.2 report\n", fh,
      hub_arg);
  if (const std::string pallet = NewestPallet(*hub); !pallet.empty()) {
    fmt::print("  {} trace {} backward {}    # the shafts, steel and orders on a pallet\n", fh,
               hub_arg, pallet);
    fmt::print("  curl '{}api/v1/trace/recall?lot=BAR-0001&format=csv'    # who got that steel\n",
               url);
  }
  fmt::print("  {} anomaly evaluate {} {} --faults {} --from {}    # found, how soon\n", fh,
             hub_arg, kDemoDetector, ShellWord((dir / kDemoFaultsFile).string()),
             FormatRfc3339(last_ts));
  fmt::print("  curl {}api/v1/connectors    # the plant as a live source, its counters\n", url);
  if (!opts.opcua.empty()) {
    fmt::print("  {} opcua browse {} --values    # the OPC UA machine's address space\n", fh,
               ShellWord(opts.opcua));
    fmt::print(
        "  {} latest {} --tag 'line-2.cnc-ua-01.*'    # what it sent, collected over OPC UA\n", fh,
        hub_arg);
  }
  fmt::print("  {} audit list {}; {} audit verify {}    # who changed what, provably\n", fh,
             hub_arg, fh, hub_arg);
  fmt::print("  {} quarantine list {}    # what the ERP export broke, and why\n", fh, hub_arg);
  fmt::print("  {} people gaps {}    # shifts short of qualified people, certificates expiring\n",
             fh, hub_arg);
  fmt::print("  {} people matrix {} --line {} --unmasked    # the skills matrix of line 1\n", fh,
             hub_arg, sim::DemoPlant::kLinePath);
  fmt::print("  curl '{}api/v1/people/gaps?within=60'\n", url);
  if (failure_model.ok()) {
    fmt::print("  {} model show {} {}    # the failure model, its metrics\n", fh, hub_arg,
               kDemoFailureModel);
    fmt::print("  curl '{}api/v1/alarms?model={}&limit=5'    # its predictions, with reasons\n",
               url, kDemoFailureModel);
  }
  if (setpoints.ok()) {
    fmt::print("  {} optimize {} --controls {}    # the mill's set-points, explained\n", fh,
               hub_arg, ShellWord((dir / kDemoControlsFile).string()));
    fmt::print(
        "  curl -X POST '{}api/v1/optimize' -H 'Content-Type: application/json' "
        "--data-binary @{}\n",
        url, ShellWord((dir / kDemoControlsBodyFile).string()));
  }
  fmt::print("  {} plan {} --html roadmap.html    # the transformation roadmap, justified\n", fh,
             hub_arg);
  fmt::print("  curl '{}api/v1/plan'    # the same as JSON\n", url);
  fmt::print("  {} keys status {}    # the encrypted fields and their keys\n", fh, hub_arg);
  fmt::print("  {} share received --hub {} --agreement {} --limit 5    # what the partner got\n",
             fh, ShellWord(shared.partner_dir.string()), shared.agreement);
  fmt::print("Press Ctrl-C to stop.\n");
  std::fflush(stdout);

  int sig = WaitForStopSignal();
  fmt::print(stderr, "factoryhub: {} received, stopping...\n",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
  generator.Stop();
  for (const auto& c : connectors)
    c->Stop();
  server.writes().SetConnectorStatuses(nullptr);
  edge.reset();  // its outbox keeps what it did not send
  server.Stop();
  spc.Stop();
  detector->Stop();
  alarms.Stop();
  notifier.Stop();
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
  sub->add_option("--ai4i", opts->ai4i,
                  "The AI4I 2020 data set (CSV) the demo's failure model learns from")
      ->capture_default_str()
      ->type_name("FILE");
  sub->add_option("--opcua", opts->opcua,
                  "Collect a CNC of line 2 from this OPC UA server (make demo-opcua starts one)")
      ->type_name("opc.tcp://HOST:PORT");
  return {sub, [opts] { return RunDemo(*opts); }};
}

}  // namespace fh::cli
