#include "api/influxql/parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <initializer_list>

#include <fmt/format.h>

#include "api/influxql/lexer.h"
#include "api/influxql/literals.h"
#include "common/time.h"

namespace fh::api::influxql {

namespace {

constexpr std::string_view kFunctions[] = {"count", "sum",  "mean",   "median", "min",       "max",
                                           "first", "last", "spread", "stddev", "percentile"};

// A WHERE clause before it is split into the tag condition and the time bounds: time may
// only be ANDed, which is known once the whole tree is read.
struct Expr {
  enum class Kind { kAnd, kOr, kTag, kTime };
  Kind kind = Kind::kTag;
  std::vector<Expr> children;
  TagCondition tag;  // kTag
  std::string time_op;
  int64_t time = 0;  // kTime
};

class Parser {
 public:
  Parser(std::string_view query, int64_t now) : lex_(query), now_(now) {}

  Result<std::vector<Statement>> ParseAll() {
    std::vector<Statement> out;
    for (;;) {
      FH_ASSIGN_OR_RETURN(Token t, lex_.Peek());
      if (t.kind == TokenKind::kEnd) break;
      if (t.Is(";")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        continue;
      }
      FH_ASSIGN_OR_RETURN(Statement s, ParseStatement());
      out.push_back(std::move(s));
      FH_ASSIGN_OR_RETURN(Token end, lex_.Next());
      if (end.kind != TokenKind::kEnd && !end.Is(";")) return Expected(end, "';' or EOF");
    }
    if (out.empty())
      return InvalidArgument("found EOF, expected SELECT, SHOW, CREATE at line 1, char 1");
    return out;
  }

 private:
  Status Expected(const Token& t, std::string_view what) {
    return InvalidArgument("found {}, expected {} at {}", t.Describe(), what, lex_.Where(t.offset));
  }

  Result<Token> Expect(std::string_view op) {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    if (!t.Is(op)) return Expected(t, op);
    return t;
  }

  Result<Token> ExpectKeyword(std::string_view word) {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    if (!t.IsKeyword(word)) return Expected(t, word);
    return t;
  }

  // Consumes the next token when it is the keyword.
  Result<bool> Accept(std::string_view word) {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Peek());
    if (!t.IsKeyword(word)) return false;
    FH_RETURN_IF_ERROR(lex_.Next().status());
    return true;
  }

  Result<bool> AcceptOp(std::string_view op) {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Peek());
    if (!t.Is(op)) return false;
    FH_RETURN_IF_ERROR(lex_.Next().status());
    return true;
  }

  Result<std::string> Identifier(std::string_view what = "identifier") {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    if (t.kind != TokenKind::kIdent) return Expected(t, what);
    return t.text;
  }

  // `"host"::tag`, `"value"::field`: the type hint changes nothing here.
  Status SkipTypeHint() {
    FH_ASSIGN_OR_RETURN(bool hint, AcceptOp("::"));
    if (hint) FH_RETURN_IF_ERROR(Identifier("tag or field").status());
    return Status::Ok();
  }

  Result<int64_t> Integer(std::string_view what) {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    int64_t n = 0;
    if (t.kind != TokenKind::kNumber ||
        std::from_chars(t.text.data(), t.text.data() + t.text.size(), n).ptr !=
            t.text.data() + t.text.size() ||
        n < 0)
      return Expected(t, what);
    return n;
  }

  Result<Statement> ParseStatement() {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    if (t.IsKeyword("SELECT")) return ParseSelect();
    if (t.IsKeyword("SHOW")) return ParseShow();
    if (t.IsKeyword("CREATE")) {
      FH_RETURN_IF_ERROR(ExpectKeyword("DATABASE").status());
      CreateDatabase c;
      FH_ASSIGN_OR_RETURN(c.name, Identifier("database name"));
      // WITH DURATION ... and friends: retention is the hub's business, not the client's.
      for (;;) {
        FH_ASSIGN_OR_RETURN(Token next, lex_.Peek());
        if (next.kind == TokenKind::kEnd || next.Is(";")) break;
        FH_RETURN_IF_ERROR(lex_.Next().status());
      }
      return Statement(std::move(c));
    }
    return Expected(t,
                    "SELECT, SHOW, CREATE (factoryhub reads through InfluxQL; it does not "
                    "change or delete data through it)");
  }

