// GET /, GET /healthz and GET /api/v1/openapi.json.
#include <filesystem>
#include <string>

#include "analytics/oee/oee_config.h"
#include "api/http_reply.h"
#include "api/openapi.h"
#include "api/routes.h"
#include "api/web_assets.h"
#include "common/html_escape.h"

namespace fh::api {

void HandleHealthz(Hub&, const HttpRequest&, HttpResponse& res) {
  ReplyJson(res, {{"status", "ok"}});
}

void HandleOpenApi(Hub&, const HttpRequest&, HttpResponse& res) {
  const Result<nlohmann::ordered_json>& doc = OpenApiDocument();
  if (!doc.ok()) return ReplyError(res, doc.status());
  ReplyJson(res, *doc);
}

void HandleIndex(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  const bool html = req.Header("Accept").find("text/html") != std::string::npos;
  if (html) {  // a browser: the dashboard, which asks who is there
    if (const WebAsset* page = FindWebAsset("/index.html")) return ReplyWebAsset(*page, req, res);
  }
  if (!html) {
    nlohmann::ordered_json endpoints = nlohmann::ordered_json::array();
    for (const Route& r : Routes()) {
      if (r.summary.empty()) continue;
      endpoints.push_back(
          {{"path", std::string(r.path)},
           {"method", std::string(r.method)},
           {"summary", std::string(r.summary)},
           {"needs", security::NeedName(r.need)},
           {"by_scope", r.need.by_scope},
           {r.method == "POST" ? "example_body" : "example", std::string(r.example)}});
    }
    nlohmann::ordered_json index = {{"name", hub.config().name}};
    // The plant's time zone (its shift calendar's, oee.yaml), in which the dashboard shows
    // times: a shift that starts at 06:00 in Shanghai reads 06:00 in any browser.
    const std::filesystem::path oee = hub.dir() / analytics::oee::kOeeConfigFile;
    std::error_code ec;
    if (std::filesystem::exists(oee, ec)) {
      if (Result<analytics::oee::OeeConfig> c = analytics::oee::OeeConfig::Load(oee.string());
          c.ok()) {
        index["time_zone"] = c->defaults.time_zone;
      }
    }
    index["endpoints"] = std::move(endpoints);
    ReplyJson(res, index);
    return;
  }
  std::string name = HtmlEscape(hub.config().name);
  std::string body =
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>factoryhub: " + name +
      "</title>\n<style>body{font-family:sans-serif;max-width:52em;margin:2em auto}"
      "code{background:#f3f3f3;padding:0 .2em}td{padding:.2em .8em .2em 0}</style></head>\n"
      "<body><h1>factoryhub: " +
      name +
      "</h1>\n<p>This program was built without its dashboard (make builds it: web/). The HTTP "
      "API answers here (and who may call each endpoint):</p>\n<table>\n";
  for (const Route& r : Routes()) {
    if (r.summary.empty()) continue;
    const std::string what =
        "<code>" + std::string(r.method) + " " + HtmlEscape(r.path) + "</code>";
    const std::string who = "</td><td>" + security::NeedName(r.need) + "</td><td>";
    body += r.method == "GET" ? "<tr><td><a href=\"" + HtmlEscape(r.example) + "\">" + what +
                                    "</a>" + who + HtmlEscape(r.summary) + "</td></tr>\n"
                              : "<tr><td>" + what + who + HtmlEscape(r.summary) + "<br><code>" +
                                    HtmlEscape(r.example) + "</code></td></tr>\n";
  }
  body += "</table>\n</body></html>\n";
  res.SetContent(std::move(body), "text/html; charset=utf-8");
}

}  // namespace fh::api
