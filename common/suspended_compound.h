// Suspended compounds (Ergänzungsstrich): German writes a part that two
// compounds share only once and marks the gap with a hyphen,
//   "Privatpersonen und -organisationen"  = Privatpersonen und Privatorganisationen
//   "Ein- und Ausfuhr"                    = Einfuhr und Ausfuhr
//   "Kinder-, Jugend- und Familienhilfe"  = Kinderhilfe, Jugendhilfe und Familienhilfe
// This file says which words join such a list and completes the suspended
// piece from its written-out neighbour (the partner), using the parts the
// Decompounder finds in the partner. The query parser finds the shape (it
// must not read "-organisationen" as an exclusion); the query builder
// searches the completed compound.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace findling {

class Analyzer;

// Which end of the compound the writer left out.
enum class SuspendedSide : std::uint8_t {
  kNone,
  kFront,  // "-organisationen": the first part is the partner's ("Privatpersonen")
  kBack,   // "Ein-": the last part is the partner's ("Ausfuhr")
};

// True for the words that join the members of a suspended list: "und",
// "oder", "sowie", "bzw.", "beziehungsweise", "respektive", "bis" ("Ein- bis
// Zweifamilienhäuser"), in lower case only: the query parser reads "UND" and
// "ODER" as operators. A comma joins them too; it is punctuation, not a
// word, and the caller looks for it itself.
// Thread-safe.
bool IsSuspensionConjunction(std::string_view word);

// The compound the writer meant, as text to analyse, or "" when it cannot be
// told from the partner:
//  - kFront: the partner minus its last part, then `piece`
//    ("organisationen" with "Privatpersonen" -> "Privatorganisationen");
//  - kBack: `piece`, then the partner minus its first part
//    ("Ein" with "Ausfuhr" -> "Einfuhr", "Bundes" with "Landesrecht" ->
//    "Bundesrecht"; a linking element stays with the part before it).
// `piece` is the suspended word as written: its hyphen and a list's comma
// ("-organisationen,", "Kinder-,") are dropped, and with them anything the
// hyphen does not touch is kept ("Ein" is read as "Ein-"). `partner` is the
// written-out compound as typed (surrounding punctuation is ignored).
// "" when the partner is not one word the decompounder splits in two or more
// parts ("Politik und -wahl": Politik has no parts), or when normalising
// changed the partner's shape so that its parts have no own offsets.
// Uses `analyzer` (query mode), so it is as thread-safe as the Analyzer: one
// per thread.
std::string CompleteSuspendedCompound(Analyzer& analyzer, std::string_view piece,
                                      SuspendedSide side, std::string_view partner);

}  // namespace findling