  // "m", "rp"."m" or "db"."rp"."m" (a hub has one database and one retention policy: the
  // last name is the measurement), or /regex/ in the last place.
  Result<Source> ParseSource() {
    Source s;
    for (int part = 0; part < 3; ++part) {
      if (part > 0) {
        FH_ASSIGN_OR_RETURN(bool dot, AcceptOp("."));
        if (!dot) break;
      }
      if (lex_.AtRegex()) {
        FH_ASSIGN_OR_RETURN(std::string pattern, lex_.ReadRegex());
        FH_ASSIGN_OR_RETURN(s.regex, CompileRegex(pattern));
        s.name = "/" + pattern + "/";
        return s;
      }
      FH_ASSIGN_OR_RETURN(s.name, Identifier("measurement"));
    }
    return s;
  }

  Result<std::vector<Source>> ParseSources() {
    std::vector<Source> out;
    do {
      FH_ASSIGN_OR_RETURN(Source s, ParseSource());
      out.push_back(std::move(s));
      FH_ASSIGN_OR_RETURN(bool more, AcceptOp(","));
      if (!more) break;
    } while (true);
    return out;
  }

  Result<FieldExpr> ParseField() {
    FieldExpr f;
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    if (t.Is("*")) {
      f.field = "*";
    } else if (t.kind != TokenKind::kIdent) {
      return Expected(t, "field or function");
    } else {
      FH_ASSIGN_OR_RETURN(bool call, AcceptOp("("));
      if (!call) {
        f.field = t.text;
        FH_RETURN_IF_ERROR(SkipTypeHint());
      } else {
        std::string name = t.text;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (std::find(std::begin(kFunctions), std::end(kFunctions), name) == std::end(kFunctions))
          return InvalidArgument(
              "undefined function {}(): factoryhub's InfluxQL has count, sum, mean, median, min, "
              "max, first, last, spread, stddev and percentile",
              t.text);
        f.function = name;
        FH_ASSIGN_OR_RETURN(Token arg, lex_.Next());
        if (arg.Is("*")) {
          f.field = "*";
        } else if (arg.kind == TokenKind::kIdent) {
          FH_ASSIGN_OR_RETURN(Token after, lex_.Peek());
          if (after.Is("("))
            return InvalidArgument("{}({}(...)): nested functions are not supported at {}", name,
                                   arg.text, lex_.Where(arg.offset));
          f.field = arg.text;
          FH_RETURN_IF_ERROR(SkipTypeHint());
        } else {
          return Expected(arg, "field key");
        }
        if (name == "percentile") {
          FH_RETURN_IF_ERROR(Expect(",").status());
          FH_ASSIGN_OR_RETURN(Token n, lex_.Next());
          if (n.kind != TokenKind::kNumber) return Expected(n, "a number");
          f.argument = std::strtod(n.text.c_str(), nullptr);
          if (!(f.argument >= 0 && f.argument <= 100))
            return InvalidArgument("percentile: the number must be within 0..100, not {}", n.text);
        }
        FH_RETURN_IF_ERROR(Expect(")").status());
      }
    }
    FH_ASSIGN_OR_RETURN(bool as, Accept("AS"));
    if (as) {
      FH_ASSIGN_OR_RETURN(f.alias, Identifier("alias"));
    }
    return f;
  }

  Result<int64_t> ParseTimeValue() {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    int64_t value = 0;
    if (t.IsKeyword("now")) {
      FH_RETURN_IF_ERROR(Expect("(").status());
      FH_RETURN_IF_ERROR(Expect(")").status());
      value = now_;
    } else if (t.kind == TokenKind::kString) {
      FH_ASSIGN_OR_RETURN(value, TimeLiteral(t.text));
    } else if (t.kind == TokenKind::kDuration) {
      FH_ASSIGN_OR_RETURN(value, DurationLiteral(t.text));  // an epoch with its unit
    } else if (t.kind == TokenKind::kNumber && t.text.find('.') == std::string::npos) {
      if (std::from_chars(t.text.data(), t.text.data() + t.text.size(), value).ec != std::errc())
        return InvalidArgument("time {} is out of range", t.text);
    } else if (t.Is("-")) {
      FH_ASSIGN_OR_RETURN(Token d, lex_.Next());
      if (d.kind != TokenKind::kDuration) return Expected(d, "duration");
      FH_ASSIGN_OR_RETURN(int64_t ns, DurationLiteral(d.text));
      value = -ns;
    } else {
      return Expected(t, "now(), a time string or an epoch");
    }
    for (;;) {
      FH_ASSIGN_OR_RETURN(Token op, lex_.Peek());
      if (!op.Is("+") && !op.Is("-")) break;
      FH_RETURN_IF_ERROR(lex_.Next().status());
      FH_ASSIGN_OR_RETURN(Token d, lex_.Next());
      if (d.kind != TokenKind::kDuration) return Expected(d, "duration");
      FH_ASSIGN_OR_RETURN(int64_t ns, DurationLiteral(d.text));
      if (!SafeAdd(value, op.text == "+" ? ns : -ns, &value))
        return InvalidArgument("time {} {} is out of range", op.text, d.text);
    }
    return value;
  }

