#include "common/token.h"

namespace findling {

std::string DebugString(const Token& token) {
  std::string out = token.form;
  if (token.stem != token.form) out += "/" + token.stem;
  out += "@" + std::to_string(token.position);
  if (token.position_length != 1) out += "+" + std::to_string(token.position_length);
  out += "[" + std::to_string(token.start) + "," + std::to_string(token.end) + ")";
  switch (token.role) {
    case TokenRole::kWord: break;
    case TokenRole::kJoined: out += "J"; break;
    case TokenRole::kPart: out += "P"; break;
  }
  if (token.is_stopword) out += "S";
  return out;
}

}  // namespace findling
