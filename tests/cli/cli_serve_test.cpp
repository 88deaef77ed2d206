// serve and demo: long-running commands that must print where they listen and stop
// cleanly on SIGINT/SIGTERM.
#include <signal.h>

#include <mutex>
#include <set>

#include <thread>

#include <gmock/gmock.h>

#include "cli/cli_fixture.h"
#include "store/catalog/catalog.h"
#include "store/hub.h"
#include "testing/status_matchers.h"

namespace fh::testing {
namespace {

using ::testing::HasSubstr;

// The port in the first "http://localhost:PORT/" of `line`, or -1.
TEST_F(CliTest, ServeAnswersAndStopsOnSigterm) {
  InitHub();
  Ok({"write", "--hub", hub(),
      WriteFile("s.csv", "timestamp,tag,value\n2026-03-01T08:00:00Z,line1.temp,1.5\n")});
  CliProcess serve({"serve", "--hub", hub(), "--port", "0"});
  std::string line = serve.WaitForLine("http://localhost:", 30000);
  ASSERT_NE(line, "") << serve.ReadStderr();
  int port = ServedPort(line);
  ASSERT_GT(port, 0) << line;

  std::string health = HttpGet(port, "/healthz");
  EXPECT_THAT(health, HasSubstr("200 OK"));
  EXPECT_EQ(nlohmann::json::parse(ResponseBody(health)),
            nlohmann::json::parse(R"({"status":"ok"})"));
  std::string latest = HttpGet(port, "/api/v1/latest?tag=line1.temp");
  EXPECT_EQ(nlohmann::json::parse(ResponseBody(latest))["latest"][0]["value"], 1.5);

  EXPECT_EQ(serve.Signal(SIGTERM), 0) << serve.ReadStderr();
  EXPECT_THAT(serve.ReadStderr(), HasSubstr("stopped"));
}

TEST_F(CliTest, ServeOnBusyPortFails) {
  InitHub();
  CliProcess first({"serve", "--hub", hub(), "--port", "0"});
  int port = ServedPort(first.WaitForLine("http://localhost:", 30000));
  ASSERT_GT(port, 0);
  CliResult second = RunCli({"serve", "--hub", hub(), "--port", std::to_string(port)});
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_THAT(second.err, HasSubstr(std::to_string(port)));
  EXPECT_EQ(first.Signal(SIGINT), 0);
}

TEST_F(CliTest, DemoBackfillsServesAndStopsOnSigint) {
  const std::string dir = (tmp_ / "demo").string();
  CliProcess demo({"demo", "--dir", dir, "--port", "0"});
  std::string seen;
  std::string line = demo.WaitForLine("Press Ctrl-C", 120000, &seen);
  ASSERT_NE(line, "") << seen << demo.ReadStderr();
  EXPECT_THAT(seen, HasSubstr("query --hub"));
  EXPECT_THAT(seen, HasSubstr("--every 1m --agg mean,max --from now-1h"));
  int port = ServedPort(seen);
  ASSERT_GT(port, 0) << seen;

  nlohmann::json tags = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/tags")));
  size_t signals = 0;  // besides them, the anomaly detector's scores (model/...)
  for (const auto& t : tags["tags"]) {
    if (t["name"].get<std::string>().rfind("line-1.", 0) != 0) continue;
    ++signals;
    EXPECT_GT(t["samples"].get<int64_t>(), 2000) << t.dump();
  }
  ASSERT_EQ(signals, 24u) << tags.dump();
  nlohmann::json q = nlohmann::json::parse(ResponseBody(
      HttpGet(port,
              "/api/v1/query?tag=line-1.cnc-01.process_temperature&from=now-1h&every=1m"
              "&agg=mean,max")));
  ASSERT_EQ(q["series"].size(), 1u);
  EXPECT_GE(q["series"][0]["buckets"].size(), 59u);

  // Every signal is a plausible, living reading: finite (JSON null is NaN) and changing.
  // (model/... are the anomaly detector's scores.)
  nlohmann::json span = nlohmann::json::parse(ResponseBody(
      HttpGet(port, "/api/v1/query?tag=line-1.*&from=now-5h&every=1d&agg=min,max,count")));
  ASSERT_EQ(span["series"].size(), 24u);
  for (const auto& series : span["series"]) {
    for (const auto& b : series["buckets"]) {
      if (b["count"].get<int64_t>() < 100) continue;  // a sliver before midnight UTC
      ASSERT_TRUE(b["min"].is_number() && b["max"].is_number()) << series.dump();
      EXPECT_LT(b["min"].get<double>(), b["max"].get<double>()) << series["tag"];
      EXPECT_GE(b["min"].get<double>(), 0) << series["tag"];
    }
  }
  // The plant is a live source through the stream ingest, governed by the demo's mapping.
  nlohmann::json sources = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/connectors")));
  ASSERT_EQ(sources["sources"].size(), 1u) << sources.dump();
  EXPECT_EQ(sources["sources"][0]["system"], "simulate");
  EXPECT_GT(sources["sources"][0]["points"].get<int64_t>(), 24 * 2000);
  // A second plant forwards here as an edge hub does: its site and its presses' points
  // arrive from minute one.
  EXPECT_THAT(seen, HasSubstr("sites    suzhou: an edge hub"));
  EXPECT_THAT(seen, HasSubstr("and its records: presses under acme/suzhou/stamping/line-1"));
  nlohmann::json site;
  for (int i = 0; i < 100 && site.is_null(); ++i) {
    const nlohmann::json sync = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/sync")));
    for (const auto& s : sync["sites"])
      if (s["site"].get<std::string>() == "suzhou" && s["points"].get<int64_t>() >= 6 * 900)
        site = s;
    if (site.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(site.is_null()) << ResponseBody(HttpGet(port, "/api/v1/sync"));
  nlohmann::json forwarded = nlohmann::json::parse(
      ResponseBody(HttpGet(port, "/api/v1/latest?tag=suzhou/press-1/temperature")));
  ASSERT_EQ(forwarded["latest"].size(), 1u) << forwarded.dump();
  EXPECT_NEAR(forwarded["latest"][0]["value"].get<double>(), 182, 15);
  // Its records too: a work order per press on the site's equipment, as the edge holds it,
  // and its inspection sheet's batch, one row quarantined at the edge and counted here.
  nlohmann::json order;
  for (int i = 0; i < 100; ++i) {
    order = nlohmann::json::parse(
        ResponseBody(HttpGet(port, "/api/v1/records?entity=work_order&where=number%3DSZ-WO-1")));
    if (order.contains("records") && order["records"].size() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(order["records"].size(), 1u) << order.dump();
  EXPECT_EQ(order["records"][0]["fields"]["equipment"], "acme/suzhou/stamping/line-1/press-1");
  EXPECT_EQ(order["records"][0]["fields"]["status"], "running");
  nlohmann::json sheet;
  for (int i = 0; i < 100; ++i) {
    sheet = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/quality")));
    if (sheet.dump().find("suzhou/suzhou-inspections") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_THAT(sheet.dump(), HasSubstr("suzhou/suzhou-inspections"));
  // The edge's retention rolled up its oldest minutes, and the rollups were forwarded too.
  EXPECT_THAT(seen, HasSubstr("retain   the edge keeps raw points 10 minutes"));
  nlohmann::json rollup;
  for (int i = 0; i < 100; ++i) {
    rollup = nlohmann::json::parse(
        ResponseBody(HttpGet(port, "/api/v1/latest?tag=suzhou/press-1/temperature:mean_1m")));
    if (rollup.contains("latest") && rollup["latest"].size() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(rollup["latest"].size(), 1u) << rollup.dump();
  EXPECT_NEAR(rollup["latest"][0]["value"].get<double>(), 182, 15);
  // Grafana's way in: InfluxQL on /query reads the same signals, a bucket a minute.
  nlohmann::json influxql = nlohmann::json::parse(ResponseBody(HttpGet(
      port,
      "/query?q=SELECT%20mean(value)%20FROM%20%22line-1.cnc-01.power%22%20WHERE%20time%20%3E%20"
      "now()%20-%2015m%20GROUP%20BY%20time(1m)")));
  EXPECT_THAT(seen, HasSubstr("InfluxQL, as Grafana asks"));
  ASSERT_TRUE(influxql["results"][0].contains("series")) << influxql.dump();
  EXPECT_EQ(influxql["results"][0]["series"][0]["name"], "line-1.cnc-01.power");
  EXPECT_GE(influxql["results"][0]["series"][0]["values"].size(), 15u) << influxql.dump();
  // OEE from minute one, per shift of the demo's calendar (oee.yaml): the machines with
  // recorded states and counted orders, availability and performance between 0 and 1.
  nlohmann::json oee = nlohmann::json::parse(
      ResponseBody(HttpGet(port, "/api/v1/oee?by=shift&from=now-4h&level=line")));
  EXPECT_THAT(seen, HasSubstr("oee --hub"));
  // Both plants: line 1's four machines here, and Suzhou's two presses, whose orders and
  // states its edge forwarded (the die change of press 2 is setup time).
  EXPECT_EQ(oee["units"], 6) << oee.dump();
  double suzhou_setup_s = 0;
  for (const auto& row : oee["rows"]) {
    if (row["asset"] == "acme/suzhou/stamping/line-1")
      suzhou_setup_s += row["times"]["setup_s"].get<double>();
  }
  EXPECT_EQ(suzhou_setup_s, 180) << oee.dump();
  ASSERT_GE(oee["rows"].size(), 1u) << oee.dump();
  EXPECT_THAT(oee["rows"][0]["period"].get<std::string>(),
              ::testing::AnyOf(HasSubstr(" early"), HasSubstr(" late"), HasSubstr(" night")));
  for (const char* k : {"availability", "performance", "quality", "oee"}) {
    ASSERT_TRUE(oee["total"][k].is_number()) << k << " " << oee.dump();
    EXPECT_GT(oee["total"][k].get<double>(), 0.3) << k;
    EXPECT_LE(oee["total"][k].get<double>(), 1.0) << k;
  }
  // People from the HR export (docs/people.md): line 1's night shift has nobody for the
  // spindles, certificates expire, and an inspector ran a CNC machine without the certificate.
  nlohmann::json people = nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/people/gaps")));
  EXPECT_THAT(seen, HasSubstr("people gaps --hub"));
  EXPECT_EQ(people["shifts"], nlohmann::json::array({"early", "late", "night"})) << people.dump();
  bool spindle_night = false;
  for (const auto& g : people["gaps"]) {
    spindle_night |= g["line"] == "acme/shanghai/machining/line-1" &&
                     g["qualification"] == "spindle-maintenance" && g["shift"] == "night" &&
                     g["shortfall"] == 1;
  }
  EXPECT_TRUE(spindle_night) << people.dump();
  EXPECT_GE(people["expiring"].size(), 3u);
  EXPECT_EQ(people["expired"].size(), 2u);
  EXPECT_GE(people["unqualified"].size(), 1u);
  // SPC from minute one: the bores of cnc-01 as inspected, on an X-bar and R chart.
  nlohmann::json spc = nlohmann::json::parse(
      ResponseBody(HttpGet(port, "/api/v1/spc/chart?characteristic=bore-cnc-01")));
  EXPECT_EQ(spc["chart"], "xbar-r") << spc.dump();
  EXPECT_EQ(spc["subgroup_size"], 5) << spc.dump();
  EXPECT_GE(spc["subgroups"].get<int>(), 10) << spc.dump();
  EXPECT_LT(spc["xbar"]["lcl"].get<double>(), spc["xbar"]["ucl"].get<double>());
  EXPECT_TRUE(spc["capability"]["cpk"]["value"].is_number()) << spc.dump();  // recorded specs
  EXPECT_EQ(spc["limits_version"], 1) << spc.dump();  // frozen from the history
  // ... and judged live: the monitor caught up on the history after the baselines, and what
  // fired (the torque when a machine stops, the bores as the tools wear) is recorded.
  EXPECT_THAT(seen, HasSubstr("spc events --hub"));
  nlohmann::json spc_events =
      nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/spc/events?limit=1000")));
  ASSERT_GE(spc_events["events"].size(), 1u) << spc_events.dump();
  std::set<std::string> characteristics;
  for (const auto& e : spc_events["events"])
    characteristics.insert(e["characteristic"].get<std::string>());
  EXPECT_TRUE(characteristics.count("torque-cnc-01")) << spc_events.dump();
  bool monitor = false;
  for (const auto& c : sources["connectors"]) {
    if (c["kind"] != "spc") continue;
    monitor = true;
    EXPECT_EQ(c["state"], "monitoring") << c.dump();
    EXPECT_GT(c["points"].get<int64_t>(), 100) << c.dump();  // subgroups judged
  }
  EXPECT_TRUE(monitor) << sources.dump();
  // An anomaly detector trained on the history, judging live rows with faults to find.
  EXPECT_THAT(seen, HasSubstr("anomaly evaluate --hub"));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / "demo-faults.yaml"));
  bool detector = false;
  for (const auto& c : sources["connectors"]) {
    if (c["kind"] != "detector") continue;
    detector = true;
    EXPECT_EQ(c["name"], "line-1-anomaly@1") << c.dump();
  }
  EXPECT_TRUE(detector) << sources.dump();
  // Genealogy from minute one: the first steel bar's shafts reached customers.
  EXPECT_THAT(seen, HasSubstr("trace --hub"));
  nlohmann::json recall =
      nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/trace/recall?lot=BAR-0001")));
  EXPECT_GE(recall["customers"].size(), 1u) << recall.dump();
  EXPECT_THAT(ResponseBody(HttpGet(port, "/metrics")),
              HasSubstr("factoryhub_stream_rule_checks_total{rule=\"range:value\",tags=\"line-1.*."
                        "spindle_speed\"}"));
  // Quarantine from minute one: the ERP export's three broken rows and the HR export's
  // certificate of an unknown person, with their reasons.
  const nlohmann::json quarantined = Json({"quarantine", "list", "--hub", dir, "--json"});
  ASSERT_EQ(quarantined.size(), 4u) << quarantined.dump();
  EXPECT_EQ(quarantined[0]["mapping"], "erp-materials");
  EXPECT_FALSE(quarantined[0]["reasons"].empty());
  EXPECT_EQ(quarantined[3]["mapping"], "hr-certificates");
  // The roadmap from minute one: planned from the plant's own data.
  EXPECT_THAT(seen, HasSubstr("roadmap  "));
  nlohmann::json plan =
      nlohmann::json::parse(ResponseBody(HttpGet(port, "/api/v1/plan?pareto=0&sensitivity=false")));
  EXPECT_EQ(plan["solver"]["status"], "optimal") << plan.dump();
  int chosen = 0, measured = 0;
  for (const nlohmann::json& m : plan["measures"]) {
    chosen += m["chosen"].get<bool>();
    for (const auto& [criterion, effect] : m["effects"].items())
      measured += effect["measured"].get<bool>();
  }
  EXPECT_GE(chosen, 3) << plan.dump();
  EXPECT_GE(measured, 4) << plan.dump();
  // Sharing from minute one: the partner hub beside it holds what the agreement allows.
  EXPECT_THAT(seen, HasSubstr("share received --hub"));
  const nlohmann::json received = Json({"share", "received", "--hub", dir + "/partner-hub"});
  ASSERT_EQ(received.size(), 1u) << received.dump();
  EXPECT_EQ(received[0]["agreement"], "tool-life-study");
  EXPECT_EQ(received[0]["entity"], "inspection");
  EXPECT_GT(received[0]["records"].get<int64_t>(), 20);
  EXPECT_THAT(Ok({"tags", "--hub", dir + "/partner-hub"}).out,
              HasSubstr("partner.tool-life-study.line-1.cnc-01.tool_wear.mean"));
  EXPECT_EQ(demo.Signal(SIGINT), 0) << demo.ReadStderr();
  {
    // Besides signals: machine states with stop reasons, work orders, inspections.
    std::unique_ptr<Hub> h = std::move(Hub::Open(dir)).value();
    CatalogSession session = h->OpenCatalog();
    Catalog& catalog = session.catalog();
    Result<Asset> asset = catalog.FindAsset("acme/shanghai/machining/line-1/cnc-01");
    ASSERT_OK(asset);
    Result<std::vector<EquipmentStateEvent>> events = catalog.ListStateEvents(asset->id);
    ASSERT_OK(events);
    EXPECT_GE(events->size(), 1u);
    Result<std::vector<WorkOrder>> orders = catalog.ListWorkOrders();
    ASSERT_OK(orders);
    EXPECT_GE(orders->size(), 4u * 2);  // four hours of two-hour orders on four machines
    Result<std::vector<Inspection>> inspections = catalog.ListInspections();
    ASSERT_OK(inspections);
    EXPECT_GT(inspections->size(), 20u);
  }

  // Reusing the hub continues where it stopped instead of writing the history again.
  CliProcess again({"demo", "--dir", dir, "--port", "0"});
  std::string seen_again;
  ASSERT_NE(again.WaitForLine("Press Ctrl-C", 120000, &seen_again), "") << again.ReadStderr();
  EXPECT_THAT(seen_again, HasSubstr("reusing hub 'demo'"));
  EXPECT_THAT(seen_again, HasSubstr("kept from an earlier run"));
  EXPECT_EQ(again.Signal(SIGTERM), 0);
}

}  // namespace
}  // namespace fh::testing
