// What sharing with partners keeps in the hub's database (docs/sharing.md): on the sender,
// the agreements revoked before they expired; on the receiver, the records partners shared,
// apart from the hub's own canonical records. Use through a CatalogSession.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh {

namespace sqlite {
class Db;
}

struct ShareRevocation {
  std::string agreement;
  int64_t revoked_at = 0;
  std::string actor, reason;
};

// A record a partner shared: its key (pseudonymised when a key field is) and the agreed
// fields as a JSON object in the agreement's order.
struct SharedRecord {
  std::string agreement, sender_hub, entity, key;
  std::string fields_json;
  std::string package_sha256;
  int64_t imported_at = 0;
};

// What a hub received under one agreement, by entity.
struct ReceivedRecords {
  std::string agreement, sender_hub, entity;
  int64_t records = 0;
  int64_t last_imported_at = 0;
};

class ShareStore {
 public:
  explicit ShareStore(sqlite::Db& db) : db_(db) {}

  // AlreadyExists when the agreement is revoked already.
  Status Revoke(const ShareRevocation& revocation);
  Result<std::optional<ShareRevocation>> Revocation(std::string_view agreement);

  // Stores the records, a newer package's values replacing an older's for the same
  // agreement, entity and key. Call inside a UnitOfWork to keep them with the rest.
  Status PutRecords(std::span<const SharedRecord> records);
  // By agreement and entity (empty: all), in key order, at most `limit`.
  Result<std::vector<SharedRecord>> Records(std::string_view agreement, std::string_view entity,
                                            int64_t limit);
  Result<std::vector<ReceivedRecords>> Received();

 private:
  sqlite::Db& db_;
};

}  // namespace fh
