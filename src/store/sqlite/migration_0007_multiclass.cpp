#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// Multi-class models (docs/ml.md): the registry learns the task 'multiclass' and stores a
// model's classes; an alarm of a multi-class model names the class it predicted and has no
// threshold. SQLite cannot change a CHECK constraint in place: both tables are rebuilt,
// keeping every row.
const Migration kMigration0007Multiclass = {7, "multiclass", R"sql(
CREATE TABLE model_v7 (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL CHECK (length(name) > 0),
  version           INTEGER NOT NULL CHECK (version > 0),
  kind              TEXT NOT NULL,                      -- xgboost, logistic, linear, mlp, ...
  task              TEXT NOT NULL
                    CHECK (task = 'binary' OR task = 'multiclass' OR task = 'regression'),
  stage             TEXT NOT NULL DEFAULT 'candidate'
                    CHECK (stage = 'candidate' OR stage = 'production' OR stage = 'archived'),
  spec              TEXT NOT NULL,                      -- the training spec, as written
  features          TEXT NOT NULL,                      -- JSON: the resolved feature specs
  threshold         REAL,                               -- binary: the decision threshold
  classes           TEXT NOT NULL DEFAULT '{}',         -- JSON: multi-class {names, normal}
  report            TEXT NOT NULL,                      -- JSON: the cross-validation report
  training_rows     INTEGER NOT NULL CHECK (training_rows >= 0),
  training_batches  TEXT NOT NULL,                      -- JSON: ids of the ingest batches read
  data              BLOB NOT NULL,                      -- the fitted model (Model::Save)
  created_at        INTEGER NOT NULL,
  UNIQUE (name, version)
) STRICT;
INSERT INTO model_v7(id, name, version, kind, task, stage, spec, features, threshold, report,
                     training_rows, training_batches, data, created_at)
  SELECT id, name, version, kind, task, stage, spec, features, threshold, report,
         training_rows, training_batches, data, created_at FROM model;
DROP TABLE model;
ALTER TABLE model_v7 RENAME TO model;
CREATE UNIQUE INDEX model_in_production ON model(name) WHERE stage = 'production';

CREATE TABLE alarm_v7 (
  id           INTEGER PRIMARY KEY,
  model        TEXT NOT NULL,                 -- name@version that raised it
  model_name   TEXT NOT NULL,
  equipment    TEXT NOT NULL,                 -- asset path, or the unit
  ts           INTEGER NOT NULL,              -- the scored row's time
  class        TEXT,                          -- multi-class: the predicted class
  probability  REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
  threshold    REAL,                          -- binary: the model's threshold
  reasons      TEXT NOT NULL,                 -- JSON: [{feature, value, contribution}]
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'acknowledged'),
  created_at   INTEGER NOT NULL,
  UNIQUE (model_name, equipment, ts)
) STRICT;
INSERT INTO alarm_v7(id, model, model_name, equipment, ts, probability, threshold, reasons,
                     status, created_at)
  SELECT id, model, model_name, equipment, ts, probability, threshold, reasons, status,
         created_at FROM alarm;
DROP TABLE alarm;
ALTER TABLE alarm_v7 RENAME TO alarm;
CREATE INDEX alarm_by_time ON alarm(ts);
)sql"};

}  // namespace fh::sqlite
