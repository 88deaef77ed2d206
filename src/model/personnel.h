// Personnel and qualifications (ISA-95 personnel model): who holds which qualification
// until when, and which qualifications an equipment requires of its operators.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // ISA-95 PersonnelClass: "operator", "setter", "maintenance technician" (free text).
  std::optional<std::string> personnel_class;
  std::optional<std::string> shift;  // the shift the person works ("early", "A"), free text
  std::optional<int64_t> line_id;    // asset.id of the home line (the work unit they belong to)
  Lineage lineage;
  bool operator==(const Personnel&) const = default;
};

// A kind of qualification ("press-operation", "forklift"). Natural key: code.
struct Qualification {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::optional<std::string> description;
  // The operations the qualification allows, as operation codes separated by commas
  // ("turning, boring"); see SplitOperations.
  std::optional<std::string> operations;
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
  std::optional<TimestampNs> valid_to;     // the certificate's expiry
  std::optional<std::string> certificate;  // the certificate's number
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

// The operation codes of Qualification::operations: split at commas and semicolons, trimmed,
// empty ones left out, in the order written.
std::vector<std::string> SplitOperations(std::string_view operations);

}  // namespace fh