  Result<Expr> ParseComparison() {
    FH_ASSIGN_OR_RETURN(Token lhs, lex_.Next());
    if (lhs.kind != TokenKind::kIdent) return Expected(lhs, "identifier");
    FH_RETURN_IF_ERROR(SkipTypeHint());
    FH_ASSIGN_OR_RETURN(Token op, lex_.Next());
    static constexpr std::string_view kOps[] = {"=", "!=", "<>", "=~", "!~", "<", "<=", ">", ">="};
    if (op.kind != TokenKind::kOperator ||
        std::find(std::begin(kOps), std::end(kOps), op.text) == std::end(kOps))
      return Expected(op, "=, !=, <>, =~, !~, <, <=, >, >=");
    Expr e;
    if (lhs.IsKeyword("time") || (lhs.quoted && lhs.text == "time")) {
      if (op.text == "!=" || op.text == "<>" || op.text == "=~" || op.text == "!~")
        return InvalidArgument(
            "time {} is not supported: compare time with =, <, <=, > or >= at {}", op.text,
            lex_.Where(op.offset));
      e.kind = Expr::Kind::kTime;
      e.time_op = op.text;
      FH_ASSIGN_OR_RETURN(e.time, ParseTimeValue());
      return e;
    }
    e.kind = Expr::Kind::kTag;
    e.tag.kind = TagCondition::Kind::kCompare;
    e.tag.key = lhs.text;
    if (op.text == "=~" || op.text == "!~") {
      e.tag.op = op.text == "=~" ? CompareOp::kMatch : CompareOp::kNotMatch;
      FH_ASSIGN_OR_RETURN(std::string pattern, lex_.ReadRegex());
      FH_ASSIGN_OR_RETURN(e.tag.regex, CompileRegex(pattern));
      return e;
    }
    FH_ASSIGN_OR_RETURN(Token rhs, lex_.Next());
    if (rhs.kind != TokenKind::kString || (op.text != "=" && op.text != "!=" && op.text != "<>"))
      return InvalidArgument(
          "'{} {} {}': factoryhub's InfluxQL filters on tags ('{}' = 'value', =~ /regex/) and on "
          "time, not on field values, at {}",
          lhs.Describe(), op.text, rhs.Describe(), lhs.text, lex_.Where(lhs.offset));
    e.tag.op = op.text == "=" ? CompareOp::kEq : CompareOp::kNe;
    e.tag.value = rhs.text;
    return e;
  }

  Result<Expr> ParsePrimary() {
    FH_ASSIGN_OR_RETURN(Token t, lex_.Peek());
    FH_ASSIGN_OR_RETURN(bool paren, AcceptOp("("));
    if (!paren) return ParseComparison();
    // Parentheses recurse: a hostile query of a million '(' must not exhaust the stack.
    if (++depth_ > kMaxDepth)
      return InvalidArgument("more than {} nested parentheses at {}", kMaxDepth,
                             lex_.Where(t.offset));
    FH_ASSIGN_OR_RETURN(Expr e, ParseOr());
    --depth_;
    FH_RETURN_IF_ERROR(Expect(")").status());
    return e;
  }

  // operand (KEYWORD operand)*: AND binds tighter than OR.
  Result<Expr> ParseChain(Expr::Kind kind, std::string_view keyword,
                          Result<Expr> (Parser::*operand)()) {
    FH_ASSIGN_OR_RETURN(Expr first, (this->*operand)());
    Expr e;
    e.kind = kind;
    e.children.push_back(std::move(first));
    for (;;) {
      FH_ASSIGN_OR_RETURN(bool more, Accept(keyword));
      if (!more) break;
      FH_ASSIGN_OR_RETURN(Expr next, (this->*operand)());
      e.children.push_back(std::move(next));
    }
    if (e.children.size() == 1) return std::move(e.children.front());
    return e;
  }
  Result<Expr> ParseAnd() { return ParseChain(Expr::Kind::kAnd, "AND", &Parser::ParsePrimary); }
  Result<Expr> ParseOr() { return ParseChain(Expr::Kind::kOr, "OR", &Parser::ParseAnd); }

