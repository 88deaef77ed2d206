#include "share/share_package.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "analytics/query.h"
#include "common/json_text.h"
#include "common/time.h"
#include "pipeline/stream_ingest.h"
#include "security/api_token.h"
#include "security/audit_entry.h"
#include "security/base64.h"
#include "security/merkle.h"
#include "security/sealed_box.h"
#include "share/shared_records.h"
#include "store/audit/audit_json.h"
#include "store/audit/audit_ledger.h"
#include "store/catalog_session.h"
#include "store/share/share_store.h"

namespace fh::share {

namespace {

using json = nlohmann::json;

std::string Sha256Hex(std::string_view bytes) {
  return security::HashHex(security::Sha256(bytes));
}

// What the sender signs: the agreement, the recipient and the sealed bytes.
std::string SignedMessage(std::string_view agreement, std::string_view recipient_hex,
                          std::string_view sealed_sha256) {
  return fmt::format("{}\n{}\n{}\n{}\n", kPackageFormat, agreement, recipient_hex, sealed_sha256);
}

// JSON nested deeper than `max` (outside strings): refused before a recursive parser sees it.
bool NestedDeeperThan(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

// FailedPrecondition when this hub revoked the agreement.
Status NotRevoked(Hub& hub, const Agreement& a, std::string_view what) {
  CatalogSession session = hub.OpenCatalog();
  FH_ASSIGN_OR_RETURN(std::optional<ShareRevocation> revoked, session.shares().Revocation(a.id));
  if (!revoked) return Status::Ok();
  return FailedPrecondition("agreement {} was revoked on {} by {}{}: nothing is {}", a.id,
                            FormatRfc3339(revoked->revoked_at), revoked->actor,
                            revoked->reason.empty() ? "" : " (" + revoked->reason + ")", what);
}

Result<std::string> Text(const json& j, const char* key, std::string_view where) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) {
    return InvalidArgument("{}: '{}' missing or not text", where, key);
  }
  return j[key].get<std::string>();
}

}  // namespace

Result<security::BoxKey> HubBoxKey(const Hub& hub) {
  return security::BoxKey::LoadOrCreate(hub.dir() / "keys" / "hub-box.key");
}

Result<security::BoxPublicKey> HubBoxPublicKey(const Hub& hub) {
  FH_ASSIGN_OR_RETURN(security::BoxKey key, HubBoxKey(hub));
  return key.public_key();
}

