// Sharing data with a partner hub under an agreement (docs/sharing.md). The sender's
// package: the agreement's aggregates of its tags over its window (never finer) and its
// records (the agreed fields, pseudonymised where it says: shared_records.h), the
// agreement itself, the lineage (which hub, which query, how many raw points behind each
// series) and the sender's newest signed ledger head, which covers the export's own ledger
// entry; sealed to the partner's box key (only that hub opens it) and signed with the
// sender's Ed25519 key over the agreement, the recipient and the sealed bytes' SHA-256.
// The receiver checks the signature against a key it trusts, that the package is for it,
// the agreement and its expiry, and every bucket against the agreement, before it stores
// anything; then it stores the buckets as tags under the agreement's prefix through the
// stream ingest (a batch with lineage naming the package), and both ledgers record it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/sample.h"
#include "security/sealed_box.h"
#include "security/signing_key.h"
#include "share/agreement.h"
#include "store/hub.h"

namespace fh::share {

inline constexpr std::string_view kPackageFormat = "factoryhub-share-v1";
// A package larger is refused unread (a month of hourly means of 10,000 tags is ~30 MB;
// larger exchanges are split by window).
inline constexpr size_t kMaxPackageBytes = size_t{256} << 20;

struct ExportedPackage {
  std::string bytes;   // the package file's content
  std::string sha256;  // of `bytes`, hex
  int64_t series = 0, buckets = 0, records = 0;
  uint64_t ledger_entry = 0;  // the export's entry in the sender's ledger
};

// `actor`: who exports (for the ledger). FailedPrecondition when the agreement has expired or
// this hub revoked it, or a record field it names unpseudonymised is personal or encrypted;
// NotFound when its tags match none of the hub's.
Result<ExportedPackage> ExportShare(Hub& hub, const Agreement& agreement, std::string_view actor,
                                    TimestampNs now);

struct ImportedShare {
  std::string agreement, sender_hub, sender_key_id, sha256;
  int64_t series = 0, points = 0, records = 0;
  uint64_t sender_ledger_size = 0;  // the signed head that came with it
  uint64_t ledger_entry = 0;        // the import's entry in this hub's ledger
};

// `sender`: the signing key the package must carry (the partner's `share key`). Any failed
// check stores nothing: PermissionDenied (not signed by `sender`, not for this hub),
// InvalidArgument (malformed, changed, data outside the agreement), FailedPrecondition
// (expired, or revoked on this hub).
Result<ImportedShare> ImportShare(Hub& hub, std::string_view package, std::string_view name,
                                  const security::PublicKey& sender, std::string_view actor,
                                  TimestampNs now);

// This hub's box key, that packages are sealed to (keys/hub-box.key, created on first use),
// and its public half.
Result<security::BoxKey> HubBoxKey(const Hub& hub);

// This hub no longer exports (as a sender) or imports (as a receiver) under agreement `id`,
// from now on; what was exchanged stays, its lineage naming the agreement. The ledger
// records `share.revoke`. AlreadyExists when revoked already.
Status RevokeAgreement(Hub& hub, std::string_view id, std::string_view reason,
                       std::string_view actor, TimestampNs now);
Result<security::BoxPublicKey> HubBoxPublicKey(const Hub& hub);

}  // namespace fh::share
