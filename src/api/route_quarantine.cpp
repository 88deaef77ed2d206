// The quarantine over HTTP (docs/api.md), for the dashboard's data pages: the records imports
// rejected, each with its raw text, file and line and every reason (GET
// /api/v1/quarantine); a person's fix of one record's values, replayed at once through its
// mapping as last used (POST /api/v1/quarantine/fix); a replay of many after the mapping or
// the reference data changed (POST /api/v1/quarantine/replay); closing records by hand,
// saying why (POST /api/v1/quarantine/close). Every change is in the audit ledger.
#include <algorithm>
#include <charconv>

#include "api/governance_json.h"
#include "api/http_reply.h"
#include "api/routes.h"
#include "api/stored_mapping.h"
#include "common/time.h"
#include "govern/mapping.h"
#include "pipeline/import_job.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/governance/governance_store.h"

namespace fh::api {
namespace {

// The ids of `body[key]`: whole numbers.
Result<std::vector<int64_t>> Ids(const nlohmann::json& body, const char* key) {
  std::vector<int64_t> ids;
  if (!body.contains(key)) return ids;
  if (!body[key].is_array()) return InvalidArgument("{} must be a list of record ids", key);
  for (const nlohmann::json& id : body[key]) {
    if (!id.is_number_integer()) return InvalidArgument("{} must be a list of record ids", key);
    ids.push_back(id.get<int64_t>());
  }
  return ids;
}

}  // namespace

void HandleQuarantineList(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"status", "mapping", "batch", "limit"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  QuarantineFilter filter;
  filter.status = req.HasParam("status") ? req.Param("status") : "open";
  if (filter.status == "all") filter.status.clear();
  if (!filter.status.empty() && filter.status != "open" && filter.status != "replayed" &&
      filter.status != "resolved" && filter.status != "dismissed") {
    return ReplyError(
        res,
        InvalidArgument("status: open, replayed, resolved, dismissed or all, not '{}'",
                        filter.status),
        "status");
  }
  filter.mapping_name = req.Param("mapping");
  if (req.HasParam("batch")) {
    const std::string text = req.Param("batch");
    int64_t batch = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), batch);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return ReplyError(res, InvalidArgument("batch: an import batch's id, not '{}'", text),
                        "batch");
    }
    filter.batch_id = batch;
  }
  const Result<int64_t> limit = LimitParam(req, 100, 10000);
  if (!limit.ok()) return ReplyError(res, limit.status(), "limit");
  filter.limit = *limit;
  Result<nlohmann::ordered_json> answer = [&]() -> Result<nlohmann::ordered_json> {
    CatalogSession session = hub.OpenCatalog();
    GovernanceStore& gov = session.governance();
    FH_ASSIGN_OR_RETURN(std::vector<QuarantinedRecord> records, gov.ListQuarantine(filter));
    FH_ASSIGN_OR_RETURN(const int64_t total, gov.CountQuarantine(filter));
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    int64_t masked = 0;
    for (QuarantinedRecord& q : records) {
      masked += MaskPersonalColumns(q);  // personal values never leave through the API
      list.push_back(QuarantinedRecordJson(q));
    }
    return nlohmann::ordered_json{{"total", total}, {"masked", masked}, {"records", list}};
  }();
  if (!answer.ok()) return ReplyError(res, answer.status());
  ReplyJson(res, *answer);
}