Result<ExportedPackage> ExportShare(Hub& hub, const Agreement& a, std::string_view actor,
                                    TimestampNs now) {
  if (now >= a.expires_ns) {
    return FailedPrecondition("agreement {} expired on {}: nothing is exported", a.id,
                              FormatRfc3339(a.expires_ns));
  }
  FH_RETURN_IF_ERROR(NotRevoked(hub, a, "exported"));
  FH_ASSIGN_OR_RETURN(security::BoxKey box, HubBoxKey(hub));
  FH_ASSIGN_OR_RETURN(security::SigningKey signer, HubSigningKey(hub));
  analytics::QueryResult result;
  if (!a.tags.empty()) {
    analytics::QueryRequest q;
    FH_ASSIGN_OR_RETURN(q.tags, analytics::ResolveTags(hub.storage(), a.tags));
    q.range = {a.from_ns, a.to_ns};
    q.every = a.every_ns;
    q.aggs = a.functions;
    FH_ASSIGN_OR_RETURN(result, analytics::RunQuery(hub.storage(), q));
  }

  ExportedPackage out;
  FH_ASSIGN_OR_RETURN(json records, ExportRecords(hub, a, box, out.records));
  json series = json::array();
  for (const analytics::Series& s : result.series) {
    const std::string name =
        a.pseudonymise_tags ? "p_" + box.Pseudonym("share:" + a.id, s.tag) : s.tag;
    json buckets = json::array();
    int64_t points = 0;
    for (const Bucket& b : s.buckets) {
      json row = json::array({b.start, b.count});
      for (Agg f : a.functions)
        row.push_back(analytics::AggValue(b, f));
      buckets.push_back(std::move(row));
      points += b.count;
    }
    out.buckets += static_cast<int64_t>(buckets.size());
    series.push_back({{"tag", name}, {"raw_points", points}, {"buckets", std::move(buckets)}});
  }
  out.series = static_cast<int64_t>(series.size());
  json functions = json::array();
  for (Agg f : a.functions)
    functions.push_back(std::string(analytics::AggName(f)));
  const std::string data = JsonText(series);

  // The ledger first: the head that travels with the package covers this export.
  const std::string recipient = security::Hex(a.partner_key);
  json detail{{"partner", a.partner},
              {"partner_key", recipient},
              {"series", out.series},
              {"buckets", out.buckets},
              {"data_sha256", Sha256Hex(data)}};
  if (!a.records.empty()) {
    detail["records"] = out.records;
    detail["records_sha256"] = Sha256Hex(JsonText(records));
  }
  FH_RETURN_IF_ERROR(RecordAudit(hub, {std::string(actor), "share.export", a.id, detail}));
  Result<std::optional<SignedTreeHead>> head = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.audit().LatestHead();
  }();
  FH_RETURN_IF_ERROR(head.status());
  out.ledger_entry = (*head)->head.size - 1;

  const json payload{
      {"format", kPackageFormat},
      {"agreement_text", a.text},
      {"sender", {{"hub", hub.config().name}, {"signing_key", security::Hex(signer.public_key())}}},
      {"exported_at", FormatRfc3339(now)},
      {"lineage",
       {{"query",
         {{"tags", a.tags},
          {"from", FormatRfc3339(a.from_ns)},
          {"to", FormatRfc3339(a.to_ns)},
          {"every", a.every_ns > 0 ? json(FormatDuration(a.every_ns)) : json()},
          {"functions", functions}}},
        {"records", out.records},
        {"pseudonymised", a.pseudonymise_tags},
        {"ledger_entry", out.ledger_entry}}},
      {"ledger_head", SignedHeadJson(**head, signer.public_key())},
      {"columns", json::array({"start_ns", "count"})},
      {"functions", functions},
      {"series", json::parse(data)},
      {"records", std::move(records)}};
  const std::string sealed = security::SealTo(a.partner_key, JsonText(payload));
  const std::string sealed_sha = Sha256Hex(sealed);
  const security::Signature sig = signer.Sign(SignedMessage(a.id, recipient, sealed_sha));
  const json envelope{{"format", kPackageFormat},
                      {"agreement", a.id},
                      {"sender_key", security::Hex(signer.public_key())},
                      {"recipient_key", recipient},
                      {"sealed_sha256", sealed_sha},
                      {"signature", security::Hex(sig)},
                      {"sealed", security::Base64(sealed, security::Base64Alphabet::kStandard)}};
  out.bytes = JsonText(envelope) + "\n";
  out.sha256 = Sha256Hex(out.bytes);
  return out;
}

