#include "api/routes.h"

#include <array>

#include "api/influx_compat.h"
#include "api/write_service.h"

namespace fh::api {
namespace {

// A hub read handler as a route's handler.
template <void (*F)(Hub&, const HttpRequest&, HttpResponse&)>
void OnHub(RouteServices& s, const HttpRequest& q, HttpResponse& r) {
  F(s.hub, q, r);
}

}  // namespace

std::span<const Route> Routes() {
  static constexpr std::array kRoutes = {
      Route{"GET", "/", security::kPublic,
            "the dashboard for browsers (it logs in), this index of endpoints otherwise", "/",
            OnHub<HandleIndex>},
      Route{"GET", "/assets/", security::kPublic, "", "", OnHub<HandleWebAsset>, true},
      Route{"GET", "/healthz", security::kPublic, "liveness check", "/healthz",
            OnHub<HandleHealthz>, true},
      Route{"GET", "/api/v1/openapi.json", security::kPublic,
            "this API described as OpenAPI 3.1: every endpoint's parameters, body, answers and "
            "who may call it",
            "/api/v1/openapi.json", OnHub<HandleOpenApi>},
      Route{"GET", "/api/v1/info", security::kViewer,
            "hub name, schema version and storage statistics", "/api/v1/info", OnHub<HandleInfo>},
      Route{"GET", "/api/v1/equipment", security::kViewerByScope,
            "the plant's ISA-95 tree: each asset with its tags and units, each machine's state "
            "now (since when, and why it stopped)",
            "/api/v1/equipment", OnHub<HandleEquipment>},
      Route{"GET", "/api/v1/equipment/states", security::kViewerByScope,
            "what a machine was doing over a range: its states, clipped to it, with the reason "
            "of each stop: path, from (a day before to), to (now)",
            "/api/v1/equipment/states?path=acme/shanghai/machining/line-1/cnc-01&from=now-8h",
            OnHub<HandleEquipmentStates>},
      Route{"GET", "/api/v1/tags", security::kViewerByScope,
            "every tag with its sample count and time span", "/api/v1/tags", OnHub<HandleTags>},
      Route{"GET", "/api/v1/query", security::kViewerByScope,
            "raw points or bucket aggregates: tag (repeatable, globs allowed), from, to, every, "
            "agg, limit",
            "/api/v1/query?tag=line-1.*&from=now-1h&every=1m&agg=mean,max", OnHub<HandleQuery>},
      Route{"GET", "/api/v1/latest", security::kViewerByScope,
            "the newest point of each tag (tag repeatable, globs allowed)", "/api/v1/latest?tag=*",
            OnHub<HandleLatest>},
      Route{"GET", "/api/v1/latest/stream", security::kViewerByScope,
            "the newest point of each tag live (Server-Sent Events): the newest first, then at "
            "most once a second those that changed; tag (repeatable, globs allowed)",
            "/api/v1/latest/stream?tag=line-1.*", HandleLatestStream},
      Route{"GET", "/api/v1/quality", security::kViewer,
            "data quality of every import by DAMA dimension, per mapping and batch (batches=N)",
            "/api/v1/quality", OnHub<HandleQualityJson>},
      Route{"GET", "/api/v1/mappings", security::kViewer,
            "the mappings the hub's imports used (their latest text is what /api/v1/import and "
            "the quarantine's replays run)",
            "/api/v1/mappings", OnHub<HandleMappings>},
      Route{"POST", "/api/v1/import", security::kEngineer,
            "a file (the body) imported through one of the hub's mappings, or only validated: "
            "mapping, name (the file's, for lineage), dry_run (false)",
            "物料编码,物料名称,物料类型,基本单位\nRM-GREASE,润滑脂,原材料,千克", HandleImport},
      Route{"GET", "/api/v1/quarantine", security::kViewer,
            "the records imports rejected, each with its raw text, file, line and every reason "
            "(personal values masked): status (open; replayed, resolved, dismissed, all), "
            "mapping, batch, limit (100)",
            "/api/v1/quarantine?status=open", OnHub<HandleQuarantineList>},
      Route{"POST", "/api/v1/quarantine/fix", security::kEngineer,
            "a person's fix of one record's values, replayed at once through its mapping as "
            "last stored: {id, fields: {column: value}}",
            R"({"id": 7, "fields": {"name": "O-ring 50 mm"}})", HandleQuarantineFix},
      Route{"POST", "/api/v1/quarantine/replay", security::kEngineer,
            "records replayed through their mapping as last stored (after it or the reference "
            "data changed): {mapping, ids or batch, dry_run}",
            R"({"mapping": "erp-materials", "dry_run": true})", HandleQuarantineReplay},
      Route{"POST", "/api/v1/quarantine/close", security::kEngineer,
            "records closed by hand: {ids, status (resolved, dismissed), reason}",
            R"({"ids": [7], "status": "dismissed", "reason": "a test row"})",
            HandleQuarantineClose},
      Route{"GET", "/quality", security::kViewer,
            "the data-quality report as a page (trend charts, quarantine reasons)", "/quality",
            OnHub<HandleQualityHtml>},
      Route{"GET", "/api/v1/records", security::kViewerByScope,
            "stored records of an entity with their custom attributes, personal values masked: "
            "entity, key, where (NAME OP VALUE, repeatable), limit (100)",
            "/api/v1/records?entity=material&where=standard_cost%3E%3D10", OnHub<HandleRecords>},
      Route{"GET", "/api/v1/lineage", security::kViewer,
            "where a stored record came from: entity, key or id; source system, file, line, "
            "mapping version, batch, its ids elsewhere; entity=sample&key=TAG&at=TIME: the "
            "imports that stored a tag's points then",
            "/api/v1/lineage?entity=material&key=RM-42CRMO4", OnHub<HandleLineage>},
      Route{"GET", "/api/v1/oee", security::kViewerByScope,
            "OEE (ISO 22400-2) of the equipment under path: from, to, by (whole, shift, day, "
            "week, month), level (equipment, line, area, site, enterprise)",
            "/api/v1/oee?by=shift&from=now-1d", OnHub<HandleOee>},
      Route{"GET", "/api/v1/oee/losses", security::kViewerByScope,
            "the loss waterfall and stop reasons by time lost (Pareto), same parameters",
            "/api/v1/oee/losses?from=now-7d", OnHub<HandleOeeLosses>},
      Route{"GET", "/api/v1/plan", security::kViewer,
            "the transformation roadmap of the hub's plan.yaml: measures chosen and scheduled by "
            "quarter (min Σ wᵢ·Cᵢ) with each effect's basis in the data, spend, people, the Pareto "
            "front and weight sensitivity: weights (efficiency=0.4,quality=0.3,...), pareto "
            "(levels, 5; 0: none), sensitivity (true), time_limit (seconds, 5)",
            "/api/v1/plan?pareto=3", OnHub<HandlePlan>},
      Route{"GET", "/api/v1/plan.html", security::kViewer,
            "the same roadmap as a page: Gantt chart, justification, Pareto front; same parameters",
            "/api/v1/plan.html", OnHub<HandlePlanHtml>},
      Route{"GET", "/api/v1/people/matrix", security::kViewerByScope,
            "the skills matrix of each line: its people (names masked) and the qualifications "
            "its equipment requires, each valid, expiring, expired, pending or missing: line, at "
            "(now), within (days; people.yaml, 90), min_per_shift",
            "/api/v1/people/matrix?line=acme/shanghai/machining/line-1", OnHub<HandlePeopleMatrix>},
      Route{"GET", "/api/v1/people/gaps", security::kViewerByScope,
            "skill gaps: per line, required qualification and shift the people qualified against "
            "the minimum (people.yaml), certificates expiring and expired, people on work orders "
            "without a required qualification; same parameters",
            "/api/v1/people/gaps?within=60", OnHub<HandlePeopleGaps>},
      Route{"GET", "/api/v1/trace/backward", security::kViewer,
            "lot genealogy backward: the lots, orders, equipment and inspections behind a lot: "
            "lot, material (when the number is ambiguous), depth, inspections (false)",
            "/api/v1/trace/backward?lot=FG-0042", OnHub<HandleTraceBackward>},
      Route{"GET", "/api/v1/trace/forward", security::kViewer,
            "lot genealogy forward: where a lot went, down to the customers' shipments; same "
            "parameters",
            "/api/v1/trace/forward?lot=BAR-7", OnHub<HandleTraceForward>},
      Route{"GET", "/api/v1/trace/recall", security::kViewer,
            "the customers that received product containing a lot, with quantities and dates: "
            "lot, material, depth, format (json, csv)",
            "/api/v1/trace/recall?lot=BAR-7&format=csv", OnHub<HandleTraceRecall>},
      Route{"GET", "/api/v1/spc/characteristics", security::kViewerByScope,
            "the SPC characteristics of the hub's spc.yaml", "/api/v1/spc/characteristics",
            OnHub<HandleSpcCharacteristics>},
      Route{"GET", "/api/v1/spc/chart", security::kViewerByScope,
            "a control chart with its limits, signals and capability: characteristic (spc.yaml), "
            "or tag (subgroup, baseline) or inspection (equipment, baseline); from, to",
            "/api/v1/spc/chart?characteristic=bore-cnc-01", OnHub<HandleSpcChart>},
      Route{"GET", "/api/v1/spc/events", security::kViewerByScope,
            "what serve's SPC monitor recorded on live data, newest first: characteristic, "
            "from, to, active (true), limit (100)",
            "/api/v1/spc/events?from=now-8h", OnHub<HandleSpcEvents>},
      Route{
          "GET", "/api/v1/alarms", security::kViewerByScope,
          "alarms models raised (predict --alarms, serve --score) with the reasons of each, newest "
          "first: model (a name), equipment (an asset path: its and what is under it), limit (100)",
          "/api/v1/alarms?limit=20", OnHub<HandleAlarms>},
      Route{"GET", "/api/v1/alarms/states", security::kViewerByScope,
            "the alarms of alarms.yaml and their ISA-18.2 states: state, priority, equipment "
            "(a prefix), all (true: the normal ones too)",
            "/api/v1/alarms/states?priority=high", HandleAlarmStates},
      Route{"GET", "/api/v1/alarms/journal", security::kViewerByScope,
            "every alarm event with who and when, newest first: alarm, from, to, limit (100)",
            "/api/v1/alarms/journal?from=now-8h", OnHub<HandleAlarmJournal>},
      Route{"GET", "/api/v1/alarms/report", security::kViewerByScope,
            "the alarm system's performance (EEMUA 191 / ISA-18.2) over the journal: from "
            "(a day before to), to (now), operators (1)",
            "/api/v1/alarms/report?from=now-7d", OnHub<HandleAlarmReport>},
      Route{"GET", "/api/v1/alarms/stream", security::kViewerByScope,
            "alarm changes as they happen (Server-Sent Events): the states first, then each "
            "event; priority, equipment (a prefix), alarm; resumes after Last-Event-ID",
            "/api/v1/alarms/stream?priority=critical", HandleAlarmStream, true},
      Route{"GET", "/api/v1/models", security::kViewer,
            "the model registry: every version with its stage and cross-validated headline "
            "metrics, newest first: name",
            "/api/v1/models", OnHub<HandleModels>},
      Route{"GET", "/api/v1/models/show", security::kViewer,
            "one model in full: features, metrics per fold, importance, ROC and PR curves, "
            "spec: model (NAME: production, else newest; or NAME@VERSION)",
            "/api/v1/models/show?model=ai4i-machine-failure", OnHub<HandleModelShow>},
      Route{"POST", "/api/v1/models/promote", security::kEngineer,
            "a version made the model's production one (the previous is archived): {model}",
            R"({"model": "ai4i-machine-failure@2"})", HandleModelPromote},
      // Reads the model registry and the hub's latest values, writes nothing: a viewer's. Not
      // by scope: a model's inputs may come from equipment outside a scoped principal's part.
      Route{
          "POST", "/api/v1/optimize", security::kViewer,
          "set-points that minimise a model's predicted risk (and weighted terms) within the "
          "controls' bounds, the constraints and the training data: the body is a controls "
          "spec (JSON, or {yaml: text}); model, equipment or row, allow_extrapolation (false)",
          R"({"model": "ai4i-machine-failure", "controls": [{"name": "rotational_speed_rpm", "min": 1300, "max": 2000}, {"name": "torque_Nm", "min": 20, "max": 60}], "constraints": [{"name": "power", "expr": "torque_Nm * rotational_speed_rpm * 2 * pi / 60", "min": 5000}]})",
          OnHub<HandleOptimize>},
      Route{"GET", "/api/v1/users", security::kAdmin,
            "the people who may use the hub: name, role, scope, disabled", "/api/v1/users",
            OnHub<HandleUsers>},
      Route{
          "POST", "/api/v1/users/add", security::kAdmin,
          "a new user: {name, role, scope, password (8 characters or more)}",
          R"({"name": "zhang.min", "role": "viewer", "scope": "acme/shanghai/machining/line-1", "password": "..."})",
          HandleUserAdd},
      Route{"POST", "/api/v1/users/disable", security::kAdmin,
            "a user disabled (their password and tokens stop working) or enabled again: "
            "{name, disabled}",
            R"({"name": "zhang.min", "disabled": true})", HandleUserDisable},
      Route{"GET", "/api/v1/tokens", security::kAdmin,
            "API tokens, newest first, with their state (valid, expired, revoked)",
            "/api/v1/tokens", OnHub<HandleTokens>},
      Route{"POST", "/api/v1/tokens/create", security::kAdmin,
            "a new API token, its secret in the answer this once: {role, scope, user, expires "
            "(90d; a duration or never), description}",
            R"({"role": "operator", "expires": "30d", "description": "line 1 gateway"})",
            HandleTokenCreate},
      Route{"POST", "/api/v1/tokens/revoke", security::kAdmin, "a token revoked: {id}",
            R"({"id": 3})", HandleTokenRevoke},
      Route{"GET", "/api/v1/audit/entries", security::kAdmin,
            "the audit ledger's entries, newest first: action (a prefix, e.g. share.), from (an "
            "entry's number), limit (100)",
            "/api/v1/audit/entries?action=share.", OnHub<HandleAuditEntries>},
      Route{"GET", "/api/v1/audit/verify", security::kAdmin,
            "every hash of the audit ledger recomputed and every signed head checked: ok, the "
            "first bad entry, the problems",
            "/api/v1/audit/verify", OnHub<HandleAuditVerify>},
      Route{"GET", "/api/v1/shares/received", security::kAdmin,
            "what partners shared with this hub, by agreement and entity (what it sent is in "
            "the ledger: /api/v1/audit/entries?action=share.)",
            "/api/v1/shares/received", OnHub<HandleShares>},
      Route{"GET", "/api/v1/audit/head", security::kViewer,
            "the audit ledger's newest signed tree head (RFC 9162, Ed25519): keep it to check "
            "later that nothing before it changed",
            "/api/v1/audit/head", OnHub<HandleAuditHead>},
      Route{"GET", "/api/v1/audit/proof", security::kViewer,
            "an audit entry's inclusion proof in the newest signed tree covering it: entry, "
            "size (a tree of that many entries)",
            "/api/v1/audit/proof?entry=0", OnHub<HandleAuditProof>},
      Route{"POST", "/api/v1/login", security::kPublic,
            "a person's login: {user, password}; sets the session cookie, answers the CSRF "
            "token that requests other than GET must send as X-CSRF-Token",
            R"({"user": "li.wei", "password": "..."})", HandleLogin},
      Route{"GET", "/api/v1/session", security::kViewerByScope,
            "who is logged in, their role, the session's CSRF token and expiry", "/api/v1/session",
            HandleSession},
      Route{"POST", "/api/v1/logout", security::kViewerByScope,
            "ends the session, clears the cookie", "{}", HandleLogout},
      Route{
          "POST", "/api/v1/alarms/act", security::kOperatorByScope,
          "an operator's action on an alarm: {alarm, action (acknowledge, shelve, unshelve, "
          "reset, remove, return, comment), user, comment, for or until (shelve)}",
          R"({"alarm": "oven-high", "action": "acknowledge", "user": "li.wei", "comment": "checking the burner"})",
          HandleAlarmAct},
      Route{
          "POST", "/write", security::kOperatorByScope,
          "InfluxDB 1.x line protocol (db, precision=n|u|ms|s; gzip bodies); 204 once durable",
          "machine,line=2,id=m7 temperature=71.5,speed=1480i 1767225600000000000",
          [](RouteServices& s, const HttpRequest& q, HttpResponse& r) { s.writes.HandleV1(q, r); }},
      Route{
          "POST", "/api/v2/write", security::kOperatorByScope,
          "InfluxDB 2.x line protocol (bucket, precision=ns|us|ms|s)",
          "machine,id=m7 temperature=71.5",
          [](RouteServices& s, const HttpRequest& q, HttpResponse& r) { s.writes.HandleV2(q, r); }},
      Route{"POST", "/api/v1/samples", security::kOperatorByScope,
            "JSON samples: [{tag, ts, value, quality}]; 200 once durable",
            R"({"samples": [{"tag": "line-1.temp", "ts": "2026-03-01T08:00:00Z", "value": 71.5}]})",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.writes.HandleSamples(q, r);
            }},
      Route{"POST", "/api/v1/sync/push", security::kOperator,
            "an edge hub's outbox records (binary, X-Factoryhub-Site), applied once; "
            "its tags stored as <site>/<tag>",
            "", HandleSyncPush},
      Route{"GET", "/api/v1/sync", security::kViewer,
            "forwarding: on an edge its backlog, lag and last error; on a central hub every "
            "site forwarding to it",
            "/api/v1/sync", HandleSyncStatus},
      Route{"GET", "/api/v1/opcua/browse", security::kEngineer,
            "an OPC UA server's nodes under one node, to pick a connector's: endpoint "
            "(opc.tcp://...) or connector (an opcua entry of connectors.yaml), node (the Objects "
            "folder), values (true)",
            "/api/v1/opcua/browse?connector=cnc-07&node=ns%3D1%3Bs%3DMachine",
            OnHub<HandleOpcUaBrowse>},
      Route{"GET", "/api/v1/connectors", security::kViewer,
            "every source writing to the hub, with its counters", "/api/v1/connectors",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.writes.HandleConnectors(q, r);
            }},
      Route{"GET", "/metrics", security::kViewer,
            "Prometheus text: ingest counters and storage gauges", "/metrics",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.writes.HandleMetrics(q, r);
            }},
      // InfluxDB clients' start-up calls and queries (influx_compat.h): not listed.
      Route{"GET", "/ping", security::kPublic, "", "",
            [](RouteServices&, const HttpRequest& q, HttpResponse& r) {
              InfluxCompat::HandlePing(q, r);
            },
            true},
      Route{"GET", "/health", security::kPublic, "", "",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.influx.HandleHealth(q, r);
            },
            true},
      Route{"GET", "/ready", security::kPublic, "", "",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.influx.HandleReady(q, r);
            },
            true},
      Route{"GET", "/query", security::kViewerByScope, "", "",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.influx.HandleQuery(s.hub, q, r);
            }},
      Route{"POST", "/query", security::kViewerByScope, "", "",
            [](RouteServices& s, const HttpRequest& q, HttpResponse& r) {
              s.influx.HandleQuery(s.hub, q, r);
            }},
  };
  return kRoutes;
}

}  // namespace fh::api
