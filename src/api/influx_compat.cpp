#include "api/influx_compat.h"

#include <strings.h>

#include <nlohmann/json.hpp>

#include "api/http_reply.h"
#include "common/time.h"

namespace fh::api {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// InfluxQL statements of one `q`: split at ';' outside quotes.
std::vector<std::string_view> SplitStatements(std::string_view q) {
  std::vector<std::string_view> out;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    const char c = q[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ';') {
      out.push_back(q.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(q.substr(start));
  // Trailing and empty statements ("SHOW DATABASES;") are not statements.
  std::erase_if(out, [](std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
  });
  return out;
}

// The words of a statement: identifiers, keywords and "quoted identifiers" (unquoted).
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '"') {
      std::string word;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        word.push_back(s[i]);
      }
      ++i;  // the closing quote
      words.push_back(std::move(word));
    } else {
      const size_t end = s.find_first_of(" \t\r\n", i);
      words.emplace_back(s.substr(i, end - i));
      i = end == std::string_view::npos ? s.size() : end;
    }
  }
  return words;
}

std::string Uptime(TimestampNs since) {
  const int64_t s = std::max<int64_t>(0, (NowNs() - since) / 1'000'000'000);
  return fmt::format("{}h{}m{}s", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

InfluxCompat::InfluxCompat(std::string hub_name, TimestampNs started)
    : hub_name_(std::move(hub_name)), started_(started) {}

void InfluxCompat::HandlePing(const HttpRequest& req, HttpResponse& res) {
  res.SetHeader("X-Influxdb-Version", kInfluxCompatVersion);
  res.SetHeader("X-Influxdb-Build", "OSS");
  if (req.Param("verbose") == "true") {
    ReplyJson(res, {{"version", kInfluxCompatVersion}});
    return;
  }
  res.status = 204;
}

void InfluxCompat::HandleHealth(const HttpRequest&, HttpResponse& res) const {
  res.SetHeader("X-Influxdb-Version", kInfluxCompatVersion);
  ReplyJson(res, {{"name", "influxdb"},
                  {"message", "ready for queries and writes"},
                  {"status", "pass"},
                  {"checks", nlohmann::ordered_json::array()},
                  {"version", kInfluxCompatVersion},
                  {"commit", "factoryhub"}});
}

void InfluxCompat::HandleReady(const HttpRequest&, HttpResponse& res) const {
  ReplyJson(res,
            {{"status", "ready"}, {"started", FormatRfc3339(started_)}, {"up", Uptime(started_)}});
}

void InfluxCompat::HandleQuery(const HttpRequest& req, HttpResponse& res) {
  res.SetHeader("X-Influxdb-Version", kInfluxCompatVersion);
  std::string q = req.Param("q");
  // Telegraf posts the query as a form; node-influx puts it in the URL.
  if (q.empty() && req.method == "POST" &&
      req.Header("Content-Type").starts_with("application/x-www-form-urlencoded")) {
    HttpRequest form;
    if (ParseTarget("/?" + req.body, &form).ok()) q = form.Param("q");
  }
  if (q.empty()) {
    ReplyJson(res, {{"error", "missing required parameter \"q\""}}, 400);
    return;
  }
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  int id = 0;
  for (std::string_view statement : SplitStatements(q)) {
    const std::vector<std::string> w = Words(statement);
    nlohmann::ordered_json result = {{"statement_id", id++}};
    if (w.size() >= 3 && IEquals(w[0], "CREATE") && IEquals(w[1], "DATABASE")) {
      // WITH DURATION ... and friends: retention is the hub's business, not the client's.
      std::lock_guard<std::mutex> lock(mu_);
      databases_.insert(w[2]);
    } else if (w.size() == 2 && IEquals(w[0], "SHOW") && IEquals(w[1], "DATABASES")) {
      nlohmann::ordered_json values = nlohmann::ordered_json::array();
      std::set<std::string> names = {hub_name_};
      {
        std::lock_guard<std::mutex> lock(mu_);
        names.insert(databases_.begin(), databases_.end());
      }
      for (const std::string& name : names)
        values.push_back(nlohmann::ordered_json::array({name}));
      result["series"] = nlohmann::ordered_json::array(
          {{{"name", "databases"}, {"columns", {"name"}}, {"values", std::move(values)}}});
    } else {
      const std::string text(statement.substr(0, std::min<size_t>(statement.size(), 200)));
      result["error"] = fmt::format(
          "factoryhub answers CREATE DATABASE and SHOW DATABASES of InfluxQL, not yet '{}': "
          "read data with GET /api/v1/query",
          text.substr(text.find_first_not_of(" \t\r\n")));
    }
    results.push_back(std::move(result));
  }
  ReplyJson(res, {{"results", std::move(results)}});
}

}  // namespace fh::api
