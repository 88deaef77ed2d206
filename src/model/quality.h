// Quality inspections: one measured or judged characteristic of one sample. Rows with the
// same characteristic and inspected_at form an SPC subgroup (sample_no 1..n).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/enum_names.h"
#include "model/lineage.h"
#include "model/sample.h"

namespace fh {

enum class InspectionResult { kPass, kFail };
inline constexpr EnumNames<InspectionResult, 2> kInspectionResultNames = {{
    {InspectionResult::kPass, "pass"},
    {InspectionResult::kFail, "fail"},
}};
inline std::string_view ToString(InspectionResult v) {
  return EnumToString(kInspectionResultNames, v);
}
inline Result<InspectionResult> ParseInspectionResult(std::string_view s) {
  return EnumParse(kInspectionResultNames, "inspection result", s);
}

// Natural key: (characteristic, inspected_at, sample_no, equipment_id, work_order_id,
// lot_id), an absent id counting as one value.
struct Inspection {
  int64_t id = 0;
  std::string characteristic;  // "bore_diameter"
  TimestampNs inspected_at = 0;
  int64_t sample_no = 1;  // position in the subgroup, >= 1
  std::optional<int64_t> equipment_id;
  std::optional<int64_t> work_order_id;
  std::optional<int64_t> lot_id;
  std::optional<int64_t> inspector_id;  // personnel.id
  std::optional<double> value;          // empty for attribute (go / no-go) checks
  std::optional<std::string> unit;
  std::optional<double> lsl;  // lower / upper specification limits; lsl <= usl
  std::optional<double> usl;
  std::optional<double> target;
  InspectionResult result = InspectionResult::kPass;
  std::optional<std::string> defect_code;
  Lineage lineage;
  bool operator==(const Inspection&) const = default;
};

}  // namespace fh
