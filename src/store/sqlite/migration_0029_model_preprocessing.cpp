#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// A model's learned preprocessing (docs/ml.md "Preprocessing"): the regimes, normalisation,
// imputation, scaling and dropped features fitted with it, as JSON, which predict and serve
// apply before the model; '' for a model without any.
const Migration kMigration0029ModelPreprocessing = {29, "model_preprocessing", R"sql(
ALTER TABLE model ADD COLUMN preprocessing TEXT NOT NULL DEFAULT '';
)sql"};

}  // namespace fh::sqlite
