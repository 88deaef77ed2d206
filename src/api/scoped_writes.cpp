#include "api/scoped_writes.h"

#include "api/route_scope.h"

namespace fh::api {

Result<const ScopedWrites::ScopeTags*> ScopedWrites::TagsOf(std::string_view scope,
                                                            TimestampNs now) {
  auto found = scopes_.find(std::string(scope));
  if (found != scopes_.end() && now - found->second.read_at < refresh_ns_) return &found->second;
  FH_ASSIGN_OR_RETURN(std::vector<std::string> names, TagsInScope(hub_, scope));
  // Scopes are few (one per gateway token): the map stays small without eviction.
  ScopeTags& tags = scopes_[std::string(scope)];
  tags.tags.clear();
  tags.tags.insert(std::make_move_iterator(names.begin()), std::make_move_iterator(names.end()));
  tags.read_at = now;
  return &tags;
}

Status ScopedWrites::Check(std::string_view who, std::string_view scope,
                           std::span<const std::string> tags, std::span<const TextSample> texts) {
  if (scope.empty()) return Status::Ok();
  std::lock_guard<std::mutex> lock(mu_);
  FH_ASSIGN_OR_RETURN(const ScopeTags* allowed, TagsOf(scope, NowNs()));
  auto refuse = [&](std::string_view tag) {
    // The same words for a tag of another line and for one that does not exist: a scoped
    // writer learns nothing of what lies outside its scope.
    return PermissionDenied(
        "{} is limited to {}, and tag '{}' is not on equipment under it: nothing of this request "
        "was written",
        who, scope, tag);
  };
  for (const std::string& tag : tags) {
    if (!allowed->tags.contains(tag)) return refuse(tag);
  }
  for (const TextSample& text : texts) {
    if (!allowed->tags.contains(text.tag)) return refuse(text.tag);
  }
  return Status::Ok();
}

}  // namespace fh::api
