#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// The model registry (docs/ml.md): every model `factoryhub train` stores, versioned per
// name, with what it was trained from and how well it did.
const Migration kMigration0005Models = {5, "models", R"sql(
CREATE TABLE model (
  id                INTEGER PRIMARY KEY,
  name              TEXT NOT NULL CHECK (length(name) > 0),
  version           INTEGER NOT NULL CHECK (version > 0),
  kind              TEXT NOT NULL,                      -- xgboost, logistic, linear
  task              TEXT NOT NULL CHECK (task = 'binary' OR task = 'regression'),
  stage             TEXT NOT NULL DEFAULT 'candidate'
                    CHECK (stage = 'candidate' OR stage = 'production' OR stage = 'archived'),
  spec              TEXT NOT NULL,                      -- the training spec, as written
  features          TEXT NOT NULL,                      -- JSON: the resolved feature specs
  threshold         REAL,                               -- binary: the decision threshold
  report            TEXT NOT NULL,                      -- JSON: the cross-validation report
  training_rows     INTEGER NOT NULL CHECK (training_rows >= 0),
  training_batches  TEXT NOT NULL,                      -- JSON: ids of the ingest batches read
  data              BLOB NOT NULL,                      -- the fitted model (Model::Save)
  created_at        INTEGER NOT NULL,
  UNIQUE (name, version)
) STRICT;
-- At most one production version per name.
CREATE UNIQUE INDEX model_in_production ON model(name) WHERE stage = 'production';
)sql"};

}  // namespace fh::sqlite
