// ScopedWrites: what a writer limited to a part of the plant may write (docs/security.md,
// "Scopes"). A gateway of line 2 gets an operator token scoped to line 2; it writes the tags
// of line 2's equipment and no others, so that a stolen gateway token cannot feed false
// values into line 1's OEE, SPC and alarms.
//
// A request with a tag outside the scope is refused whole (403, nothing stored): the points
// it carries are not the writer's to store, and storing some of a batch would leave its
// client unable to tell which. A tag the hub does not know yet is outside every scope (its
// equipment is what places it): it is registered first (a `tag` record naming its
// equipment), then written. The tags of a scope are read from the catalog at most every
// `refresh`, so a busy gateway costs one catalog read every few seconds, and a tag
// registered meanwhile becomes writable within that time.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/text_sample.h"
#include "store/hub.h"

namespace fh::api {

class ScopedWrites {
 public:
  explicit ScopedWrites(Hub& hub, int64_t refresh_ns = 2 * kNanosPerSecond)
      : hub_(hub), refresh_ns_(refresh_ns) {}

  // OK when `who` (limited to `scope`; "" = the whole plant, always OK) may write every tag
  // of `tags` and `texts`; PermissionDenied naming the first that is outside the scope.
  Status Check(std::string_view who, std::string_view scope, std::span<const std::string> tags,
               std::span<const TextSample> texts = {});

 private:
  struct ScopeTags {
    std::unordered_set<std::string> tags;
    TimestampNs read_at = 0;
  };
  // The tags of `scope`, read again when older than refresh_ns_. Holds mu_.
  Result<const ScopeTags*> TagsOf(std::string_view scope, TimestampNs now);

  Hub& hub_;
  const int64_t refresh_ns_;
  std::mutex mu_;
  std::unordered_map<std::string, ScopeTags> scopes_;  // guarded by mu_
};

}  // namespace fh::api
