#include "analytics/people/people_json.h"

#include "common/personal_mask.h"

namespace fh::analytics::people {
namespace {

using Json = nlohmann::ordered_json;

std::string Shown(const std::string& text, bool mask) {
  return mask ? MaskPersonal(text) : text;
}

Json OptionalText(const std::string& text) {
  return text.empty() ? Json(nullptr) : Json(text);
}

Json OptionalTime(const std::optional<TimestampNs>& t) {
  return t ? Json(FormatRfc3339(*t)) : Json(nullptr);
}

Json AlertJson(const CertificateAlert& a, bool mask) {
  return Json{
      {"person", a.person},
      {"name", Shown(a.name, mask)},
      {"class", OptionalText(a.person_class)},
      {"shift", OptionalText(a.shift)},
      {"line", OptionalText(a.line)},
      {"qualification", a.qualification},
      {"certificate", a.certificate.empty() ? Json(nullptr) : Json(Shown(a.certificate, mask))},
      {"valid_to", FormatRfc3339(a.valid_to)},
      {"days_left", a.days_left},
      {"required_on_line", a.required_on_line}};
}

}  // namespace

Json SkillsMatrixJson(const SkillsMatrix& matrix, bool mask) {
  Json lines = Json::array();
  for (const LineMatrix& m : matrix.lines) {
    Json columns = Json::array();
    for (const MatrixColumn& c : m.columns) {
      columns.push_back(
          Json{{"qualification", c.code},
               {"name", c.name},
               {"operations", c.operations},
               {"required", c.required},
               {"equipment", c.equipment},
               {"min_per_shift", c.required ? Json(c.min_per_shift) : Json(nullptr)}});
    }
    Json rows = Json::array();
    for (const MatrixRow& r : m.rows) {
      Json cells = Json::array();
      for (const MatrixCell& cell : r.cells) {
        cells.push_back(
            Json{{"status", std::string(ToString(cell.status))},
                 {"valid_from", OptionalTime(cell.valid_from)},
                 {"valid_to", OptionalTime(cell.valid_to)},
                 {"days_left", cell.days_left ? Json(*cell.days_left) : Json(nullptr)},
                 {"certificate",
                  cell.certificate.empty() ? Json(nullptr) : Json(Shown(cell.certificate, mask))}});
      }
      rows.push_back(Json{{"person", r.person},
                          {"name", Shown(r.name, mask)},
                          {"class", OptionalText(r.person_class)},
                          {"shift", OptionalText(r.shift)},
                          {"missing_required", r.missing_required},
                          {"cells", std::move(cells)}});
    }
    lines.push_back(
        Json{{"line", m.line}, {"columns", std::move(columns)}, {"rows", std::move(rows)}});
  }
  return Json{{"at", FormatRfc3339(matrix.at)},
              {"within_days", matrix.within_days},
              {"lines", std::move(lines)}};
}

Json SkillGapsJson(const SkillGaps& g, bool mask) {
  Json gaps = Json::array();
  for (const ShiftGap& s : g.gaps) {
    gaps.push_back(Json{{"line", s.line},
                        {"qualification", s.qualification},
                        {"shift", s.shift},
                        {"qualified", s.qualified},
                        {"expiring", s.expiring},
                        {"required", s.required},
                        {"shortfall", s.shortfall},
                        {"shortfall_after_expiry", s.shortfall_after_expiry}});
  }
  Json qualifications = Json::array();
  for (const QualificationGap& q : g.qualifications) {
    qualifications.push_back(Json{{"qualification", q.code},
                                  {"name", q.name},
                                  {"operations", q.operations},
                                  {"lines", q.lines},
                                  {"holders", q.holders},
                                  {"holders_per_shift", q.holders_per_shift},
                                  {"required_per_shift", q.required_per_shift},
                                  {"required", q.required},
                                  {"shortfall", q.shortfall},
                                  {"shortfall_after_expiry", q.shortfall_after_expiry},
                                  {"expiring", q.expiring},
                                  {"expired", q.expired}});
  }
  Json expiring = Json::array();
  for (const CertificateAlert& a : g.expiring)
    expiring.push_back(AlertJson(a, mask));
  Json expired = Json::array();
  for (const CertificateAlert& a : g.expired)
    expired.push_back(AlertJson(a, mask));
  Json unqualified = Json::array();
  for (const UnqualifiedAssignment& u : g.unqualified) {
    unqualified.push_back(Json{{"work_order", u.work_order},
                               {"equipment", u.equipment},
                               {"person", u.person},
                               {"name", Shown(u.name, mask)},
                               {"at", FormatRfc3339(u.at)},
                               {"missing", u.missing}});
  }
  return Json{{"at", FormatRfc3339(g.at)},
              {"within_days", g.within_days},
              {"shifts", g.shifts},
              {"lines", g.lines},
              {"shortfall", g.shortfall},
              {"gaps", std::move(gaps)},
              {"qualifications", std::move(qualifications)},
              {"expiring", std::move(expiring)},
              {"expired", std::move(expired)},
              {"unqualified", std::move(unqualified)},
              {"warnings", g.warnings}};
}

}  // namespace fh::analytics::people
