// Random expressions, printed with only the parentheses precedence needs, checked against
// a direct evaluation of the tree they were printed from: tests parsing (precedence,
// associativity, unary operators) and the null rules together.
#include "govern/expression.h"
#include "testing/status_matchers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace fh::govern {
namespace {

using Number = std::optional<double>;

struct Node {
  enum Kind { kNumber, kVariable, kUnary, kBinary, kCall } kind;
  std::string op;  // operator or function name
  double number = 0;
  int variable = 0;
  std::vector<std::unique_ptr<Node>> children;
};

constexpr const char* kVariables[] = {"a", "b", "machine.c"};

int Precedence(const Node& n) {
  if (n.kind == Node::kUnary) return 7;
  if (n.kind != Node::kBinary) return 8;
  const std::string& op = n.op;
  if (op == "||") return 1;
  if (op == "&&") return 2;
  if (op == "==" || op == "!=") return 3;
  if (op == "<" || op == "<=" || op == ">" || op == ">=") return 4;
  if (op == "+" || op == "-") return 5;
  return 6;
}

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::unique_ptr<Node> Make(int depth) {
    auto n = std::make_unique<Node>();
    const int pick = depth <= 0 ? Uniform(0, 1) : Uniform(0, 9);
    if (pick == 0) {
      static constexpr double kNumbers[] = {0, 1, 2, 3, 0.5, 2.5, 10};
      n->kind = Node::kNumber;
      n->number = kNumbers[Uniform(0, 6)];
    } else if (pick == 1) {
      n->kind = Node::kVariable;
      n->variable = Uniform(0, 2);
    } else if (pick <= 2) {
      n->kind = Node::kUnary;
      n->op = Uniform(0, 1) ? "-" : "!";
      n->children.push_back(Make(depth - 1));
    } else if (pick <= 7) {
      static constexpr const char* kOps[] = {
          "+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "&&", "||"};
      n->kind = Node::kBinary;
      n->op = kOps[Uniform(0, 12)];
      n->children.push_back(Make(depth - 1));
      n->children.push_back(Make(depth - 1));
    } else {
      static constexpr struct {
        const char* name;
        int min, max;
      } kFunctions[] = {{"abs", 1, 1},  {"floor", 1, 1}, {"ceil", 1, 1},     {"sqrt", 1, 1},
                        {"ln", 1, 1},   {"exp", 1, 1},   {"round", 1, 2},    {"pow", 2, 2},
                        {"min", 1, 3},  {"max", 1, 3},   {"coalesce", 1, 3}, {"if", 3, 3},
                        {"log10", 1, 1}};
      const auto& f = kFunctions[Uniform(0, 12)];
      n->kind = Node::kCall;
      n->op = f.name;
      const int count = Uniform(f.min, f.max);
      for (int i = 0; i < count; ++i)
        n->children.push_back(Make(depth - 1));
    }
    return n;
  }

  std::string Print(const Node& n) {
    switch (n.kind) {
      case Node::kNumber:
        return fmt::format("{}", n.number);
      case Node::kVariable:
        return Uniform(0, 4) == 0 ? fmt::format("`{}`", kVariables[n.variable])
                                  : kVariables[n.variable];
      case Node::kUnary:
        return n.op + Operand(*n.children[0], Precedence(*n.children[0]) < 7);
      case Node::kBinary: {
        const int p = Precedence(n);
        const std::string space = Uniform(0, 3) == 0 ? "" : " ";
        return Operand(*n.children[0], Precedence(*n.children[0]) < p) + space + n.op + space +
               Operand(*n.children[1], Precedence(*n.children[1]) <= p);
      }
      case Node::kCall: {
        std::string out = n.op + "(";
        for (size_t i = 0; i < n.children.size(); ++i) {
          out += (i ? ", " : "") + Print(*n.children[i]);
        }
        return out + ")";
      }
    }
    return "";
  }

 private:
  // Parenthesised when precedence needs it, and now and then when it does not.
  std::string Operand(const Node& n, bool needs_parentheses) {
    const std::string text = Print(n);
    return needs_parentheses || Uniform(0, 9) == 0 ? "(" + text + ")" : text;
  }

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::mt19937 rng_;
};

Number Finite(double v) {
  return std::isfinite(v) ? Number(v) : std::nullopt;
}

// The documented rules, written out with std::optional.
Number Reference(const Node& n, const Number* vars) {
  std::vector<Number> args;
  for (const auto& child : n.children)
    args.push_back(Reference(*child, vars));
  const bool any_null = std::any_of(args.begin(), args.end(), [](Number v) { return !v; });
  const std::string& op = n.op;
  switch (n.kind) {
    case Node::kNumber:
      return n.number;
    case Node::kVariable:
      return vars[n.variable];
    case Node::kUnary:
      if (any_null) return std::nullopt;
      return op == "-" ? -*args[0] : (*args[0] == 0 ? 1 : 0);
    case Node::kBinary: {
      const Number a = args[0], b = args[1];
      if (op == "&&") {
        if ((a && *a == 0) || (b && *b == 0)) return 0;
        return any_null ? std::nullopt : Number(1);
      }
      if (op == "||") {
        if ((a && *a != 0) || (b && *b != 0)) return 1;
        return any_null ? std::nullopt : Number(0);
      }
      if (any_null) return std::nullopt;
      const double x = *a, y = *b;
      if (op == "+") return Finite(x + y);
      if (op == "-") return Finite(x - y);
      if (op == "*") return Finite(x * y);
      if (op == "/") return y == 0 ? std::nullopt : Finite(x / y);
      if (op == "%") return y == 0 ? std::nullopt : Finite(std::fmod(x, y));
      if (op == "<") return x < y;
      if (op == "<=") return x <= y;
      if (op == ">") return x > y;
      if (op == ">=") return x >= y;
      if (op == "==") return x == y;
      return x != y;
    }
    case Node::kCall: {
      if (op == "coalesce") {
        for (Number v : args) {
          if (v) return v;
        }
        return std::nullopt;
      }
      if (op == "if") {
        if (!args[0]) return std::nullopt;
        return *args[0] != 0 ? args[1] : args[2];
      }
      if (any_null) return std::nullopt;
      const double x = *args[0];
      if (op == "abs") return std::fabs(x);
      if (op == "floor") return std::floor(x);
      if (op == "ceil") return std::ceil(x);
      if (op == "sqrt") return Finite(std::sqrt(x));
      if (op == "ln") return Finite(std::log(x));
      if (op == "log10") return Finite(std::log10(x));
      if (op == "exp") return Finite(std::exp(x));
      if (op == "pow") return Finite(std::pow(x, *args[1]));
      if (op == "round" && args.size() == 1) return std::round(x);
      if (op == "round") {
        const int d = static_cast<int>(std::clamp(*args[1], -22.0, 22.0));
        const double p = std::pow(10.0, std::abs(d));
        if (d < 0) return Finite(std::round(x / p) * p);
        return std::fabs(x * p) < 0x1p52 ? std::round(x * p) / p : x;
      }
      double r = x;
      for (Number v : args)
        r = op == "min" ? std::min(r, *v) : std::max(r, *v);
      return r;
    }
  }
  return std::nullopt;
}

TEST(ExpressionFuzzTest, MatchesTheReference) {
  Generator gen(20240305);
  std::mt19937 rng(7);
  const Number kSamples[] = {std::nullopt, 0.0, 1.0, -2.0, 3.5, 0.25};
  int nulls = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    const std::unique_ptr<Node> tree = gen.Make(1 + iteration % 5);
    const std::string text = gen.Print(*tree);
    Result<Expression> e = Expression::Compile(text);
    ASSERT_OK(e);
    Number vars[3];
    for (Number& v : vars)
      v = kSamples[rng() % 6];
    std::vector<Number> bound;
    for (const std::string& name : e->variables()) {
      const auto index = std::find_if(std::begin(kVariables), std::end(kVariables),
                                      [&](const char* v) { return name == v; }) -
                         std::begin(kVariables);
      ASSERT_LT(index, 3) << name;
      bound.push_back(vars[index]);
    }
    const Number expected = Reference(*tree, vars);
    const Number got = e->Evaluate(bound);
    nulls += !expected;
    ASSERT_EQ(got.has_value(), expected.has_value())
        << text << " with a=" << vars[0].value_or(NAN) << " b=" << vars[1].value_or(NAN)
        << " c=" << vars[2].value_or(NAN) << ": got " << got.value_or(NAN);
    if (expected) {
      ASSERT_NEAR(*got, *expected, 1e-12 * std::max(1.0, std::fabs(*expected))) << text;
    }
  }
  // Both outcomes are well represented.
  EXPECT_GT(nulls, 2000);
  EXPECT_LT(nulls, 18000);
}

}  // namespace
}  // namespace fh::govern
