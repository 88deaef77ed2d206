#include "govern/rule_checker.h"

#include <fmt/ranges.h>
#include <re2/re2.h>

#include <algorithm>
#include <unordered_map>

#include "common/fnv1a.h"
#include "common/personal_mask.h"
#include "common/text_excerpt.h"
#include "common/time.h"

namespace fh::govern {

namespace {

// A value's text for regex, sets and unique keys: numbers in shortest form.
std::string_view TextOf(const Value& v, std::string& scratch) {
  if (v.kind == Value::Kind::kText) return v.text;
  scratch = ToDisplayText(v);
  return scratch;
}

}  // namespace

class CompiledRule {
 public:
  RuleSpec spec;
  std::vector<int> fields;  // indexes into the record's fields (RecordFields)
  int per = -1;
  int signal = -1;  // samples: the one signal the rule checks (-1: every signal)
  int other = -1;   // compare: the other field's index
  std::unique_ptr<RE2> regex;
  int64_t checked = 0;
  int64_t failed = 0;
  // unique: a 64-bit digest of the values seen in this batch -> digest of the whole
  // record. Digests, not the texts, so that memory stays at ~40 bytes per distinct value
  // however long the values are (a collision would need ~2^32 distinct values to be likely).
  struct Seen {
    uint64_t record;              // digest of the whole record
    std::optional<int64_t> line;  // of the first record with the value
  };
  std::unordered_map<uint64_t, Seen> seen;
  // monotonic: last time per group.
  std::unordered_map<std::string, int64_t> last_time;
  std::string scratch;
  std::string key;

  // unique: what a record that repeats an earlier one's values is told.
  std::string SameAsEarlier(std::optional<int64_t> earlier_line) const {
    return fmt::format(
        "{} of this batch has the same {}",
        earlier_line ? fmt::format("line {}", *earlier_line) : std::string("another record"),
        fmt::join(spec.fields, ", "));
  }

  void Fail(std::vector<Violation>& out, std::string_view field, std::string value,
            std::string message) {
    ++failed;
    // Values are quoted bounded: a 10 MB value must not make a 10 MB message.
    out.push_back(Violation{spec.kind, spec.severity, spec.id, std::string(field), Excerpt(value),
                            BoundMessage(message)});
  }

