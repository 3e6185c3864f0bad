#include "searcher/xapian_error.h"

#include <xapian.h>

#include <string>

namespace findling {

Status StatusOfXapianError(std::string_view what) {
  // Xapian::Error has no virtual function to ask: rethrowing the handled
  // exception lets the catch clauses sort it by type, subclasses first.
  const std::string prefix = std::string(what) + ": ";
  try {
    throw;
  } catch (const Xapian::NetworkError& e) {
    return Status::Unavailable(prefix + e.get_description());
  } catch (const Xapian::DatabaseModifiedError& e) {
    return Status::Modified(prefix + e.get_description());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corruption(prefix + e.get_description());
  } catch (const Xapian::LogicError& e) {
    return Status::Internal(prefix + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::Io(prefix + e.get_description());
  }
}

bool TimedOutAt(const Status& status, std::string_view host_port) {
  if (status.code() != Status::Code::kUnavailable) return false;
  // Both pieces are Xapian's get_description() as StatusOfXapianError
  // writes it after "<what>: ": the type first, the context in brackets.
  const std::string& message = status.message();
  const std::string context = "(context: remote:tcp(" + std::string(host_port) + "))";
  return message.find(": NetworkTimeoutError: ") != std::string::npos &&
         message.find(context) != std::string::npos;
}

}  // namespace findling
