// TagDirectory: the store's tags by name, their ids in the `tag` table, with a cache of the
// committed ones shared by every reader and writer of the store. Thread-safe.
//
// A tag created in a transaction is remembered only once that transaction commits
// (Remember): a rolled-back one must not leave an id that no row has.
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/string_map.h"
#include "store/sqlite/db.h"

namespace fh::sqlite {

class TagDirectory {
 public:
  // The id of a stored tag, looked up on `db` if not cached; NotFound naming it if absent.
  Result<int64_t> Find(Db& db, const std::string& name);
  // The id of a tag to write, created on the write connection `writer` (in its transaction)
  // if new; *created then says so, and the caller Remembers it once the transaction commits.
  // InvalidArgument for a name the store cannot keep.
  Result<int64_t> Ensure(Db& writer, const std::string& name, bool* created);
  // The cached ids of every name (under one lock), or false if one is not cached.
  bool FindCached(std::span<const std::string> names, std::vector<int64_t>* ids);
  // Tags whose creating transaction committed.
  void Remember(std::span<const std::pair<std::string, int64_t>> tags);

 private:
  void Cache(std::string_view name, int64_t id);

  std::mutex mu_;
  StringMap<int64_t> ids_;  // committed tags; guarded by mu_
};

}  // namespace fh::sqlite
