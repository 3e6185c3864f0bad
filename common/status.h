// Status and Result<T>: expected failures as values.
//
// Every function that can fail for a reason the user should hear about
// (bad input, a missing file, an index built by another analysis) returns a
// Status or a Result<T>. Exceptions from Xapian and ICU are caught in the one
// adapter that calls them and converted to a Status there. The message names
// the file, line or byte position where that is known.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace findling {

// [[nodiscard]]: a dropped Status is a dropped error. A caller that means to
// ignore one says so with an explicit (void) and a comment saying why.
class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidInput,  // the input (document, query, request) is malformed
    kIo,            // reading or writing a file failed
    kCorruption,    // stored data is not what it should be
    kNotFound,      // a document, file or index does not exist
    kIncompatible,  // an index built by another analysis or format
    kLimit,         // a configured limit was exceeded
    kInternal,      // a bug or an unexpected library failure
    kUnavailable,   // a remote shard refused, timed out or hung up (retry later)
    // The index changed while it was read (a writer committed twice under
    // the reader): reopen it and try again. searcher/ retries it itself; a
    // user who still sees it is told `internal` (common/error_code.h).
    kModified,
  };

  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string m) { return Status(Code::kInvalidInput, std::move(m)); }
  static Status Io(std::string m) { return Status(Code::kIo, std::move(m)); }
  static Status Corruption(std::string m) { return Status(Code::kCorruption, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status Incompatible(std::string m) { return Status(Code::kIncompatible, std::move(m)); }
  static Status Limit(std::string m) { return Status(Code::kLimit, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }
  static Status Unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
  static Status Modified(std::string m) { return Status(Code::kModified, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid input: <message>", or "OK".
  std::string ToString() const;
  // A stable lower-case name of the code ("invalid_input", "io", ...), used in JSON errors.
  static const char* CodeName(Code code);

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-OK Status. Accessing value() of an error is a bug (asserted).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace findling
