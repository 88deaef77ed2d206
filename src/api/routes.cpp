#include "api/routes.h"

#include <array>

namespace fh::api {

std::span<const Route> Routes() {
  static constexpr std::array<Route, 10> kRoutes = {{
      {"/", "this index (HTML for browsers, JSON otherwise)", "/", HandleIndex},
      {"/healthz", "liveness check", "/healthz", HandleHealthz},
      {"/api/v1/info", "hub name, schema version and storage statistics", "/api/v1/info",
       HandleInfo},
      {"/api/v1/tags", "every tag with its sample count and time span", "/api/v1/tags", HandleTags},
      {"/api/v1/query",
       "raw points or bucket aggregates: tag (repeatable, globs allowed), from, to, every, agg, "
       "limit",
       "/api/v1/query?tag=line-1.*&from=now-1h&every=1m&agg=mean,max", HandleQuery},
      {"/api/v1/latest", "the newest point of each tag (tag repeatable, globs allowed)",
       "/api/v1/latest?tag=*", HandleLatest},
      {"/api/v1/quality",
       "data quality of every import by DAMA dimension, per mapping and batch (batches=N)",
       "/api/v1/quality", HandleQualityJson},
      {"/quality", "the data-quality report as a page (trend charts, quarantine reasons)",
       "/quality", HandleQualityHtml},
      {"/api/v1/records",
       "stored records of an entity with their custom attributes, personal values masked: "
       "entity, key, where (NAME OP VALUE, repeatable), limit (100)",
       "/api/v1/records?entity=material&where=standard_cost%3E%3D10", HandleRecords},
      {"/api/v1/alarms",
       "alarms models raised (predict --alarms, serve --score), newest first: limit (100)",
       "/api/v1/alarms?limit=20", HandleAlarms},
  }};
  return kRoutes;
}

std::span<const ServiceRoute> ServiceRoutes() {
  static constexpr std::array<ServiceRoute, 5> kRoutes = {{
      {"POST", "/write",
       "InfluxDB 1.x line protocol (db, precision=n|u|ms|s; gzip bodies); 204 once durable",
       "machine,line=2,id=m7 temperature=71.5,speed=1480i 1767225600000000000"},
      {"POST", "/api/v2/write", "InfluxDB 2.x line protocol (bucket, precision=ns|us|ms|s)",
       "machine,id=m7 temperature=71.5"},
      {"POST", "/api/v1/samples", "JSON samples: [{tag, ts, value, quality}]; 200 once durable",
       R"({"samples": [{"tag": "line-1.temp", "ts": "2026-03-01T08:00:00Z", "value": 71.5}]})"},
      {"GET", "/api/v1/connectors", "every source writing to the hub, with its counters",
       "/api/v1/connectors"},
      {"GET", "/metrics", "Prometheus text: ingest counters and storage gauges", "/metrics"},
  }};
  return kRoutes;
}

}  // namespace fh::api
