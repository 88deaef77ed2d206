#include "sync/forwarder.h"

#include <chrono>
#include <cstdlib>
#include <fstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "store/outbox/outbox.h"
#include "sync/catalog_records.h"
#include "sync/sync_protocol.h"

namespace fh::sync {
namespace forwarder_detail {

// Bytes a point takes in a record's payload (tag index, time, value, quality).
constexpr size_t kPointBytes = 24;
// Changed rows per outbox record.
constexpr int64_t kQueueChanges = 2000;

}  // namespace forwarder_detail

std::filesystem::path ForwarderStateFile(const Hub& hub) {
  return hub.dir() / "sync" / "forwarder.json";
}

Forwarder::Forwarder(Hub& hub) : hub_(hub), config_(hub.config().sync) {
  if (const char* token = std::getenv(config_.token_env.c_str())) token_ = token;
}

Forwarder::~Forwarder() {
  Stop();
}

void Forwarder::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  state_.running = true;
  thread_ = std::thread([this] { Run(); });
}

void Forwarder::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    state_.running = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Forwarder::Stopping() const {
  std::lock_guard lock(mu_);
  return stop_;
}

ForwarderState Forwarder::State() const {
  std::lock_guard lock(mu_);
  return state_;
}

Result<bool> Forwarder::SendOnce() {
  outbox::Outbox& box = *hub_.outbox();
  FH_ASSIGN_OR_RETURN(
      std::vector<outbox::Record> records,
      box.ReadUnsent(static_cast<size_t>(config_.batch_points) * forwarder_detail::kPointBytes));
  if (records.empty()) return false;
  std::string body;
  EncodePush(records, &body);
  // What will still wait once these are applied: the central hub shows it with the site.
  FH_ASSIGN_OR_RETURN(const outbox::OutboxState waiting, box.State());
  EdgeBacklog backlog;
  backlog.records = waiting.unsent_records - static_cast<int64_t>(records.size());
  backlog.bytes = static_cast<int64_t>(waiting.tail - records.back().end);
  backlog.points = waiting.unsent_points;
  for (const outbox::Record& r : records)
    backlog.points -= r.points;
  httplib::Client client(config_.central);
  client.set_compress(true);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(60));
  client.set_write_timeout(std::chrono::seconds(60));
  if (!config_.ca_file.empty()) {
    client.set_ca_cert_path(config_.ca_file);
    client.enable_server_certificate_verification(true);
  }
  httplib::Headers headers = {{kSiteHeader, config_.site},
                              {kEpochHeader, box.epoch()},
                              {kBacklogHeader, FormatBacklog(backlog)}};
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  httplib::Result res = client.Post(kPushPath, headers, body, "application/vnd.factoryhub.sync");
  if (!res) {
    return Unavailable("central hub {}: {}", config_.central, httplib::to_string(res.error()));
  }
  if (res->status != 200) {
    std::string message = res->body.substr(0, 500);
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    return Unavailable("central hub {} answered {}: {}", config_.central, res->status, message);
  }
  nlohmann::json answer = nlohmann::json::parse(res->body, nullptr, false);
  if (!answer.is_object() || !answer["applied_end"].is_number_unsigned()) {
    return Internal("central hub {}: an answer without applied_end: {}", config_.central,
                    res->body.substr(0, 200));
  }
  const uint64_t applied = answer["applied_end"].get<uint64_t>();
  if (applied < records.back().end) {
    return Internal("central hub {} applied up to {}, not {}", config_.central, applied,
                    records.back().end);
  }
  FH_RETURN_IF_ERROR(box.Acknowledge(records.back().end));
  int64_t points = 0;
  for (const outbox::Record& r : records)
    points += r.points;
  std::lock_guard lock(mu_);
  state_.sent_records += static_cast<int64_t>(records.size());
  state_.sent_points += points;
  state_.duplicates += answer.value("duplicates", int64_t{0});
  state_.last_ok_at = NowNs();
  return true;
}

void Forwarder::Run() {
  using namespace std::chrono_literals;
  auto backoff = 1s;
  auto last_limits = std::chrono::steady_clock::time_point{};
  auto save_state = [&] {
    const ForwarderState s = State();
    nlohmann::json j = {{"running", s.running},         {"sent_records", s.sent_records},
                        {"sent_points", s.sent_points}, {"duplicates", s.duplicates},
                        {"last_ok_at", s.last_ok_at},   {"last_error_at", s.last_error_at},
                        {"last_error", s.last_error},   {"pid", static_cast<int64_t>(getpid())}};
    const auto path = ForwarderStateFile(hub_);
    std::ofstream(path.string() + ".tmp") << j.dump() << "\n";
    std::error_code ec;
    std::filesystem::rename(path.string() + ".tmp", path, ec);
  };
  auto last_saved = std::chrono::steady_clock::now() - 10s;
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
    }
    if (std::chrono::steady_clock::now() - last_limits > 60s) {
      (void)hub_.outbox()->EnforceLimits(NowNs());
      last_limits = std::chrono::steady_clock::now();
    }
    // The rows written since (orders, events ...) join the outbox behind what is in it.
    // All of them, also while the central hub cannot be reached: the outbox's limits and
    // `sync status` count what waits.
    Result<QueuedCatalog> queued = QueueCatalogChanges(hub_, forwarder_detail::kQueueChanges);
    while (queued.ok() && queued->changes == forwarder_detail::kQueueChanges && !Stopping()) {
      queued = QueueCatalogChanges(hub_, forwarder_detail::kQueueChanges);
    }
    // And the alarm journal's new events (an append-only journal: a mark, no triggers).
    Result<int64_t> alarms = QueueAlarmEvents(hub_, forwarder_detail::kQueueChanges);
    while (queued.ok() && alarms.ok() && *alarms == forwarder_detail::kQueueChanges &&
           !Stopping()) {
      alarms = QueueAlarmEvents(hub_, forwarder_detail::kQueueChanges);
    }
    if (queued.ok() && !alarms.ok()) queued = alarms.status();
    Result<bool> sent = queued.ok() ? SendOnce() : Result<bool>(queued.status());
    auto wait = 200ms;
    if (!sent.ok()) {
      {
        std::lock_guard lock(mu_);
        state_.last_error = sent.status().message();
        state_.last_error_at = NowNs();
      }
      wait = backoff;
      backoff = std::min<std::chrono::seconds>(backoff * 2, 30s);
    } else {
      backoff = 1s;
      if (*sent) wait = 0ms;
    }
    if (std::chrono::steady_clock::now() - last_saved > 1s) {
      save_state();
      last_saved = std::chrono::steady_clock::now();
    }
    if (wait > 0ms) {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, wait, [&] { return stop_; });
    }
  }
  save_state();
}

}  // namespace fh::sync
