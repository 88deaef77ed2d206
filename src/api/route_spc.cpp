// GET /api/v1/spc/chart and /api/v1/spc/characteristics: SPC studies as
// `factoryhub spc chart --json` prints them, of a characteristic of the hub's spc.yaml or of
// a tag or inspection named in the request; GET /api/v1/spc/events: what serve's monitor
// recorded on live data, as `factoryhub spc events --json`. A scoped principal sees the
// characteristics of its part of the plant only: those of a tag it sees, or of inspections
// on equipment under its scope.
#include "analytics/spc/frozen_limits.h"
#include "analytics/spc/spc_config.h"
#include "analytics/spc/spc_json.h"
#include "api/http_reply.h"
#include "api/route_scope.h"
#include "api/routes.h"
#include "common/glob.h"
#include "common/time.h"
#include "store/catalog_session.h"
#include "store/models/spc_event_store.h"

namespace fh::api {
namespace {

using namespace analytics::spc;

Result<SpcConfig> LoadConfig(Hub& hub) {
  return SpcConfig::Load((hub.dir() / kSpcConfigFile).string());
}

// Whether all a study reads is under `scope` ("" = everything): its tag is one the scope
// covers, or the equipment glob of its inspections cannot reach outside it
// ("acme/line-1/*" can, for the scope acme/line-1; "acme/line-1*" and "" cannot).
Result<bool> StudyInScope(Hub& hub, std::string_view scope, const SpcStudyOptions& o) {
  if (scope.empty()) return true;
  if (!o.tag.empty()) {
    Result<std::vector<std::string>> tag = ResolveInScope(hub, scope, {o.tag});
    if (tag.status().code() == StatusCode::kNotFound) return false;
    FH_RETURN_IF_ERROR(tag.status());
    return true;
  }
  std::string_view fixed = o.equipment;
  if (IsGlob(fixed)) {
    const size_t wild = fixed.find_first_of("*?[");
    const size_t slash = fixed.rfind('/', wild);
    fixed = slash == std::string_view::npos ? std::string_view() : fixed.substr(0, slash);
  }
  return !fixed.empty() && security::ScopeCovers(scope, fixed);
}

// The characteristics of the hub's spc.yaml that `scope` sees.
Result<std::vector<const Characteristic*>> CharacteristicsInScope(Hub& hub, std::string_view scope,
                                                                  const SpcConfig& config) {
  std::vector<const Characteristic*> out;
  for (const Characteristic& c : config.characteristics) {
    FH_ASSIGN_OR_RETURN(const bool seen, StudyInScope(hub, scope, c.study));
    if (seen) out.push_back(&c);
  }
  return out;
}

Result<size_t> Count(const HttpRequest& req, const char* name, size_t low, size_t high,
                     std::string* field) {
  const std::string text = req.Param(name);
  char* end = nullptr;
  const long long n = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < static_cast<long long>(low) ||
      n > static_cast<long long>(high)) {
    *field = name;
    return InvalidArgument("{} must be a whole number from {} to {}, not '{}'", name, low, high,
                           text);
  }
  return static_cast<size_t>(n);
}

Result<SpcStudyOptions> Options(Hub& hub, const HttpRequest& req, std::string* field) {
  FH_RETURN_IF_ERROR(CheckParams(req,
                                 {"characteristic", "tag", "inspection", "equipment", "subgroup",
                                  "by", "every", "baseline", "from", "to"},
                                 field));
  SpcStudyOptions o;
  if (req.HasParam("characteristic")) {
    FH_ASSIGN_OR_RETURN(SpcConfig config, LoadConfig(hub));
    const Characteristic* c = config.Find(req.Param("characteristic"));
    bool seen = c != nullptr;
    if (c != nullptr) {
      FH_ASSIGN_OR_RETURN(seen, StudyInScope(hub, req.scope, c->study));
    }
    if (!seen) {  // another part of the plant's answers as one that does not exist
      *field = "characteristic";
      return NotFound("no characteristic '{}' in the hub's {}", req.Param("characteristic"),
                      kSpcConfigFile);
    }
    if (Status s = RefuseAttribute(*c); !s.ok()) {
      *field = "characteristic";
      return s;
    }
    o = c->study;
    FH_ASSIGN_OR_RETURN(o.frozen, LatestLimits(hub, c->name));
  } else {
    o.tag = req.Param("tag");
    o.inspection = req.Param("inspection");
    o.equipment = req.Param("equipment");
    if (o.tag.empty() == o.inspection.empty()) {
      *field = "tag";
      return InvalidArgument("name one of characteristic, tag or inspection");
    }
    if (req.HasParam("subgroup")) {
      FH_ASSIGN_OR_RETURN(size_t n, Count(req, "subgroup", 1, 1000, field));
      o.subgroup_size = static_cast<int>(n);
    }
    if (req.HasParam("by")) {
      Result<GroupBy> by = ParseGroupBy(req.Param("by"));
      if (!by.ok()) {
        *field = "by";
        return InvalidArgument("by: {}", by.status().message());
      }
      o.group_by = *by;
    }
    if (req.HasParam("every")) {
      Result<int64_t> every = ParseDuration(req.Param("every"));
      if (!every.ok() || *every <= 0) {
        *field = "every";
        return InvalidArgument("every: '{}' is not a duration (1h, 15m)", req.Param("every"));
      }
      o.every_ns = *every;
    }
    if (req.HasParam("baseline")) {
      FH_ASSIGN_OR_RETURN(o.baseline, Count(req, "baseline", 2, 1000000, field));
    }
  }
  if (!req.HasParam("characteristic")) {
    FH_ASSIGN_OR_RETURN(const bool seen, StudyInScope(hub, req.scope, o));
    if (!seen && !o.tag.empty()) {
      *field = "tag";
      return NotFound("unknown tag '{}'", o.tag);
    }
    if (!seen) {
      *field = "equipment";
      return PermissionDenied("equipment: {} is limited to {}: name equipment under it ('{}/*')",
                              req.user, req.scope, req.scope);
    }
  }
  const TimestampNs now = NowNs();
  for (auto [name, out] : {std::pair{"from", &o.range.from}, std::pair{"to", &o.range.to}}) {
    if (Status s = TimeParam(req, name, now, *out); !s.ok()) {
      *field = name;
      return s;
    }
  }
  return o;
}

}  // namespace

