// GET /api/v1/audit/head and /api/v1/audit/proof: the audit ledger's newest signed tree head
// and an entry's inclusion proof, as `factoryhub audit head|proof --json` print them
// (docs/security.md), for anyone who keeps heads or checks entries from elsewhere.
#include "api/http_reply.h"
#include "api/routes.h"
#include "store/audit/audit_json.h"
#include "store/catalog_session.h"

namespace fh::api {

void HandleAuditHead(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {}, &field); !s.ok()) return ReplyError(res, s, field);
  Result<std::optional<SignedTreeHead>> head = [&] {
    CatalogSession session = hub.OpenCatalog();
    return session.audit().LatestHead();
  }();
  if (!head.ok()) return ReplyError(res, head.status());
  if (!*head) return ReplyError(res, NotFound("the audit ledger is empty: nothing signed yet"));
  Result<security::SigningKey> key = HubSigningKey(hub);
  if (!key.ok()) return ReplyError(res, key.status());
  ReplyJson(res, SignedHeadJson(**head, key->public_key()));
}

void HandleAuditProof(Hub& hub, const HttpRequest& req, HttpResponse& res) {
  std::string field;
  if (Status s = CheckParams(req, {"entry", "size"}, &field); !s.ok()) {
    return ReplyError(res, s, field);
  }
  if (!req.HasParam("entry")) {
    return ReplyError(res, InvalidArgument("entry is required: the entry's number"), "entry");
  }
  Result<uint64_t> entry = CountParam(req, "entry", 0);
  if (!entry.ok()) return ReplyError(res, entry.status(), "entry");
  Result<uint64_t> size = CountParam(req, "size", 0);
  if (!size.ok()) return ReplyError(res, size.status(), "size");
  Result<security::SigningKey> key = HubSigningKey(hub);
  if (!key.ok()) return ReplyError(res, key.status());
  Result<nlohmann::ordered_json> proof = [&] {
    CatalogSession session = hub.OpenCatalog();
    return InclusionProofJson(session.audit(), *entry, *size, key->public_key());
  }();
  if (!proof.ok()) return ReplyError(res, proof.status(), "entry");
  ReplyJson(res, *proof);
}

}  // namespace fh::api
