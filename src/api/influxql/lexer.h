// The tokens of an InfluxQL query (https://docs.influxdata.com/influxdb/v1/query_language/spec/):
// identifiers (bare, or "double quoted" with \" and \\ escapes), 'string literals', numbers
// (with an optional duration unit: 10s, 1600000000000ms), operators and punctuation.
// A regular expression (/.../) is read only where the parser expects one (ReadRegex), since
// '/' is also division.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fh::api::influxql {

enum class TokenKind {
  kEnd,
  kIdent,     // text unquoted; `quoted` says whether it was "quoted"
  kString,    // 'text', unescaped
  kNumber,    // 12, 1.5
  kDuration,  // 10s, 5m, 1600000000000ms: text is the whole literal
  kOperator,  // = != <> < <= > >= =~ !~ + - * / ( ) , . ; ::
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  bool quoted = false;
  size_t offset = 0;  // of its first byte in the query

  bool IsKeyword(std::string_view word) const;  // a bare identifier, case-insensitively
  bool Is(std::string_view op) const { return kind == TokenKind::kOperator && text == op; }
  std::string Describe() const;  // for messages: the text, or "EOF"
};

class Lexer {
 public:
  explicit Lexer(std::string_view query) : q_(query) {}

  Result<Token> Next();
  Result<Token> Peek();
  // True when the next token starts with '/': a regular expression where one may stand.
  bool AtRegex();
  // Reads /.../ (\/ is a slash in it), returning the pattern between the slashes.
  Result<std::string> ReadRegex();
  // "line 1, char N" for a byte offset, as InfluxDB's parse errors say where.
  std::string Where(size_t offset) const;
  size_t offset() const { return pos_; }

 private:
  Result<Token> Scan();
  void SkipSpace();

  std::string_view q_;
  size_t pos_ = 0;
  bool peeked_ = false;
  Token peek_;
};

}  // namespace fh::api::influxql
