#include "store/audit/audit_ledger.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "store/catalog_session.h"
#include "store/hub.h"
#include "store/sqlite/db.h"

namespace fh {
namespace {

using security::Hash;

std::string_view Bytes(const Hash& h) {
  return std::string_view(reinterpret_cast<const char*>(h.data()), h.size());
}

Result<Hash> HashOf(std::string_view blob, std::string_view what) {
  Hash h;
  if (blob.size() != h.size()) return Corruption("{}: a hash of {} bytes", what, blob.size());
  std::memcpy(h.data(), blob.data(), h.size());
  return h;
}

Result<SignedTreeHead> ReadHead(const sqlite::Stmt& st) {
  SignedTreeHead h;
  h.head.size = static_cast<uint64_t>(st.Int(0));
  FH_ASSIGN_OR_RETURN(h.head.root, HashOf(st.Blob(1), "audit_head.root"));
  h.head.ts = st.Int(2);
  h.key_id = std::string(st.Text(3));
  const std::string_view sig = st.Blob(4);
  if (sig.size() != h.signature.size())
    return Corruption("audit_head {}: bad signature", h.head.size);
  std::memcpy(h.signature.data(), sig.data(), sig.size());
  return h;
}

constexpr const char* kHeadColumns = "size, root, ts, key_id, signature";

}  // namespace

security::PerfectHash AuditLedger::Perfect() {
  return [this](int level, uint64_t index) -> Result<Hash> {
    FH_ASSIGN_OR_RETURN(
        sqlite::Stmt * st,
        level == 0 ? db_.Cached("SELECT leaf_hash FROM audit_entry WHERE seq = ?1")
                   : db_.Cached("SELECT hash FROM audit_node WHERE level = ?2 AND idx = ?1"));
    st->Reset();
    st->Bind(1, static_cast<int64_t>(index));
    if (level > 0) st->Bind(2, int64_t{level});
    FH_ASSIGN_OR_RETURN(const bool row, st->Step());
    if (!row)
      return Corruption("the audit ledger lacks the hash of subtree ({}, {})", level, index);
    Result<Hash> h = HashOf(st->Blob(0), "audit hash");
    st->Reset();
    return h;
  };
}

Result<uint64_t> AuditLedger::Size() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * st,
                      db_.Cached("SELECT coalesce(max(seq) + 1, 0) FROM audit_entry"));
  st->Reset();
  FH_RETURN_IF_ERROR(st->Step().status());
  const auto size = static_cast<uint64_t>(st->Int(0));
  st->Reset();
  return size;
}

Result<SignedTreeHead> AuditLedger::Append(std::span<const AuditRecord> records,
                                           const security::SigningKey& key) {
  if (records.empty()) return InvalidArgument("nothing to append to the audit ledger");
  const int64_t now = NowNs();
  FH_ASSIGN_OR_RETURN(sqlite::Transaction tx, sqlite::Transaction::Begin(db_));
  FH_ASSIGN_OR_RETURN(const uint64_t size, Size());
  security::CompactRange range;
  if (size > 0) {
    FH_ASSIGN_OR_RETURN(range, security::CompactRange::Load(Perfect(), size));
  }
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * entry,
                      db_.Cached("INSERT INTO audit_entry(seq, ts, actor, action, subject, entry, "
                                 "leaf_hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt * node,
                      db_.Cached("INSERT INTO audit_node(level, idx, hash) VALUES(?1, ?2, ?3)"));
  std::vector<security::CompactRange::Node> completed;
  security::AuditEntry e;
  for (const AuditRecord& r : records) {
    e.seq = range.size();
    e.ts = r.ts != 0 ? r.ts : now;
    e.actor = r.actor;
    e.action = r.action;
    e.subject = r.subject;
    e.detail = r.detail.is_object() ? r.detail : nlohmann::json::object();
    const std::string text = security::CanonicalEntry(e);
    const Hash leaf = security::LeafHash(text);
    completed.clear();
    range.Append(leaf, &completed);
    entry->Reset();
    entry->Bind(1, static_cast<int64_t>(e.seq))
        .Bind(2, e.ts)
        .Bind(3, std::string_view(e.actor))
        .Bind(4, std::string_view(e.action))
        .Bind(5, std::string_view(e.subject))
        .Bind(6, std::string_view(text))
        .BindBlob(7, Bytes(leaf));
    FH_RETURN_IF_ERROR(entry->Run().WithContext("appending to the audit ledger"));
    for (const auto& n : completed) {
      node->Reset();
      node->Bind(1, int64_t{n.level})
          .Bind(2, static_cast<int64_t>(n.index))
          .BindBlob(3, Bytes(n.hash));
      FH_RETURN_IF_ERROR(node->Run().WithContext("appending to the audit ledger"));
    }
  }
  SignedTreeHead head;
  head.head = {range.size(), range.Root(), now};
  head.key_id = key.id();
  head.signature = key.Sign(security::TreeHeadMessage(head.head));
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt * sth,
      db_.Cached("INSERT INTO audit_head(size, root, ts, key_id, signature) VALUES(?1, ?2, ?3, "
                 "?4, ?5)"));
  sth->Reset();
  sth->Bind(1, static_cast<int64_t>(head.head.size))
      .BindBlob(2, Bytes(head.head.root))
      .Bind(3, head.head.ts)
      .Bind(4, std::string_view(head.key_id))
      .BindBlob(5, std::string_view(reinterpret_cast<const char*>(head.signature.data()),
                                    head.signature.size()));
  FH_RETURN_IF_ERROR(sth->Run().WithContext("signing the audit ledger's head"));
  FH_RETURN_IF_ERROR(tx.Commit());
  return head;
}

