// Arithmetic expressions in mappings ("good_qty + scrap_qty", "round(weight_g / 1000, 3)",
// "if(status == 3, 1, 0)"): compiled once into a flat postfix program, then evaluated once
// per record with no allocation and no lookups.
//
// Syntax, loosest binding first (binary operators are left-associative):
//   ||                 logical or
//   &&                 logical and
//   == !=              equality (exact, as doubles)
//   < <= > >=          comparison
//   + -                addition, subtraction
//   * / %              multiplication, division, remainder (fmod: the sign of the left side)
//   - ! +              unary minus, logical not, unary plus
// Logical and comparison operators give 1 or 0; any non-zero value counts as true.
// Values: numbers (12, 0.5, .5, 1e-3), names, function calls, parentheses. A name is a
// letter or '_' followed by letters, digits, '_' and '.'-separated parts (machine.speed);
// bytes of UTF-8 characters count as letters, so 温度 is a name. Any other name is written in
// backquotes, with `` for a backquote inside: `Air temperature [K]`. pi and e are the
// constants unless backquoted. Functions (names followed by '('): abs, floor, ceil, sqrt,
// ln, log10, exp, pow(x, y), round(x) and round(x, digits) (half away from zero, as
// round(x * 10^digits) / 10^digits: round(1.005, 2) is 1 because 1.005 is stored as
// 1.00499999...), min(a, ...), max(a, ...), if(cond, then, else), coalesce(a, ...) (the
// first that is not null).
//
// Nulls (a missing value) propagate: any operation with a null operand is null, except
// coalesce, the branch if does not take, false && null (0) and true || null (1). A null
// condition makes if null. Results that are not finite numbers are null too, so division
// or remainder by zero, sqrt of a negative, ln or log10 of zero or less, and overflow give
// null rather than inf or NaN; a non-finite input value is read as null.
//
// Limits: an expression needs at most kMaxStack pending values while it runs (a + (b +
// (c + ...)) nested that deep) and at most kMaxNesting levels of parentheses, calls and
// unary operators; longer ones are refused at Compile. Both branches of if are evaluated
// (there are no side effects, only the cost). Error columns count bytes from 1.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fh::govern {

class Expression {
 public:
  static constexpr int kMaxStack = 64;
  static constexpr int kMaxNesting = 100;

  // An empty expression: no variables, evaluates to null.
  Expression() = default;

  // InvalidArgument "expression 'a + * b': column 5: expected a value".
  static Result<Expression> Compile(std::string_view text);

  const std::string& text() const { return text_; }

  // The distinct names the expression reads, in order of first use: Evaluate's values[i]
  // is the value of variables()[i].
  const std::vector<std::string>& variables() const { return variables_; }

  // The value for one record, nullopt for null. Thread-safe; does not allocate. Returns
  // nullopt if values has fewer entries than variables().
  std::optional<double> Evaluate(std::span<const std::optional<double>> values) const;

  // How the program is stored; public only so that the implementation's free functions
  // can name it.
  enum class Op : uint8_t;
  struct Instr {
    Op op;
    uint32_t arg;  // variable index, or the argument count of min, max and coalesce
    double value;  // the constant, for Op::kConst
  };

 private:
  std::string text_;
  std::vector<std::string> variables_;
  std::vector<Instr> code_;
};

}  // namespace fh::govern
