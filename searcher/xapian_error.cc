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
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corruption(prefix + e.get_description());
  } catch (const Xapian::LogicError& e) {
    return Status::Internal(prefix + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::Io(prefix + e.get_description());
  }
}

}  // namespace findling
