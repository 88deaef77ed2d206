// factoryhub serve --hub DIR [--port N] [--bind ADDR] [--threads N] [--max-writes N] ...
#include <csignal>
#include <filesystem>

#include "analytics/alarms/alarm_monitor.h"
#include "analytics/retention/retention_service.h"
#include "analytics/spc/spc_monitor.h"
#include "api/access_control.h"
#include "api/http_server.h"
#include "api/write_service.h"
#include "cli/command.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "common/time.h"
#include "connect/connectors_config.h"
#include "ml/live_model.h"
#include "notify/alarm_notifier.h"
#include "sync/forwarder.h"

namespace fh::cli {
namespace {

struct ServeOptions {
  std::string hub;
  int port = -1;     // -1: server.port in factoryhub.yaml (8080)
  std::string bind;  // empty: server.bind in factoryhub.yaml (127.0.0.1)
  int threads = 16;
  int io_threads = 1;
  int max_writes = 4;
  int max_connections = 10000;
  int max_body_mb = 64;
  std::vector<std::string> score;  // models scored live
  std::string score_every = "10s";
  std::string score_lookback = "1h";
  bool no_spc = false;
  bool no_alarms = false;
  std::string spc_every = "1s";
  std::string spc_catch_up = "24h";
  bool insecure = false;          // listen beyond this machine without users or TLS
  std::string tls_cert, tls_key;  // empty: server.tls_cert, server.tls_key of factoryhub.yaml
};

bool IsLoopback(std::string_view address) {
  return address.starts_with("127.") || address == "::1" || address == "localhost";
}

// The server listens beyond this machine only on a hub that asks for credentials and over
// TLS, so that the credentials cannot be read on the wire; unless the operator says
// otherwise (--insecure), and then it says what is exposed.
Status CheckExposure(const std::string& bind, api::AccessControl& access, bool tls, bool insecure) {
  if (IsLoopback(bind)) return Status::Ok();
  std::string missing;
  if (!access.Enabled()) {
    missing =
        "this hub has no users or tokens, so anyone who reaches the port could read and "
        "write everything";
  } else if (!tls) {
    missing = "without TLS, tokens and passwords cross the network in clear text";
  }
  if (missing.empty()) return Status::Ok();
  if (!insecure) {
    return FailedPrecondition(
        "--bind {}: {}. Add an admin (factoryhub user add NAME --role admin) and a certificate "
        "(--tls-cert FILE --tls-key FILE, or server.tls_cert and server.tls_key in "
        "factoryhub.yaml), or pass --insecure on a network you trust",
        bind, missing);
  }
  fmt::print(stderr, "factoryhub: warning: serving {} with --insecure: {}\n", bind, missing);
  return Status::Ok();
}

// A path of factoryhub.yaml is relative to the hub's folder.
std::string HubPath(const Hub& hub, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return (hub.dir() / path).string();
}

Status RunServe(const ServeOptions& opts) {
  FH_ASSIGN_OR_RETURN(std::unique_ptr<Hub> hub, OpenHub(opts.hub));
  api::HttpServerOptions server_opts;
  server_opts.bind = opts.bind.empty() ? hub->config().server.bind : opts.bind;
  server_opts.port = opts.port >= 0 ? opts.port : hub->config().server.port;
  server_opts.threads = opts.threads;
  server_opts.io_threads = opts.io_threads;
  server_opts.max_writes = opts.max_writes;
  server_opts.max_connections = opts.max_connections;
  server_opts.max_body_bytes = static_cast<size_t>(opts.max_body_mb) << 20;
  // Who may call what: on as soon as the hub has a user or a token.
  api::AccessControl access(*hub);
  server_opts.access = &access;
  server_opts.tls_cert =
      opts.tls_cert.empty() ? HubPath(*hub, hub->config().server.tls_cert) : opts.tls_cert;
  server_opts.tls_key =
      opts.tls_key.empty() ? HubPath(*hub, hub->config().server.tls_key) : opts.tls_key;
  if (server_opts.tls_cert.empty() != server_opts.tls_key.empty()) {
    return InvalidArgument("TLS needs both a certificate and its key (--tls-cert, --tls-key)");
  }
  FH_RETURN_IF_ERROR(
      CheckExposure(server_opts.bind, access, !server_opts.tls_cert.empty(), opts.insecure));

  // The connectors are checked before anything listens: a bad connectors.yaml is exit 3.
  FH_ASSIGN_OR_RETURN(connect::ConnectorsConfig connectors_config,
                      connect::LoadConnectorsConfig(hub->dir()));
  // So is a bad streams.yaml.
  FH_ASSIGN_OR_RETURN(server_opts.stream_mapping,
                      pipeline::LoadHubStreamMapping(hub->dir().string()));

  // So is a model that is not in the registry.
  FH_ASSIGN_OR_RETURN(const int64_t score_every, ParseDuration(opts.score_every));
  FH_ASSIGN_OR_RETURN(const int64_t score_lookback, ParseDuration(opts.score_lookback));
  if (score_every < kNanosPerMilli) return InvalidArgument("--score-every: at least 1ms");
  std::vector<std::unique_ptr<ml::LiveModel>> scorers;
  for (const std::string& model : opts.score) {
    FH_ASSIGN_OR_RETURN(std::unique_ptr<ml::LiveModel> scorer,
                        ml::MakeLiveModel(*hub, model, score_every, score_lookback));
    scorers.push_back(std::move(scorer));
  }

  // SPC: the characteristics of spc.yaml judged as their data arrives (a bad spc.yaml, too,
  // is exit 3 before anything listens). Declared before the server, which calls it.
  std::unique_ptr<analytics::spc::SpcMonitor> spc;
  if (!opts.no_spc) {
    FH_ASSIGN_OR_RETURN(
        analytics::spc::SpcConfig spc_config,
        analytics::spc::SpcConfig::Load((hub->dir() / analytics::spc::kSpcConfigFile).string()));
    analytics::spc::SpcMonitorOptions spc_opts;
    FH_ASSIGN_OR_RETURN(spc_opts.every_ns, ParseDuration(opts.spc_every));
    FH_ASSIGN_OR_RETURN(spc_opts.catch_up_ns, ParseDuration(opts.spc_catch_up));
    if (spc_opts.every_ns < kNanosPerMilli) return InvalidArgument("--spc-every: at least 1ms");
    if (!spc_config.characteristics.empty()) {
      spc = std::make_unique<analytics::spc::SpcMonitor>(*hub, std::move(spc_config), spc_opts);
      FH_RETURN_IF_ERROR(spc->Load(NowNs()));
    }
  }
  // Alarms: those of alarms.yaml, followed as their data arrives (a bad alarms.yaml is exit
  // 3 before anything listens).
  std::unique_ptr<analytics::alarms::AlarmMonitor> alarms;
  if (!opts.no_alarms) {
    FH_ASSIGN_OR_RETURN(analytics::alarms::AlarmConfig alarm_config,
                        analytics::alarms::AlarmConfig::Load(
                            (hub->dir() / analytics::alarms::kAlarmConfigFile).string()));
    if (!alarm_config.alarms.empty()) {
      analytics::alarms::AlarmMonitorOptions alarm_opts;
      // A model alarm says why it rose: what the live model (a detector: the signals that
      // moved) says of that moment.
      alarm_opts.explain = [&scorers](const analytics::alarms::AlarmDefinition& d,
                                      TimestampNs ts) -> std::string {
        for (const auto& scorer : scorers) {
          const std::string name = scorer->status().name;
          if (name.substr(0, name.find('@')) == d.model) return scorer->Explain(d.unit, ts);
        }
        return {};
      };
      alarms = std::make_unique<analytics::alarms::AlarmMonitor>(*hub, std::move(alarm_config),
                                                                 std::move(alarm_opts));
      FH_RETURN_IF_ERROR(alarms->Load(NowNs()));
      server_opts.alarms = alarms.get();
    }
  }
  // Where the alarms are told (alarms.yaml's notify list), off the ingest's path.
  std::unique_ptr<notify::AlarmNotifier> notifier;
  if (alarms) {
    FH_ASSIGN_OR_RETURN(
        notify::NotifyConfig notify_config,
        notify::NotifyConfig::Load((hub->dir() / analytics::alarms::kAlarmConfigFile).string()));
    if (!notify_config.targets.empty()) {
      notifier = std::make_unique<notify::AlarmNotifier>(*alarms, std::move(notify_config));
    }
  }
  // Each model's scores are kept as series (model/NAME[/UNIT]) and judged by the alarms.
  for (const auto& scorer : scorers) {
    scorer->PublishScores([&hub, alarms = alarms.get()](const SampleBatch& scores) -> Status {
      FH_RETURN_IF_ERROR(hub->storage().Write(scores));
      if (alarms) alarms->Observe(scores);
      return Status::Ok();
    });
  }
  if (spc || alarms) {
    server_opts.on_stored = [spc = spc.get(), alarms = alarms.get()](const SampleBatch& b) {
      if (spc) spc->Observe(b);
      if (alarms) alarms->Observe(b);
    };
  }

  // Retention: the policies of retention.yaml (a bad file is exit 3 before anything listens).
  std::unique_ptr<analytics::retention::RetentionService> retention;
  {
    FH_ASSIGN_OR_RETURN(analytics::retention::RetentionConfig retention_config,
                        analytics::retention::RetentionConfig::Load(
                            (hub->dir() / analytics::retention::kRetentionConfigFile).string()));
    if (!retention_config.policies.empty()) {
      retention = std::make_unique<analytics::retention::RetentionService>(
          hub->storage(), std::move(retention_config));
    }
  }

  // Forwarding to the central hub (sync: in factoryhub.yaml), started before the server so
  // that /api/v1/sync sees it.
  std::unique_ptr<sync::Forwarder> forwarder;
  if (hub->outbox() != nullptr) {
    forwarder = std::make_unique<sync::Forwarder>(*hub);
    server_opts.forwarder = forwarder.get();
  }

  BlockStopSignals();
  api::HttpServer server(*hub);
  FH_RETURN_IF_ERROR(server.Start(server_opts));
  FH_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<connect::Connector>> connectors,
                      connect::MakeConnectors(connectors_config, server.writes().ingest()));
  for (const auto& c : connectors)
    c->Start();
  for (const auto& scorer : scorers)
    scorer->Start();
  if (spc) spc->Start();
  if (alarms) alarms->Start();
  if (notifier) notifier->Start();
  if (forwarder) forwarder->Start();
  if (retention) retention->Start();
  server.writes().SetConnectorStatuses(
      [&connectors, &scorers, &spc, &alarms, &notifier, &retention] {
        std::vector<ConnectorStatus> out;
        for (const auto& c : connectors)
          out.push_back(c->status());
        for (const auto& scorer : scorers)
          out.push_back(scorer->status());
        if (spc) out.push_back(spc->status());
        if (alarms) out.push_back(alarms->status());
        if (retention) out.push_back(retention->status());
        if (notifier) {
          for (ConnectorStatus& st : notifier->status())
            out.push_back(std::move(st));
        }
        return out;
      });
  std::error_code ec;
  fmt::print("Serving hub '{}' ({}) on {}\n", hub->config().name,
             std::filesystem::absolute(hub->dir(), ec).lexically_normal().string(), server.url());
  fmt::print("  {}api/v1/info\n  {}api/v1/tags\n", server.url(), server.url());
  fmt::print("{}", access.Enabled()
                       ? "Access control: on; every endpoint but /healthz and /ping needs a token "
                         "(Authorization: Bearer ...) or a user's password\n"
                       : "Access control: off, no users or tokens (factoryhub user add NAME --role "
                         "admin)\n");
  if (!hub->read_only_reason().empty()) {
    // Reads go on; every write is answered with this reason until there is room again.
    fmt::print(stderr, "factoryhub: warning: the hub is open read-only ({}): writes will fail\n",
               hub->read_only_reason());
  }
  if (const auto& m = server_opts.stream_mapping) {
    fmt::print("Stream mapping {} ({}): {} signal groups, {} rules for every point\n",
               m->mapping().name, m->mapping().path, m->mapping().signals.size(),
               m->mapping().rules.size());
  }
  for (const auto& c : connectors) {
    const ConnectorStatus st = c->status();
    fmt::print("Connector {} ({} {}): status at {}api/v1/connectors\n", st.name, st.kind,
               st.endpoint, server.url());
  }
  for (const auto& scorer : scorers) {
    const ConnectorStatus st = scorer->status();
    if (st.kind == "detector") {
      fmt::print("Judging {} on {} every {}: its index at {}api/v1/query?tag=model/{}\n", st.name,
                 st.endpoint, opts.score_every, server.url(), st.name.substr(0, st.name.find('@')));
    } else {
      fmt::print("Scoring {} on {} every {}: alarms at {}api/v1/connectors and factoryhub alarms\n",
                 st.name, st.endpoint, opts.score_every, server.url());
    }
  }
  if (spc) {
    size_t frozen = 0;
    for (const auto& w : spc->watches())
      frozen += w.limits_version > 0;
    fmt::print(
        "SPC: {} of {} characteristics of spc.yaml have frozen limits and are judged as data "
        "arrives{}: factoryhub spc events, {}api/v1/spc/events\n",
        frozen, spc->characteristics(),
        frozen < spc->characteristics() ? " (freeze the others: factoryhub spc freeze --all)" : "",
        server.url());
  }
  if (forwarder) {
    fmt::print(
        "Forwarding to the central hub {} as site '{}': {}api/v1/sync, factoryhub sync "
        "status\n",
        hub->config().sync.central, hub->config().sync.site, server.url());
  }
  if (alarms) {
    fmt::print(
        "Alarms: {} of alarms.yaml followed as data arrives: factoryhub alarms list, "
        "{}api/v1/alarms/states\n",
        alarms->config().alarms.size(), server.url());
  }
  if (notifier) {
    for (const ConnectorStatus& st : notifier->status())
      fmt::print("Notifying {} of alarm events: {}\n", st.name, st.endpoint);
  }
  if (retention) {
    fmt::print(
        "Retention: {} policies of retention.yaml applied now and every {}: factoryhub retention "
        "--dry-run shows what they delete\n",
        retention->config().policies.size(), FormatDuration(retention->config().every_ns));
  }
  fmt::print(
      "Write InfluxDB line protocol to {}write (or api/v2/write), e.g.\n"
      "  curl -XPOST '{}write?precision=s' --data-binary 'machine,id=m7 temperature=71.5'\n"
      "Press Ctrl-C to stop.\n",
      server.url(), server.url());
  std::fflush(stdout);

