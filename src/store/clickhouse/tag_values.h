// An answer of (tag, Int64) rows — counts, times — read into a map: what compaction and
// deletion ask ClickHouse for by tag.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"
#include "store/clickhouse/clickhouse_http.h"
#include "store/clickhouse/row_binary.h"

namespace fh::clickhouse {

// `sql` selects a String and an Int64 per row (FORMAT RowBinary is appended).
inline Result<std::map<std::string, int64_t>> IntegersByTag(HttpClient& client,
                                                            const std::string& sql) {
  FH_ASSIGN_OR_RETURN(std::string answer, client.Query(sql + " FORMAT RowBinary"));
  std::map<std::string, int64_t> out;
  for (RowBinaryCursor cursor(answer); !cursor.done();) {
    std::string tag;
    int64_t n = 0;
    if (!cursor.String(&tag) || !cursor.Fixed(&n)) {
      return Internal("ClickHouse's answer ended in the middle of a row: {}", sql);
    }
    out[tag] = n;
  }
  return out;
}

}  // namespace fh::clickhouse
