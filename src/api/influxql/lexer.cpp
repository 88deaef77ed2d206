#include "api/influxql/lexer.h"

#include <strings.h>

#include <fmt/format.h>

namespace fh::api::influxql {

namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || IsDigit(c);
}

}  // namespace

bool Token::IsKeyword(std::string_view word) const {
  return kind == TokenKind::kIdent && !quoted && text.size() == word.size() &&
         strncasecmp(text.data(), word.data(), word.size()) == 0;
}

std::string Token::Describe() const {
  if (kind == TokenKind::kEnd) return "EOF";
  if (kind == TokenKind::kString) return "'" + text + "'";
  if (kind == TokenKind::kIdent && quoted) return "\"" + text + "\"";
  return text;
}

std::string Lexer::Where(size_t offset) const {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < q_.size(); ++i) {
    if (q_[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return fmt::format("line {}, char {}", line, offset - line_start + 1);
}

void Lexer::SkipSpace() {
  while (pos_ < q_.size()) {
    const char c = q_[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos_;
    } else if (c == '-' && pos_ + 1 < q_.size() && q_[pos_ + 1] == '-') {
      // A comment to the end of the line.
      while (pos_ < q_.size() && q_[pos_] != '\n')
        ++pos_;
    } else {
      break;
    }
  }
}

Result<Token> Lexer::Peek() {
  if (!peeked_) {
    FH_ASSIGN_OR_RETURN(peek_, Scan());
    peeked_ = true;
  }
  return peek_;
}

Result<Token> Lexer::Next() {
  if (peeked_) {
    peeked_ = false;
    return std::move(peek_);
  }
  return Scan();
}

bool Lexer::AtRegex() {
  if (peeked_) return false;
  SkipSpace();
  return pos_ < q_.size() && q_[pos_] == '/';
}

Result<std::string> Lexer::ReadRegex() {
  SkipSpace();
  const size_t start = pos_;
  if (pos_ >= q_.size() || q_[pos_] != '/')
    return InvalidArgument("expected a regular expression at {}", Where(start));
  std::string pattern;
  for (++pos_; pos_ < q_.size(); ++pos_) {
    const char c = q_[pos_];
    if (c == '\\' && pos_ + 1 < q_.size() && q_[pos_ + 1] == '/') {
      pattern.push_back('/');
      ++pos_;
    } else if (c == '/') {
      ++pos_;
      return pattern;
    } else if (c == '\n') {
      break;
    } else {
      pattern.push_back(c);
    }
  }
  return InvalidArgument("unterminated regular expression at {}", Where(start));
}

Result<Token> Lexer::Scan() {
  SkipSpace();
  Token t;
  t.offset = pos_;
  if (pos_ >= q_.size()) return t;
  const char c = q_[pos_];
  if (IsIdentStart(c)) {
    const size_t start = pos_;
    while (pos_ < q_.size() && IsIdentChar(q_[pos_]))
      ++pos_;
    t.kind = TokenKind::kIdent;
    t.text = q_.substr(start, pos_ - start);
    return t;
  }
  if (c == '"' || c == '\'') {
    t.kind = c == '"' ? TokenKind::kIdent : TokenKind::kString;
    t.quoted = c == '"';
    for (++pos_; pos_ < q_.size(); ++pos_) {
      const char d = q_[pos_];
      if (d == '\\' && pos_ + 1 < q_.size()) {
        const char e = q_[++pos_];
        if (e == 'n') {
          t.text.push_back('\n');
        } else if (e == '\\' || e == '"' || e == '\'') {
          t.text.push_back(e);
        } else {
          // Unknown escapes stay as written, as InfluxQL keeps them for regexes.
          t.text.push_back('\\');
          t.text.push_back(e);
        }
      } else if (d == c) {
        ++pos_;
        return t;
      } else if (d == '\n') {
        break;
      } else {
        t.text.push_back(d);
      }
    }
    return InvalidArgument("found unterminated {} at {}", c == '"' ? "quoted identifier" : "string",
                           Where(t.offset));
  }
  if (IsDigit(c) || (c == '.' && pos_ + 1 < q_.size() && IsDigit(q_[pos_ + 1]))) {
    const size_t start = pos_;
    while (pos_ < q_.size() && (IsDigit(q_[pos_]) || q_[pos_] == '.'))
      ++pos_;
    // A duration unit right after the digits: ns, u, µ, us, ms, s, m, h, d, w.
    const size_t unit_start = pos_;
    while (pos_ < q_.size() &&
           (IsIdentChar(q_[pos_]) || static_cast<unsigned char>(q_[pos_]) >= 0x80))
      ++pos_;
    t.text = q_.substr(start, pos_ - start);
    t.kind = pos_ == unit_start ? TokenKind::kNumber : TokenKind::kDuration;
    return t;
  }
  t.kind = TokenKind::kOperator;
  static constexpr std::string_view kTwo[] = {"!=", "<>", "<=", ">=", "=~", "!~", "::"};
  for (std::string_view op : kTwo) {
    if (q_.substr(pos_, 2) == op) {
      t.text = op;
      pos_ += 2;
      return t;
    }
  }
  if (std::string_view("=<>+-*/(),.;").find(c) != std::string_view::npos) {
    t.text = std::string(1, c);
    ++pos_;
    return t;
  }
  return InvalidArgument("found {}, expected a statement at {}", std::string(1, c),
                         Where(t.offset));
}

}  // namespace fh::api::influxql
