// A hub in a temporary directory with a few samples, served on a free port of 127.0.0.1.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/http_server.h"
#include "common/time.h"
#include "store/hub.h"
#include "testing/temp_dir.h"

namespace fh::testing {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HubConfig config;
    config.name = "api-test";
    ASSERT_TRUE(Hub::Init(tmp_.path(), config).ok());
    auto hub = Hub::Open(tmp_.path());
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    hub_ = std::move(hub).value();

    // line1.temp: 20.5, 21.5 in 08:00; 23, 25 in 08:01. line1.speed: one per minute.
    SampleBatch batch;
    batch.Add("line1.temp", T("2026-03-01T08:00:00Z"), 20.5);
    batch.Add("line1.temp", T("2026-03-01T08:00:30Z"), 21.5);
    batch.Add("line1.temp", T("2026-03-01T08:01:00Z"), 23);
    batch.Add("line1.temp", T("2026-03-01T08:01:30Z"), 25, kQualityUncertain);
    batch.Add("line1.speed", T("2026-03-01T08:00:00Z"), 1500);
    batch.Add("line1.speed", T("2026-03-01T08:01:00Z"), 1520);
    batch.Add("line2.temp", T("2026-03-01T08:00:00Z"), std::numeric_limits<double>::infinity());
    ASSERT_TRUE(hub_->storage().Write(batch).ok());

    server_ = std::make_unique<api::HttpServer>(*hub_);
    api::HttpServerOptions options;
    options.port = 0;
    options.threads = 4;
    ConfigureServer(options);
    Status started = server_->Start(options);
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_GT(server_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  // A test's changes to the server's options, before it starts.
  virtual void ConfigureServer(api::HttpServerOptions&) {}

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
  }

  static TimestampNs T(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

  struct Reply {
    int status = 0;
    std::string content_type;
    nlohmann::json body;
  };
  // GETs `target` and parses the body as JSON (a failed parse fails the test).
  Reply Get(const std::string& target) {
    Reply reply;
    auto res = client_->Get(target.c_str());
    if (!res) {
      ADD_FAILURE() << "GET " << target << ": " << httplib::to_string(res.error());
      return reply;
    }
    reply.status = res->status;
    reply.content_type = res->get_header_value("Content-Type");
    reply.body = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(reply.body.is_discarded()) << "GET " << target << ": not JSON: " << res->body;
    return reply;
  }
  // POSTs `body` as JSON; the answer's body parsed (discarded when it is not JSON).
  Reply Post(const std::string& path, const nlohmann::json& body) {
    Reply reply;
    auto res = client_->Post(path, body.dump(), "application/json");
    if (!res) {
      ADD_FAILURE() << "POST " << path << ": " << httplib::to_string(res.error());
      return reply;
    }
    reply.status = res->status;
    reply.content_type = res->get_header_value("Content-Type");
    reply.body = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
    return reply;
  }

  TempDir tmp_;
  std::unique_ptr<Hub> hub_;
  std::unique_ptr<api::HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace fh::testing
