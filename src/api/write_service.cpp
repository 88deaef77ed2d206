#include "api/write_service.h"

#include <nlohmann/json.hpp>

#include "api/http_counters.h"
#include "api/http_reply.h"
#include "api/prometheus_text.h"
#include "common/json_text.h"
#include "common/time.h"
#include "ingest/json_samples.h"
#include "ingest/line_protocol.h"

namespace fh::api {

namespace {

// InfluxDB's error bodies: v1 {"error": ...}, v2 {"code": ..., "message": ...}.
void ReplyInflux(HttpResponse& res, bool v2, int status, std::string_view code,
                 const std::string& message) {
  const nlohmann::json body = v2 ? nlohmann::json{{"code", code}, {"message", message}}
                                 : nlohmann::json{{"error", message}};
  res.status = status;
  res.SetContent(JsonText(body), "application/json");
}

// A write that stored nothing: 503 with Retry-After when another process holds the store
// (the client retries), 500 otherwise.
int StoreFailureStatus(const Status& s, HttpResponse& res) {
  if (s.code() != StatusCode::kUnavailable) return 500;
  res.SetHeader("Retry-After", "1");
  return 503;
}

}  // namespace

// Gives the write slot back however the handler returns.
class WriteService::Slot {
 public:
  explicit Slot(WriteService& service) : service_(service) {}
  ~Slot() { service_.ReleaseSlot(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  WriteService& service_;
};

WriteService::WriteService(Hub& hub, WriteServiceOptions options)
    : hub_(hub),
      options_(options),
      ingest_(hub, options.lineage_every, options.stream_mapping, options.on_stored),
      scoped_(hub) {}

bool WriteService::AllowedForScope(const HttpRequest& req, const SampleBatch& batch,
                                   const std::vector<TextSample>& texts, Reply reply,
                                   HttpResponse& res) {
  if (req.scope.empty()) return true;
  const Status allowed = scoped_.Check(req.user, req.scope, batch.tag_names(), texts);
  if (allowed.ok()) return true;
  const bool refused = allowed.code() == StatusCode::kPermissionDenied;
  const int status = refused ? 403 : StoreFailureStatus(allowed, res);
  if (reply != Reply::kJson) {
    ReplyInflux(res, reply == Reply::kInfluxV2, status,
                refused ? "forbidden" : (status == 503 ? "unavailable" : "internal error"),
                allowed.message());
  } else {
    ReplyJson(res, {{"error", allowed.message()}}, status);
  }
  return false;
}

bool WriteService::Admit(bool v2, HttpResponse& res) {
  {
    std::unique_lock<std::mutex> lock(slots_mu_);
    const int max_writes = options_.max_writes;
    auto free = [&] { return writing_ < max_writes; };
    bool admitted = free();
    if (!admitted && waiting_ < 2 * std::max(1, max_writes) && options_.write_wait.count() > 0) {
      ++waiting_;
      waited_.fetch_add(1);
      admitted = slot_freed_.wait_for(lock, options_.write_wait, free);
      --waiting_;
    }
    if (admitted) {
      ++writing_;
      write_requests_.fetch_add(1);
      return true;
    }
  }
  busy_.fetch_add(1);
  res.SetHeader("Retry-After", "1");
  ReplyInflux(
      res, v2, 429, "too many requests",
      fmt::format("{} writes in progress and more waiting: retry after 1 s", options_.max_writes));
  return false;
}

void WriteService::ReleaseSlot() {
  {
    std::lock_guard<std::mutex> lock(slots_mu_);
    --writing_;
  }
  slot_freed_.notify_one();
}

void WriteService::HandleV1(const HttpRequest& req, HttpResponse& res) {
  Handle(Dialect::kV1, req, res);
}

void WriteService::HandleV2(const HttpRequest& req, HttpResponse& res) {
  Handle(Dialect::kV2, req, res);
}

void WriteService::Handle(Dialect dialect, const HttpRequest& req, HttpResponse& res) {
  const bool v2 = dialect == Dialect::kV2;
  if (!Admit(v2, res)) return;
  Slot slot(*this);
  Result<TimeUnit> precision = ingest::ParsePrecision(req.Param("precision"));
  if (!precision.ok()) {
    ReplyInflux(res, v2, 400, "invalid", precision.status().message());
    return;
  }
  // The source names the endpoint and the database or bucket the client meant.
  const std::string target = req.Param(v2 ? "bucket" : "db");
  const pipeline::StreamSource source{
      "http",
      fmt::format("{}{}", req.path,
                  target.empty() ? "" : "?" + std::string(v2 ? "bucket=" : "db=") + target)};

  // One parser and batch per worker thread, reused: no allocation per request once warm.
  thread_local ingest::LineProtocolParser parser;
  thread_local SampleBatch batch;
  batch.Clear();
  const ingest::LineProtocolResult parsed = parser.Parse(req.body, *precision, NowNs(), batch);
  if (!AllowedForScope(req, batch, parsed.texts, v2 ? Reply::kInfluxV2 : Reply::kInfluxV1, res)) {
    return;
  }
  std::vector<pipeline::RejectedRecord> rejected;
  rejected.reserve(parsed.errors.size());
  for (const ingest::LineError& e : parsed.errors)
    rejected.push_back({e.line, e.text, e.message});
  Result<std::vector<govern::RejectedPoint>> failed =
      ingest_.Write(source, "line-protocol", batch, rejected, parsed.texts);
  if (!failed.ok()) {
    // Nothing of this request is durable: the client must send it again.
    const int status = StoreFailureStatus(failed.status(), res);
    ReplyInflux(res, v2, status, status == 503 ? "unavailable" : "internal error",
                "nothing was written: " + failed.status().message());
    return;
  }
  if (parsed.errors.empty() && failed->empty()) {
    res.status = 204;
    return;
  }
  partial_.fetch_add(1);
  // The first ten reasons: bad lines, then points that failed the stream mapping's rules.
  std::string lines;
  size_t told = 0;
  for (; told < parsed.errors.size() && told < 10; ++told) {
    lines += fmt::format("{}line {}: {}", told ? "; " : "", parsed.errors[told].line,
                         parsed.errors[told].message);
  }
  for (size_t i = 0; i < failed->size() && told < 10; ++i, ++told) {
    const govern::RejectedPoint& p = (*failed)[i];
    lines += fmt::format("{}{} at {}: {}", told ? "; " : "", p.tag, FormatRfc3339(p.ts),
                         govern::FailureText(p));
  }
  const size_t dropped = parsed.errors.size() + failed->size();
  if (dropped > told) lines += fmt::format("; and {} more", dropped - told);
  const std::string message = fmt::format(
      "partial write: {} (dropped={}, quarantined: factoryhub quarantine list)", lines, dropped);
  ReplyInflux(res, v2, 400, "invalid", message);
}

void WriteService::HandleSamples(const HttpRequest& req, HttpResponse& res) {
  if (!Admit(false, res)) return;
  Slot slot(*this);
  const TimestampNs now = NowNs();
  SampleBatch batch;
  const ingest::JsonSamples read = ingest::ReadJsonSamples(req.body, now, batch);
  if (read.body == ingest::JsonSamples::Body::kTooDeep) {
    std::vector<pipeline::RejectedRecord> whole = {{1, req.body, read.body_error}};
    Result<std::vector<govern::RejectedPoint>> q =
        ingest_.Write({"http", req.path}, "samples-json", SampleBatch{}, whole);
    if (!q.ok()) {
      ReplyJson(
          res,
          {{"error", read.body_error + "; it could not be quarantined: " + q.status().message()}},
          StoreFailureStatus(q.status(), res));
      return;
    }
    partial_.fetch_add(1);
    ReplyJson(res, {{"error", read.body_error + " (quarantined: factoryhub quarantine list)"}},
              400);
    return;
  }
  if (read.body == ingest::JsonSamples::Body::kNotSamples) {
    ReplyJson(res, {{"error", read.body_error}}, 400);
    return;
  }
  if (!AllowedForScope(req, batch, {}, Reply::kJson, res)) return;
  const std::vector<size_t>& batch_index = read.batch_index;
  std::vector<pipeline::RejectedRecord> rejected;
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  for (const ingest::JsonSampleError& e : read.errors) {
    rejected.push_back({static_cast<int64_t>(e.index + 1), e.raw, e.message});
    errors.push_back({{"index", e.index}, {"error", e.message}});
  }
  const pipeline::StreamSource source{"http", req.path};
  Result<std::vector<govern::RejectedPoint>> failed =
      ingest_.Write(source, "samples-json", batch, rejected);
  if (!failed.ok()) {
    ReplyJson(res, {{"error", "nothing was written: " + failed.status().message()}},
              StoreFailureStatus(failed.status(), res));
    return;
  }
  if (rejected.empty() && failed->empty()) {
    ReplyJson(res, {{"written", batch.size()}});
    return;
  }
  partial_.fetch_add(1);
  for (const govern::RejectedPoint& p : *failed)
    errors.push_back({{"index", batch_index[p.index]}, {"error", govern::FailureText(p)}});
  const size_t quarantined = rejected.size() + failed->size();
  ReplyJson(res,
            {{"error", fmt::format("{} of {} samples quarantined (factoryhub quarantine list)",
                                   quarantined, read.elements)},
             {"written", batch.size() - failed->size()},
             {"quarantined", quarantined},
             {"errors", std::move(errors)}},
            400);
}

void WriteService::SetConnectorStatuses(ConnectorStatuses fn) {
  std::lock_guard<std::mutex> lock(connectors_mu_);
  connectors_ = std::move(fn);
}

std::vector<ConnectorStatus> WriteService::ConnectorStatusesNow() {
  std::lock_guard<std::mutex> lock(connectors_mu_);
  return connectors_ ? connectors_() : std::vector<ConnectorStatus>{};
}

void WriteService::HandleConnectors(const HttpRequest&, HttpResponse& res) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  const std::vector<ConnectorStatus> connectors = ConnectorStatusesNow();
  for (const ConnectorStatus& c : connectors) {
    list.push_back({{"kind", c.kind},
                    {"name", c.name},
                    {"endpoint", c.endpoint},
                    {"state", c.state},
                    {"messages", c.messages},
                    {"points", c.points},
                    {"quarantined", c.quarantined},
                    {"reconnects", c.reconnects},
                    {"errors", c.errors},
                    {"failed_polls", c.failed_polls},
                    {"skipped", c.skipped},
                    {"alarms", c.alarms},
                    {"connected_since",
                     c.connected_since ? nlohmann::ordered_json(FormatRfc3339(c.connected_since))
                                       : nlohmann::ordered_json(nullptr)},
                    {"last_error", c.last_error}});
  }
  for (const pipeline::StreamIngest::SourceReport& r : ingest_.Sources()) {
    nlohmann::ordered_json c = {{"system", r.source.system},
                                {"source", r.source.object},
                                {"points", r.counters.accepted},
                                {"quarantined", r.counters.quarantined},
                                {"warnings", r.counters.warnings}};
    c["batch"] = r.batch_id ? nlohmann::ordered_json(*r.batch_id) : nlohmann::ordered_json(nullptr);
    c["last_write"] = r.last_write ? nlohmann::ordered_json(FormatRfc3339(r.last_write))
                                   : nlohmann::ordered_json(nullptr);
    sources.push_back(std::move(c));
  }
  ReplyJson(res, {{"connectors", std::move(list)},
                  {"sources", std::move(sources)},
                  {"http",
                   {{"write_requests", write_requests_.load()},
                    {"partial_writes", partial_.load()},
                    {"rejected_busy", busy_.load()},
                    {"waited", waited_.load()},
                    {"max_writes", options_.max_writes}}}});
}

void WriteService::HandleMetrics(const HttpRequest&, HttpResponse& res) {
  const auto label = PrometheusLabel;
  std::string out;
  auto family = [&](std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  const std::vector<pipeline::StreamIngest::SourceReport> sources = ingest_.Sources();
  family("factoryhub_ingest_points_total", "counter", "Points stored, by source.");
  for (const auto& r : sources) {
    out += fmt::format("factoryhub_ingest_points_total{{system=\"{}\",source=\"{}\"}} {}\n",
                       label(r.source.system), label(r.source.object), r.counters.accepted);
  }
  family("factoryhub_ingest_quarantined_total", "counter", "Records quarantined, by source.");
  for (const auto& r : sources) {
    out += fmt::format("factoryhub_ingest_quarantined_total{{system=\"{}\",source=\"{}\"}} {}\n",
                       label(r.source.system), label(r.source.object), r.counters.quarantined);
  }
  if (const govern::StreamGovernor* governor = ingest_.governor()) {
    // Each rule of the stream mapping: what it checked and what failed it.
    const std::vector<govern::StreamGovernor::RuleTally> tallies = governor->Tallies();
    family("factoryhub_stream_rule_checks_total", "counter",
           "Points a rule of the stream mapping checked, by rule and signal group.");
    for (const auto& [tags, t] : tallies) {
      out += fmt::format("factoryhub_stream_rule_checks_total{{rule=\"{}\",tags=\"{}\"}} {}\n",
                         label(t.rule), label(tags), t.checked);
    }
    family("factoryhub_stream_rule_failures_total", "counter",
           "Points that failed a rule of the stream mapping (quarantined, or stored with a "
           "warning when the rule only warns).");
    for (const auto& [tags, t] : tallies) {
      out += fmt::format(
          "factoryhub_stream_rule_failures_total{{rule=\"{}\",tags=\"{}\",severity=\"{}\"}} "
          "{}\n",
          label(t.rule), label(tags), govern::ToString(t.severity), t.failed);
    }
  }
  const pipeline::StreamIngest::LineageHealth lineage = ingest_.lineage_health();
  family("factoryhub_lineage_failed_flushes_total", "counter",
         "Flushes of the streams' lineage that failed (retried at the next flush).");
  out += fmt::format("factoryhub_lineage_failed_flushes_total {}\n", lineage.failed_flushes);
  if (!lineage.error.empty()) {
    out += fmt::format("# last lineage flush error: {}\n", label(lineage.error));
  }
  family("factoryhub_http_write_requests_total", "counter", "Write requests admitted.");
  out += fmt::format("factoryhub_http_write_requests_total {}\n", write_requests_.load());
  family("factoryhub_http_write_rejected_busy_total", "counter",
         "Write requests answered 429 (too many writes at once).");
  out += fmt::format("factoryhub_http_write_rejected_busy_total {}\n", busy_.load());
  family("factoryhub_http_partial_writes_total", "counter",
         "Write requests with records quarantined.");
  out += fmt::format("factoryhub_http_partial_writes_total {}\n", partial_.load());
  if (const HttpCounters* http = options_.http) {
    family("factoryhub_http_connections", "gauge", "HTTP connections open.");
    out += fmt::format("factoryhub_http_connections {}\n", http->open.load());
    family("factoryhub_http_connections_total", "counter", "HTTP connections accepted.");
    out += fmt::format("factoryhub_http_connections_total {}\n", http->accepted.load());
    family("factoryhub_http_connections_refused_total", "counter",
           "HTTP connections refused with 503: max_connections were open.");
    out += fmt::format("factoryhub_http_connections_refused_total {}\n", http->refused_full.load());
    family("factoryhub_http_timeouts_total", "counter",
           "HTTP connections closed by a deadline (header, body, idle keep-alive, write).");
    out += fmt::format("factoryhub_http_timeouts_total {}\n", http->timed_out.load());
    family("factoryhub_http_bad_requests_total", "counter",
           "Malformed HTTP requests answered 4xx and closed (bad framing, over a limit).");
    out += fmt::format("factoryhub_http_bad_requests_total {}\n", http->bad_requests.load());
    family("factoryhub_http_tls_failed_total", "counter",
           "TLS connections that failed their handshake or sent plain HTTP to the TLS port.");
    out += fmt::format("factoryhub_http_tls_failed_total {}\n", http->tls_failed.load());
    family("factoryhub_http_requests_total", "counter", "HTTP requests read whole.");
    out += fmt::format("factoryhub_http_requests_total {}\n", http->requests.load());
  }
  family("factoryhub_http_write_waited_total", "counter",
         "Write requests that waited for a write slot (max_writes were storing).");
  out += fmt::format("factoryhub_http_write_waited_total {}\n", waited_.load());
  const std::vector<ConnectorStatus> connectors = ConnectorStatusesNow();
  family("factoryhub_connector_up", "gauge", "1 when the connector is connected.");
  for (const auto& c : connectors) {
    out += fmt::format("factoryhub_connector_up{{kind=\"{}\",name=\"{}\"}} {}\n", label(c.kind),
                       label(c.name), c.state == "connected" ? 1 : 0);
  }
  family("factoryhub_connector_messages_total", "counter", "Messages received, by connector.");
  for (const auto& c : connectors) {
    out += fmt::format("factoryhub_connector_messages_total{{kind=\"{}\",name=\"{}\"}} {}\n",
                       label(c.kind), label(c.name), c.messages);
  }
  family("factoryhub_model_alarms_total", "counter",
         "Alarms raised by live scoring (serve --score), by model.");
  for (const auto& c : connectors) {
    if (c.kind != "model") continue;
    out +=
        fmt::format("factoryhub_model_alarms_total{{model=\"{}\"}} {}\n", label(c.name), c.alarms);
  }
  family("factoryhub_connector_failed_polls_total", "counter",
         "Polls that read nothing (no answer from the unit, every register refused), by "
         "connector.");
  for (const auto& c : connectors) {
    if (c.kind != "modbus") continue;
    out += fmt::format("factoryhub_connector_failed_polls_total{{kind=\"{}\",name=\"{}\"}} {}\n",
                       label(c.kind), label(c.name), c.failed_polls);
  }
  family("factoryhub_connector_skipped_values_total", "counter",
         "Values of stored messages that are not finite numbers (text, null, NaN), by "
         "connector.");
  for (const auto& c : connectors) {
    if (c.kind == "model") continue;
    out += fmt::format("factoryhub_connector_skipped_values_total{{kind=\"{}\",name=\"{}\"}} {}\n",
                       label(c.kind), label(c.name), c.skipped);
  }
  family("factoryhub_connector_reconnects_total", "counter", "Reconnections, by connector.");
  for (const auto& c : connectors) {
    out += fmt::format("factoryhub_connector_reconnects_total{{kind=\"{}\",name=\"{}\"}} {}\n",
                       label(c.kind), label(c.name), c.reconnects);
  }
  Result<StorageStats> stats = hub_.storage().Stats();
  if (!stats.ok()) {
    // The counters above still hold; the store's gauges are missing, and the scrape says why.
    out += fmt::format("# storage statistics unavailable: {}\n", label(stats.status().message()));
  } else {
    family("factoryhub_storage_tags", "gauge", "Tags in the store.");
    out += fmt::format("factoryhub_storage_tags {}\n", stats->tags);
    family("factoryhub_storage_samples", "gauge", "Points in the store.");
    out += fmt::format("factoryhub_storage_samples {}\n", stats->samples);
    family("factoryhub_storage_buffered_samples", "gauge",
           "Points not yet in compressed chunks (write log and row buffer).");
    out += fmt::format("factoryhub_storage_buffered_samples {}\n", stats->buffered);
    family("factoryhub_storage_bytes", "gauge", "Bytes of the store's files.");
    out += fmt::format("factoryhub_storage_bytes {}\n", stats->bytes_on_disk);
  }
  res.SetContent(std::move(out), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace fh::api
