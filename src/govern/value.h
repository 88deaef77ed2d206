// Value: one canonical field of a mapped record, typed by the entity's FieldDef.
// A record's values are reused from record to record (the text keeps its capacity), so
// mapping a batch allocates only while strings grow.
#pragma once

#include <cstdint>
#include <string>

namespace fh::govern {

struct Value {
  enum class Kind : uint8_t { kNull, kText, kNumber, kTime, kBool };
  Kind kind = Kind::kNull;
  double number = 0;     // kNumber (an int field holds an integral value)
  int64_t time = 0;      // kTime: nanoseconds since the epoch, UTC
  bool boolean = false;  // kBool
  std::string text;      // kText, and kRef/kEnum fields

  bool is_null() const { return kind == Kind::kNull; }
  void SetNull() { kind = Kind::kNull; }
  void SetText(std::string_view t) {
    kind = Kind::kText;
    text.assign(t);
  }
  void SetNumber(double v) {
    kind = Kind::kNumber;
    number = v;
  }
  void SetTime(int64_t t) {
    kind = Kind::kTime;
    time = t;
  }
  void SetBool(bool b) {
    kind = Kind::kBool;
    boolean = b;
  }
};

// Text for reports and quarantine reasons ("12.5", "2024-03-05T08:00:00Z", "true").
std::string ToDisplayText(const Value& v);

}  // namespace fh::govern
