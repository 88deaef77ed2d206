// Catalog: personnel, qualifications, who holds them and which equipment requires them.
#include "store/catalog/catalog.h"
#include "store/catalog/catalog_internal.h"

namespace fh {

using namespace catalog_internal;

namespace {

#define PERSONNEL_COLUMNS \
  "id, code, name, site_id, active, personnel_class, shift, line_id, " FH_LINEAGE_COLUMNS
#define QUALIFICATION_COLUMNS "id, code, name, description, operations, " FH_LINEAGE_COLUMNS
#define PQ_COLUMNS \
  "id, personnel_id, qualification_id, valid_from, valid_to, certificate, " FH_LINEAGE_COLUMNS
#define EQ_COLUMNS "id, equipment_id, qualification_id, " FH_LINEAGE_COLUMNS

Result<Personnel> ReadPersonnel(Row& r) {
  Personnel p;
  p.id = r.Int();
  p.code = r.Text();
  p.name = r.Text();
  p.site_id = r.OptInt();
  p.active = r.Bool();
  p.personnel_class = r.OptText();
  p.shift = r.OptText();
  p.line_id = r.OptInt();
  p.lineage = r.ReadLineage();
  return p;
}

Result<Qualification> ReadQualification(Row& r) {
  Qualification q;
  q.id = r.Int();
  q.code = r.Text();
  q.name = r.Text();
  q.description = r.OptText();
  q.operations = r.OptText();
  q.lineage = r.ReadLineage();
  return q;
}

Result<PersonnelQualification> ReadPq(Row& r) {
  PersonnelQualification pq;
  pq.id = r.Int();
  pq.personnel_id = r.Int();
  pq.qualification_id = r.Int();
  pq.valid_from = r.OptInt();
  pq.valid_to = r.OptInt();
  pq.certificate = r.OptText();
  pq.lineage = r.ReadLineage();
  return pq;
}

Result<EquipmentQualification> ReadEq(Row& r) {
  EquipmentQualification eq;
  eq.id = r.Int();
  eq.equipment_id = r.Int();
  eq.qualification_id = r.Int();
  eq.lineage = r.ReadLineage();
  return eq;
}

std::string PersonnelKey(std::string_view code) {
  return fmt::format("personnel '{}'", code);
}
std::string QualificationKey(std::string_view code) {
  return fmt::format("qualification '{}'", code);
}

}  // namespace

Result<int64_t> Catalog::UpsertPersonnel(const Personnel& person) {
  Personnel p = person;
  FH_ASSIGN_OR_RETURN(p.name, Sealed("personnel", "name", p.name));
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO personnel(code, name, site_id, active, personnel_class, shift, "
                "line_id, " FH_LINEAGE_COLUMNS ") VALUES(?, ?, ?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
                "site_id = excluded.site_id, active = excluded.active, "
                "personnel_class = excluded.personnel_class, shift = excluded.shift, "
                "line_id = excluded.line_id, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, p.code, p.name, p.site_id, p.active, p.personnel_class, p.shift, p.line_id,
          p.lineage);
  return ReturningId(*st, PersonnelKey(p.code));
}

Result<Personnel> Catalog::GetPersonnel(int64_t id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " PERSONNEL_COLUMNS " FROM personnel WHERE id = ?"));
  BindAll(*st, id);
  FH_ASSIGN_OR_RETURN(Personnel p, ReadOne(*st, ReadPersonnel, fmt::format("personnel id {}", id)));
  FH_RETURN_IF_ERROR(Reveal(p));
  return p;
}

Result<Personnel> Catalog::FindPersonnel(std::string_view code) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " PERSONNEL_COLUMNS " FROM personnel WHERE code = ?"));
  BindAll(*st, code);
  FH_ASSIGN_OR_RETURN(Personnel p, ReadOne(*st, ReadPersonnel, PersonnelKey(code)));
  FH_RETURN_IF_ERROR(Reveal(p));
  return p;
}

Result<std::vector<Personnel>> Catalog::ListPersonnel() {
  FH_ASSIGN_OR_RETURN(ScopedStmt st,
                      Statement("SELECT " PERSONNEL_COLUMNS " FROM personnel ORDER BY code"));
  FH_ASSIGN_OR_RETURN(std::vector<Personnel> all, ReadAll(*st, ReadPersonnel, "personnel"));
  for (Personnel& p : all)
    FH_RETURN_IF_ERROR(Reveal(p));
  return all;
}

Result<int64_t> Catalog::UpsertQualification(const Qualification& q) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement(
          "INSERT INTO qualification(code, name, description, operations, " FH_LINEAGE_COLUMNS
          ") VALUES(?, ?, ?, ?, " FH_LINEAGE_PARAMS
          ") ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
          "description = excluded.description, operations = excluded.operations, " FH_LINEAGE_UPDATE
          " RETURNING id"));
  BindAll(*st, q.code, q.name, q.description, q.operations, q.lineage);
  return ReturningId(*st, QualificationKey(q.code));
}