void HandleQuarantineFix(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status(), "body");
  if (!body->contains("id") || !(*body)["id"].is_number_integer()) {
    return ReplyError(res, InvalidArgument("id: the quarantined record's id"), "id");
  }
  const int64_t id = (*body)["id"].get<int64_t>();
  std::vector<std::pair<std::string, std::optional<std::string>>> values;
  if (!body->contains("fields") || !(*body)["fields"].is_object()) {
    return ReplyError(res, InvalidArgument("fields: {{column: new value (text or null)}}"),
                      "fields");
  }
  for (const auto& [column, value] : (*body)["fields"].items()) {
    if (!value.is_string() && !value.is_null()) {
      return ReplyError(res, InvalidArgument("fields.{}: a text or null", column), "fields");
    }
    values.emplace_back(column, value.is_null()
                                    ? std::nullopt
                                    : std::optional<std::string>(value.get<std::string>()));
  }
  Result<QuarantinedRecord> corrected = [&]() -> Result<QuarantinedRecord> {
    CatalogSession session = s.hub.OpenCatalog();
    return session.governance().CorrectQuarantined(id, values);
  }();
  if (!corrected.ok()) return ReplyError(res, corrected.status(), "id");
  Result<govern::Mapping> mapping = LastStoredMapping(s.hub, corrected->mapping_name);
  if (!mapping.ok()) return ReplyError(res, mapping.status(), "id");
  pipeline::ReplayOptions options;
  options.ids = {id};
  Result<pipeline::ImportReport> report = pipeline::ReplayQuarantine(s.hub, *mapping, options);
  if (!report.ok()) return ReplyError(res, report.status());
  nlohmann::json changed = nlohmann::json::object();
  for (const auto& [column, value] : values) {
    const bool personal =
        std::find(corrected->personal_columns.begin(), corrected->personal_columns.end(), column) !=
        corrected->personal_columns.end();
    changed[column] = !value ? nlohmann::json() : nlohmann::json(personal ? "(personal)" : *value);
  }
  if (Status audited = RecordAudit(s.hub, {Actor(req),
                                           "quarantine.fix",
                                           std::to_string(id),
                                           {{"fields", changed},
                                            {"mapping", report->mapping},
                                            {"stored", report->accepted > 0},
                                            {"batch", report->batch_id.value_or(0)}}});
      !audited.ok()) {
    return ReplyError(res,
                      audited.WithContext("fixed, but recording it in the audit ledger failed"));
  }
  Result<QuarantinedRecord> after = [&] {
    CatalogSession session = s.hub.OpenCatalog();
    return session.governance().GetQuarantined(id);
  }();
  if (!after.ok()) return ReplyError(res, after.status());
  MaskPersonalColumns(*after);
  ReplyJson(res, {{"stored", report->accepted > 0},
                  {"record", QuarantinedRecordJson(*after)},
                  {"report", ImportReportJson(*report)}});
}

void HandleQuarantineReplay(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status(), "body");
  const std::string name = body->value("mapping", std::string());
  if (name.empty()) {
    return ReplyError(res, InvalidArgument("mapping: the name of the mapping to replay through"),
                      "mapping");
  }
  pipeline::ReplayOptions options;
  Result<std::vector<int64_t>> ids = Ids(*body, "ids");
  if (!ids.ok()) return ReplyError(res, ids.status(), "ids");
  options.ids = std::move(*ids);
  if (body->contains("batch")) {
    if (!(*body)["batch"].is_number_integer()) {
      return ReplyError(res, InvalidArgument("batch: an import batch's id"), "batch");
    }
    options.batch_id = (*body)["batch"].get<int64_t>();
  }
  options.dry_run = body->value("dry_run", false);
  Result<govern::Mapping> mapping = LastStoredMapping(s.hub, name);
  if (!mapping.ok()) return ReplyError(res, mapping.status(), "mapping");
  Result<pipeline::ImportReport> report = pipeline::ReplayQuarantine(s.hub, *mapping, options);
  if (!report.ok()) return ReplyError(res, report.status());
  if (!options.dry_run) {
    if (Status audited = RecordAudit(s.hub, {Actor(req),
                                             "quarantine.replay",
                                             report->mapping,
                                             {{"accepted", report->accepted},
                                              {"quarantined", report->quarantined},
                                              {"batch", report->batch_id.value_or(0)}}});
        !audited.ok()) {
      return ReplyError(res, audited);
    }
  }
  ReplyJson(res, ImportReportJson(*report));
}

void HandleQuarantineClose(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  Result<nlohmann::json> body = JsonBody(req);
  if (!body.ok()) return ReplyError(res, body.status(), "body");
  Result<std::vector<int64_t>> ids = Ids(*body, "ids");
  if (!ids.ok()) return ReplyError(res, ids.status(), "ids");
  if (ids->empty()) return ReplyError(res, InvalidArgument("ids: at least one"), "ids");
  const std::string status = body->value("status", std::string());
  const std::string reason = body->value("reason", std::string());
  Status closed = [&] {
    CatalogSession session = s.hub.OpenCatalog();
    return session.governance().CloseQuarantined(*ids, status, reason, NowNs());
  }();
  if (!closed.ok()) return ReplyError(res, closed, reason.empty() ? "reason" : "status");
  if (Status audited =
          RecordAudit(s.hub, {Actor(req),
                              status == "resolved" ? "quarantine.resolve" : "quarantine.dismiss",
                              fmt::format("{} records", ids->size()),
                              {{"ids", *ids}, {"reason", reason}}});
      !audited.ok()) {
    return ReplyError(res, audited);
  }
  ReplyJson(res, {{"status", status}, {"ids", *ids}, {"reason", reason}});
}

}  // namespace fh::api
