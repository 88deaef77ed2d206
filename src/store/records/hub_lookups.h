// HubLookups: govern::Lookups answered from the hub's database and time-series store.
#pragma once

#include "govern/violation.h"
#include "store/records/entity_writer.h"

namespace fh {
class Storage;
}

namespace fh {

class HubLookups : public govern::Lookups {
 public:
  HubLookups(sqlite::Db& db, Catalog& catalog, RefResolver& refs, Storage& storage)
      : db_(db), catalog_(catalog), refs_(refs), storage_(storage) {}

  Result<std::optional<std::string>> ResolveExternalId(std::string_view entity,
                                                       std::string_view system,
                                                       std::string_view external_id) override;
  Result<bool> Exists(std::string_view entity, std::string_view key) override;
  Result<std::optional<std::string>> KeyWithValue(std::string_view entity, std::string_view field,
                                                  std::string_view value) override;
  Result<std::optional<int64_t>> LastTimestamp(std::string_view tag) override;

 private:
  sqlite::Db& db_;
  Catalog& catalog_;
  RefResolver& refs_;
  Storage& storage_;
};

}  // namespace fh