  // The tag part of `e`, narrowing `time` by the time comparisons ANDed at its top.
  static Result<TagCondition> Lower(Expr& e, bool under_or, TimeBounds* time) {
    switch (e.kind) {
      case Expr::Kind::kTag:
        return std::move(e.tag);
      case Expr::Kind::kTime: {
        if (under_or)
          return InvalidArgument("time conditions cannot be combined with OR: AND them instead");
        const int64_t t = e.time;
        auto lower = [&](int64_t lo) {
          if (lo > time->lo) time->lo = lo;
          time->has_lo = true;
        };
        auto upper = [&](int64_t hi) {
          if (hi < time->hi) time->hi = hi;
          time->has_hi = true;
        };
        if (e.time_op == ">") lower(t == INT64_MAX ? t : t + 1);
        if (e.time_op == ">=" || e.time_op == "=") lower(t);
        if (e.time_op == "<") upper(t == INT64_MIN ? t : t - 1);
        if (e.time_op == "<=" || e.time_op == "=") upper(t);
        return TagCondition{};
      }
      case Expr::Kind::kAnd:
      case Expr::Kind::kOr: {
        const bool is_or = e.kind == Expr::Kind::kOr;
        TagCondition c;
        c.kind = is_or ? TagCondition::Kind::kOr : TagCondition::Kind::kAnd;
        for (Expr& child : e.children) {
          FH_ASSIGN_OR_RETURN(TagCondition sub, Lower(child, under_or || is_or, time));
          if (sub.kind != TagCondition::Kind::kTrue) c.children.push_back(std::move(sub));
        }
        if (c.children.empty()) return TagCondition{};
        if (c.children.size() == 1) return std::move(c.children.front());
        return c;
      }
    }
    return TagCondition{};
  }

  Status ParseWhere(Condition* where) {
    FH_ASSIGN_OR_RETURN(bool has, Accept("WHERE"));
    if (!has) return Status::Ok();
    FH_ASSIGN_OR_RETURN(Expr e, ParseOr());
    FH_ASSIGN_OR_RETURN(where->tags, Lower(e, false, &where->time));
    return Status::Ok();
  }

  Status ParseGroupBy(SelectStatement* s) {
    do {
      FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
      if (t.Is("*")) {
        s->group_all_tags = true;
      } else if (t.IsKeyword("time")) {
        FH_RETURN_IF_ERROR(Expect("(").status());
        FH_ASSIGN_OR_RETURN(Token d, lex_.Next());
        if (d.kind != TokenKind::kDuration) return Expected(d, "duration");
        FH_ASSIGN_OR_RETURN(s->interval, DurationLiteral(d.text));
        if (s->interval <= 0)
          return InvalidArgument("GROUP BY time({}): the interval must be positive", d.text);
        FH_ASSIGN_OR_RETURN(bool offset, AcceptOp(","));
        if (offset) {
          FH_ASSIGN_OR_RETURN(bool negative, AcceptOp("-"));
          FH_ASSIGN_OR_RETURN(Token o, lex_.Next());
          if (o.kind != TokenKind::kDuration) return Expected(o, "duration");
          FH_ASSIGN_OR_RETURN(s->interval_offset, DurationLiteral(o.text));
          if (negative) s->interval_offset = -s->interval_offset;
        }
        FH_RETURN_IF_ERROR(Expect(")").status());
      } else if (t.kind == TokenKind::kIdent) {
        s->group_tags.push_back(t.text);
        FH_RETURN_IF_ERROR(SkipTypeHint());
      } else {
        return Expected(t, "time(), a tag key or *");
      }
      FH_ASSIGN_OR_RETURN(bool more, AcceptOp(","));
      if (!more) break;
    } while (true);
    return Status::Ok();
  }

  Status ParseFill(SelectStatement* s) {
    FH_RETURN_IF_ERROR(Expect("(").status());
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    bool negative = false;
    if (t.Is("-")) {
      negative = true;
      FH_ASSIGN_OR_RETURN(t, lex_.Next());
    }
    if (t.kind == TokenKind::kNumber) {
      s->fill = Fill::kValue;
      s->fill_value = std::strtod(t.text.c_str(), nullptr) * (negative ? -1 : 1);
    } else if (t.IsKeyword("null")) {
      s->fill = Fill::kNull;
    } else if (t.IsKeyword("none")) {
      s->fill = Fill::kNone;
    } else if (t.IsKeyword("previous")) {
      s->fill = Fill::kPrevious;
    } else if (t.IsKeyword("linear")) {
      s->fill = Fill::kLinear;
    } else {
      return Expected(t, "null, none, previous, linear or a number");
    }
    return Expect(")").status();
  }

