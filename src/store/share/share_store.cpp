#include "store/share/share_store.h"

#include "store/sqlite/db.h"

namespace fh {

Status ShareStore::Revoke(const ShareRevocation& r) {
  FH_ASSIGN_OR_RETURN(std::optional<ShareRevocation> existing, Revocation(r.agreement));
  if (existing) {
    return AlreadyExists("agreement {} was revoked already, by {}", r.agreement, existing->actor);
  }
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("INSERT INTO share_revocation (agreement, revoked_at, actor, "
                                 "reason) VALUES (?1, ?2, ?3, ?4)"));
  st->Bind(1, r.agreement).Bind(2, r.revoked_at).Bind(3, r.actor).Bind(4, r.reason);
  return st->Run();
}

Result<std::optional<ShareRevocation>> ShareStore::Revocation(std::string_view agreement) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("SELECT revoked_at, actor, reason FROM share_revocation WHERE agreement = ?1"));
  st->Bind(1, agreement);
  FH_ASSIGN_OR_RETURN(const bool found, st->Step());
  std::optional<ShareRevocation> out;
  if (found) {
    out = ShareRevocation{std::string(agreement), st->Int(0), std::string(st->Text(1)),
                          std::string(st->Text(2))};
  }
  st->Reset();
  return out;
}

Status ShareStore::PutRecords(std::span<const SharedRecord> records) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * st,
      db_.Cached("INSERT INTO shared_record (agreement, sender_hub, entity, record_key, fields, "
                 "package_sha256, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                 "ON CONFLICT (agreement, entity, record_key) DO UPDATE SET "
                 "sender_hub = excluded.sender_hub, fields = excluded.fields, "
                 "package_sha256 = excluded.package_sha256, imported_at = excluded.imported_at"));
  for (const SharedRecord& r : records) {
    st->Bind(1, r.agreement)
        .Bind(2, r.sender_hub)
        .Bind(3, r.entity)
        .Bind(4, r.key)
        .Bind(5, r.fields_json)
        .Bind(6, r.package_sha256)
        .Bind(7, r.imported_at);
    FH_RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Result<std::vector<SharedRecord>> ShareStore::Records(std::string_view agreement,
                                                      std::string_view entity, int64_t limit) {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT agreement, sender_hub, entity, record_key, fields, package_sha256, "
                  "imported_at FROM shared_record WHERE (?1 = '' OR agreement = ?1) AND "
                  "(?2 = '' OR entity = ?2) ORDER BY agreement, entity, record_key LIMIT ?3"));
  st.Bind(1, agreement).Bind(2, entity).Bind(3, limit);
  std::vector<SharedRecord> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    out.push_back({std::string(st.Text(0)), std::string(st.Text(1)), std::string(st.Text(2)),
                   std::string(st.Text(3)), std::string(st.Text(4)), std::string(st.Text(5)),
                   st.Int(6)});
  }
  return out;
}

Result<std::vector<ReceivedRecords>> ShareStore::Received() {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare("SELECT agreement, max(sender_hub), entity, count(*), max(imported_at) FROM "
                  "shared_record GROUP BY agreement, entity ORDER BY agreement, entity"));
  std::vector<ReceivedRecords> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    out.push_back({std::string(st.Text(0)), std::string(st.Text(1)), std::string(st.Text(2)),
                   st.Int(3), st.Int(4)});
  }
  return out;
}

}  // namespace fh