Result<ImportedShare> ImportShare(Hub& hub, std::string_view package, std::string_view name,
                                  const security::PublicKey& sender, std::string_view actor,
                                  TimestampNs now) {
  if (package.size() > kMaxPackageBytes) {
    return InvalidArgument("{}: {} bytes, more than a package may be ({} MiB)", name,
                           package.size(), kMaxPackageBytes >> 20);
  }
  if (NestedDeeperThan(package, 4)) return InvalidArgument("{}: not a share package", name);
  const json envelope = json::parse(package, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object()) {
    return InvalidArgument("{}: not a share package (not JSON)", name);
  }
  const std::string where = std::string(name);
  FH_ASSIGN_OR_RETURN(const std::string format, Text(envelope, "format", where));
  if (format != kPackageFormat) {
    return InvalidArgument("{}: format '{}', expected {}", name, format, kPackageFormat);
  }
  FH_ASSIGN_OR_RETURN(const std::string agreement_id, Text(envelope, "agreement", where));
  FH_ASSIGN_OR_RETURN(const std::string sender_hex, Text(envelope, "sender_key", where));
  FH_ASSIGN_OR_RETURN(const std::string recipient_hex, Text(envelope, "recipient_key", where));
  FH_ASSIGN_OR_RETURN(const std::string signature_hex, Text(envelope, "signature", where));
  FH_ASSIGN_OR_RETURN(const std::string sealed_b64, Text(envelope, "sealed", where));

  // Who signed it: the key this hub trusts for the partner, and nobody else.
  if (sender_hex != security::Hex(sender)) {
    return PermissionDenied("{}: signed with key {}, not the partner's {} (--sender-key)", name,
                            sender_hex.substr(0, 16), security::Hex(sender).substr(0, 16));
  }
  const std::optional<std::string> decoded =
      security::FromBase64(sealed_b64, security::Base64Alphabet::kStandard);
  if (!decoded) return InvalidArgument("{}: the package's sealed data is not base64", name);
  const std::string& sealed = *decoded;
  const Result<security::Signature> sig = security::SignatureFromHex(signature_hex);
  if (!sig.ok() ||
      !security::VerifySignature(
          sender, SignedMessage(agreement_id, recipient_hex, Sha256Hex(sealed)), *sig)) {
    return InvalidArgument("{}: the signature does not match: the package was changed", name);
  }
  FH_ASSIGN_OR_RETURN(security::BoxKey box, HubBoxKey(hub));
  if (recipient_hex != security::Hex(box.public_key())) {
    return PermissionDenied("{}: sealed to hub key {}, not this hub's ({})", name,
                            recipient_hex.substr(0, 16),
                            security::Hex(box.public_key()).substr(0, 16));
  }
  FH_ASSIGN_OR_RETURN(const std::string plain, box.Open(sealed));
  const json payload = json::parse(plain, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return InvalidArgument("{}: the sealed payload is not JSON", name);
  }

  // The agreement, as the receiver reads it: for this hub, still in force, the same id.
  FH_ASSIGN_OR_RETURN(const std::string text, Text(payload, "agreement_text", where));
  FH_ASSIGN_OR_RETURN(Agreement a, Agreement::Parse(text, where + " (its agreement)"));
  if (a.id != agreement_id) {
    return InvalidArgument("{}: the envelope names agreement {}, the payload {}", name,
                           agreement_id, a.id);
  }
  if (a.partner_key != box.public_key()) {
    return PermissionDenied("{}: agreement {} is with another partner", name, a.id);
  }
  if (now >= a.expires_ns) {
    return FailedPrecondition("{}: agreement {} expired on {}: nothing is stored", name, a.id,
                              FormatRfc3339(a.expires_ns));
  }
  if (Status revoked = NotRevoked(hub, a, "stored"); !revoked.ok()) {
    return revoked.WithContext(std::string(name));
  }
  // The ledger head that came with it: signed by the same key.
  const json& head = payload.contains("ledger_head") ? payload["ledger_head"] : json();
  ImportedShare out;
  {
    security::TreeHead th;
    Result<security::Hash> root = security::HashFromHex(head.value("root_hash", std::string()));
    Result<security::Signature> hs =
        security::SignatureFromHex(head.value("signature", std::string()));
    if (!root.ok() || !hs.ok()) {
      return InvalidArgument("{}: the sender's ledger head is malformed", name);
    }
    th.size = head.value("tree_size", uint64_t{0});
    th.root = *root;
    th.ts = head.value("timestamp", int64_t{0});
    if (!security::VerifySignature(sender, security::TreeHeadMessage(th), *hs)) {
      return InvalidArgument("{}: the sender's ledger head is not signed by its key", name);
    }
    out.sender_ledger_size = th.size;
  }

  // Every bucket within the agreement: its window, its width, its functions.
  const json& functions = payload.contains("functions") ? payload["functions"] : json();
  if (!functions.is_array() || functions.size() != a.functions.size()) {
    return InvalidArgument("{}: the functions are not the agreement's", name);
  }
  for (size_t i = 0; i < functions.size(); ++i) {
    if (!functions[i].is_string() || functions[i] != analytics::AggName(a.functions[i])) {
      return InvalidArgument("{}: the functions are not the agreement's", name);
    }
  }
  const json& series = payload.contains("series") ? payload["series"] : json();
  if (!series.is_array()) return InvalidArgument("{}: no series", name);
  if (!series.empty() && a.every_ns <= 0) {
    return InvalidArgument("{}: series, but agreement {} shares no tags", name, a.id);
  }
  // Buckets are aligned to the epoch: the first may start before the window does.
  const int64_t first_bucket =
      a.every_ns > 0 ? a.from_ns - ((a.from_ns % a.every_ns) + a.every_ns) % a.every_ns : 0;
  SampleBatch batch;
  for (const json& s : series) {
    FH_ASSIGN_OR_RETURN(const std::string tag, Text(s, "tag", where + ": series"));
    if (!s.contains("buckets") || !s["buckets"].is_array()) {
      return InvalidArgument("{}: series {} has no buckets", name, tag);
    }
    for (const json& b : s["buckets"]) {
      if (!b.is_array() || b.size() != 2 + a.functions.size() || !b[0].is_number_integer()) {
        return InvalidArgument("{}: series {}: a bucket is not [start_ns, count, {}]", name, tag,
                               a.functions.size());
      }
      const int64_t start = b[0].get<int64_t>();
      if (start < first_bucket || start >= a.to_ns || start % a.every_ns != 0) {
        return InvalidArgument("{}: series {}: a bucket at {} is not one of agreement {}", name,
                               tag, FormatRfc3339(start), a.id);
      }
      for (size_t f = 0; f < a.functions.size(); ++f) {
        const json& v = b[2 + f];
        if (v.is_null()) continue;  // NaN in JSON
        if (!v.is_number())
          return InvalidArgument("{}: series {}: a value is no number", name, tag);
        batch.Add(fmt::format("{}.{}.{}", a.store_as, tag, analytics::AggName(a.functions[f])),
                  start, v.get<double>());
      }
    }
    ++out.series;
  }

  FH_ASSIGN_OR_RETURN(std::vector<SharedRecord> records, ReadSharedRecords(payload, a, name));

  out.agreement = a.id;
  out.sha256 = Sha256Hex(package);
  out.sender_hub = payload.contains("sender") && payload["sender"].is_object()
                       ? payload["sender"].value("hub", "")
                       : "";
  out.sender_key_id = sender_hex.substr(0, 16);
  out.points = static_cast<int64_t>(batch.size());
  out.records = static_cast<int64_t>(records.size());
  if (!records.empty()) {
    for (SharedRecord& r : records) {
      r.sender_hub = out.sender_hub;
      r.package_sha256 = out.sha256;
      r.imported_at = now;
    }
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(UnitOfWork unit, session.Begin());
    FH_RETURN_IF_ERROR(session.shares().PutRecords(records));
    FH_RETURN_IF_ERROR(unit.Commit());
  }
  {
    pipeline::StreamIngest ingest(hub);
    const pipeline::StreamSource source{
        "share", fmt::format("{} (agreement {} from {}, sha256 {})", name, a.id, out.sender_hub,
                             out.sha256.substr(0, 16))};
    FH_ASSIGN_OR_RETURN(std::vector<govern::RejectedPoint> failed,
                        ingest.Write(source, "share", batch, {}));
    out.points -= static_cast<int64_t>(failed.size());
    FH_RETURN_IF_ERROR(ingest.Flush());
  }
  FH_RETURN_IF_ERROR(RecordAudit(hub, {std::string(actor), "share.import", a.id,
                                       json{{"sender_hub", out.sender_hub},
                                            {"sender_key", sender_hex},
                                            {"package_sha256", out.sha256},
                                            {"series", out.series},
                                            {"points", out.points},
                                            {"records", out.records},
                                            {"sender_ledger_size", out.sender_ledger_size}}}));
  {
    CatalogSession session = hub.OpenCatalog();
    FH_ASSIGN_OR_RETURN(std::optional<SignedTreeHead> mine, session.audit().LatestHead());
    out.ledger_entry = mine ? mine->head.size - 1 : 0;
  }
  return out;
}

Status RevokeAgreement(Hub& hub, std::string_view id, std::string_view reason,
                       std::string_view actor, TimestampNs now) {
  {
    CatalogSession session = hub.OpenCatalog();
    FH_RETURN_IF_ERROR(
        session.shares().Revoke({std::string(id), now, std::string(actor), std::string(reason)}));
  }
  return RecordAudit(hub, {std::string(actor), "share.revoke", std::string(id),
                           json{{"reason", std::string(reason)}}});
}

}  // namespace fh::share