Result<std::vector<security::AuditEntry>> AuditLedger::Entries(uint64_t from, size_t limit) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT entry FROM audit_entry WHERE seq >= ?1 ORDER BY seq "
                                  "LIMIT ?2"));
  st.Bind(1, static_cast<int64_t>(from)).Bind(2, static_cast<int64_t>(limit));
  std::vector<security::AuditEntry> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    Result<security::AuditEntry> e = security::ParseCanonicalEntry(st.Text(0));
    if (!e.ok()) return Corruption("audit entry: {}", e.status().message());
    out.push_back(std::move(*e));
  }
  return out;
}

Result<std::string> AuditLedger::EntryText(uint64_t seq) {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st, db_.Prepare("SELECT entry FROM audit_entry WHERE seq = ?1"));
  st.Bind(1, static_cast<int64_t>(seq));
  FH_ASSIGN_OR_RETURN(const bool row, st.Step());
  if (!row) return NotFound("no audit entry {}", seq);
  return std::string(st.Text(0));
}

Result<std::optional<SignedTreeHead>> AuditLedger::LatestHead() {
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare(fmt::format(
                          "SELECT {} FROM audit_head ORDER BY size DESC LIMIT 1", kHeadColumns)));
  FH_ASSIGN_OR_RETURN(const bool row, st.Step());
  if (!row) return std::optional<SignedTreeHead>();
  FH_ASSIGN_OR_RETURN(SignedTreeHead h, ReadHead(st));
  return std::optional<SignedTreeHead>(std::move(h));
}

Result<std::vector<SignedTreeHead>> AuditLedger::Heads() {
  FH_ASSIGN_OR_RETURN(
      sqlite::Stmt st,
      db_.Prepare(fmt::format("SELECT {} FROM audit_head ORDER BY size", kHeadColumns)));
  std::vector<SignedTreeHead> out;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    FH_ASSIGN_OR_RETURN(SignedTreeHead h, ReadHead(st));
    out.push_back(std::move(h));
  }
  return out;
}

