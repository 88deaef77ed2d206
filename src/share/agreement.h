// A data-sharing agreement (docs/sharing.md): with whom, for what, which tags (at what
// aggregation) and which records (which fields of which entity), over which time window, what
// is pseudonymised, and until when. Both hubs read
// the same YAML: the sender exports only what it allows; the receiver stores a package only
// while it holds, and only if it names the receiver's key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "security/sealed_box.h"
#include "store/storage.h"

namespace fh::share {

// Records of one entity an agreement shares: only the fields it names; those selected by
// `where` (record conditions, as `factoryhub records --where`) and, with `time`, those whose
// time field falls in the agreement's window.
struct RecordShare {
  std::string entity;                     // a canonical entity (govern/entity_schema.h)
  std::vector<std::string> fields;        // fields or custom attributes, in this order
  std::vector<std::string> where;         // "result=fail", "standard_cost>=10"
  std::string time;                       // a time field of the entity; "" = any time
  std::vector<std::string> pseudonymise;  // of `fields`: values replaced by keyed hashes

  bool Pseudonymises(std::string_view field) const;
};

struct Agreement {
  std::string id;                        // [a-z0-9._-]+, unique between the two companies
  std::string partner;                   // who receives, as people call them
  security::BoxPublicKey partner_key{};  // the receiving hub's key (`factoryhub share key`)
  std::string purpose;
  std::vector<std::string> tags;   // names or globs of the sender's tags (may be none)
  int64_t every_ns = 0;            // buckets of this width: no finer data leaves the hub
  std::vector<Agg> functions;      // per bucket; default mean
  int64_t from_ns = 0, to_ns = 0;  // the window shared, [from, to)
  bool pseudonymise_tags = false;  // tag names replaced by keyed hashes
  std::vector<RecordShare> records;
  int64_t expires_ns = 0;  // no export and no import from then on
  std::string store_as;    // the receiver's tag prefix; default partner.<id>
  std::string text;        // the YAML as written: travels in the package

  // Parses and checks agreement YAML; errors name `file`, the line and the key.
  static Result<Agreement> Parse(const std::string& yaml, const std::string& file);
  static Result<Agreement> Load(const std::string& path);
};

}  // namespace fh::share