  int sig = WaitForStopSignal();
  fmt::print(stderr, "factoryhub: {} received, stopping...\n",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.writes().SetConnectorStatuses(nullptr);
  scorers.clear();
  connectors.clear();  // each stops: what it stored is acknowledged, the rest comes again
  if (retention) retention->Stop();  // a run in progress finishes; the next starts again
  server.Stop();
  forwarder.reset();           // what is not acknowledged stays in the outbox
  if (spc) spc->Stop();        // writes the episodes not yet written
  if (alarms) alarms->Stop();  // and the alarm events
  notifier.reset();            // what is still queued stays in the journal
  fmt::print(stderr, "factoryhub: stopped.\n");
  return Status::Ok();
}

}  // namespace

Command RegisterServe(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand("serve", "Serve the HTTP API of a hub until Ctrl-C");
  auto opts = std::make_shared<ServeOptions>();
  AddHubOption(sub, &opts->hub);
  sub->add_option("--port", opts->port,
                  "TCP port (default: the hub's server.port, 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  sub->add_option("--bind", opts->bind,
                  "Address to listen on (default: the hub's server.bind, 127.0.0.1; 0.0.0.0 for "
                  "every interface)")
      ->type_name("ADDR");
  sub->add_flag("--insecure", opts->insecure,
                "Listen beyond this machine even though the hub has no users or tokens, or no "
                "TLS certificate");
  sub->add_option("--tls-cert", opts->tls_cert,
                  "Serve HTTPS with this certificate chain (PEM; default: the hub's "
                  "server.tls_cert)")
      ->type_name("FILE");
  sub->add_option("--tls-key", opts->tls_key,
                  "The certificate's private key (PEM; default: the hub's server.tls_key)")
      ->type_name("FILE");
  sub->add_option("--threads", opts->threads,
                  "Worker threads running requests (writes, queries); idle and slow connections "
                  "take none")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->add_option("--io-threads", opts->io_threads,
                  "Event-loop threads reading and writing the connections")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  sub->add_option("--max-writes", opts->max_writes,
                  "Write requests storing at once; more wait up to 5 s for a slot, then are "
                  "answered 429 with Retry-After")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->add_option("--max-connections", opts->max_connections,
                  "Connections open at once; the next is answered 503 and closed")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  sub->add_option("--max-body-mb", opts->max_body_mb,
                  "Largest request body in MiB, once decoded (gzip inflated); larger gets 413")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  sub->add_option("--score", opts->score,
                  "Score this model (NAME or NAME@VERSION) on its tags as data arrives and raise "
                  "alarms (repeatable)")
      ->type_name("MODEL");
  sub->add_option("--score-every", opts->score_every,
                  "How often live scoring runs; a row is scored once this old")
      ->capture_default_str();
  sub->add_option("--score-lookback", opts->score_lookback,
                  "Rows read before the new ones, for window and lag features; also what a "
                  "starting server scores first")
      ->capture_default_str();
  sub->add_flag("--no-alarms", opts->no_alarms,
                "Do not follow the alarms of the hub's alarms.yaml as data arrives");
  sub->add_flag("--no-spc", opts->no_spc,
                "Do not judge the characteristics of the hub's spc.yaml as data arrives");
  sub->add_option("--spc-every", opts->spc_every,
                  "How often SPC events are written and new inspections and limits are read")
      ->capture_default_str();
  sub->add_option("--spc-catch-up", opts->spc_catch_up,
                  "At start, judge what is stored after each characteristic's baseline, at most "
                  "this far back")
      ->capture_default_str();
  sub->footer(
      "Examples:\n"
      "  factoryhub serve --hub plant\n"
      "  factoryhub serve --hub plant --bind 0.0.0.0 --tls-cert hub.crt --tls-key hub.key\n"
      "  factoryhub serve --hub plant --score ai4i-machine-failure --score-every 5s");
  return {sub, [opts] { return RunServe(*opts); }};
}

}  // namespace fh::cli
