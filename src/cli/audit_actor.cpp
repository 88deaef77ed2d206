#include "cli/audit_actor.h"

#include <pwd.h>
#include <unistd.h>

#include "store/audit/audit_ledger.h"

namespace fh::cli {

std::string CliActor() {
  const passwd* pw = getpwuid(geteuid());
  return "cli:" + (pw != nullptr && pw->pw_name != nullptr ? std::string(pw->pw_name)
                                                           : std::to_string(geteuid()));
}

Status Audit(Hub& hub, std::string action, std::string subject, nlohmann::json detail) {
  Status s =
      RecordAudit(hub, {CliActor(), std::move(action), std::move(subject), std::move(detail)});
  return s.WithContext("recording it in the audit ledger");
}

}  // namespace fh::cli
