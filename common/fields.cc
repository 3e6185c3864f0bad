#include "common/fields.h"

#include <fstream>

#include "common/ascii.h"

namespace findling {
namespace {

// First value slot of the declared fields; 0-2 are the built-in ones and
// 3-15 are left for built-in slots to come.
constexpr unsigned kFirstFieldSlot = 16;

// A name ends at ':' and its properties are ","-separated.
Status ParseDeclaration(std::string_view text, const std::string& where,
                        std::vector<FieldDeclaration>* out) {
  const std::string_view trimmed = TrimAsciiSpace(text);
  const std::size_t colon = trimmed.find(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidInput(where + "field declaration \"" + std::string(trimmed) +
                                "\" needs properties: NAME:filter, NAME:facet or "
                                "NAME:filter,facet");
  }
  const std::string_view raw_name = TrimAsciiSpace(trimmed.substr(0, colon));
  std::string why;
  auto name = NormalizeFieldName(raw_name, &why);
  if (!name) {
    return Status::InvalidInput(where + "field name \"" + std::string(raw_name) + "\" " + why);
  }
  if (IsReservedFieldName(*name)) {
    return Status::InvalidInput(where + "field \"" + *name +
                                "\" is a built-in name (id, title, text, body, url, date, "
                                "category, year, ...); choose another name");
  }
  FieldDeclaration decl;
  decl.name = *name;
  std::string_view props = trimmed.substr(colon + 1);
  while (true) {
    const std::size_t comma = props.find(',');
    const std::string_view prop = TrimAsciiSpace(props.substr(0, comma));
    if (prop == "filter") {
      decl.filter = true;
    } else if (prop == "facet") {
      decl.facet = true;
    } else {
      return Status::InvalidInput(where + "field \"" + decl.name + "\": unknown property \"" +
                                  std::string(prop) + "\" (filter, facet)");
    }
    if (comma == std::string_view::npos) break;
    props.remove_prefix(comma + 1);
  }
  for (const FieldDeclaration& earlier : *out) {
    if (earlier.name == decl.name) {
      return Status::InvalidInput(where + "field \"" + decl.name + "\" is declared twice");
    }
  }
  if (out->size() >= kMaxDeclaredFields) {
    return Status::InvalidInput(where + "more than " + std::to_string(kMaxDeclaredFields) +
                                " fields declared");
  }
  out->push_back(std::move(decl));
  return Status::Ok();
}

std::string JoinNames(const std::vector<FieldDeclaration>& fields, bool FieldDeclaration::*prop) {
  std::string out;
  for (const FieldDeclaration& f : fields) {
    if (!(f.*prop)) continue;
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::optional<std::string> NormalizeFieldName(std::string_view raw, std::string* why) {
  std::string name;
  for (const char c : TrimAsciiSpace(raw)) {
    if (c == '-' || c == '.' || c == ':' || c == ' ') {
      name += '_';
    } else if (IsAsciiAlnum(c) || c == '_') {
      name += ToAsciiLower(c);
    } else {
      *why = "has a character other than a-z, 0-9, _ (or - . : space, which become _)";
      return std::nullopt;
    }
  }
  if (name.empty()) {
    *why = "is empty";
    return std::nullopt;
  }
  if (!IsAsciiAlpha(name[0])) {
    *why = "must start with a letter";
    return std::nullopt;
  }
  if (name.size() > kMaxFieldNameBytes) {
    *why = "is longer than " + std::to_string(kMaxFieldNameBytes) + " bytes";
    return std::nullopt;
  }
  return name;
}

bool IsReservedFieldName(std::string_view name) {
  // The six built-in fields and their reader aliases, the query syntax's
  // field names in both languages, the facet "year", and "fields" (the
  // JSON member that holds the extra fields in a hit).
  static constexpr std::string_view kReserved[] = {
      "id",       "title",      "titel",     "text", "body",   "url",   "date",    "datum",
      "category", "categories", "kategorie", "year", "fields", "score", "snippet", "rank",
  };
  for (const std::string_view r : kReserved) {
    if (name == r) return true;
  }
  return false;
}

std::string NormalizeFieldValue(std::string_view raw, bool* cut) {
  std::string value(TrimAsciiSpace(raw));
  for (char& c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  *cut = false;
  if (value.size() > kMaxFieldValueBytes) {
    std::size_t end = kMaxFieldValueBytes;
    // Back up over continuation bytes (10xxxxxx) to a code point's start.
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
    value.resize(end);
    *cut = true;
  }
  return value;
}

std::string FoldFieldValue(std::string_view value) { return AsciiLower(value); }

Result<FieldSchema> FieldSchema::Parse(const std::vector<std::string>& declarations) {
  FieldSchema schema;
  for (const std::string& d : declarations) {
    if (Status s = ParseDeclaration(d, "--field: ", &schema.fields_); !s.ok()) return s;
  }
  return schema;
}

Result<FieldSchema> FieldSchema::ParseFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open field settings file " + path);
  FieldSchema schema;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string_view t = TrimAsciiSpace(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    if (Status s = ParseDeclaration(t, where, &schema.fields_); !s.ok()) return s;
  }
  if (in.bad()) return Status::Io("reading field settings file " + path);
  return schema;
}

Result<FieldSchema> FieldSchema::FromMetadata(std::string_view recorded) {
  FieldSchema schema;
  while (!recorded.empty()) {
    const std::size_t space = recorded.find(' ');
    const std::string_view one = recorded.substr(0, space);
    if (Status s = ParseDeclaration(one, "", &schema.fields_); !s.ok()) {
      return Status::Corruption("recorded field declaration is unreadable: " + s.message());
    }
    if (space == std::string_view::npos) break;
    recorded.remove_prefix(space + 1);
  }
  return schema;
}

std::string FieldSchema::ToString() const {
  std::string out;
  for (const FieldDeclaration& f : fields_) {
    if (!out.empty()) out += ' ';
    out += f.name + ":";
    if (f.filter) out += "filter";
    if (f.filter && f.facet) out += ',';
    if (f.facet) out += "facet";
  }
  return out;
}

const FieldDeclaration* FieldSchema::Find(std::string_view name) const {
  for (const FieldDeclaration& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string FieldSchema::FilterNames() const {
  return JoinNames(fields_, &FieldDeclaration::filter);
}
std::string FieldSchema::FacetNames() const { return JoinNames(fields_, &FieldDeclaration::facet); }

unsigned FieldSchema::Slot(std::string_view name, std::size_t i) const {
  unsigned index = 0;
  while (index < fields_.size() && fields_[index].name != name) ++index;
  return kFirstFieldSlot + static_cast<unsigned>(index * kFacetValuesPerDocument + i);
}

}  // namespace findling
