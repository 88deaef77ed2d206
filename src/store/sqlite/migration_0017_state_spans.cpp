#include "store/sqlite/migrations.h"

namespace fh::sqlite {

// OEE reads a year of a plant's states at a time, machine by machine: an index that holds
// every column it reads answers from the index alone, without a table lookup per event.
const Migration kMigration0017StateSpans = {17, "state spans index", R"sql(
CREATE INDEX equipment_state_event_spans
  ON equipment_state_event(equipment_id, start_ts, end_ts, state, reason_id);
)sql"};

}  // namespace fh::sqlite
