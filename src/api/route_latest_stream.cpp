// GET /api/v1/latest/stream: the newest point of each tag, live (Server-Sent Events). The
// store's newest points when it starts, then, at most once a second, the newest point of each
// tag that changed since the last event, from the server's LiveLatest: a dashboard follows a
// plant's signals with one connection instead of polling /api/v1/latest, and a client that
// reads slowly skips values instead of making the server buffer them.
#include <algorithm>
#include <unordered_set>

#include "analytics/query.h"
#include "api/http_reply.h"
#include "api/json_encode.h"
#include "api/live_latest.h"
#include "api/route_scope.h"
#include "api/routes.h"
#include "common/glob.h"
#include "common/json_text.h"

namespace fh::api {
namespace {

// Events are coalesced over this: many points of a tag within it are one value.
constexpr std::chrono::milliseconds kEventEvery{1000};

std::string LatestEvent(const std::vector<analytics::LatestValue>& values) {
  return fmt::format("event: latest\ndata: {}\n\n", JsonText(LatestJson(values)));
}

// Which tags a stream follows: those its request resolved to when it started and, for an
// unscoped caller, any tag a glob of the request matches that is written later. (A scoped
// caller's tags are resolved against its scope once, when the stream starts.)
class TagMatcher {
 public:
  TagMatcher(const std::vector<analytics::LatestValue>& resolved,
             const std::vector<std::string>& patterns, bool scoped) {
    for (const analytics::LatestValue& v : resolved)
      tags_.insert(v.tag);
    if (!scoped) {
      for (const std::string& p : patterns) {
        if (IsGlob(p)) globs_.push_back(p);
      }
    }
  }
  bool operator()(std::string_view tag) const {
    if (tags_.contains(std::string(tag))) return true;
    return std::any_of(globs_.begin(), globs_.end(),
                       [&](const std::string& g) { return GlobMatch(g, tag); });
  }

 private:
  std::unordered_set<std::string> tags_;
  std::vector<std::string> globs_;
};

// One client's view: the number of the last change it was sent. That is all it keeps,
// however far behind it falls.
class LatestStreamSource {
 public:
  LatestStreamSource(std::shared_ptr<const LiveLatest> live, TagMatcher wants, uint64_t seen)
      : live_(std::move(live)), wants_(std::move(wants)), seen_(seen) {}

  // Called by the connection every kEventEvery once the last event is written.
  std::string Next() {
    const std::vector<LiveLatest::Change> changed =
        live_->ChangedSince(seen_, std::cref(wants_), &seen_);
    if (changed.empty()) return {};
    std::vector<analytics::LatestValue> values;
    values.reserve(changed.size());
    for (const LiveLatest::Change& c : changed)
      values.push_back({c.tag, c.sample});
    std::sort(values.begin(), values.end(),
              [](const auto& a, const auto& b) { return a.tag < b.tag; });
    return LatestEvent(values);
  }

 private:
  std::shared_ptr<const LiveLatest> live_;
  const TagMatcher wants_;
  uint64_t seen_;
};

}  // namespace

void HandleLatestStream(RouteServices& s, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status st = CheckParams(req, {"tag"}, &field); !st.ok()) return ReplyError(res, st, field);
  std::vector<std::string> patterns;
  for (size_t i = 0; i < req.ParamCount("tag"); ++i)
    patterns.push_back(req.Param("tag", i));
  if (patterns.empty()) {
    return ReplyError(res, InvalidArgument("at least one tag is required"), "tag");
  }
  if (!s.latest) {
    return ReplyError(res, FailedPrecondition("this server follows no stored points"));
  }
  Result<std::vector<std::string>> visible = ResolveInScope(s.hub, req.scope, patterns);
  if (!visible.ok()) return ReplyError(res, visible.status(), "tag");
  // Counted before the store is read: a point stored meanwhile is sent again rather than
  // missed.
  const uint64_t seen = s.latest->changes();
  Result<std::vector<analytics::LatestValue>> latest =
      analytics::RunLatest(s.hub.storage(), *visible);
  if (!latest.ok()) {
    const bool not_found = latest.status().code() == StatusCode::kNotFound;
    return ReplyError(res, latest.status(), not_found ? "tag" : "");
  }
  auto source = std::make_shared<LatestStreamSource>(
      s.latest, TagMatcher(*latest, patterns, !req.scope.empty()), seen);
  res.SetContent("retry: 2000\n\n" + LatestEvent(*latest), "text/event-stream");
  res.SetHeader("Cache-Control", "no-cache");
  res.SetHeader("X-Accel-Buffering", "no");  // nginx: pass each event on as it comes
  res.stream = std::make_shared<HttpEventStream>();
  res.stream->poll_every = kEventEvery;
  res.stream->next = [source] { return source->Next(); };
}

}  // namespace fh::api