  // LIMIT n, OFFSET n and the like, when `t` (peeked) is one of `clauses`.
  Result<bool> ParsePaging(const Token& t,
                           std::initializer_list<std::pair<std::string_view, int64_t*>> clauses) {
    for (const auto& [keyword, value] : clauses) {
      if (!t.IsKeyword(keyword)) continue;
      FH_RETURN_IF_ERROR(lex_.Next().status());
      FH_ASSIGN_OR_RETURN(*value, Integer(fmt::format("{}'s number", keyword)));
      return true;
    }
    return false;
  }

  Result<Statement> ParseSelect() {
    SelectStatement s;
    do {
      FH_ASSIGN_OR_RETURN(FieldExpr f, ParseField());
      s.fields.push_back(std::move(f));
      FH_ASSIGN_OR_RETURN(bool more, AcceptOp(","));
      if (!more) break;
    } while (true);
    FH_RETURN_IF_ERROR(ExpectKeyword("FROM").status());
    FH_ASSIGN_OR_RETURN(s.sources, ParseSources());
    FH_RETURN_IF_ERROR(ParseWhere(&s.where));
    for (;;) {
      FH_ASSIGN_OR_RETURN(Token t, lex_.Peek());
      FH_ASSIGN_OR_RETURN(bool paging, ParsePaging(t, {{"LIMIT", &s.limit},
                                                       {"OFFSET", &s.offset},
                                                       {"SLIMIT", &s.slimit},
                                                       {"SOFFSET", &s.soffset}}));
      if (paging) continue;
      if (t.IsKeyword("GROUP")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(ExpectKeyword("BY").status());
        FH_RETURN_IF_ERROR(ParseGroupBy(&s));
      } else if (t.IsKeyword("fill")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(ParseFill(&s));
      } else if (t.IsKeyword("ORDER")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(ExpectKeyword("BY").status());
        FH_RETURN_IF_ERROR(ExpectKeyword("time").status());
        FH_ASSIGN_OR_RETURN(bool desc, Accept("DESC"));
        if (!desc) FH_RETURN_IF_ERROR(Accept("ASC").status());
        s.descending = desc;
      } else if (t.IsKeyword("tz")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(Expect("(").status());
        FH_ASSIGN_OR_RETURN(Token zone, lex_.Next());
        if (zone.kind != TokenKind::kString || (zone.text != "UTC" && zone.text != "Etc/UTC"))
          return InvalidArgument("tz({}): factoryhub answers InfluxQL in UTC only",
                                 zone.Describe());
        FH_RETURN_IF_ERROR(Expect(")").status());
      } else {
        break;
      }
    }
    return Statement(std::move(s));
  }

