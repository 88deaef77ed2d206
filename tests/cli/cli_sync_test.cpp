// Edge to central, end to end with the real binary (docs/sync.md): an edge hub written to
// over line protocol forwards to a central hub; the link is cut (the central hub stopped),
// the edge killed with SIGKILL and restarted while it is cut, the central hub started
// again; then the central hub holds every point the edge acknowledged, once.
#include <signal.h>

#include <chrono>
#include <thread>

#include <httplib.h>

#include "cli/cli_fixture.h"
#include "testing/mqtt_peers.h"
#include "testing/source_dir.h"

namespace fh::testing {
namespace {

using namespace std::chrono_literals;

class CliSyncTest : public CliTest {
 protected:
  std::string central() const { return (tmp_ / "central").string(); }
  std::string edge() const { return (tmp_ / "edge").string(); }

  std::unique_ptr<CliProcess> Serve(const std::string& hub, int port,
                                    const CliRunOptions& options = {}) {
    auto p = std::make_unique<CliProcess>(
        std::vector<std::string>{"serve", "--hub", hub, "--port", std::to_string(port)}, options);
    EXPECT_FALSE(p->WaitForLine("Press Ctrl-C", 20000).empty()) << p->ReadStderr();
    return p;
  }
  nlohmann::json SyncStatus(int port, const std::string& token = "") {
    httplib::Client c("127.0.0.1", port);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    auto res = c.Get("/api/v1/sync", h);
    if (!res || res->status != 200) return nullptr;
    return nlohmann::json::parse(res->body, nullptr, false);
  }
};

TEST_F(CliSyncTest, AnEdgeForwardsThroughACutLinkAndRestartsWithoutLossOrDuplicates) {
  const int central_port = FreeLoopbackPort();
  const int edge_port = FreeLoopbackPort();
  Ok({"init", central(), "--name", "group"});
  const std::string token =
      Ok({"token", "create", "--hub", central(), "--role", "operator", "--description", "edge"})
          .out;
  ASSERT_FALSE(token.empty());
  const std::string token_value = token.substr(0, token.find_first_of("\r\n"));
  Ok({"init", edge(), "--name", "shanghai"});
  {
    std::ofstream config(edge() + "/factoryhub.yaml", std::ios::app);
    // Small requests: the backlog drains in many pushes, each telling how much is left.
    config << "sync:\n  central: http://127.0.0.1:" << central_port << "\n  batch_points: 1000\n";
  }
  CliRunOptions edge_env;
  edge_env.env["FH_SYNC_TOKEN"] = token_value;

  auto central_serve = Serve(central(), central_port);
  auto edge_serve = Serve(edge(), edge_port, edge_env);

  // 60 batches of 10 tags x 100 points, each point at its own time: 60,000 points.
  constexpr int kBatches = 60, kTags = 10, kPerTag = 100;
  auto write_batch = [&](int b) {
    std::string body;
    for (int t = 0; t < kTags; ++t) {
      for (int i = 0; i < kPerTag; ++i) {
        const int64_t ts = 1'767'225'600'000'000'000 + (int64_t{b} * kPerTag + i) * 1'000'000'000;
        body += "press,id=" + std::to_string(t) + " force=" + std::to_string(b * 1000 + i) + " " +
                std::to_string(ts) + "\n";
      }
    }
    httplib::Client c("127.0.0.1", edge_port);
    auto res = c.Post("/write", body, "text/plain");
    ASSERT_TRUE(res) << "batch " << b;
    ASSERT_EQ(res->status, 204) << res->body;
  };
  for (int b = 0; b < 20; ++b)
    write_batch(b);

  // The link is cut: what the edge acknowledges waits in its outbox.
  EXPECT_EQ(central_serve->Signal(SIGTERM), 0);
  for (int b = 20; b < 40; ++b)
    write_batch(b);
  nlohmann::json status;
  for (int i = 0; i < 100; ++i) {
    status = SyncStatus(edge_port);
    if (status.is_object() && status["edge"]["backlog"]["points"].get<int64_t>() > 0 &&
        !status["edge"]["forwarder"]["last_error"].is_null()) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(status.is_object());
  EXPECT_GT(status["edge"]["backlog"]["points"].get<int64_t>(), 0) << status.dump();
  EXPECT_NE(status["edge"]["forwarder"]["last_error"].get<std::string>().find("central hub"),
            std::string::npos)
      << status.dump();

  // The edge is killed outright and started again, still cut off: its outbox is on disk.
  EXPECT_EQ(edge_serve->Signal(SIGKILL), 128 + SIGKILL);
  edge_serve = Serve(edge(), edge_port, edge_env);
  // Meanwhile the plant's exports are imported at the edge, by another process: their records
  // (orders, states, inspections, lots ...) wait too.
  const auto plant = SourceDir() / "examples/plant-a";
  for (const auto& [mapping, file] : std::vector<std::pair<std::string, std::string>>{
           {"mes-equipment", "mes/equipment.csv"},
           {"erp-materials", "erp/materials.csv"},
           {"mes-material-xref", "mes/material_xref.csv"},
           {"mes-reason-codes", "mes/reason_codes.csv"},
           {"mes-work-orders", "mes/work_orders.csv"},
           {"mes-downtime", "mes/downtime_events.csv"},
           {"mes-inspections", "mes/inspections.csv"},
           {"mes-lots", "mes/lots.csv"}}) {
    Ok({"import", "--hub", edge(), "--mapping", (plant / "mappings" / (mapping + ".yaml")).string(),
        (plant / file).string()});
  }
  for (int b = 40; b < kBatches; ++b)
    write_batch(b);
  CliResult cut = Ok({"sync", "status", "--hub", edge(), "--json"});
  EXPECT_GT(nlohmann::json::parse(cut.out)["edge"]["backlog"]["points"].get<int64_t>(), 0);

  // The link is back: the backlog drains, and the central hub sees it drain (what each push
  // says is left).
  central_serve = Serve(central(), central_port);
  int64_t seen_from_central = 0;
  for (int i = 0; i < 3000; ++i) {
    status = SyncStatus(edge_port);
    const nlohmann::json there = SyncStatus(central_port, token_value);
    if (there.is_object() && there["sites"].size() == 1) {
      seen_from_central =
          std::max(seen_from_central, there["sites"][0]["backlog"]["points"].get<int64_t>());
    }
    if (status.is_object() && status["edge"]["backlog"]["points"].get<int64_t>() == 0) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GT(seen_from_central, 0);
  for (int i = 0; i < 300; ++i) {
    status = SyncStatus(edge_port);
    if (status.is_object() && status["edge"]["backlog"]["records"].get<int64_t>() == 0 &&
        status["edge"]["backlog"]["changed_rows"].get<int64_t>() == 0) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(status["edge"]["backlog"]["points"].get<int64_t>(), 0) << status.dump();
  ASSERT_EQ(status["edge"]["backlog"]["records"].get<int64_t>(), 0) << status.dump();
  EXPECT_EQ(status["edge"]["dropped"]["points"].get<int64_t>(), 0);

  // Every point, once, with its value.
  nlohmann::json central_status = SyncStatus(central_port, token_value);
  ASSERT_TRUE(central_status.is_object());
  ASSERT_EQ(central_status["sites"].size(), 1u);
  EXPECT_EQ(central_status["sites"][0]["site"], "shanghai");
  EXPECT_EQ(central_status["sites"][0]["points"].get<int64_t>(), kBatches * kTags * kPerTag);
  nlohmann::json agg =
      Json({"query", "--hub", central(), "--tag", "shanghai/*", "--agg", "count,sum,min,max"});
  ASSERT_EQ(agg["series"].size(), static_cast<size_t>(kTags)) << agg.dump();
  double expected_sum = 0;
  for (int b = 0; b < kBatches; ++b) {
    for (int i = 0; i < kPerTag; ++i)
      expected_sum += b * 1000 + i;
  }
  for (const auto& s : agg["series"]) {
    ASSERT_EQ(s["buckets"].size(), 1u);
    EXPECT_EQ(s["buckets"][0]["count"].get<int64_t>(), kBatches * kPerTag) << s["tag"];
    EXPECT_EQ(s["buckets"][0]["sum"].get<double>(), expected_sum) << s["tag"];
    EXPECT_EQ(s["buckets"][0]["max"].get<double>(), (kBatches - 1) * 1000 + kPerTag - 1);
  }
  // The records too, as the edge holds them, none refused; the batches' quarantine counts.
  EXPECT_GT(central_status["sites"][0]["rows"]["applied"].get<int64_t>(), 0);
  EXPECT_EQ(central_status["sites"][0]["rows"]["quarantined"].get<int64_t>(), 0);
  EXPECT_EQ(central_status["sites"][0]["backlog"]["records"].get<int64_t>(), 0);
  for (const char* entity :
       {"asset", "material", "work_order", "equipment_state_event", "inspection", "lot"}) {
    const nlohmann::json at_edge = Json({"records", entity, "--hub", edge(), "--limit", "100000"});
    const nlohmann::json there = Json({"records", entity, "--hub", central(), "--limit", "100000"});
    EXPECT_GT(at_edge.size(), 0u) << entity;
    ASSERT_EQ(there.size(), at_edge.size()) << entity;
    for (size_t i = 0; i < there.size(); ++i)
      EXPECT_EQ(there[i]["fields"], at_edge[i]["fields"]) << entity;
  }
  nlohmann::json tags = Json({"tags", "--hub", central()});
  EXPECT_EQ(tags.dump().find("\"shanghai/press/id=3/force\"") != std::string::npos, true)
      << tags.dump().substr(0, 300);
}

TEST_F(CliSyncTest, AHubThatDoesNotForwardSaysSo) {
  InitHub();
  CliResult r = Ok({"sync", "status", "--hub", hub()});
  EXPECT_NE(r.out.find("neither forwards"), std::string::npos) << r.out;
  CliResult bad = RunCli({"init", (tmp_ / "x").string()});
  ASSERT_EQ(bad.exit_code, 0);
  {
    std::ofstream config((tmp_ / "x" / "factoryhub.yaml").string(), std::ios::app);
    config << "sync:\n  central: ftp://nowhere\n";
  }
  CliResult refused = RunCli({"sync", "status", "--hub", (tmp_ / "x").string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("sync.central must be an http:// or https:// URL"), std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace fh::testing
