#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Custom attributes of any entity's records (model/attribute.h): one row per record and
// name, so two sources' attributes of one record sit side by side and a re-import changes
// only what differs. The value column is ANY: a number stays a number for comparisons.
// Also where personal data is (below).
// No foreign key on batch_id: an upsert through a foreign key keeps a statement journal.
const Migration kMigration0014Attributes = {14, "attributes", R"sql(
CREATE TABLE entity_attribute (
  entity     TEXT NOT NULL,
  record_id  INTEGER NOT NULL,
  name       TEXT NOT NULL CHECK (name <> ''),
  type       TEXT NOT NULL CHECK (type IN ('text', 'real', 'int', 'time', 'bool')),
  value      ANY NOT NULL,
  batch_id   INTEGER,
  PRIMARY KEY (entity, record_id, name)
) STRICT, WITHOUT ROWID;
CREATE INDEX entity_attribute_by_value ON entity_attribute(entity, name, value);
-- Personal data a mapping names (`personal: true`): the fields and attributes of an entity
-- that `records` masks, and per quarantined record the source columns its lists and
-- exports mask (a JSON array of names; NULL: none).
CREATE TABLE personal_field (
  entity   TEXT NOT NULL,
  name     TEXT NOT NULL,
  mapping  TEXT NOT NULL,
  PRIMARY KEY (entity, name)
) STRICT, WITHOUT ROWID;
ALTER TABLE quarantine ADD COLUMN personal TEXT;
)sql"};

}  // namespace fh::sqlite