void HandleSpcChart(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  Result<SpcStudyOptions> options = Options(hub, req, &field);
  if (!options.ok()) return ReplyError(res, options.status(), field);
  Result<SpcStudy> study = RunSpcStudy(hub, *options);
  if (!study.ok()) return ReplyError(res, study.status(), "");
  nlohmann::ordered_json subject =
      req.HasParam("characteristic")
          ? nlohmann::ordered_json{{"characteristic", req.Param("characteristic")}}
      : req.HasParam("tag") ? nlohmann::ordered_json{{"tag", req.Param("tag")}}
                            : nlohmann::ordered_json{{"inspection", req.Param("inspection")}};
  nlohmann::ordered_json doc = SpcChartJson(*study, std::move(subject));
  doc["limits_version"] =
      options->frozen ? nlohmann::ordered_json(options->frozen->version) : nlohmann::ordered_json();
  doc["values"] = study->values;
  doc["left_out"] = study->left_out;
  ReplyJson(res, doc);
}

void HandleSpcCharacteristics(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<SpcConfig> config = LoadConfig(hub);
  if (!config.ok()) return ReplyError(res, config.status(), "");
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  Result<std::vector<const Characteristic*>> seen = CharacteristicsInScope(hub, req.scope, *config);
  if (!seen.ok()) return ReplyError(res, seen.status(), "");
  auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json();
  };
  for (const Characteristic* seen_one : *seen) {
    const Characteristic& c = *seen_one;
    const SpcStudyOptions& s = c.study;
    nlohmann::ordered_json item = {{"name", c.name}};
    if (!s.tag.empty()) {
      item["tag"] = s.tag;
    } else {
      item["inspection"] = s.inspection;
      item["equipment"] = s.equipment;
    }
    item["subgroup"] = s.subgroup_size;
    item["by"] = s.group_by == GroupBy::kDefault ? (s.tag.empty() ? "recorded" : "count")
                                                 : std::string(GroupByName(s.group_by));
    item["every"] = s.every_ns > 0 ? nlohmann::ordered_json(FormatDuration(s.every_ns))
                                   : nlohmann::ordered_json();
    item["chart"] = c.attribute ? AttributeChartName(*c.attribute) : ChartKindName(s.chart);
    item["baseline"] = s.baseline;
    item["lsl"] = opt(s.spec.lower);
    item["usl"] = opt(s.spec.upper);
    item["target"] = opt(s.spec.target);
    item["rules"] = s.rules == RuleSet::kWesternElectric ? "we" : "nelson";
    item["ewma"] =
        c.ewma ? nlohmann::ordered_json{{"lambda", c.ewma->lambda}, {"width", c.ewma->width}}
               : nlohmann::ordered_json();
    item["cusum"] = c.cusum ? nlohmann::ordered_json{{"k", c.cusum->k}, {"h", c.cusum->h}}
                            : nlohmann::ordered_json();
    list.push_back(item);
  }
  ReplyJson(res, {{"characteristics", list}});
}

void HandleSpcEvents(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"characteristic", "from", "to", "active", "limit"}, &field);
      !s.ok()) {
    return ReplyError(res, s, field);
  }
  SpcEventFilter filter;
  filter.characteristic = req.Param("characteristic");
  const TimestampNs now = NowNs();
  for (auto [name, out] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
    if (Status s = TimeParam(req, name, now, *out); !s.ok()) return ReplyError(res, s, name);
  }
  if (req.HasParam("active")) {
    const std::string a = req.Param("active");
    if (a != "true" && a != "false") {
      return ReplyError(res, InvalidArgument("active must be true or false, not '{}'", a),
                        "active");
    }
    filter.active_only = a == "true";
  }
  if (req.HasParam("limit")) {
    Result<size_t> n = Count(req, "limit", 1, 100000, &field);
    if (!n.ok()) return ReplyError(res, n.status(), field);
    filter.limit = static_cast<int64_t>(*n);
  }
  if (!req.scope.empty()) {  // the events of the characteristics the scope sees
    Result<SpcConfig> config = LoadConfig(hub);
    if (!config.ok()) return ReplyError(res, config.status(), "");
    Result<std::vector<const Characteristic*>> seen =
        CharacteristicsInScope(hub, req.scope, *config);
    if (!seen.ok()) return ReplyError(res, seen.status(), "");
    filter.among.emplace();
    for (const Characteristic* c : *seen)
      filter.among->push_back(c->name);
  }
  Result<std::vector<StoredSpcEvent>> events = [&] {
    EventSession session = hub.OpenEvents();
    return session.spc_events().List(filter);
  }();
  if (!events.ok()) return ReplyError(res, events.status(), "");
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const StoredSpcEvent& e : *events)
    list.push_back(SpcEventJson(e));
  ReplyJson(res, {{"events", list}});
}

}  // namespace fh::api