// Each entry's text is checked against its stored leaf hash; the tree is then rebuilt from the
// stored leaf hashes, and the stored subtrees and signed roots are checked against it. A
// mismatch of a subtree or a root names the first entry of the range it covers — unless an
// entry in that range is bad already, which then explains it.
Result<LedgerCheck> AuditLedger::Verify(const security::PublicKey& key) {
  LedgerCheck c;
  std::set<uint64_t> bad_entries;
  auto bad = [&](uint64_t seq, std::string problem) {
    c.problems.push_back(std::move(problem));
    bad_entries.insert(seq);
    if (!c.first_bad || seq < *c.first_bad) c.first_bad = seq;
  };
  auto bad_range = [&](uint64_t first, uint64_t last, std::string problem) {
    auto in = bad_entries.lower_bound(first);
    if (in != bad_entries.end() && *in <= last) {
      c.problems.push_back(std::move(problem));
    } else {
      bad(first, std::move(problem));
    }
  };
  FH_ASSIGN_OR_RETURN(std::vector<SignedTreeHead> heads, Heads());
  c.heads = heads.size();
  for (const SignedTreeHead& h : heads) {
    if (!security::VerifySignature(key, security::TreeHeadMessage(h.head), h.signature)) {
      c.problems.push_back(
          fmt::format("head of {} entries (signed {}): the signature does not "
                      "verify with the hub's key",
                      h.head.size, FormatRfc3339(h.head.ts)));
    }
  }
  FH_ASSIGN_OR_RETURN(sqlite::Stmt st,
                      db_.Prepare("SELECT seq, ts, actor, action, subject, entry, leaf_hash FROM "
                                  "audit_entry ORDER BY seq"));
  FH_ASSIGN_OR_RETURN(sqlite::Stmt node,
                      db_.Prepare("SELECT hash FROM audit_node WHERE level = ?1 AND idx = ?2"));
  security::CompactRange range;
  std::vector<security::CompactRange::Node> completed;
  size_t next_head = 0;
  uint64_t covered = 0;  // entries up to the last head that matched
  bool broken = false;   // an entry is missing: the tree from there on says nothing more
  uint64_t expected = 0;
  while (true) {
    FH_ASSIGN_OR_RETURN(const bool row, st.Step());
    if (!row) break;
    const auto seq = static_cast<uint64_t>(st.Int(0));
    ++c.entries;
    if (seq != expected && !broken) {
      bad(expected, fmt::format("entry {} is missing (the next stored is {})", expected, seq));
      broken = true;
    }
    const std::string_view text = st.Text(5);
    Result<security::AuditEntry> e = security::ParseCanonicalEntry(text);
    if (!e.ok()) {
      bad(seq,
          fmt::format("entry {}: its text is not an audit entry ({})", seq, e.status().message()));
    } else if (e->seq != seq) {
      bad(seq, fmt::format("entry {}: its text is entry {}'s (moved)", seq, e->seq));
    } else if (e->ts != st.Int(1) || e->actor != st.Text(2) || e->action != st.Text(3) ||
               e->subject != st.Text(4)) {
      bad(seq, fmt::format("entry {}: its columns differ from its hashed text (changed)", seq));
    }
    const std::string_view stored = st.Blob(6);
    if (stored != Bytes(security::LeafHash(text))) {
      bad(seq, fmt::format("entry {}: its text does not hash to its leaf hash (changed)", seq));
    }
    expected = seq + 1;
    if (broken) continue;
    FH_ASSIGN_OR_RETURN(const Hash leaf, HashOf(stored, fmt::format("audit entry {}", seq)));
    completed.clear();
    range.Append(leaf, &completed);
    for (const auto& n : completed) {
      node.Reset();
      node.Bind(1, int64_t{n.level}).Bind(2, static_cast<int64_t>(n.index));
      FH_ASSIGN_OR_RETURN(const bool found, node.Step());
      if (!found || node.Blob(0) != Bytes(n.hash)) {
        const uint64_t first = n.index << n.level, last = ((n.index + 1) << n.level) - 1;
        bad_range(
            first, last,
            fmt::format("the stored hash of entries {} to {} differs from theirs", first, last));
      }
    }
    while (next_head < heads.size() && heads[next_head].head.size == range.size()) {
      const SignedTreeHead& h = heads[next_head++];
      if (h.head.root != range.Root()) {
        bad_range(covered, h.head.size - 1,
                  fmt::format("head of {} entries (signed {}): the entries do not hash to its "
                              "root: an entry from {} to {} was changed",
                              h.head.size, FormatRfc3339(h.head.ts), covered, h.head.size - 1));
      } else {
        covered = h.head.size;
      }
    }
  }
  for (; next_head < heads.size() && !broken; ++next_head) {
    const SignedTreeHead& h = heads[next_head];
    bad(range.size(), fmt::format("head of {} entries (signed {}): only {} entries are stored "
                                  "(entries were deleted)",
                                  h.head.size, FormatRfc3339(h.head.ts), range.size()));
  }
  if (!heads.empty() && expected > heads.back().head.size) {
    bad(heads.back().head.size,
        fmt::format("entries from {} on are covered by no signed head (inserted?)",
                    heads.back().head.size));
  }
  return c;
}

Result<security::SigningKey> HubSigningKey(const Hub& hub) {
  return security::SigningKey::LoadOrCreate(hub.dir() / "keys" / "hub-signing.key");
}

Status RecordAudit(Hub& hub, AuditRecord record) {
  FH_ASSIGN_OR_RETURN(security::SigningKey key, HubSigningKey(hub));
  CatalogSession session = hub.OpenCatalog();
  return session.audit().Append(std::span<const AuditRecord>(&record, 1), key).status();
}

}  // namespace fh
