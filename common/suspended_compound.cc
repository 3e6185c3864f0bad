#include "common/suspended_compound.h"

#include <vector>

#include "common/analyzer.h"
#include "common/token.h"

namespace findling {

bool IsSuspensionConjunction(std::string_view word) {
  // Only words that join like members of a list: "Ein- wie Ausfuhr" is rare,
  // and "wie" is too often a comparison to take a hyphen after it on trust.
  static constexpr std::string_view kConjunctions[] = {
      "und", "oder", "sowie", "bzw.", "beziehungsweise", "respektive", "bis",
  };
  for (std::string_view c : kConjunctions) {
    if (word == c) return true;
  }
  return false;
}

std::string CompleteSuspendedCompound(Analyzer& analyzer, std::string_view piece,
                                      SuspendedSide side, std::string_view partner) {
  if (side == SuspendedSide::kNone) return "";
  if (piece.ends_with(',')) piece.remove_suffix(1);
  if (side == SuspendedSide::kFront && piece.starts_with('-')) piece.remove_prefix(1);
  if (side == SuspendedSide::kBack && piece.ends_with('-')) piece.remove_suffix(1);
  if (piece.empty()) return "";
  const std::vector<Token> tokens = analyzer.Analyze(partner, AnalysisMode::kQuery);
  const Token* word = nullptr;
  std::vector<const Token*> parts;
  for (const Token& t : tokens) {
    if (t.role == TokenRole::kWord) {
      // Two words ("KI-Chips", "Max Planck"): no single compound to take a part from.
      if (word != nullptr) return "";
      word = &t;
    } else if (t.role == TokenRole::kPart) {
      parts.push_back(&t);
    }
  }
  if (word == nullptr || parts.size() < 2) return "";
  // The analyzer gives every part the whole word's offsets when normalising
  // changed the number of code points; then there is no boundary to cut at.
  const Token& cut = side == SuspendedSide::kFront ? *parts.back() : *parts[1];
  if (cut.start <= word->start || cut.start >= word->end) return "";
  if (side == SuspendedSide::kFront) {
    return std::string(partner.substr(word->start, cut.start - word->start)) + std::string(piece);
  }
  return std::string(piece) + std::string(partner.substr(cut.start, word->end - cut.start));
}

}  // namespace findling
