#include "store/sqlite_storage/tag_directory.h"

#include "model/sample.h"

namespace fh::sqlite {

Result<int64_t> TagDirectory::Find(Db& db, const std::string& name) {
  {
    std::lock_guard lock(mu_);
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
  }
  FH_ASSIGN_OR_RETURN(Stmt * sel, db.Cached("SELECT id FROM tag WHERE name = ?"));
  sel->Bind(1, name);
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  if (!row) return NotFound("no tag named '{}'", name);
  const int64_t id = sel->Int(0);
  sel->Reset();
  Cache(name, id);
  return id;
}

Result<int64_t> TagDirectory::Ensure(Db& writer, const std::string& name, bool* created) {
  *created = false;
  if (!IsValidTagName(name)) {
    return InvalidArgument("tag name must be 1..{} bytes, got {}: '{}'", kMaxTagNameBytes,
                           name.size(), name.substr(0, 64));
  }
  {
    std::lock_guard lock(mu_);
    auto cached = ids_.find(name);
    if (cached != ids_.end()) return cached->second;
  }
  FH_ASSIGN_OR_RETURN(
      Stmt * ins, writer.Cached("INSERT INTO tag(name) VALUES(?) ON CONFLICT(name) DO NOTHING"));
  FH_RETURN_IF_ERROR(ins->Bind(1, name).Run());
  *created = writer.Changes() > 0;
  FH_ASSIGN_OR_RETURN(Stmt * sel, writer.Cached("SELECT id FROM tag WHERE name = ?"));
  sel->Bind(1, name);
  FH_ASSIGN_OR_RETURN(bool row, sel->Step());
  if (!row) return Internal("tag '{}' vanished after insert", name);
  const int64_t id = sel->Int(0);
  sel->Reset();
  if (!*created) Cache(name, id);  // committed before this transaction: safe to remember now
  return id;
}

bool TagDirectory::FindCached(std::span<const std::string> names, std::vector<int64_t>* ids) {
  ids->resize(names.size());
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < names.size(); ++i) {
    auto cached = ids_.find(names[i]);
    if (cached == ids_.end()) return false;
    (*ids)[i] = cached->second;
  }
  return true;
}

void TagDirectory::Remember(std::span<const std::pair<std::string, int64_t>> tags) {
  std::lock_guard lock(mu_);
  for (const auto& [name, id] : tags)
    ids_.insert_or_assign(name, id);
}

void TagDirectory::Cache(std::string_view name, int64_t id) {
  std::lock_guard lock(mu_);
  ids_.insert_or_assign(std::string(name), id);
}

}  // namespace fh::sqlite
