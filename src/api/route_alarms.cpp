// GET /api/v1/alarms: what models raised (predict --alarms, serve --score), newest first.
#include <charconv>
#include <mutex>

#include "api/http_reply.h"
#include "api/routes.h"
#include "ml/alarms.h"

namespace fh::api {

void HandleAlarms(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"limit"}, &field); !s.ok()) return ReplyError(res, s, field);
  int64_t limit = 100;
  if (req.HasParam("limit")) {
    const std::string text = req.Param("limit");
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 10000) {
      return ReplyError(
          res, InvalidArgument("limit: a whole number from 1 to 10000, got '{}'", text), "limit");
    }
  }
  Result<std::vector<ml::Alarm>> alarms = [&] {
    std::lock_guard<std::mutex> lock(hub.catalog_mutex());
    return ml::ListAlarms(hub.catalog_db(), limit);
  }();
  if (!alarms.ok()) return ReplyError(res, alarms.status());
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ml::Alarm& a : *alarms)
    list.push_back(ml::AlarmJson(a));
  ReplyJson(res, {{"alarms", std::move(list)}});
}

}  // namespace fh::api
