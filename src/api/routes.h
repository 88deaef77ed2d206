// The API's endpoints, in one table (routes.cpp): the server registers every route from it
// and the index page lists it, so that what is served, what is documented and who may call
// it are one entry each. The hub's read handlers are one per file (route_*.cpp); writes and what
// the connectors report are WriteService's; InfluxDB clients' start-up calls are InfluxCompat's.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "api/http_message.h"

#include "security/role.h"
#include "store/hub.h"

namespace fh::sync {
class Forwarder;
}

namespace fh::analytics::alarms {
class AlarmMonitor;
}

namespace fh::api {

class WriteService;
class InfluxCompat;
class AccessControl;
class LiveLatest;

// What a route's handler may use: the server's services.
struct RouteServices {
  Hub& hub;
  WriteService& writes;
  InfluxCompat& influx;
  analytics::alarms::AlarmMonitor* alarms;  // null: serve runs no alarms
  AccessControl* access = nullptr;          // null: no access control (no logins)
  bool tls = false;                         // served over HTTPS (cookies are Secure)
  // The newest point of each tag the stream ingest stored (/api/v1/latest/stream).
  std::shared_ptr<LiveLatest> latest;
  const sync::Forwarder* forwarder = nullptr;  // serve's, on an edge hub; null: none
};

// Handlers are called concurrently from the server's worker threads (or on the event loop,
// see Route::on_event_loop).
using RouteHandler = void (*)(RouteServices& services, const HttpRequest& req, HttpResponse& res);

struct Route {
  std::string_view method;  // GET or POST (a GET route answers HEAD too)
  std::string_view path;    // ending in '/' (not "/" itself): every path under it
  // Who may call it (api/access_control.h): public, or a role at least this high.
  security::Need need;
  std::string_view summary;  // one line for the index; empty: not listed (compatibility)
  std::string_view example;  // a request target (GET) or a body (POST)
  RouteHandler handler;
  // Answered on the event loop: cheap, touches no store, must answer while workers are busy.
  bool on_event_loop = false;
};

// Every endpoint, in the order the index lists them.
std::span<const Route> Routes();

void HandleIndex(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleWebAsset(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleEquipment(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleEquipmentStates(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQuarantineList(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQuarantineFix(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleQuarantineReplay(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleQuarantineClose(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleImport(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleOpcUaBrowse(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleMappings(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleHealthz(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleOpenApi(Hub& hub, const HttpRequest& req, HttpResponse& res);
// Edge to central (docs/sync.md): a central hub applies an edge's outbox records
// (POST /api/v1/sync/push); either says how forwarding stands (GET /api/v1/sync).
void HandleSyncPush(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleSyncStatus(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleTags(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQuery(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleLatest(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleLatestStream(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleInfo(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQualityJson(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQualityHtml(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleAlarms(Hub& hub, const HttpRequest& req, HttpResponse& res);
// The alarm system (route_alarm_system.cpp): alarms.yaml's alarms, their journal and report.
void HandleAlarmStates(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleAlarmJournal(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleAlarmReport(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleAlarmStream(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleAlarmAct(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleRecords(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleLineage(Hub& hub, const HttpRequest& req, HttpResponse& res);
// The model registry (route_models.cpp).
void HandleModels(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleModelShow(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleModelPromote(RouteServices& s, const HttpRequest& req, HttpResponse& res);
// Set-points over a model (route_optimize.cpp).
void HandleOptimize(Hub& hub, const HttpRequest& req, HttpResponse& res);
// Administration (route_admin.cpp): users, tokens, the ledger, sharing.
void HandleUsers(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleUserAdd(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleUserDisable(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleTokens(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleTokenCreate(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleTokenRevoke(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleAuditEntries(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleAuditVerify(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleShares(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleOee(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleOeeLosses(Hub& hub, const HttpRequest& req, HttpResponse& res);
// People and qualifications (route_people.cpp).
void HandlePeopleMatrix(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandlePeopleGaps(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandlePlan(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandlePlanHtml(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleTraceBackward(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleTraceForward(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleTraceRecall(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleSpcChart(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleSpcCharacteristics(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleSpcEvents(Hub& hub, const HttpRequest& req, HttpResponse& res);
// People's sessions in a browser (route_session.cpp).
void HandleLogin(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleSession(RouteServices& s, const HttpRequest& req, HttpResponse& res);
void HandleLogout(RouteServices& s, const HttpRequest& req, HttpResponse& res);
// The audit ledger (route_audit.cpp).
void HandleAuditHead(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleAuditProof(Hub& hub, const HttpRequest& req, HttpResponse& res);

}  // namespace fh::api
