// factoryhub simulate [--hub DIR | --to http://HOST:PORT | --to mqtt://HOST:PORT]
//                     [--machines N] [--seed S] [--every DUR] [--from T --until T | --backfill DUR]
//                     [--faults FILE]
//                     [--duration DUR]
//
// A plant that sends live data: N machines whose signals follow the AI4I 2020 data set
// (DemoPlant: spindle speed, torque, temperatures, tool wear, power; stops, tool changes),
// seeded and deterministic, written into a hub through its stream mapping (with each
// machine's state changes and stop reasons as equipment state events, its work orders and
// bore inspections), POSTed to a
// server's /api/v1/samples, or published to an MQTT broker as one JSON message per machine and
// step.
#include <mosquitto.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/signals.h"
#include "common/json_text.h"
#include "common/time.h"
#include "pipeline/stream_ingest.h"
#include "sim/demo_plant.h"
#include "sim/plant_simulation.h"

namespace fh::cli {
namespace {

struct SimulateCli {
  std::string hub;
  std::string to;  // empty: the hub
  int64_t machines = 4;
  uint64_t seed = 20260301;
  std::string every = "1s";
  std::string from, until, backfill;
  std::string duration;  // empty: until Ctrl-C
  std::string faults;    // a fault plan (YAML): faults injected into the sensors
};

// POST /api/v1/samples, the batch as one JSON document; 429 is waited out.
class HttpSink {
 public:
  HttpSink(std::string host, int port) : client_(std::move(host), port) {}
  Status Send(const SampleBatch& batch) {
    nlohmann::json samples = nlohmann::json::array();
    for (size_t i = 0; i < batch.size(); ++i) {
      samples.push_back({{"tag", batch.tag_names()[batch.tag()[i]]},
                         {"ts", batch.ts()[i]},
                         {"value", batch.value()[i]}});
    }
    const std::string body = JsonText(nlohmann::json{{"samples", std::move(samples)}});
    for (int attempt = 0;; ++attempt) {
      auto res = client_.Post("/api/v1/samples", body, "application/json");
      if (!res) return Unavailable("POST /api/v1/samples: {}", httplib::to_string(res.error()));
      if (res->status == 200) return Status::Ok();
      if (res->status != 429 || attempt >= 100) {
        return Unavailable("POST /api/v1/samples: HTTP {}: {}", res->status, res->body);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

 private:
  httplib::Client client_;
};

// One JSON message per machine and time, QoS 1, to plant/line-1/<machine>:
// {"ts": <epoch ms>, "spindle_speed": 1500, ...}; a connector with topic
// plant/{line}/{machine} and tag {line}.{machine}.{field} stores the hub's tag names.
class MqttSink {
 public:
  ~MqttSink() {
    if (mosq_) {
      mosquitto_disconnect(mosq_);
      mosquitto_loop_stop(mosq_, false);
      mosquitto_destroy(mosq_);
    }
    mosquitto_lib_cleanup();
  }
  Status Connect(const std::string& host, int port) {
    mosquitto_lib_init();
    mosq_ = mosquitto_new(nullptr, true, this);
    if (!mosq_) return Internal("mqtt: cannot create a client");
    mosquitto_max_inflight_messages_set(mosq_, 1000);
    mosquitto_publish_callback_set(
        mosq_, [](mosquitto*, void* self, int) { ++static_cast<MqttSink*>(self)->acked_; });
    if (int rc = mosquitto_connect(mosq_, host.c_str(), port, 30); rc != MOSQ_ERR_SUCCESS) {
      return Unavailable("mqtt: {}:{}: {}", host, port, mosquitto_strerror(rc));
    }
    mosquitto_loop_start(mosq_);
    return Status::Ok();
  }
  Status Send(const SampleBatch& batch) {
    // Group by machine and time: tags are line-1.<machine>.<signal>.
    std::map<std::pair<std::string, TimestampNs>, nlohmann::json> messages;
    for (size_t i = 0; i < batch.size(); ++i) {
      const std::string& tag = batch.tag_names()[batch.tag()[i]];
      const size_t dot = tag.rfind('.');
      nlohmann::json& m = messages[{tag.substr(0, dot), batch.ts()[i]}];
      m["ts"] = batch.ts()[i] / 1'000'000;
      m[tag.substr(dot + 1)] = batch.value()[i];
    }
    for (const auto& [key, payload] : messages) {
      std::string topic = "plant/" + key.first;
      std::replace(topic.begin(), topic.end(), '.', '/');
      const std::string text = JsonText(payload);
      if (int rc = mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(text.size()),
                                     text.data(), 1, false);
          rc != MOSQ_ERR_SUCCESS) {
        return Unavailable("mqtt: publish: {}", mosquitto_strerror(rc));
      }
      ++sent_;
    }
    return Status::Ok();
  }
  // Waits until the broker acknowledged everything sent (at most 30 s).
  Status Drain() {
    for (int i = 0; i < 3000 && acked_ < sent_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (acked_ < sent_) return Unavailable("mqtt: {} messages not acknowledged", sent_ - acked_);
    return Status::Ok();
  }

 private:
  mosquitto* mosq_ = nullptr;
  std::atomic<int64_t> acked_{0};
  int64_t sent_ = 0;
};

// "http://host:port" or "mqtt://host:port" → (scheme, host, port).
Status ParseTarget(const std::string& to, std::string* scheme, std::string* host, int* port) {
  const size_t sep = to.find("://");
  if (sep == std::string::npos) {
    return InvalidArgument("--to '{}': expected http://HOST:PORT or mqtt://HOST:PORT", to);
  }
  *scheme = to.substr(0, sep);
  std::string rest = to.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  *host = rest.substr(0, colon);
  *port = *scheme == "mqtt" ? 1883 : 80;
  if (colon != std::string::npos) *port = std::atoi(rest.c_str() + colon + 1);
  if ((*scheme != "http" && *scheme != "mqtt") || host->empty() || *port <= 0 || *port > 65535) {
    return InvalidArgument("--to '{}': expected http://HOST:PORT or mqtt://HOST:PORT", to);
  }
  return Status::Ok();
}

Status RunSimulate(const SimulateCli& o) {
  if (o.machines < 1 || o.machines > 999) return InvalidArgument("--machines: 1 to 999");
  FH_ASSIGN_OR_RETURN(const int64_t every, ParseDuration(o.every));
  if (every < kNanosPerMilli) return InvalidArgument("--every: at least 1ms");
  const TimestampNs now = NowNs();
  TimestampNs from = now, until = now;
  if (!o.from.empty() || !o.until.empty()) {
    if (o.from.empty() || o.until.empty()) return InvalidArgument("--from and --until go together");
    FH_ASSIGN_OR_RETURN(from, ParseTimePoint(o.from, now));
    FH_ASSIGN_OR_RETURN(until, ParseTimePoint(o.until, now));
    if (until < from) return InvalidArgument("--until is before --from");
  } else if (!o.backfill.empty()) {
    FH_ASSIGN_OR_RETURN(const int64_t span, ParseDuration(o.backfill));
    from = now - span;
  }
  std::optional<int64_t> duration;
  if (!o.duration.empty()) {
    FH_ASSIGN_OR_RETURN(duration, ParseDuration(o.duration));
  }
  // A window given with --from/--until is the whole run; else live data follows.
  const bool live = o.from.empty() && (!duration || *duration > 0);

  sim::DemoPlant plant(o.seed, o.machines);
  sim::FaultPlan faults;
  if (!o.faults.empty()) {
    FH_ASSIGN_OR_RETURN(faults, sim::FaultPlan::Load(o.faults));
    plant.SetFaults(&faults);
  }
  std::unique_ptr<Hub> hub;
  std::unique_ptr<pipeline::StreamIngest> ingest;  // after hub: stops (and flushes) first
  std::unique_ptr<HttpSink> http;
  std::unique_ptr<MqttSink> mqtt;
  sim::PlantSimulation::Writer write;
  std::string where;
  if (o.to.empty()) {
    if (o.hub.empty()) return InvalidArgument("simulate: give --hub DIR or --to URL");
    FH_ASSIGN_OR_RETURN(hub, OpenHub(o.hub));
    FH_RETURN_IF_ERROR(plant.RegisterInCatalog(*hub));
    // A live source like any other: through the hub's stream mapping, with lineage.
    FH_ASSIGN_OR_RETURN(std::shared_ptr<govern::StreamGovernor> governor,
                        pipeline::LoadHubStreamMapping(hub->dir().string()));
    ingest = std::make_unique<pipeline::StreamIngest>(*hub, std::chrono::seconds(5), governor);
    write = [&ingest](const SampleBatch& b) {
      return ingest->Write({"simulate", sim::DemoPlant::kLinePath}, "simulate", b, {}).status();
    };
    where = "hub " + o.hub;
  } else {
    std::string scheme, host;
    int port = 0;
    FH_RETURN_IF_ERROR(ParseTarget(o.to, &scheme, &host, &port));
    if (scheme == "http") {
      http = std::make_unique<HttpSink>(host, port);
      write = [&http](const SampleBatch& b) { return http->Send(b); };
    } else {
      mqtt = std::make_unique<MqttSink>();
      FH_RETURN_IF_ERROR(mqtt->Connect(host, port));
      write = [&mqtt](const SampleBatch& b) { return mqtt->Send(b); };
    }
    where = o.to;
  }
  sim::PlantSimulation sim(plant, std::move(write), hub.get(), o.seed);

  // The window (just now when none is given), as fast as possible.
  FH_RETURN_IF_ERROR(sim.RunWindow(from, until, every).status());
  if (sim.points_sent() > 0) {
    fmt::print("simulate: {} machines, {} points from {} to {} sent to {}\n", o.machines,
               FormatCount(sim.points_sent()), FormatRfc3339(from), FormatRfc3339(until), where);
  }
  if (live) {
    fmt::print("simulate: {} machines, a point per signal every {} to {}; Ctrl-C stops\n",
               o.machines, o.every, where);
    std::fflush(stdout);
    BlockStopSignals();
    const auto end =
        duration
            ? std::optional(std::chrono::steady_clock::now() + std::chrono::nanoseconds(*duration))
            : std::nullopt;
    const double dt = NanosToSeconds(every);
    while (!end || std::chrono::steady_clock::now() < *end) {
      const TimestampNs next = (NowNs() / every + 1) * every;
      // Sleeps until the step's time, unless SIGINT or SIGTERM comes first.
      const int64_t wait_ms = std::max<int64_t>(0, (next - NowNs()) / kNanosPerMilli);
      if (PollStopSignal(static_cast<int>(wait_ms)) != 0) break;
      sim.Step(next, dt);
      FH_RETURN_IF_ERROR(sim.Send());
    }
  }
  if (mqtt) {
    FH_RETURN_IF_ERROR(mqtt->Drain());
  }
  fmt::print("simulate: {} points sent in all{}\n", FormatCount(sim.points_sent()), sim.Summary());
  return Status::Ok();
}

}  // namespace

Command RegisterSimulate(CLI::App& parent) {
  CLI::App* sub = parent.add_subcommand(
      "simulate", "A simulated plant sending live data to a hub, a server or an MQTT broker");
  auto o = std::make_shared<SimulateCli>();
  sub->add_option("--hub", o->hub, "Write into this hub (unless --to is given)");
  sub->add_option("--to", o->to,
                  "http://HOST:PORT (POST /api/v1/samples) or mqtt://HOST:PORT (JSON messages "
                  "to plant/line-1/<machine>)");
  sub->add_option("--machines", o->machines, "CNC machines on the line")->capture_default_str();
  sub->add_option("--seed", o->seed, "Same seed, same times: same values")->capture_default_str();
  sub->add_option("--every", o->every, "Time between two points of a signal")
      ->capture_default_str();
  sub->add_option("--from", o->from, "Generate this window as fast as possible (with --until)");
  sub->add_option("--until", o->until, "End of the window");
  sub->add_option("--backfill", o->backfill, "Generate the last DUR first, then go live");
  sub->add_option("--duration", o->duration, "Stop live after DUR (default: at Ctrl-C)");
  sub->add_option("--faults", o->faults,
                  "Inject the faults of this YAML file into the sensors (docs/anomaly.md): step, "
                  "drift, stuck, noise, joint")
      ->check(CLI::ExistingFile);
  sub->footer(
      "Examples:\n"
      "  factoryhub simulate --hub plant --backfill 1h\n"
      "  factoryhub simulate --to mqtt://127.0.0.1:1883 --machines 20 --every 100ms\n"
      "  factoryhub simulate --hub plant --from 2026-01-01 --until 2026-01-02 --seed 7\n"
      "  factoryhub simulate --hub plant --from 2026-01-01 --until 2026-01-02 --faults "
      "faults.yaml");
  return {sub, [o] { return RunSimulate(*o); }};
}

}  // namespace fh::cli
