// The API's endpoints: one handler per file (route_*.cpp), one table (routes.cpp) that the
// server registers and the index page lists.
#pragma once

#include <span>
#include <string_view>

#include "api/http_message.h"

#include "store/hub.h"

namespace fh::api {

// Handlers are called concurrently from the server's worker threads.
using RouteHandler = void (*)(Hub& hub, const HttpRequest& req, HttpResponse& res);

struct Route {
  std::string_view path;     // GET path
  std::string_view summary;  // one line for the index
  std::string_view example;  // an example request (path and query)
  RouteHandler handler;
};

// Every GET endpoint, in the order the index lists them.
std::span<const Route> Routes();

// The endpoints of the ingest service (WriteService serves them: writes, and what the
// connectors report), for the index.
struct ServiceRoute {
  std::string_view method;  // GET or POST
  std::string_view path;
  std::string_view summary;
  std::string_view example;  // a body (POST) or a target (GET)
};
std::span<const ServiceRoute> ServiceRoutes();

void HandleIndex(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleHealthz(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleTags(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQuery(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleLatest(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleInfo(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQualityJson(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleQualityHtml(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleAlarms(Hub& hub, const HttpRequest& req, HttpResponse& res);
void HandleRecords(Hub& hub, const HttpRequest& req, HttpResponse& res);

}  // namespace fh::api
