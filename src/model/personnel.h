// Personnel and qualifications (ISA-95 personnel model): who holds which qualification
// until when, and which qualifications an equipment requires of its operators.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/lineage.h"
#include "model/sample.h"

namespace fh {

// Natural key: code (employee number or badge).
struct Personnel {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::optional<int64_t> site_id;  // asset.id of the site the person belongs to
  bool active = true;
  Lineage lineage;
  bool operator==(const Personnel&) const = default;
};

// A kind of qualification ("press-operation", "forklift"). Natural key: code.
struct Qualification {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::optional<std::string> description;
  Lineage lineage;
  bool operator==(const Qualification&) const = default;
};

// A person holds a qualification during [valid_from, valid_to); an empty bound is open.
// Natural key: (personnel_id, qualification_id).
struct PersonnelQualification {
  int64_t id = 0;
  int64_t personnel_id = 0;
  int64_t qualification_id = 0;
  std::optional<TimestampNs> valid_from;
  std::optional<TimestampNs> valid_to;
  Lineage lineage;
  bool operator==(const PersonnelQualification&) const = default;
};

// Operating the equipment (asset) requires the qualification.
// Natural key: (equipment_id, qualification_id).
struct EquipmentQualification {
  int64_t id = 0;
  int64_t equipment_id = 0;
  int64_t qualification_id = 0;
  Lineage lineage;
  bool operator==(const EquipmentQualification&) const = default;
};

}  // namespace fh
