#include "govern/expression.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/ascii.h"

namespace fh::govern {

enum class Expression::Op : uint8_t {
  kConst,
  kLoad,
  kNeg,
  kNot,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  kAnd,
  kOr,
  kAbs,
  kFloor,
  kCeil,
  kSqrt,
  kLn,
  kLog10,
  kExp,
  kRound,
  kRoundDigits,
  kPow,
  kIf,
  kMin,       // arg values
  kMax,       // arg values
  kCoalesce,  // arg values
};

namespace {

using Op = Expression::Op;
using Instr = Expression::Instr;

// Null is NaN on the stack: arithmetic then carries it along with no test, and only the
// operators that treat null specially look for it.
constexpr double kNull = std::numeric_limits<double>::quiet_NaN();

inline bool IsNull(double v) {
  return v != v;
}
inline bool IsTrue(double v) {
  return !IsNull(v) && v != 0;
}
inline double Finite(double v) {
  return std::isfinite(v) ? v : kNull;
}
inline double Bool(bool b) {
  return b ? 1.0 : 0.0;
}
inline double Compare(double a, double b, bool result) {
  return IsNull(a) || IsNull(b) ? kNull : Bool(result);
}

double RoundDigits(double x, double digits) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (IsNull(x) || IsNull(digits)) return kNull;
  const int n = static_cast<int>(std::clamp(digits, -22.0, 22.0));
  if (n < 0) return Finite(std::round(x / kPow10[-n]) * kPow10[-n]);
  const double scaled = x * kPow10[n];
  // Past 2^52 every double is a whole number: nothing to round, and x * p / p could drift.
  if (!(std::fabs(scaled) < 0x1p52)) return x;
  return std::round(scaled) / kPow10[n];
}

// Runs code on stack (room for its depth) and returns the value left on top.
double Run(const Instr* pc, const Instr* end, std::span<const std::optional<double>> values,
           double* stack) {
  double* sp = stack;  // one past the top
  for (; pc != end; ++pc) {
    switch (pc->op) {
      case Op::kConst:
        *sp++ = pc->value;
        break;
      case Op::kLoad: {
        const std::optional<double>& v = values[pc->arg];
        *sp++ = v.has_value() ? Finite(*v) : kNull;
        break;
      }
      case Op::kNeg:
        sp[-1] = -sp[-1];
        break;
      case Op::kNot:
        sp[-1] = IsNull(sp[-1]) ? kNull : Bool(sp[-1] == 0);
        break;
      case Op::kAdd:
        --sp;
        sp[-1] = Finite(sp[-1] + sp[0]);
        break;
      case Op::kSub:
        --sp;
        sp[-1] = Finite(sp[-1] - sp[0]);
        break;
      case Op::kMul:
        --sp;
        sp[-1] = Finite(sp[-1] * sp[0]);
        break;
      case Op::kDiv:
        --sp;
        sp[-1] = sp[0] == 0 ? kNull : Finite(sp[-1] / sp[0]);
        break;
      case Op::kMod:
        --sp;
        sp[-1] = sp[0] == 0 ? kNull : Finite(std::fmod(sp[-1], sp[0]));
        break;
      case Op::kLt:
        --sp;
        sp[-1] = Compare(sp[-1], sp[0], sp[-1] < sp[0]);
        break;
      case Op::kLe:
        --sp;
        sp[-1] = Compare(sp[-1], sp[0], sp[-1] <= sp[0]);
        break;
      case Op::kGt:
        --sp;
        sp[-1] = Compare(sp[-1], sp[0], sp[-1] > sp[0]);
        break;
      case Op::kGe:
        --sp;
        sp[-1] = Compare(sp[-1], sp[0], sp[-1] >= sp[0]);
        break;
      case Op::kEq:
        --sp;
        sp[-1] = Compare(sp[-1], sp[0], sp[-1] == sp[0]);
        break;
      case Op::kNe:
        --sp;
        sp[-1] = Compare(sp[-1], sp[0], sp[-1] != sp[0]);
        break;
      case Op::kAnd: {
        --sp;
        const double a = sp[-1], b = sp[0];
        sp[-1] = a == 0 || b == 0 ? 0.0 : (IsNull(a) || IsNull(b) ? kNull : 1.0);
        break;
      }
      case Op::kOr: {
        --sp;
        const double a = sp[-1], b = sp[0];
        sp[-1] = IsTrue(a) || IsTrue(b) ? 1.0 : (IsNull(a) || IsNull(b) ? kNull : 0.0);
        break;
      }
      case Op::kAbs:
        sp[-1] = std::fabs(sp[-1]);
        break;
      case Op::kFloor:
        sp[-1] = std::floor(sp[-1]);
        break;
      case Op::kCeil:
        sp[-1] = std::ceil(sp[-1]);
        break;
      case Op::kSqrt:
        sp[-1] = Finite(std::sqrt(sp[-1]));
        break;
      case Op::kLn:
        sp[-1] = Finite(std::log(sp[-1]));
        break;
      case Op::kLog10:
        sp[-1] = Finite(std::log10(sp[-1]));
        break;
      case Op::kExp:
        sp[-1] = Finite(std::exp(sp[-1]));
        break;
      case Op::kRound:
        sp[-1] = std::round(sp[-1]);
        break;
      case Op::kRoundDigits:
        --sp;
        sp[-1] = RoundDigits(sp[-1], sp[0]);
        break;
      case Op::kPow:
        --sp;
        // pow(1, NaN) and pow(NaN, 0) are 1 by IEEE 754, but a null must stay null.
        sp[-1] = IsNull(sp[-1]) || IsNull(sp[0]) ? kNull : Finite(std::pow(sp[-1], sp[0]));
        break;
      case Op::kIf: {
        sp -= 2;
        const double condition = sp[-1];
        sp[-1] = IsNull(condition) ? kNull : (condition != 0 ? sp[0] : sp[1]);
        break;
      }
      case Op::kMin:
      case Op::kMax: {
        const double* args = sp - pc->arg;
        double r = args[0];
        for (uint32_t i = 1; i < pc->arg; ++i) {
          const double v = args[i];
          if (IsNull(v)) r = kNull;
          if (pc->op == Op::kMin ? v < r : v > r) r = v;  // false once r is null
        }
        sp -= pc->arg - 1;
        sp[-1] = r;
        break;
      }
      case Op::kCoalesce: {
        const double* args = sp - pc->arg;
        double r = kNull;
        for (uint32_t i = 0; i < pc->arg && IsNull(r); ++i)
          r = args[i];
        sp -= pc->arg - 1;
        sp[-1] = r;
        break;
      }
    }
  }
  return stack[0];
}

// How many values op takes off the stack (it then pushes one).
int Arity(const Instr& instr) {
  switch (instr.op) {
    case Op::kConst:
    case Op::kLoad:
      return 0;
    case Op::kNeg:
    case Op::kNot:
    case Op::kAbs:
    case Op::kFloor:
    case Op::kCeil:
    case Op::kSqrt:
    case Op::kLn:
    case Op::kLog10:
    case Op::kExp:
    case Op::kRound:
      return 1;
    case Op::kIf:
      return 3;
    case Op::kMin:
    case Op::kMax:
    case Op::kCoalesce:
      return static_cast<int>(instr.arg);
    default:
      return 2;
  }
}

struct Function {
  std::string_view name;
  Op op;
  int min_args;
  int max_args;  // -1: any number
};

constexpr Function kFunctions[] = {
    {"abs", Op::kAbs, 1, 1},
    {"floor", Op::kFloor, 1, 1},
    {"ceil", Op::kCeil, 1, 1},
    {"sqrt", Op::kSqrt, 1, 1},
    {"ln", Op::kLn, 1, 1},
    {"log10", Op::kLog10, 1, 1},
    {"exp", Op::kExp, 1, 1},
    {"round", Op::kRound, 1, 2},
    {"pow", Op::kPow, 2, 2},
    {"if", Op::kIf, 3, 3},
    {"min", Op::kMin, 1, -1},
    {"max", Op::kMax, 1, -1},
    {"coalesce", Op::kCoalesce, 1, -1},
};

struct BinaryOp {
  Op op;
  int precedence;
  int length;
};

inline bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
inline bool IsNamePart(char c) {
  return IsNameStart(c) || IsAsciiDigit(c);
}

class Compiler {
 public:
  Compiler(std::string_view text, std::vector<std::string>* variables, std::vector<Instr>* code)
      : text_(text), variables_(variables), code_(code) {}