  Status ParseShowClauses(ShowStatement* s, bool from, bool where) {
    for (;;) {
      FH_ASSIGN_OR_RETURN(Token t, lex_.Peek());
      if (t.IsKeyword("ON")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(Identifier("database").status());  // one hub, one database
      } else if (from && t.IsKeyword("FROM")) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_ASSIGN_OR_RETURN(s->sources, ParseSources());
      } else if (where && t.IsKeyword("WHERE")) {
        FH_RETURN_IF_ERROR(ParseWhere(&s->where));
      } else if (t.IsKeyword("WITH") && s->kind == ShowStatement::Kind::kTagValues) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(ExpectKeyword("KEY").status());
        FH_ASSIGN_OR_RETURN(Token op, lex_.Next());
        if (op.IsKeyword("IN")) {
          FH_RETURN_IF_ERROR(Expect("(").status());
          do {
            FH_ASSIGN_OR_RETURN(std::string key, Identifier("tag key"));
            s->keys.push_back(std::move(key));
            FH_ASSIGN_OR_RETURN(bool more, AcceptOp(","));
            if (!more) break;
          } while (true);
          FH_RETURN_IF_ERROR(Expect(")").status());
        } else if (op.Is("=") || op.Is("!=") || op.Is("<>")) {
          s->key_op = op.Is("=") ? CompareOp::kEq : CompareOp::kNe;
          FH_ASSIGN_OR_RETURN(std::string key, Identifier("tag key"));
          s->keys.push_back(std::move(key));
        } else if (op.Is("=~") || op.Is("!~")) {
          s->key_op = op.Is("=~") ? CompareOp::kMatch : CompareOp::kNotMatch;
          FH_ASSIGN_OR_RETURN(std::string pattern, lex_.ReadRegex());
          FH_ASSIGN_OR_RETURN(s->key_regex, CompileRegex(pattern));
        } else {
          return Expected(op, "=, !=, =~, !~ or IN");
        }
      } else if (t.IsKeyword("WITH") && s->kind == ShowStatement::Kind::kMeasurements) {
        FH_RETURN_IF_ERROR(lex_.Next().status());
        FH_RETURN_IF_ERROR(ExpectKeyword("MEASUREMENT").status());
        FH_ASSIGN_OR_RETURN(Token op, lex_.Next());
        Source m;
        if (op.Is("=~")) {
          FH_ASSIGN_OR_RETURN(std::string pattern, lex_.ReadRegex());
          FH_ASSIGN_OR_RETURN(m.regex, CompileRegex(pattern));
        } else if (op.Is("=")) {
          FH_ASSIGN_OR_RETURN(Token name, lex_.Next());
          if (name.kind != TokenKind::kIdent && name.kind != TokenKind::kString)
            return Expected(name, "measurement");
          m.name = name.text;
        } else {
          return Expected(op, "= or =~");
        }
        s->measurement_filter.push_back(std::move(m));
      } else {
        FH_ASSIGN_OR_RETURN(bool paging,
                            ParsePaging(t, {{"LIMIT", &s->limit}, {"OFFSET", &s->offset}}));
        if (!paging) break;
      }
    }
    if (s->kind == ShowStatement::Kind::kTagValues && s->keys.empty() && !s->key_regex)
      return InvalidArgument("SHOW TAG VALUES needs WITH KEY = \"key\"");
    return Status::Ok();
  }

  Result<Statement> ParseShow() {
    ShowStatement s;
    FH_ASSIGN_OR_RETURN(Token t, lex_.Next());
    using K = ShowStatement::Kind;
    if (t.IsKeyword("DATABASES")) {
      s.kind = K::kDatabases;
      return Statement(std::move(s));
    }
    if (t.IsKeyword("MEASUREMENTS")) {
      s.kind = K::kMeasurements;
      FH_RETURN_IF_ERROR(ParseShowClauses(&s, false, true));
    } else if (t.IsKeyword("SERIES")) {
      s.kind = K::kSeries;
      FH_RETURN_IF_ERROR(ParseShowClauses(&s, true, true));
    } else if (t.IsKeyword("TAG")) {
      FH_ASSIGN_OR_RETURN(Token what, lex_.Next());
      if (what.IsKeyword("KEYS")) {
        s.kind = K::kTagKeys;
      } else if (what.IsKeyword("VALUES")) {
        s.kind = K::kTagValues;
      } else {
        return Expected(what, "KEYS, VALUES");
      }
      FH_RETURN_IF_ERROR(ParseShowClauses(&s, true, true));
    } else if (t.IsKeyword("FIELD")) {
      FH_RETURN_IF_ERROR(ExpectKeyword("KEYS").status());
      s.kind = K::kFieldKeys;
      FH_RETURN_IF_ERROR(ParseShowClauses(&s, true, false));
    } else if (t.IsKeyword("RETENTION")) {
      FH_RETURN_IF_ERROR(ExpectKeyword("POLICIES").status());
      s.kind = K::kRetentionPolicies;
      FH_RETURN_IF_ERROR(ParseShowClauses(&s, false, false));
    } else {
      return Expected(t,
                      "DATABASES, MEASUREMENTS, SERIES, TAG KEYS, TAG VALUES, FIELD KEYS, "
                      "RETENTION POLICIES");
    }
    return Statement(std::move(s));
  }

  static constexpr int kMaxDepth = 64;

  Lexer lex_;
  int64_t now_;
  int depth_ = 0;
};

}  // namespace

Result<std::vector<Statement>> Parse(std::string_view query, int64_t now_ns) {
  Parser p(query, now_ns);
  Result<std::vector<Statement>> out = p.ParseAll();
  if (!out.ok()) return InvalidArgument("error parsing query: {}", out.status().message());
  return out;
}

}  // namespace fh::api::influxql
