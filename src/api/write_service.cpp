#include "api/write_service.h"

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "ingest/line_protocol.h"

namespace fh::api {

namespace {

// InfluxDB's error bodies: v1 {"error": ...}, v2 {"code": ..., "message": ...}.
void ReplyInflux(httplib::Response& res, bool v2, int status, std::string_view code,
                 const std::string& message) {
  const nlohmann::json body = v2 ? nlohmann::json{{"code", code}, {"message", message}}
                                 : nlohmann::json{{"error", message}};
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

// Releases a write slot however the handler returns.
class Slot {
 public:
  explicit Slot(std::atomic<int>& writing) : writing_(writing) {}
  ~Slot() { writing_.fetch_sub(1); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::atomic<int>& writing_;
};

}  // namespace

WriteService::WriteService(Hub& hub, WriteServiceOptions options)
    : options_(options), ingest_(hub, options.lineage_every) {}

void WriteService::HandleV1(const httplib::Request& req, httplib::Response& res) {
  Handle(Dialect::kV1, req, res);
}

void WriteService::HandleV2(const httplib::Request& req, httplib::Response& res) {
  Handle(Dialect::kV2, req, res);
}

void WriteService::Handle(Dialect dialect, const httplib::Request& req, httplib::Response& res) {
  const bool v2 = dialect == Dialect::kV2;
  if (writing_.fetch_add(1) >= options_.max_writes) {
    writing_.fetch_sub(1);
    busy_.fetch_add(1);
    res.set_header("Retry-After", "1");
    ReplyInflux(res, v2, 429, "too many requests",
                fmt::format("{} writes in progress: retry after 1 s", options_.max_writes));
    return;
  }
  Slot slot(writing_);
  Result<ingest::Precision> precision = ingest::ParsePrecision(req.get_param_value("precision"));
  if (!precision.ok()) {
    ReplyInflux(res, v2, 400, "invalid", precision.status().message());
    return;
  }
  // The source names the endpoint and the database or bucket the client meant.
  const std::string target = req.get_param_value(v2 ? "bucket" : "db");
  const importer::StreamSource source{
      "http",
      fmt::format("{}{}", req.path,
                  target.empty() ? "" : "?" + std::string(v2 ? "bucket=" : "db=") + target)};

  // One parser and batch per worker thread, reused: no allocation per request once warm.
  thread_local ingest::LineProtocolParser parser;
  thread_local SampleBatch batch;
  batch.Clear();
  const ingest::LineProtocolResult parsed = parser.Parse(req.body, *precision, NowNs(), batch);
  std::vector<importer::RejectedRecord> rejected;
  rejected.reserve(parsed.errors.size());
  for (const ingest::LineError& e : parsed.errors)
    rejected.push_back({e.line, e.text, e.message});
  if (Status s = ingest_.Write(source, "line-protocol", batch, rejected); !s.ok()) {
    // Nothing of this request is durable: the client must send it again.
    ReplyInflux(res, v2, s.code() == StatusCode::kUnavailable ? 503 : 500, "internal error",
                "nothing was written: " + s.message());
    return;
  }
  if (parsed.errors.empty()) {
    res.status = 204;
    return;
  }
  std::string lines;
  for (size_t i = 0; i < parsed.errors.size() && i < 10; ++i) {
    lines += fmt::format("{}line {}: {}", i ? "; " : "", parsed.errors[i].line,
                         parsed.errors[i].message);
  }
  if (parsed.errors.size() > 10) lines += fmt::format("; and {} more", parsed.errors.size() - 10);
  const std::string message =
      fmt::format("partial write: {} (dropped={}, quarantined: factoryhub quarantine list)", lines,
                  parsed.errors.size());
  ReplyInflux(res, v2, 400, "invalid", message);
}

}  // namespace fh::api
