// BuildLexicon: turns Debian's German word lists into the decompounder's lexicon file.
//
// What each source contributes, and why both are needed:
//  - hunspell de_DE (.dic/.aff, from igerman98) is the curated part. Its compound flags say which
//    forms may begin (COMPOUNDBEGIN), join (COMPOUNDMIDDLE) or end (COMPOUNDEND) a compound,
//    including the linking forms that exist only inside compounds ("Arbeits", "Bundes", "Sprach").
//    And its stems are the words its authors did NOT want built by compounding: "Verlauf",
//    "Beamte", "Beispiel", "Spargel" are listed, "Krankenkasse" and "Arbeitsmarkt" are not. So a
//    free word generated from a stem is an ordinary word that stays whole (kFlagLexical).
//  - wngerman (/usr/share/dict/ngerman) lists 356k inflected forms. Its capitalised entries are
//    nouns (and names), including many compounds ("Wasserstoff", "Tischtennis") and words that
//    hunspell does not flag for compounding ("Puma"): these become the "weak" parts, accepted at
//    a cost and one code point longer than hunspell's parts. Its lower-case entries (adverbs,
//    adjectives, verbs: "insgesamt", "beispielsweise") stay whole.
//
// What is deliberately NOT a part, because splitting there is derivation, not composition:
// verb particles and prepositions as first parts (ver|lauf, vor|stellung, unter|nehmen,
// zusammen|arbeit), and suffix homographs as last parts (wirt|schaft, trink|bar, arbeits|los).
//
// The build has four steps: collect word attributes from both sources; decide each form's flags;
// count how productive each part is in the word list; and finally write a lexicon of the forms
// that can be parts, run the real splitter over every ordinary word with it, and add a "stays
// whole" entry only for those it would split. That keeps the file small (a few MB): an ordinary
// word that no split reaches needs no entry at all.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/decompounder.h"
#include "common/lexicon_format.h"
#include "common/utf8.h"

namespace findling {

namespace {

using namespace lexicon_internal;  // NOLINT: the flag names of lexicon_format.h

// ---------------------------------------------------------------------------------------------
// UTF-8 and case. The inputs are German: letters are ASCII, Latin-1 and a few Latin Extended-A
// (names). Lower-casing covers ASCII, Latin-1 and capital sharp s, which is all the lists use.

// The whole word decoded, or false when `s` is not valid UTF-8 (the caller names the line).
bool DecodeWord(std::string_view s, std::u32string* out) {
  out->clear();
  if (FindInvalidUtf8(s) != std::string_view::npos) return false;
  for (std::size_t i = 0; i < s.size();) out->push_back(DecodeUtf8(s, i));
  return true;
}

bool IsUpper(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) || c == 0x1E9E;
}
char32_t ToLower(char32_t c) {
  if (c == 0x1E9E) return 0xDF;  // capital sharp s
  return IsUpper(c) ? c + 0x20 : c;
}
// Letters that German words in these lists are made of; anything else (digits, '-', '.', "'")
// marks an abbreviation or a hyphenated form, which the splitter never sees as one word.
bool IsWordLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || c == 0x1E9E;
}

std::string LowerUtf8(const std::u32string& word) {
  std::string out;
  out.reserve(word.size() + 4);
  for (char32_t c : word) AppendUtf8(ToLower(c), out);
  return out;
}

