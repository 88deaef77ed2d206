// Status and Result<T>: how fallible calls report errors across module boundaries.
//
// A Status is either OK or carries a code and a message that says what failed and where
// (file, line, field). Codes map to CLI exit codes and HTTP statuses only at the edges
// (cli/, api/). Both types are [[nodiscard]]: an ignored error is a compile warning.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace fh {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed (bad CSV line, bad flag value)
  kNotFound,            // a named thing does not exist (tag, hub, file)
  kAlreadyExists,       // creating something that is already there
  kFailedPrecondition,  // the system is not in a state to do this (hub not initialised)
  kCorruption,          // stored data failed a consistency check
  kIOError,             // the operating system or SQLite failed to read or write
  kUnavailable,         // try again later (overload, back-pressure)
  kUnimplemented,       // the feature is not there (yet): say so rather than pretend
  kUnauthenticated,     // no credentials, or ones that are wrong, expired or revoked
  kPermissionDenied,    // known, but not allowed to do this
  kResourceExhausted,   // too often or too much from one caller (throttled): later
  kInternal,            // a bug
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : rep_(code == StatusCode::kOk ? nullptr
                                     : std::make_shared<Rep>(Rep{code, std::move(message)})) {}

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;
  // "InvalidArgument: data.csv:12: field 'value': not a number: 'abc'"
  std::string ToString() const;

  // Returns a copy with "context: " put before the message (e.g. the file name).
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  // Shared and immutable: copying a Status is cheap, and OK costs one null pointer.
  std::shared_ptr<const Rep> rep_;
};

// Short constructors: InvalidArgument("{}:{}: bad value", file, line).
#define FH_STATUS_FACTORY(Name)                                                      \
  template <typename... Args>                                                        \
  Status Name(fmt::format_string<Args...> f, Args&&... args) {                       \
    return Status(StatusCode::k##Name, fmt::format(f, std::forward<Args>(args)...)); \
  }
FH_STATUS_FACTORY(InvalidArgument)
FH_STATUS_FACTORY(NotFound)
FH_STATUS_FACTORY(AlreadyExists)
FH_STATUS_FACTORY(FailedPrecondition)
FH_STATUS_FACTORY(Corruption)
FH_STATUS_FACTORY(IOError)
FH_STATUS_FACTORY(Unavailable)
FH_STATUS_FACTORY(Unimplemented)
FH_STATUS_FACTORY(Unauthenticated)
FH_STATUS_FACTORY(PermissionDenied)
FH_STATUS_FACTORY(ResourceExhausted)
FH_STATUS_FACTORY(Internal)
#undef FH_STATUS_FACTORY

// Result<T>: a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace fh

// Propagate a non-OK Status to the caller.
#define FH_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::fh::Status fh_status_ = (expr);        \
    if (!fh_status_.ok()) return fh_status_; \
  } while (0)

#define FH_CONCAT_INNER(a, b) a##b
#define FH_CONCAT(a, b) FH_CONCAT_INNER(a, b)

// FH_ASSIGN_OR_RETURN(auto x, MakeX()); — binds the value or returns the error.
#define FH_ASSIGN_OR_RETURN(lhs, expr) \
  FH_ASSIGN_OR_RETURN_IMPL(FH_CONCAT(fh_result_, __LINE__), lhs, expr)
#define FH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
