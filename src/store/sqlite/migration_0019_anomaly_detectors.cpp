#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Anomaly detectors (docs/anomaly.md) in the model registry: the task 'anomaly'. SQLite
// cannot change a CHECK constraint in place: the table is rebuilt, keeping every row.
const Migration kMigration0019AnomalyDetectors = {19, "anomaly_detectors", R"sql(
CREATE TABLE model_v19 (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL CHECK (length(name) > 0),
  version           INTEGER NOT NULL CHECK (version > 0),
  kind              TEXT NOT NULL,                      -- xgboost, logistic, ..., pca
  task              TEXT NOT NULL
                    CHECK (task IN ('binary', 'multiclass', 'regression', 'anomaly')),
  stage             TEXT NOT NULL DEFAULT 'candidate'
                    CHECK (stage = 'candidate' OR stage = 'production' OR stage = 'archived'),
  spec              TEXT NOT NULL,                      -- the training or detector spec
  features          TEXT NOT NULL,                      -- JSON: the resolved feature specs
  threshold         REAL,                               -- binary: the decision threshold
  classes           TEXT NOT NULL DEFAULT '{}',         -- JSON: multi-class {names, normal}
  report            TEXT NOT NULL,                      -- JSON: the training report
  training_rows     INTEGER NOT NULL CHECK (training_rows >= 0),
  training_batches  TEXT NOT NULL,                      -- JSON: ids of the ingest batches read
  data              BLOB NOT NULL,                      -- the fitted model (Model::Save)
  created_at        INTEGER NOT NULL,
  UNIQUE (name, version)
) STRICT;
INSERT INTO model_v19(id, name, version, kind, task, stage, spec, features, threshold, classes,
                      report, training_rows, training_batches, data, created_at)
  SELECT id, name, version, kind, task, stage, spec, features, threshold, classes, report,
         training_rows, training_batches, data, created_at FROM model;
DROP TABLE model;
ALTER TABLE model_v19 RENAME TO model;
CREATE UNIQUE INDEX model_in_production ON model(name) WHERE stage = 'production';
)sql"};

}  // namespace fh::sqlite