  // The checks that look at one value; shared by entity records and samples.
  void CheckValue(const Value& v, std::string_view field, std::vector<Violation>& out,
                  Lookups* lookups, const FieldDef* def, int64_t now_ns) {
    switch (spec.kind) {
      case CheckKind::kNotNull:
        if (v.is_null() || (v.kind == Value::Kind::kText && v.text.empty())) {
          Fail(out, field, "", "is null");
        }
        return;
      case CheckKind::kRange: {
        if (v.is_null()) return;
        if (v.kind == Value::Kind::kNumber) {
          if ((spec.min && v.number < *spec.min) || (spec.max && v.number > *spec.max)) {
            Fail(out, field, ToDisplayText(v),
                 fmt::format("{} is outside [{}, {}]", ToDisplayText(v),
                             spec.min ? fmt::format("{}", *spec.min) : "-inf",
                             spec.max ? fmt::format("{}", *spec.max) : "inf"));
          }
        } else if (v.kind == Value::Kind::kTime) {
          if ((spec.min_time && v.time < *spec.min_time) ||
              (spec.max_time && v.time > *spec.max_time)) {
            Fail(out, field, ToDisplayText(v),
                 fmt::format("{} is outside [{}, {}]", ToDisplayText(v),
                             spec.min_time ? FormatRfc3339(*spec.min_time) : "-inf",
                             spec.max_time ? FormatRfc3339(*spec.max_time) : "inf"));
          }
        }
        return;
      }
      case CheckKind::kRegex: {
        if (v.is_null()) return;
        const std::string_view t = TextOf(v, scratch);
        if (!RE2::FullMatch(re2::StringPiece(t.data(), t.size()), *regex)) {
          Fail(out, field, std::string(t),
               fmt::format("'{}' does not match /{}/", t, spec.pattern));
        }
        return;
      }
      case CheckKind::kInSet: {
        if (v.is_null()) return;
        const std::string_view t = TextOf(v, scratch);
        if (std::find(spec.values.begin(), spec.values.end(), t) == spec.values.end()) {
          Fail(out, field, std::string(t), fmt::format("'{}' is not one of the allowed values", t));
        }
        return;
      }
      case CheckKind::kReference: {
        if (v.is_null() || !lookups || !def) return;
        Result<bool> exists = lookups->Exists(def->ref_entity, v.text);
        if (!exists.ok()) {
          Fail(out, field, v.text, exists.status().message());
        } else if (!*exists) {
          Fail(out, field, v.text, fmt::format("no {} '{}' is stored", def->ref_entity, v.text));
        }
        return;
      }
      case CheckKind::kFreshness:
        if (v.kind == Value::Kind::kTime && v.time < now_ns - spec.max_age_ns) {
          Fail(out, field, ToDisplayText(v),
               fmt::format("{} is older than {}", ToDisplayText(v),
                           FormatDuration(spec.max_age_ns)));
        }
        return;
      default:
        return;
    }
  }
};

RuleChecker::~RuleChecker() = default;

Result<std::unique_ptr<RuleChecker>> RuleChecker::Make(const Mapping& mapping) {
  std::unique_ptr<RuleChecker> c(new RuleChecker());
  c->entity_ = mapping.is_samples() ? nullptr : FindEntity(mapping.entity);
  if (c->entity_) {
    c->fields_ = RecordFields(*c->entity_, mapping);
    c->personal_.assign(c->fields_.size(), false);
    for (const FieldMapping& f : mapping.fields) {
      if (f.personal) c->personal_[*FindRecordField(c->fields_, f.target)] = true;
    }
    for (const FieldMapping& f : mapping.attributes) {
      if (f.personal) c->personal_[*FindRecordField(c->fields_, f.target)] = true;
    }
  }
  const std::string where = mapping.path.empty() ? mapping.name : mapping.path;
  // The mapping's rules, then each signal's own (samples).
  std::vector<std::pair<const RuleSpec*, int>> specs;
  for (const RuleSpec& spec : mapping.rules)
    specs.emplace_back(&spec, -1);
  if (mapping.samples) {
    for (size_t i = 0; i < mapping.samples->signals.size(); ++i) {
      for (const RuleSpec& spec : mapping.samples->signals[i].rules)
        specs.emplace_back(&spec, static_cast<int>(i));
    }
  }
  for (const auto& [spec_ptr, signal] : specs) {
    const RuleSpec& spec = *spec_ptr;
    auto r = std::make_unique<CompiledRule>();
    r->spec = spec;
    r->signal = signal;
    for (const std::string& f : spec.fields) {
      if (c->entity_) {
        const std::optional<size_t> i = FindRecordField(c->fields_, f);
        if (!i)
          return InvalidArgument("{}:{}: rule '{}': no field '{}'", where, spec.line, spec.id, f);
        r->fields.push_back(static_cast<int>(*i));
      } else if (f != "value" && f != "timestamp" && f != "tag") {
        return InvalidArgument(
            "{}:{}: rule '{}': samples have fields value, timestamp and tag, "
            "not '{}'",
            where, spec.line, spec.id, f);
      }
    }
    if (c->entity_ && !spec.per.empty())
      r->per = static_cast<int>(*FindRecordField(c->fields_, spec.per));
    if (spec.kind == CheckKind::kRegex) {
      RE2::Options options;
      options.set_log_errors(false);
      r->regex = std::make_unique<RE2>(spec.pattern, options);
      if (!r->regex->ok()) {
        return InvalidArgument("{}:{}: rule '{}': bad pattern /{}/: {}", where, spec.line, spec.id,
                               spec.pattern, r->regex->error());
      }
    }
    if (spec.kind == CheckKind::kCompare) {
      if (!c->entity_) {
        return InvalidArgument("{}:{}: rule '{}': compare is for entity fields, not samples", where,
                               spec.line, spec.id);
      }
      const std::optional<size_t> o = FindRecordField(c->fields_, spec.other);
      if (!o) {
        return InvalidArgument("{}:{}: rule '{}': no field '{}'", where, spec.line, spec.id,
                               spec.other);
      }
      r->other = static_cast<int>(*o);
      const FieldDef& a = c->fields_[static_cast<size_t>(r->fields[0])];
      const FieldDef& b = c->fields_[*o];
      auto family = [](FieldType t) {
        if (t == FieldType::kReal || t == FieldType::kInt) return 0;
        if (t == FieldType::kTime) return 1;
        if (t == FieldType::kText || t == FieldType::kEnum) return 2;
        return 3;  // references and booleans are not ordered
      };
      if (family(a.type) != family(b.type) || family(a.type) == 3) {
        return InvalidArgument(
            "{}:{}: rule '{}': '{}' and '{}' cannot be compared (numbers with "
            "numbers, times with times, texts with texts)",
            where, spec.line, spec.id, a.name, b.name);
      }
    }
    if (spec.kind == CheckKind::kReference && c->entity_) {
      const FieldDef& def = c->fields_[static_cast<size_t>(r->fields[0])];
      if (def.type != FieldType::kRef) {
        return InvalidArgument("{}:{}: rule '{}': '{}' is not a reference field", where, spec.line,
                               spec.id, def.name);
      }
    }
    if ((spec.kind == CheckKind::kMonotonic || spec.kind == CheckKind::kFreshness) && c->entity_) {
      const FieldDef& def = c->fields_[static_cast<size_t>(r->fields[0])];
      if (def.type != FieldType::kTime) {
        return InvalidArgument("{}:{}: rule '{}': '{}' is not a time field", where, spec.line,
                               spec.id, def.name);
      }
    }
    c->rules_.push_back(std::move(r));
  }
  c->RegisterBuiltinChecks(mapping);
  return c;
}

// Every built-in check that can fail on this mapping is listed from the start, so that a
// clean batch reports "checked N, failed 0" (100%) rather than nothing (n/a).
void RuleChecker::RegisterBuiltinChecks(const Mapping& mapping) {
  auto add = [&](CheckKind check, const std::string& field) {
    for (const CheckTally& t : builtin_) {
      if (t.check == check && t.field == field) return;
    }
    builtin_.push_back(
        CheckTally{std::string(ToString(check)), check, Severity::kReject, field, 0, 0});
  };
  if (!entity_) {
    add(CheckKind::kRequired, "timestamp");
    add(CheckKind::kCast, "timestamp");
    add(CheckKind::kRequired, "value");
    add(CheckKind::kCast, "value");
    return;
  }
  for (const FieldDef& def : entity_->fields) {
    if (def.required && def.default_value.empty()) add(CheckKind::kRequired, std::string(def.name));
  }
  for (const FieldMapping& f : mapping.fields) {
    const FieldDef* def = entity_->FindField(f.target);
    if (!def) continue;
    if (!f.code_table.empty() && f.unmapped == Unmapped::kReject)
      add(CheckKind::kCodeTable, f.target);
    if (def->type != FieldType::kText && def->type != FieldType::kRef)
      add(CheckKind::kCast, f.target);
    // A reference field's own `reference` rule is what checks it (and counts its failures):
    // a built-in line beside it would say "checked N, failed 0" for what the rule caught.
    const bool has_reference_rule =
        std::any_of(mapping.rules.begin(), mapping.rules.end(), [&](const RuleSpec& r) {
          return r.kind == CheckKind::kReference && r.fields.size() == 1 && r.fields[0] == f.target;
        });
    if (def->type == FieldType::kRef && !(f.lookup_system.empty() && has_reference_rule)) {
      add(f.lookup_system.empty() ? CheckKind::kReference : CheckKind::kCrosswalk, f.target);
    }
  }
  if (mapping.external_id) add(CheckKind::kCrosswalk, "external_id");  // one id, one record
  add(CheckKind::kSchema, "");
  add(CheckKind::kKey, "");
}

bool RuleChecker::Check(const std::vector<Value>& values, std::vector<Violation>& violations,
                        Lookups* lookups, int64_t now_ns, std::optional<int64_t> line) {
  const size_t before = violations.size();
  uint64_t digest = 0;
  bool have_digest = false;
  for (auto& rp : rules_) {
    CompiledRule& r = *rp;
    if (r.spec.kind == CheckKind::kRowCountChange) continue;
    ++r.checked;
    const Value& first = values[static_cast<size_t>(r.fields[0])];
    const FieldDef& def = fields_[static_cast<size_t>(r.fields[0])];
    const size_t rule_before = violations.size();
    // A personal field's value is masked in what the rule says (quarantine, warnings).
    struct MaskNew {
      std::vector<Violation>& out;
      size_t from;
      bool personal;
      ~MaskNew() {
        if (!personal) return;
        for (size_t i = from; i < out.size(); ++i) {
          out[i].message = MaskInText(out[i].message, out[i].value);
          out[i].value = MaskPersonal(out[i].value);
        }
      }
    } mask_new{violations, rule_before, personal_[static_cast<size_t>(r.fields[0])]};
    if (r.spec.kind == CheckKind::kUnique) {
      r.key.clear();
      bool any_null = false;
      for (int f : r.fields) {
        const Value& v = values[static_cast<size_t>(f)];
        any_null |= v.is_null();
        r.key += TextOf(v, r.scratch);
        r.key += '\x1f';
      }
      if (any_null) continue;  // null is not a value: not_null rules catch it
      if (!have_digest) {
        for (const Value& v : values)
          digest = Fnv1a64(TextOf(v, r.scratch), digest * 31 + 7);
        have_digest = true;
      }
      const auto [it, inserted] = r.seen.emplace(Fnv1a64(r.key), CompiledRule::Seen{digest, line});
      if (!inserted && it->second.record != digest) {
        r.Fail(violations, def.name, ToDisplayText(first), r.SameAsEarlier(it->second.line));
        continue;
      }
      if (inserted && r.fields.size() == 1 && lookups && !entity_->ref_key.empty() &&
          def.name != entity_->ref_key && !def.column.empty()) {  // attributes: the batch only
        // Against the store: another stored record with this value?
        Result<std::optional<std::string>> owner =
            lookups->KeyWithValue(entity_->name, def.name, TextOf(first, r.scratch));
        const std::optional<size_t> key_index = entity_->FieldIndex(entity_->ref_key);
        if (!owner.ok()) {
          r.Fail(violations, def.name, ToDisplayText(first), owner.status().message());
        } else if (*owner && key_index && **owner != values[*key_index].text) {
          r.Fail(violations, def.name, ToDisplayText(first),
                 fmt::format("{} '{}' already has this {}", entity_->name, **owner, def.name));
        }
      }
      continue;
    }
    if (r.spec.kind == CheckKind::kCompare) {
      const Value& second = values[static_cast<size_t>(r.other)];
      if (first.is_null() || second.is_null()) continue;  // not_null rules catch nulls
      int order = 0;                                      // first <=> second
      if (first.kind == Value::Kind::kTime && second.kind == Value::Kind::kTime) {
        order = (first.time > second.time) - (first.time < second.time);
      } else if (first.kind == Value::Kind::kNumber && second.kind == Value::Kind::kNumber) {
        order = (first.number > second.number) - (first.number < second.number);
      } else {
        const int c = first.text.compare(second.text);
        order = (c > 0) - (c < 0);
      }
      const std::string& op = r.spec.op;
      const bool holds = op == "<"    ? order < 0
                         : op == "<=" ? order <= 0
                         : op == ">"  ? order > 0
                         : op == ">=" ? order >= 0
                         : op == "==" ? order == 0
                                      : order != 0;
      if (!holds) {
        r.Fail(violations, def.name, ToDisplayText(first),
               fmt::format("{} {} is not {} {} {}", def.name, ToDisplayText(first), op,
                           r.spec.other, ToDisplayText(second)));
      }
      continue;
    }
    if (r.spec.kind == CheckKind::kMonotonic) {
      if (first.kind != Value::Kind::kTime) continue;
      r.key = r.per >= 0 ? std::string(TextOf(values[static_cast<size_t>(r.per)], r.scratch))
                         : std::string();
      auto [it, inserted] = r.last_time.emplace(r.key, first.time);
      if (!inserted) {
        if (first.time < it->second) {
          r.Fail(violations, def.name, ToDisplayText(first),
                 fmt::format("{} is before the previous record's {}", ToDisplayText(first),
                             FormatRfc3339(it->second)));
        } else {
          it->second = first.time;
        }
      }
      continue;
    }
    r.CheckValue(first, def.name, violations, lookups, &def, now_ns);
  }
  for (size_t i = before; i < violations.size(); ++i) {
    if (violations[i].severity == Severity::kReject) return false;
  }
  return true;
}

bool RuleChecker::CheckSamples(std::span<const MappedSample> samples,
                               std::vector<Violation>& violations, int64_t now_ns,
                               std::optional<int64_t> line) {
  const size_t before = violations.size();
  for (auto& rp : rules_) {
    CompiledRule& r = *rp;
    if (r.spec.kind == CheckKind::kRowCountChange || r.spec.fields.empty()) continue;
    const std::string& field = r.spec.fields[0];
    for (const MappedSample& s : samples) {
      if (r.signal >= 0 && s.signal != static_cast<uint32_t>(r.signal)) continue;
      ++r.checked;
      Value v;
      if (field == "value") {
        v.SetNumber(s.value);
      } else if (field == "timestamp") {
        v.SetTime(s.timestamp);
      } else {
        v.SetText(s.tag);
      }
      if (r.spec.kind == CheckKind::kMonotonic) {
        auto [it, inserted] = r.last_time.emplace(s.tag, s.timestamp);
        if (!inserted) {
          if (s.timestamp < it->second) {
            r.Fail(violations, s.tag, FormatRfc3339(s.timestamp),
                   fmt::format("{} is before the tag's previous sample at {}",
                               FormatRfc3339(s.timestamp), FormatRfc3339(it->second)));
          } else {
            it->second = s.timestamp;
          }
        }
        continue;
      }
      if (r.spec.kind == CheckKind::kUnique) {
        // The fields' values of a sample: a second sample with them and another value (or
        // quality) fails, naming the first's line.
        r.key.clear();
        for (const std::string& f : r.spec.fields) {
          if (f == "tag") {
            r.key += s.tag;
          } else if (f == "timestamp") {
            r.key.append(reinterpret_cast<const char*>(&s.timestamp), sizeof s.timestamp);
          } else {
            r.key.append(reinterpret_cast<const char*>(&s.value), sizeof s.value);
          }
          r.key += '\x1f';
        }
        uint64_t digest =
            Fnv1a64(std::string_view(reinterpret_cast<const char*>(&s.value), sizeof s.value));
        digest = Fnv1a64(
            std::string_view(reinterpret_cast<const char*>(&s.quality), sizeof s.quality), digest);
        const auto [it, inserted] =
            r.seen.emplace(Fnv1a64(r.key), CompiledRule::Seen{digest, line});
        if (!inserted && it->second.record != digest) {
          r.Fail(violations, s.tag, ToDisplayText(v), r.SameAsEarlier(it->second.line));
        }
        continue;
      }
      r.CheckValue(v, field == "value" ? s.tag : field, violations, nullptr, nullptr, now_ns);
    }
  }
  for (size_t i = before; i < violations.size(); ++i) {
    if (violations[i].severity == Severity::kReject) return false;
  }
  return true;
}

void RuleChecker::CheckBatch(int64_t records, std::optional<int64_t> previous_records,
                             std::vector<Violation>& violations) {
  for (auto& rp : rules_) {
    CompiledRule& r = *rp;
    if (r.spec.kind != CheckKind::kRowCountChange || !previous_records) continue;
    ++r.checked;
    const double prev = static_cast<double>(*previous_records);
    const double change = prev == 0 ? (records == 0 ? 0.0 : 1.0)
                                    : std::abs(static_cast<double>(records) - prev) / prev;
    if (change > r.spec.max_change) {
      r.Fail(violations, "", std::to_string(records),
             fmt::format("{} records, the previous batch had {} ({:+.0f}%, allowed ±{:.0f}%)",
                         records, *previous_records,
                         prev == 0 ? 100.0 : (static_cast<double>(records) - prev) / prev * 100,
                         r.spec.max_change * 100));
    }
  }
}

void RuleChecker::Tally(const Violation& v) {
  // A compiled rule counted its own failures; the built-in checks, and the checks the
  // store makes under a rule kind's name (a reference the writer cannot resolve), are
  // counted here.
  const auto counted_by_rule = [&] {
    return std::any_of(rules_.begin(), rules_.end(),
                       [&](const auto& r) { return r->spec.id == v.rule; });
  };
  if (v.check > CheckKind::kRowCountChange || (v.rule == ToString(v.check) && !counted_by_rule())) {
    for (CheckTally& t : builtin_) {
      if (t.check == v.check && t.field == v.field) {
        ++t.failed;
        return;
      }
    }
    builtin_.push_back(
        CheckTally{std::string(ToString(v.check)), v.check, Severity::kReject, v.field, 0, 1});
  }
}

std::vector<CheckTally> RuleChecker::Tallies() const {
  std::vector<CheckTally> out;
  for (const auto& r : rules_) {
    out.push_back(CheckTally{r->spec.id, r->spec.kind, r->spec.severity,
                             r->spec.fields.empty() ? "" : r->spec.fields[0], r->checked,
                             r->failed});
  }
  for (CheckTally t : builtin_) {
    t.checked = records_;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace fh::govern