  Status Compile() {
    SkipSpaces();
    if (pos_ == text_.size()) return Error(0, "empty expression");
    FH_RETURN_IF_ERROR(Binary(0));
    SkipSpaces();
    if (pos_ != text_.size()) return Unexpected("an operator");
    return CheckStackDepth();
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void SkipSpaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  [[gnu::cold]] Status Error(size_t pos, std::string_view what) const {
    return InvalidArgument("expression '{}': column {}: {}", text_, pos + 1, what);
  }
  // At pos_, where `expected` should be; a hint for the C-like operators that are not ours.
  [[gnu::cold]] Status Unexpected(std::string_view expected) const {
    const char c = Peek(), next = Peek(1);
    if (c == '=') return Error(pos_, "'=' is not an operator (use '==')");
    if (c == '&' && next != '&') return Error(pos_, "'&' is not an operator (use '&&')");
    if (c == '|' && next != '|') return Error(pos_, "'|' is not an operator (use '||')");
    if (c == '^') return Error(pos_, "'^' is not an operator (use pow(x, y))");
    if (c == ')' && expected == "an operator") return Error(pos_, "unmatched ')'");
    if (pos_ == text_.size())
      return Error(pos_, fmt::format("expected {}, found the end", expected));
    return Error(pos_, fmt::format("expected {}", expected));
  }

  Status Enter() {
    if (++depth_ > Expression::kMaxNesting) {
      return Error(pos_, fmt::format("nested more than {} levels deep", Expression::kMaxNesting));
    }
    return Status::Ok();
  }

  // Precedence climbing: an operand, then operators binding at least min_precedence.
  Status Binary(int min_precedence) {
    FH_RETURN_IF_ERROR(Unary());
    while (true) {
      SkipSpaces();
      const std::optional<BinaryOp> op = PeekBinary();
      if (!op || op->precedence < min_precedence) return Status::Ok();
      pos_ += static_cast<size_t>(op->length);
      FH_RETURN_IF_ERROR(Binary(op->precedence + 1));  // + 1: left-associative
      Emit(op->op);
    }
  }

  std::optional<BinaryOp> PeekBinary() const {
    const char next = Peek(1);
    switch (Peek()) {
      case '|':
        if (next == '|') return BinaryOp{Op::kOr, 1, 2};
        break;
      case '&':
        if (next == '&') return BinaryOp{Op::kAnd, 2, 2};
        break;
      case '=':
        if (next == '=') return BinaryOp{Op::kEq, 3, 2};
        break;
      case '!':
        if (next == '=') return BinaryOp{Op::kNe, 3, 2};
        break;
      case '<':
        return next == '=' ? BinaryOp{Op::kLe, 4, 2} : BinaryOp{Op::kLt, 4, 1};
      case '>':
        return next == '=' ? BinaryOp{Op::kGe, 4, 2} : BinaryOp{Op::kGt, 4, 1};
      case '+':
        return BinaryOp{Op::kAdd, 5, 1};
      case '-':
        return BinaryOp{Op::kSub, 5, 1};
      case '*':
        return BinaryOp{Op::kMul, 6, 1};
      case '/':
        return BinaryOp{Op::kDiv, 6, 1};
      case '%':
        return BinaryOp{Op::kMod, 6, 1};
    }
    return std::nullopt;
  }

  Status Unary() {
    SkipSpaces();
    const char c = Peek();
    if (c == '-' || c == '+' || (c == '!' && Peek(1) != '=')) {
      FH_RETURN_IF_ERROR(Enter());
      ++pos_;
      FH_RETURN_IF_ERROR(Unary());
      --depth_;
      if (c == '-') Emit(Op::kNeg);
      if (c == '!') Emit(Op::kNot);
      return Status::Ok();
    }
    return Primary();
  }

  Status Primary() {
    SkipSpaces();
    const char c = Peek();
    if (IsAsciiDigit(c) || (c == '.' && IsAsciiDigit(Peek(1)))) return Number();
    if (c == '`') return Quoted();
    if (IsNameStart(c)) return Name();
    if (c == '(') {
      FH_RETURN_IF_ERROR(Enter());
      ++pos_;
      FH_RETURN_IF_ERROR(Binary(0));
      SkipSpaces();
      if (Peek() != ')') return Unexpected("')'");
      ++pos_;
      --depth_;
      return Status::Ok();
    }
    if (pos_ == text_.size()) return Error(pos_, "expected a value, found the end");
    return Error(pos_, "expected a value");
  }

  Status Number() {
    const size_t start = pos_;
    while (IsAsciiDigit(Peek()))
      ++pos_;
    if (Peek() == '.') {
      ++pos_;
      while (IsAsciiDigit(Peek()))
        ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      const size_t sign = Peek(1) == '+' || Peek(1) == '-' ? 1 : 0;
      if (IsAsciiDigit(Peek(1 + sign))) {
        pos_ += 1 + sign;
        while (IsAsciiDigit(Peek()))
          ++pos_;
      }
    }
    if (IsNamePart(Peek()) || Peek() == '.') return Error(pos_, "malformed number");
    // from_chars wants a digit before the point.
    const std::string digits = fmt::format("0{}", text_.substr(start, pos_ - start));
    double value = 0;
    const std::from_chars_result r =
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (r.ec == std::errc::result_out_of_range) return Error(start, "number out of range");
    if (r.ec != std::errc() || r.ptr != digits.data() + digits.size()) {
      return Error(start, "malformed number");
    }
    if (!std::isfinite(value)) return Error(start, "number out of range");
    EmitConst(value);
    return Status::Ok();
  }

  Status Quoted() {
    const size_t start = pos_++;
    std::string name;
    while (true) {
      if (pos_ == text_.size()) return Error(start, "unterminated `name`");
      const char c = text_[pos_++];
      if (c == '`') {
        if (Peek() != '`') break;
        ++pos_;  // `` is a backquote in the name
      }
      name.push_back(c);
    }
    if (name.empty()) return Error(start, "empty name in backquotes");
    EmitLoad(name);
    return Status::Ok();
  }

  Status Name() {
    const size_t start = pos_;
    while (IsNamePart(Peek()) || (Peek() == '.' && IsNamePart(Peek(1))))
      ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    SkipSpaces();
    if (Peek() == '(') return Call(name, start);
    if (name == "pi") {
      EmitConst(3.141592653589793238462643383279502884);
    } else if (name == "e") {
      EmitConst(2.718281828459045235360287471352662498);
    } else {
      EmitLoad(name);
    }
    return Status::Ok();
  }

  Status Call(std::string_view name, size_t name_pos) {
    const Function* f = nullptr;
    for (const Function& candidate : kFunctions) {
      if (candidate.name == name) f = &candidate;
    }
    if (f == nullptr) return Error(name_pos, fmt::format("unknown function '{}'", name));
    FH_RETURN_IF_ERROR(Enter());
    ++pos_;  // '('
    int count = 0;
    SkipSpaces();
    if (Peek() == ')') {
      ++pos_;
    } else {
      while (true) {
        FH_RETURN_IF_ERROR(Binary(0));
        ++count;
        SkipSpaces();
        if (Peek() == ')') {
          ++pos_;
          break;
        }
        if (Peek() != ',') return Unexpected("',' or ')'");
        ++pos_;
      }
    }
    --depth_;
    if (count < f->min_args || (f->max_args >= 0 && count > f->max_args)) {
      return Error(name_pos,
                   fmt::format("function '{}' takes {}, got {}", name, ArgCount(*f), count));
    }
    if (f->op == Op::kRound && count == 2) {
      Emit(Op::kRoundDigits);
    } else if (f->max_args < 0) {
      if (count > 1) Emit(f->op, static_cast<uint32_t>(count));  // of one value: that value
    } else {
      Emit(f->op);
    }
    return Status::Ok();
  }

  static std::string ArgCount(const Function& f) {
    const char* plural = f.min_args == 1 ? "" : "s";
    if (f.max_args < 0) return fmt::format("at least {} argument{}", f.min_args, plural);
    if (f.max_args == f.min_args) return fmt::format("{} argument{}", f.min_args, plural);
    return fmt::format("{} or {} arguments", f.min_args, f.max_args);
  }

  void EmitConst(double value) { code_->push_back({Op::kConst, 0, value}); }

  void EmitLoad(std::string_view name) {
    const auto it = std::find(variables_->begin(), variables_->end(), name);
    const auto index = static_cast<uint32_t>(it - variables_->begin());
    if (it == variables_->end()) variables_->emplace_back(name);
    code_->push_back({Op::kLoad, index, 0});
  }

  // Appends op, folding it into one constant when all its operands are constants.
  void Emit(Op op, uint32_t arg = 0) {
    code_->push_back({op, arg, 0});
    const auto arity = static_cast<size_t>(Arity(code_->back()));
    const size_t size = code_->size();
    if (arity == 0 || arity >= size) return;
    const Instr* first = code_->data() + (size - 1 - arity);
    for (size_t i = 0; i < arity; ++i) {
      if (first[i].op != Op::kConst) return;
    }
    if (arity > static_cast<size_t>(Expression::kMaxStack)) return;  // refused later
    double stack[Expression::kMaxStack];
    const double value = Run(first, code_->data() + size, {}, stack);
    code_->resize(size - 1 - arity);
    EmitConst(value);
  }

  Status CheckStackDepth() const {
    int depth = 0;
    int max_depth = 0;
    for (const Instr& instr : *code_) {
      depth += 1 - Arity(instr);
      max_depth = std::max(max_depth, depth);
    }
    if (max_depth > Expression::kMaxStack) {
      return Error(0, fmt::format("needs more than {} pending values; split it or reorder it "
                                  "so that nested parts come first",
                                  Expression::kMaxStack));
    }
    return Status::Ok();
  }

  std::string_view text_;
  std::vector<std::string>* variables_;
  std::vector<Instr>* code_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<Expression> Expression::Compile(std::string_view text) {
  Expression e;
  e.text_ = std::string(text);
  Compiler compiler(e.text_, &e.variables_, &e.code_);
  FH_RETURN_IF_ERROR(compiler.Compile());
  e.code_.shrink_to_fit();
  return e;
}

std::optional<double> Expression::Evaluate(std::span<const std::optional<double>> values) const {
  if (code_.empty() || values.size() < variables_.size()) return std::nullopt;
  double stack[kMaxStack];
  const double result = Run(code_.data(), code_.data() + code_.size(), values, stack);
  if (IsNull(result)) return std::nullopt;
  return result;
}

}  // namespace fh::govern