Result<Qualification> Catalog::GetQualification(int64_t id) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st, Statement("SELECT " QUALIFICATION_COLUMNS " FROM qualification WHERE id = ?"));
  BindAll(*st, id);
  return ReadOne(*st, ReadQualification, fmt::format("qualification id {}", id));
}

Result<Qualification> Catalog::FindQualification(std::string_view code) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " QUALIFICATION_COLUMNS
                                               " FROM qualification WHERE code = ?"));
  BindAll(*st, code);
  return ReadOne(*st, ReadQualification, QualificationKey(code));
}

Result<std::vector<Qualification>> Catalog::ListQualifications() {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " QUALIFICATION_COLUMNS
                                               " FROM qualification ORDER BY code"));
  return ReadAll(*st, ReadQualification, "qualifications");
}

Result<int64_t> Catalog::UpsertPersonnelQualification(const PersonnelQualification& held) {
  PersonnelQualification pq = held;
  if (pq.certificate) {
    FH_ASSIGN_OR_RETURN(*pq.certificate,
                        Sealed("personnel_qualification", "certificate", *pq.certificate));
  }
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("INSERT INTO personnel_qualification(personnel_id, qualification_id, "
                "valid_from, valid_to, certificate, " FH_LINEAGE_COLUMNS
                ") VALUES(?, ?, ?, ?, ?, " FH_LINEAGE_PARAMS
                ") ON CONFLICT(personnel_id, qualification_id) DO UPDATE SET "
                "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
                "certificate = excluded.certificate, " FH_LINEAGE_UPDATE " RETURNING id"));
  BindAll(*st, pq.personnel_id, pq.qualification_id, pq.valid_from, pq.valid_to, pq.certificate,
          pq.lineage);
  return ReturningId(*st, fmt::format("personnel_qualification (personnel {}, qualification {})",
                                      pq.personnel_id, pq.qualification_id));
}

Result<std::vector<PersonnelQualification>> Catalog::ListPersonnelQualifications(
    int64_t personnel_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " PQ_COLUMNS " FROM personnel_qualification "
                                               "WHERE personnel_id = ? ORDER BY qualification_id"));
  BindAll(*st, personnel_id);
  FH_ASSIGN_OR_RETURN(
      std::vector<PersonnelQualification> held,
      ReadAll(*st, ReadPq, fmt::format("qualifications of personnel {}", personnel_id)));
  for (PersonnelQualification& pq : held) {
    if (pq.certificate)
      FH_RETURN_IF_ERROR(Reveal("personnel_qualification", "certificate", *pq.certificate));
  }
  return held;
}

Result<int64_t> Catalog::UpsertEquipmentQualification(const EquipmentQualification& eq) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement(
          "INSERT INTO equipment_qualification(equipment_id, qualification_id, " FH_LINEAGE_COLUMNS
          ") VALUES(?, ?, " FH_LINEAGE_PARAMS
          ") ON CONFLICT(equipment_id, qualification_id) DO UPDATE SET " FH_LINEAGE_UPDATE
          " RETURNING id"));
  BindAll(*st, eq.equipment_id, eq.qualification_id, eq.lineage);
  return ReturningId(*st, fmt::format("equipment_qualification (equipment {}, qualification {})",
                                      eq.equipment_id, eq.qualification_id));
}

Result<std::vector<EquipmentQualification>> Catalog::ListEquipmentQualifications(
    int64_t equipment_id) {
  FH_ASSIGN_OR_RETURN(ScopedStmt st, Statement("SELECT " EQ_COLUMNS " FROM equipment_qualification "
                                               "WHERE equipment_id = ? ORDER BY qualification_id"));
  BindAll(*st, equipment_id);
  return ReadAll(*st, ReadEq, fmt::format("qualifications required by asset {}", equipment_id));
}

// A qualification counts if held with valid_from <= at < valid_to (open bounds allowed).
Result<std::vector<Qualification>> Catalog::MissingQualifications(int64_t personnel_id,
                                                                  int64_t equipment_id,
                                                                  TimestampNs at) {
  FH_ASSIGN_OR_RETURN(
      ScopedStmt st,
      Statement("SELECT q.id, q.code, q.name, q.description, q.operations, q.source_system, "
                "q.source_object, "
                "q.source_line, q.mapping_version, q.batch_id FROM equipment_qualification e "
                "JOIN qualification q ON q.id = e.qualification_id WHERE e.equipment_id = ?2 "
                "AND NOT EXISTS (SELECT 1 FROM personnel_qualification p "
                "WHERE p.personnel_id = ?1 AND p.qualification_id = e.qualification_id "
                "AND (p.valid_from IS NULL OR p.valid_from <= ?3) "
                "AND (p.valid_to IS NULL OR p.valid_to > ?3)) ORDER BY q.code"));
  BindAll(*st, personnel_id, equipment_id, at);
  return ReadAll(
      *st, ReadQualification,
      fmt::format("qualifications of personnel {} for asset {}", personnel_id, equipment_id));
}

}  // namespace fh