std::vector<std::string_view> SplitWhitespace(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hunspell affix file: the compound flags and the prefix/suffix rules, nothing else.

struct CharClass {
  bool any = false;
  bool negate = false;
  std::u32string chars;
  bool Matches(char32_t c) const {
    if (any) return true;
    const bool in = chars.find(c) != std::u32string::npos;
    return in != negate;
  }
};

struct AffixRule {
  std::u32string strip;
  std::u32string add;
  std::string continuation;  // flags the affixed form gains ("0/xoc")
  std::vector<CharClass> condition;
};

struct AffixClass {
  bool is_prefix = false;
  bool cross_product = false;
  std::vector<AffixRule> rules;
};

struct AffixFile {
  std::unordered_map<char, AffixClass> classes;
  char compound_begin = 0;
  char compound_middle = 0;
  char compound_end = 0;
  char compound_any = 0;  // COMPOUNDFLAG: any position
  char only_in_compound = 0;
  char need_affix = 0;
  char forbidden = 0;
  char permit = 0;  // COMPOUNDPERMITFLAG: an affix with it may stand inside a compound
};

bool HasFlag(std::string_view flags, char f) {
  return f != 0 && flags.find(f) != std::string_view::npos;
}

bool ParseCondition(std::string_view text, std::vector<CharClass>* out) {
  std::u32string cps;
  if (!DecodeWord(text, &cps)) return false;
  out->clear();
  for (std::size_t i = 0; i < cps.size(); ++i) {
    CharClass cc;
    if (cps[i] == '.') {
      cc.any = true;
    } else if (cps[i] == '[') {
      ++i;
      if (i < cps.size() && cps[i] == '^') {
        cc.negate = true;
        ++i;
      }
      while (i < cps.size() && cps[i] != ']') cc.chars.push_back(cps[i++]);
      if (i == cps.size()) return false;
    } else {
      cc.chars.push_back(cps[i]);
    }
    out->push_back(std::move(cc));
  }
  return true;
}

Status ParseAffixFile(const std::string& path, AffixFile* aff) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read " + path);
  std::string line;
  std::size_t line_no = 0;
  AffixClass* current = nullptr;
  std::size_t pending = 0;  // rule lines still expected for `current`
  auto where = [&] { return path + ":" + std::to_string(line_no); };
  while (std::getline(in, line)) {
    ++line_no;
    const auto tok = SplitWhitespace(line);
    if (tok.empty() || tok[0][0] == '#') continue;
    const std::string_view cmd = tok[0];
    if (cmd == "SET" && tok.size() >= 2 && tok[1] != "UTF-8" && tok[1] != "utf-8") {
      return Status::InvalidInput(where() + ": only UTF-8 dictionaries are supported");
    }
    if (cmd == "FLAG") {
      return Status::InvalidInput(where() + ": only single-character flags are supported");
    }
    auto flag_of = [&](char* slot) {
      if (tok.size() >= 2 && tok[1].size() == 1) *slot = tok[1][0];
    };
    if (cmd == "COMPOUNDBEGIN") flag_of(&aff->compound_begin);
    if (cmd == "COMPOUNDMIDDLE") flag_of(&aff->compound_middle);
    if (cmd == "COMPOUNDEND") flag_of(&aff->compound_end);
    if (cmd == "COMPOUNDFLAG") flag_of(&aff->compound_any);
    if (cmd == "ONLYINCOMPOUND") flag_of(&aff->only_in_compound);
    if (cmd == "NEEDAFFIX" || cmd == "PSEUDOROOT") flag_of(&aff->need_affix);
    if (cmd == "FORBIDDENWORD") flag_of(&aff->forbidden);
    if (cmd == "COMPOUNDPERMITFLAG") flag_of(&aff->permit);
    if (cmd != "PFX" && cmd != "SFX") continue;
    if (tok.size() < 4 || tok[1].size() != 1) {
      return Status::InvalidInput(where() + ": malformed affix line");
    }
    if (pending == 0) {  // a class header: "SFX A Y 46"
      AffixClass& cls = aff->classes[tok[1][0]];
      cls.is_prefix = cmd == "PFX";
      cls.cross_product = tok[2] == "Y";
      current = &cls;
      pending = static_cast<std::size_t>(std::strtoul(std::string(tok[3]).c_str(), nullptr, 10));
      continue;
    }
    // A rule: "SFX A strip add[/flags] condition".
    --pending;
    AffixRule rule;
    std::string_view add = tok[3];
    if (const auto slash = add.find('/'); slash != std::string_view::npos) {
      rule.continuation = std::string(add.substr(slash + 1));
      add = add.substr(0, slash);
    }
    if (!DecodeWord(tok[2] == "0" ? "" : tok[2], &rule.strip) ||
        !DecodeWord(add == "0" ? "" : add, &rule.add) ||
        !ParseCondition(tok.size() >= 5 ? tok[4] : ".", &rule.condition)) {
      return Status::InvalidInput(where() + ": malformed affix rule");
    }
    current->rules.push_back(std::move(rule));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// What the sources say about one lower-cased form.

struct WordInfo {
  bool dic_free = false;       // a free word generated from a hunspell stem
  bool dic_noun = false;       // ... of a capitalised stem that compounds (see kind below)
  bool dic_base_noun = false;  // ... and the bare stem itself ("Kurs", not "Kurse")
  bool dic_name = false;       // ... of a capitalised stem that does not ("Otto", "Anne")
  bool dic_base = false;       // a bare hunspell stem, any case ("Chaos", "Atlas", "etwas")
  bool begin = false;          // hunspell compound flags (after affix rules)
  bool middle = false;
  bool end = false;
  bool list_noun = false;   // capitalised in the word list
  bool list_lower = false;  // lower-case in the word list
  bool dropped_e = false;   // synthesised: a noun minus its final e ("baumwoll")
  // The word list does not tell names from nouns; hunspell does (see MakesHyphenForms). A name
  // may begin a compound ("goethe|zeit", "karl|s|kapelle") but does not end one: as a last part
  // it is nearly always an accident ("meier|otto", "laus|anne", "hilde|bert").
  bool IsNoun() const { return dic_noun || (list_noun && !dic_name); }
  bool IsName() const { return dic_name && !dic_noun; }
  bool IsLexical() const { return dic_free || list_lower; }
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using WordMap = std::unordered_map<std::string, WordInfo, StringHash, std::equal_to<>>;

const WordInfo* Find(const WordMap& words, std::string_view key) {
  const auto it = words.find(key);
  return it == words.end() ? nullptr : &it->second;
}

bool ApplySuffix(const AffixRule& r, const std::u32string& stem, std::u32string* out) {
  if (r.condition.size() > stem.size() || r.strip.size() > stem.size()) return false;
  const std::size_t off = stem.size() - r.condition.size();
  for (std::size_t i = 0; i < r.condition.size(); ++i) {
    if (!r.condition[i].Matches(stem[off + i])) return false;
  }
  if (stem.compare(stem.size() - r.strip.size(), r.strip.size(), r.strip) != 0) return false;
  *out = stem.substr(0, stem.size() - r.strip.size()) + r.add;
  return !out->empty();
}

bool ApplyPrefix(const AffixRule& r, const std::u32string& stem, std::u32string* out) {
  if (r.condition.size() > stem.size() || r.strip.size() > stem.size()) return false;
  for (std::size_t i = 0; i < r.condition.size(); ++i) {
    if (!r.condition[i].Matches(stem[i])) return false;
  }
  if (stem.compare(0, r.strip.size(), r.strip) != 0) return false;
  *out = r.add + stem.substr(r.strip.size());
  return !out->empty();
}

// How a generated form came about, for hunspell's rules on affixes inside compounds: suffixes are
// fine on the last part, prefixes on the first, anything else needs COMPOUNDPERMITFLAG.
struct FormOrigin {
  bool bare = true;
  bool suffixed = false;
  bool suffix_permits = false;
  bool prefixed = false;
  bool prefix_permits = false;
};

// igerman98 gives every noun that takes part in compounds an affix class for its hyphenated
// forms ("Bettbezüge und -laken", "Arbeits-"); names ("Otto/S", "Michael/S") have none. That is
// the only place the dictionary tells a name from a noun, so it is what the builder uses.
bool MakesHyphenForms(const AffixFile& aff, std::string_view flags) {
  for (char f : flags) {
    const auto it = aff.classes.find(f);
    if (it == aff.classes.end()) continue;
    for (const AffixRule& r : it->second.rules) {
      if (r.add.find(U'-') != std::u32string::npos) return true;
    }
  }
  return false;
}

void AddDicForm(const AffixFile& aff, const std::u32string& form, std::string_view stem_flags,
                std::string_view affix_flags, const FormOrigin& origin, bool compounding_stem,
                WordMap* words) {
  if (form.empty() || !std::all_of(form.begin(), form.end(), IsWordLetter)) return;
  auto has = [&](char f) { return HasFlag(stem_flags, f) || HasFlag(affix_flags, f); };
  const bool any_pos = has(aff.compound_any);
  const bool inner_suffix_ok = !origin.suffixed || origin.suffix_permits;
  const bool inner_prefix_ok = !origin.prefixed || origin.prefix_permits;
  WordInfo& info = (*words)[LowerUtf8(form)];
  const bool free =
      !has(aff.only_in_compound) && !(origin.bare && HasFlag(stem_flags, aff.need_affix));
  const bool capitalised = IsUpper(form[0]);
  info.dic_free |= free;
  info.dic_noun |= free && capitalised && compounding_stem;
  info.dic_base_noun |= free && capitalised && compounding_stem && origin.bare;
  info.dic_name |= free && capitalised && !compounding_stem;
  info.dic_base |= free && origin.bare;
  info.begin |= (has(aff.compound_begin) || any_pos) && inner_suffix_ok;
  info.middle |= (has(aff.compound_middle) || any_pos) && inner_suffix_ok && inner_prefix_ok;
  info.end |= (has(aff.compound_end) || any_pos) && inner_prefix_ok;
}

// Expands one .dic line into its forms (bare, suffixed, prefixed, both for cross products).
void ExpandDicEntry(const AffixFile& aff, const std::u32string& stem, const std::string& flags,
                    WordMap* words) {
  if (HasFlag(flags, aff.forbidden)) return;
  const bool compounding = MakesHyphenForms(aff, flags);
  if (!HasFlag(flags, aff.need_affix)) {
    AddDicForm(aff, stem, flags, "", FormOrigin{}, compounding, words);
  }
  std::u32string sform, pform;
  for (char f : flags) {
    const auto it = aff.classes.find(f);
    if (it == aff.classes.end()) continue;
    const AffixClass& cls = it->second;
    for (const AffixRule& rule : cls.rules) {
      if (cls.is_prefix) {
        if (!ApplyPrefix(rule, stem, &pform)) continue;
        FormOrigin o{.bare = false,
                     .prefixed = true,
                     .prefix_permits = HasFlag(rule.continuation, aff.permit)};
        AddDicForm(aff, pform, flags, rule.continuation, o, compounding, words);
        continue;
      }
      if (!ApplySuffix(rule, stem, &sform)) continue;
      const bool permits = HasFlag(rule.continuation, aff.permit);
      FormOrigin o{.bare = false, .suffixed = true, .suffix_permits = permits};
      AddDicForm(aff, sform, flags, rule.continuation, o, compounding, words);
      if (!cls.cross_product) continue;
      for (char pf : flags) {
        const auto pit = aff.classes.find(pf);
        if (pit == aff.classes.end() || !pit->second.is_prefix || !pit->second.cross_product) {
          continue;
        }
        for (const AffixRule& prule : pit->second.rules) {
          if (!ApplyPrefix(prule, sform, &pform)) continue;
          FormOrigin po = o;
          po.prefixed = true;
          po.prefix_permits = HasFlag(prule.continuation, aff.permit);
          AddDicForm(aff, pform, flags, rule.continuation + prule.continuation, po, compounding,
                     words);
        }
      }
    }
  }
}

Status ReadDicFile(const std::string& path, const AffixFile& aff, WordMap* words) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read " + path);
  std::string line;
  std::u32string stem;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    // The first line is the entry count; lines starting with white space are comments.
    if (line_no == 1 || line.empty() || line[0] == '\t' || line[0] == ' ' || line[0] == '#') {
      continue;
    }
    std::string_view entry = line;
    entry = entry.substr(0, entry.find_first_of(" \t\r"));  // drop morphological fields
    std::string flags;
    if (const auto slash = entry.find('/'); slash != std::string_view::npos && slash > 0) {
      flags = std::string(entry.substr(slash + 1));
      entry = entry.substr(0, slash);
    }
    if (!DecodeWord(entry, &stem)) {
      return Status::InvalidInput(path + ":" + std::to_string(line_no) + ": invalid UTF-8");
    }
    ExpandDicEntry(aff, stem, flags, words);
  }
  return Status::Ok();
}

Status ReadWordList(const std::string& path, WordMap* words) {
  std::ifstream in(path);
  if (!in) {
    std::FILE* probe = std::fopen(path.c_str(), "r");
    if (probe == nullptr) return Status::NotFound("word list not found: " + path);
    std::fclose(probe);
    return Status::Io("cannot read word list " + path);
  }
  std::string line;
  std::u32string word;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (!DecodeWord(line, &word)) {
      return Status::InvalidInput(path + ":" + std::to_string(line_no) + ": invalid UTF-8");
    }
    if (!std::all_of(word.begin(), word.end(), IsWordLetter)) continue;
    // Two capitals mark an acronym or a brand ("ACPI", "ACLs"): never a part.
    if (std::count_if(word.begin(), word.end(), IsUpper) >= 2) continue;
    WordInfo& info = (*words)[LowerUtf8(word)];
    (IsUpper(word[0]) ? info.list_noun : info.list_lower) = true;
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Linguistic policy.

// Verb particles, prepositions and prefixes: as a first or inner part they make derivations, not
// compounds (Vorstellung, Unternehmen, Zusammenarbeit, Beispiel, Abstand). Hunspell allows many
// of them as compound beginnings ("Vor", "Unter", "Zusammen"), which is right for spelling and
// wrong for search: "vor" would then match every Vor- word.
constexpr std::string_view kParticles[] = {
    "ab",          "abwärts",  "all",      "allein",  "an",     "auf",      "aufwärts", "aus",
    "auseinander", "außen",    "auswärts", "be",      "bei",    "binnen",   "da",       "dar",
    "durch",       "ein",      "einwärts", "emp",     "empor",  "ent",      "entgegen", "entlang",
    "er",          "fort",     "ge",       "gegen",   "her",    "herab",    "heran",    "herauf",
    "heraus",      "herbei",   "herein",   "herüber", "herum",  "herunter", "hervor",   "hin",
    "hinab",       "hinauf",   "hinaus",   "hinein",  "hinter", "hinüber",  "hinunter", "innen",
    "miss",        "mit",      "nach",     "neben",   "nicht",  "nieder",   "ob",       "ober",
    "rück",        "schon",    "selbst",   "sofort",  "über",   "um",       "un",       "unter",
    "ur",          "ver",      "voll",     "vor",     "vorab",  "voran",    "voraus",   "vorbei",
    "vorder",      "vorüber",  "vorweg",   "weiter",  "wider",  "wieder",   "zer",      "zu",
    "zurück",      "zusammen", "zwischen",
};

// Nouns that are also derivational suffixes: as a last part they split derivations
// (Gesellschaft, Wirtschaft, machbar, arbeitslos, Arbeitslosigkeit, Kaninchen, Nation,
// Lehrerinnen).
constexpr std::string_view kSuffixWords[] = {
    "bar",    "bare",     "barem", "baren",     "barer",       "bares", "chen",   "chens",
    "heit",   "heiten",   "innen", "ion",       "ionen",       "keit",  "keiten", "lein",
    "leins",  "ling",     "linge", "lingen",    "lings",       "los",   "lose",   "losem",
    "losen",  "loser",    "loses", "losigkeit", "losigkeiten", "nis",   "nisse",  "nissen",
    "schaft", "schaften", "tum",   "tums",      "ung",         "ungen",
};

bool InList(std::string_view key, const std::string_view* list, std::size_t n) {
  return std::find(list, list + n, key) != list + n;
}
bool IsParticle(std::string_view key) { return InList(key, kParticles, std::size(kParticles)); }
bool IsSuffixWord(std::string_view key) {
  return InList(key, kSuffixWords, std::size(kSuffixWords));
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct JoinAnalysis {
  std::uint8_t link_bytes = 0;
  std::uint8_t restore = kRestoreNone;
};

// How a form used as a first or inner part divides into part and linking element, and which
// lemma it stands for. Tried in this order, because a stem plus linking element is what
// hunspell's linking forms are ("Bundes" = Bund + es), and a dropped ending is the fallback:
//  1. a listed noun stem stays as it is ("kurs" is not kur|s, "regen" not reg|en);
//  2. stem + linking element, where the stem is a noun or name (bund|es, kind|er, sonne|n,
//     hund|e, karl|s) -- but not in a word that is neither noun nor name: adjectives and verb
//     forms have no linking elements ("klein" is not klei|n);
//  3. for a form that is no word by itself, the same where the stem lost its final e
//     (geschicht|s -> geschichte, hilf|s -> hilfe);
//  4. a noun or name as it stands (bücher, tischtennis);
//  5. a dropped ending: noun + e (schul -> schule; for a form that is also a word, only a listed
//     noun: sprach -> sprache), verb + en / n for forms that are no word (abblend -> abblenden).
JoinAnalysis AnalyseJoin(const WordMap& words, const std::string& key, const WordInfo& info) {
  if (info.dic_base_noun) return {};
  const bool noun_or_name = info.IsNoun() || info.IsName();
  const bool other_word = !noun_or_name && info.IsLexical();
  auto find = [&](std::string_view s) { return Find(words, s); };
  if (!other_word) {
    // Shortest linking element first (the longest stem: akte|n, not akt|en), and a listed noun
    // stem before any noun form (tag|es, not tage|s; herz|ens, not herzen|s). -n- and -ns-
    // follow a final e, el or er (sonne|n, bauer|n, name|ns); -e-, -en-, -es- never follow an e.
    struct Link {
      std::string_view text;
      bool after_e;  // true: the stem ends in e, el or er; false: not in e (except for -s-)
    };
    static constexpr Link kLinks[] = {{"e", false},  {"s", false},  {"n", true},  {"en", false},
                                      {"er", false}, {"es", false}, {"ns", true}, {"ens", false}};
    for (const bool listed_stem : {true, false}) {
      for (const Link& link : kLinks) {
        if (!EndsWith(key, link.text)) continue;
        const std::string_view stem =
            std::string_view(key).substr(0, key.size() - link.text.size());
        const bool stem_e = EndsWith(stem, "e");
        if (link.after_e ? !(stem_e || EndsWith(stem, "el") || EndsWith(stem, "er"))
                         : (link.text != "s" && stem_e)) {
          continue;
        }
        if (CountCodePoints(stem) < 3) continue;
        const WordInfo* w = find(stem);
        if (w == nullptr || !(listed_stem ? w->dic_base_noun : w->IsNoun() || w->IsName())) {
          continue;
        }
        return {static_cast<std::uint8_t>(link.text.size()), kRestoreNone};
      }
    }
  }
  if (!noun_or_name && !other_word) {
    for (std::string_view link : {std::string_view("s"), std::string_view("n")}) {
      if (!EndsWith(key, link)) continue;
      const WordInfo* w = find(key.substr(0, key.size() - link.size()) + "e");
      if (w != nullptr && w->IsNoun() && CountCodePoints(key) - link.size() + 1 >= 4) {
        return {static_cast<std::uint8_t>(link.size()), kRestoreE};
      }
    }
  }
  if (noun_or_name) return {};
  if (const WordInfo* w = find(key + "e");
      w != nullptr && (other_word ? w->dic_base_noun : w->IsNoun())) {
    return {0, kRestoreE};
  }
  if (other_word) return {};
  for (const auto& [ending, restore] : {std::pair{"en", kRestoreEn}, std::pair{"n", kRestoreN}}) {
    const WordInfo* w = find(key + ending);
    if (w != nullptr && w->IsLexical() && !w->IsNoun()) return {0, restore};
  }
  return {};
}

std::uint8_t Rank(std::uint32_t count) {
  return static_cast<std::uint8_t>(std::min<int>(15, std::bit_width(count)));
}

}  // namespace

namespace lexicon_internal {

// Forms whose final -s after a vowel is an ending Snowball misses (kFlagVowelS): "afrikas",
// "ottos", "kakaos", "autos". The form minus its -s must be a noun or name of the sources, and the
// form itself no hunspell base form and no lower-case word: "chaos", "kosmos", "atlas", "status",
// "mais" (beside "mai") and "etwas" (beside "etwa") keep their -s. Needs hunspell's stems, the
// only source that tells a base form from an inflected one; without them nothing is marked. Only
// a, i, o, u, y: after an e, Snowball strips -es and -e alike ("kaffees" and "kaffee" both give
// "kaffe"), and three code points at least ("omas"), so that no two-letter word is reached.
//
// Hunspell has no stem for a few base words that are also the genitive of another word, and
// reads them as that genitive only: "Mais" (corn; hunspell: of "Mai"), "Jesus", "Judas" (of
// "Juda"), "Carlos", "Lagos". They were found by listing every form this marks (957 with
// Debian 12's lists) and reading the short ones; they keep their -s.
constexpr std::string_view kOwnVowelS[] = {"carlos", "jesus", "judas", "lagos", "mais"};

std::vector<std::string> VowelSForms(const WordMap& words) {
  std::vector<std::string> out;
  for (const auto& [key, info] : words) {
    if (key.size() < 4 || key.back() != 's' || info.dic_base || info.list_lower) continue;
    if (std::find(std::begin(kOwnVowelS), std::end(kOwnVowelS), key) != std::end(kOwnVowelS)) {
      continue;
    }
    const char vowel = key[key.size() - 2];
    if (vowel != 'a' && vowel != 'i' && vowel != 'o' && vowel != 'u' && vowel != 'y') continue;
    const std::string_view base = std::string_view(key).substr(0, key.size() - 1);
    const WordInfo* b = Find(words, base);
    if (b == nullptr || CountCodePoints(base) < 3 || !(b->IsNoun() || b->IsName())) continue;
    out.push_back(key);
  }
  return out;
}

Status BuildLexiconReport(const LexiconSources& sources, const std::string& output_path,
                          std::size_t* entry_count, std::vector<std::string>* warnings) {
  WordMap words;
  words.reserve(1 << 21);

  // 1. Collect.
  if (Status s = ReadWordList(sources.word_list, &words); !s.ok()) return s;
  if (words.empty()) return Status::InvalidInput("no words in word list " + sources.word_list);
  std::vector<std::string> word_list_keys;
  word_list_keys.reserve(words.size());
  for (const auto& [key, info] : words) word_list_keys.push_back(key);

  auto readable = [](const std::string& p) {
    std::ifstream f(p);
    return !p.empty() && static_cast<bool>(f);
  };
  const bool have_hunspell = readable(sources.hunspell_dic) && readable(sources.hunspell_aff);
  if (have_hunspell) {
    AffixFile aff;
    if (Status s = ParseAffixFile(sources.hunspell_aff, &aff); !s.ok()) return s;
    if (Status s = ReadDicFile(sources.hunspell_dic, aff, &words); !s.ok()) return s;
  } else if (warnings != nullptr) {
    warnings->push_back("hunspell dictionary not readable (" + sources.hunspell_dic + ", " +
                        sources.hunspell_aff +
                        "): no compound flags, only word-list nouns are parts");
  }

  // Dropped final e: "Baumwolle" gives the first part "baumwoll" (Baumwolljacke). Hunspell has
  // these for its common stems ("Sprach", "Schul"); this extends them to word-list nouns.
  std::vector<std::string> dropped;
  for (const auto& [key, info] : words) {
    // From five code points on: shorter stems ("gall" for Galle) match too much by accident.
    if (info.IsNoun() && EndsWith(key, "e") && CountCodePoints(key) >= 6) {
      std::string stem = key.substr(0, key.size() - 1);
      if (words.find(stem) == words.end()) dropped.push_back(std::move(stem));
    }
  }
  for (std::string& stem : dropped) words[std::move(stem)].dropped_e = true;

  // 2. Decide each form's flags.
  std::vector<LexiconEntry> entries;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> index;
  std::vector<std::string> lexical_only;  // ordinary words that are no part: blocker candidates
  for (const auto& [key, info] : words) {
    std::uint8_t flags = 0;
    if (info.begin) flags |= kFlagBeginStrong;
    if (info.middle) flags |= kFlagMiddleStrong;
    if (info.IsNoun() || info.IsName() || info.dropped_e) flags |= kFlagJoinWeak;
    if (info.end) flags |= kFlagEndStrong;
    if (info.IsNoun()) flags |= kFlagEndWeak;
    JoinAnalysis join;
    if (flags & (kFlagBeginStrong | kFlagMiddleStrong | kFlagJoinWeak)) {
      join = info.dropped_e ? JoinAnalysis{0, kRestoreE} : AnalyseJoin(words, key, info);
      const std::string_view part = std::string_view(key).substr(0, key.size() - join.link_bytes);
      if (IsParticle(key) || IsParticle(part)) {
        flags &= ~(kFlagBeginStrong | kFlagMiddleStrong | kFlagJoinWeak);
      }
    }
    if (IsParticle(key) || IsSuffixWord(key)) flags &= ~(kFlagEndStrong | kFlagEndWeak);
    if (flags == 0) {
      if (info.IsLexical()) lexical_only.push_back(key);
      continue;
    }
    if (info.IsLexical()) flags |= kFlagLexical;
    if (info.IsNoun()) flags |= kFlagNoun;
    if (key.size() > 255) continue;
    index.emplace(key, entries.size());
    entries.push_back(LexiconEntry{
        .key = key, .flags = flags, .link_bytes = join.link_bytes, .restore = join.restore});
  }

  // 3. Productivity: in how many word-list words is this form the first / last part of a
  // two-part reading? A proxy for frequency, which no Debian list provides: "markt" and
  // "arbeits" score high, accidental pieces ("tand", "samt") low.
  {
    std::vector<std::uint32_t> join_count(entries.size(), 0), end_count(entries.size(), 0);
    auto lookup = [&](std::string_view s) -> const LexiconEntry* {
      const auto it = index.find(s);
      return it == index.end() ? nullptr : &entries[it->second];
    };
    constexpr std::uint8_t kJoin = kFlagBeginStrong | kFlagJoinWeak;
    constexpr std::uint8_t kEnd = kFlagEndStrong | kFlagEndWeak;
    for (const std::string& w : word_list_keys) {
      for (std::size_t i = 1; i + 1 < w.size(); ++i) {
        if ((static_cast<unsigned char>(w[i]) & 0xC0) == 0x80) continue;
        const std::string_view left = std::string_view(w).substr(0, i);
        const std::string_view right = std::string_view(w).substr(i);
        if (CountCodePoints(left) < 3 || CountCodePoints(right) < 3) continue;
        const LexiconEntry* l = lookup(left);
        if (l == nullptr || !(l->flags & kJoin)) continue;
        const LexiconEntry* r = lookup(right);
        if (r == nullptr || !(r->flags & kEnd)) continue;
        ++join_count[static_cast<std::size_t>(l - entries.data())];
        ++end_count[static_cast<std::size_t>(r - entries.data())];
      }
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
      entries[i].join_rank = Rank(join_count[i]);
      entries[i].end_rank = Rank(end_count[i]);
    }
  }

  // 4. Ordinary words the splitter would split get a "stays whole" entry. The probe uses looser
  // options than the defaults (parts from 2 code points, words from 4, up to 8 parts), so that
  // every split the defaults or stricter options could find is covered.
  const std::string probe_path = output_path + ".probe";
  if (Status s = WriteLexiconFile(probe_path, entries); !s.ok()) return s;
  {
    auto probe = Decompounder::Open(
        probe_path, DecompounderOptions{.min_part_chars = 2, .min_word_chars = 4, .max_parts = 8});
    std::remove(probe_path.c_str());
    if (!probe.ok()) return probe.status();
    for (const std::string& key : lexical_only) {
      if (key.size() <= 255 && !probe.value()->Split(key).empty()) {
        entries.push_back(LexiconEntry{.key = key, .flags = kFlagLexical});
      }
    }
  }
  // 5. Forms whose -s after a vowel is an ending (see VowelSForms): a flag on the form's entry,
  // or an entry of its own. The splitter ignores the flag.
  if (have_hunspell) {
    std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> at;
    for (std::size_t i = 0; i < entries.size(); ++i) at.emplace(entries[i].key, i);
    for (std::string& key : VowelSForms(words)) {
      if (key.size() > 255) continue;
      if (const auto it = at.find(key); it != at.end()) {
        entries[it->second].flags |= kFlagVowelS;
      } else {
        entries.push_back(LexiconEntry{.key = std::move(key), .flags = kFlagVowelS});
      }
    }
  }
  // Sorted, so that the same sources always give the same bytes, hence the same Fingerprint().
  std::sort(entries.begin(), entries.end(),
            [](const LexiconEntry& a, const LexiconEntry& b) { return a.key < b.key; });

  if (Status s = WriteLexiconFile(output_path, entries); !s.ok()) return s;
  if (entry_count != nullptr) *entry_count = entries.size();
  return Status::Ok();
}

}  // namespace lexicon_internal

Status BuildLexicon(const LexiconSources& sources, const std::string& output_path) {
  return lexicon_internal::BuildLexiconReport(sources, output_path, nullptr, nullptr);
}

}  // namespace findling
