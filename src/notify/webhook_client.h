// One HTTP POST to a webhook, with a deadline on the whole exchange (Boost.Beast): what the
// alarm notifier's delivery threads call.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "notify/notify_config.h"

namespace fh::notify {

// The answer's status code (any: the caller decides what is delivered), or Unavailable when
// there was none within `timeout_ns` (no connection, no answer, a broken one).
Result<int> PostJson(const HttpUrl& url,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& body, int64_t timeout_ns);

}  // namespace fh::notify
