#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// People and qualifications as an HR export has them (docs/people.md): a person's ISA-95
// personnel class, shift and home line (the work unit they belong to); the operations a
// qualification allows; a certificate's number beside its validity. The three tables are
// rebuilt so the lineage columns stay last, as in every entity table; other tables refer to
// personnel and qualification, so foreign keys are off while they are
// (Migration::rebuilds_referenced_table).
const Migration kMigration0025People = {25, "people", R"sql(
CREATE TABLE personnel_v25 (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  name             TEXT NOT NULL,
  site_id          INTEGER REFERENCES asset(id),
  active           INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
  personnel_class  TEXT,
  shift            TEXT,
  line_id          INTEGER REFERENCES asset(id),
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;
INSERT INTO personnel_v25(id, code, name, site_id, active, source_system, source_object,
  source_line, mapping_version, batch_id)
SELECT id, code, name, site_id, active, source_system, source_object, source_line,
  mapping_version, batch_id FROM personnel;
DROP TABLE personnel;
ALTER TABLE personnel_v25 RENAME TO personnel;
CREATE INDEX personnel_by_site ON personnel(site_id);
CREATE INDEX personnel_by_line ON personnel(line_id, shift);

CREATE TABLE qualification_v25 (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE CHECK (length(code) > 0),
  name             TEXT NOT NULL,
  description      TEXT,
  operations       TEXT,
  source_system    TEXT,
  source_object    TEXT,
  source_line      INTEGER,
  mapping_version  TEXT,
  batch_id         INTEGER REFERENCES ingest_batch(id)
) STRICT;
INSERT INTO qualification_v25(id, code, name, description, source_system, source_object,
  source_line, mapping_version, batch_id)
SELECT id, code, name, description, source_system, source_object, source_line,
  mapping_version, batch_id FROM qualification;
DROP TABLE qualification;
ALTER TABLE qualification_v25 RENAME TO qualification;

CREATE TABLE personnel_qualification_v25 (
  id                INTEGER PRIMARY KEY,
  personnel_id      INTEGER NOT NULL REFERENCES personnel(id) ON DELETE CASCADE,
  qualification_id  INTEGER NOT NULL REFERENCES qualification(id),
  valid_from        INTEGER,
  valid_to          INTEGER,
  certificate       TEXT,
  source_system     TEXT,
  source_object     TEXT,
  source_line       INTEGER,
  mapping_version   TEXT,
  batch_id          INTEGER REFERENCES ingest_batch(id),
  UNIQUE (personnel_id, qualification_id),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
) STRICT;
INSERT INTO personnel_qualification_v25(id, personnel_id, qualification_id, valid_from,
  valid_to, source_system, source_object, source_line, mapping_version, batch_id)
SELECT id, personnel_id, qualification_id, valid_from, valid_to, source_system,
  source_object, source_line, mapping_version, batch_id FROM personnel_qualification;
DROP TABLE personnel_qualification;
ALTER TABLE personnel_qualification_v25 RENAME TO personnel_qualification;
CREATE INDEX personnel_qualification_by_qualification
  ON personnel_qualification(qualification_id);
)sql",
                                        /*rebuilds_referenced_table=*/true};

}  // namespace fh::sqlite
