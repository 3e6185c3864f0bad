// Tests for the Decompounder and BuildLexicon.
//
// Three groups:
//  - RealLexicon*: the lexicon the build makes from Debian's lists (FINDLING_BINARY_DIR
//    "/german-compounds.lex"); skipped when it is absent. Tables of real German words, the
//    non-splits beside the splits.
//  - MiniLexicon*: a lexicon built here from a dozen-line word list and hunspell files, so the
//    builder's rules (compound flags, names, particles, "stays whole") are tested without the
//    system dictionaries, and the builder and reader are checked to agree on the format.
//  - Corrupt*/Open*: damaged and missing files give the right Status, naming the file.
//
// Every split is compared as one string, DumpSplit(): parts joined by '|', a linking element in
// parentheses, a lemma that differs from the surface text in brackets, "(whole)" for no split:
// "arbeit|(s)|markt", "sprach[sprache]|modelle".
#include "common/decompounder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace findling {
namespace {

namespace fs = std::filesystem;

const std::string kRealLexicon = FINDLING_BINARY_DIR "/german-compounds.lex";

// Checks what every split must satisfy, then returns its canonical text form.
std::string DumpSplit(std::string_view word, const std::vector<CompoundPart>& parts,
                      const DecompounderOptions& options = {}) {
  if (parts.empty()) return "(whole)";
  EXPECT_GE(parts.size(), 2u) << word << ": a split never has a single part";
  EXPECT_LE(parts.size(), options.max_parts) << word;
  std::string out;
  std::uint32_t prev_end = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const CompoundPart& p = parts[i];
    EXPECT_LT(p.begin, p.end) << word << " part " << i;
    EXPECT_LE(p.end, word.size()) << word << " part " << i;
    EXPECT_GE(p.begin, prev_end) << word << " part " << i << " overlaps or goes back";
    if (i == 0) {
      EXPECT_EQ(p.begin, 0u) << word << ": the first part starts the word";
    }
    if (i + 1 == parts.size()) {
      EXPECT_EQ(p.end, word.size()) << word << ": the last part ends the word";
    }
    if (p.end > word.size() || p.begin >= p.end || p.begin < prev_end) return "(invalid)";
    const std::string_view surface = word.substr(p.begin, p.end - p.begin);
    // A lemma is the surface text, possibly with a dropped ending restored ("sprach" ->
    // "sprache"), so it always starts with the surface text.
    EXPECT_EQ(p.lemma.substr(0, surface.size()), surface) << word << " part " << i;
    if (i > 0) {
      out += '|';
      if (p.begin > prev_end) {
        out += '(';
        out += word.substr(prev_end, p.begin - prev_end);
        out += ")|";
      }
    }
    out += surface;
    if (p.lemma != surface) out += "[" + p.lemma + "]";
    prev_end = p.end;
  }
  return out;
}

struct SplitCase {
  const char* name;  // the test's name: [A-Za-z0-9_]
  const char* word;
  const char* expected;  // DumpSplit() form
};

std::ostream& operator<<(std::ostream& os, const SplitCase& c) { return os << c.word; }

std::string CaseName(const testing::TestParamInfo<SplitCase>& info) { return info.param.name; }

// --- The lexicon built from /usr/share/dict/ngerman and hunspell de_DE -------------------------

class RealLexicon : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kRealLexicon)) return;
    auto opened = Decompounder::Open(kRealLexicon);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    decompounder_ = std::move(opened).value().release();
  }
  static void TearDownTestSuite() {
    delete decompounder_;
    decompounder_ = nullptr;
  }
  void SetUp() override {
    if (decompounder_ == nullptr) GTEST_SKIP() << kRealLexicon << " not built";
  }
  static const Decompounder* decompounder_;
};
const Decompounder* RealLexicon::decompounder_ = nullptr;

class RealLexiconSplit : public RealLexicon, public testing::WithParamInterface<SplitCase> {};

TEST_P(RealLexiconSplit, Splits) {
  const SplitCase& c = GetParam();
  EXPECT_EQ(DumpSplit(c.word, decompounder_->Split(c.word)), c.expected) << c.word;
}

const SplitCase kSplitCases[] = {
    // Linking elements lie between the parts: -s-, -es-, -n-, -en-, -er-, -e-, -ens-.
    {"LinkS", "arbeitsmarkt", "arbeit|(s)|markt"},
    {"LinkS_Staat", "staatsanwalt", "staat|(s)|anwalt"},
    {"LinkS_Leben", "lebensmittel", "leben|(s)|mittel"},
    {"LinkEs", "bundesregierung", "bund|(es)|regierung"},
    {"LinkN", "sonnenschein", "sonne|(n)|schein"},
    {"LinkN_Woche", "wochenende", "woche|(n)|ende"},
    {"LinkEn", "frauenbewegung", "frau|(en)|bewegung"},
    {"LinkEr", "kindergarten", "kind|(er)|garten"},
    {"LinkE", "hundehütte", "hund|(e)|hütte"},
    // Not herz|(ens)|wunsch: hunspell lists "Herzen" as a noun of its own, and a listed stem
    // wins. The stemmer maps both to "herz", so search does not see the difference.
    {"LinkEnsReadAsS", "herzenswunsch", "herzen|(s)|wunsch"},
    // A first part that is no word by itself: "Kranken" as hunspell lists it.
    {"KrankenAsItStands", "krankenkasse", "kranken|kasse"},

    // Dropped endings: the lemma gets its e back.
    {"DroppedE_Sprache", "sprachmodell", "sprach[sprache]|modell"},
    {"DroppedE_Schule", "schulbuch", "schul[schule]|buch"},
    {"DroppedE_Baumwolle", "baumwolljacke", "baumwoll[baumwolle]|jacke"},
    {"DroppedE_Erde", "erdbeben", "erd[erde]|beben"},
    {"DroppedEThenLinkS", "geschichtsbuch", "geschicht[geschichte]|(s)|buch"},

    // Inflected compounds: the last part keeps its ending, umlaut plurals included.
    {"Inflected_Ressourcen", "ressourcenbeschränkungen", "ressource|(n)|beschränkungen"},
    {"Inflected_Sprachmodelle", "sprachmodelle", "sprach[sprache]|modelle"},
    {"Inflected_Unterkuenfte", "flüchtlingsunterkünfte", "flüchtling|(s)|unterkünfte"},
    {"Inflected_Maerkte", "arbeitsmärkte", "arbeit|(s)|märkte"},
    {"Inflected_Gaerten", "kindergärten", "kind|(er)|gärten"},

    // Fewest parts: a compound the word list knows is one part ("Tischtennis", "Wasserstoff").
    {"FewestParts_Tischtennis", "tischtennisplatte", "tischtennis|platte"},
    {"FewestParts_Wasserstoff", "wasserstoffzug", "wasserstoff|zug"},
    {"ThreeParts", "bundesarbeitsminister", "bund|(es)|arbeit|(s)|minister"},
    {"NounOnlyInWordList", "pumamännchen", "puma|männchen"},
    {"NameAsFirstPart", "goethezeit", "goethe|zeit"},
    {"NameWithLinkS", "karlskapelle", "karl|(s)|kapelle"},
    {"ShortStrongParts", "teekanne", "tee|kanne"},

    // Ordinary words stay whole, whatever their pieces look like.
    {"Whole_Insgesamt", "insgesamt", "(whole)"},  // ins + gesamt: not a noun
    {"Whole_Verlauf", "verlauf", "(whole)"},      // ver- is a prefix
    {"Whole_Beamte", "beamte", "(whole)"},
    {"Whole_Vorstellung", "vorstellung", "(whole)"},  // vor- is a particle
    {"Whole_Unternehmen", "unternehmen", "(whole)"},  // unter- is a particle
    {"Whole_Zusammenarbeit", "zusammenarbeit", "(whole)"},
    {"Whole_Vorstand", "vorstand", "(whole)"},
    {"Whole_Regierung", "regierung", "(whole)"},
    {"Whole_Bedeutung", "bedeutung", "(whole)"},
    {"Whole_Verantwortung", "verantwortung", "(whole)"},
    {"Whole_Beispielsweise", "beispielsweise", "(whole)"},  // an adverb
    {"Whole_Zeitweise", "zeitweise", "(whole)"},
    {"Whole_Beispiel", "beispiel", "(whole)"},  // hunspell lists it: not bei|spiel
    {"Whole_Abstand", "abstand", "(whole)"},
    {"Whole_Ressource", "ressource", "(whole)"},
    {"Whole_Spargel", "spargel", "(whole)"},  // not spar|gel
    {"Whole_Tabelle", "tabelle", "(whole)"},  // not tab|elle
    {"Whole_Rathaus", "rathaus", "(whole)"},  // lexicalised: hunspell lists it
    // Suffixes that are also nouns (Schaft, Bar, Los) do not end a compound.
    {"Whole_Gesellschaft", "gesellschaft", "(whole)"},
    {"Whole_Wirtschaft", "wirtschaft", "(whole)"},
    {"Whole_Arbeitslosigkeit", "arbeitslosigkeit", "(whole)"},
    {"Whole_Machbar", "machbar", "(whole)"},
    {"Whole_Kaninchen", "kaninchen", "(whole)"},
    // Names: no part ends in one.
    {"Whole_Israel", "israel", "(whole)"},
    {"Whole_Michael", "michael", "(whole)"},
    {"Whole_Hildebert", "hildebert", "(whole)"},  // not hilde|bert
    {"Whole_Lausanne", "lausanne", "(whole)"},    // not laus|anne
    // Unknown to the lexicon: no split rather than a guess.
    {"Whole_Hedgefonds", "hedgefonds", "(whole)"},
    // Short words are never split (min_word_chars = 7).
    {"Whole_Quelle", "quelle", "(whole)"},
    {"Whole_Feuer", "feuer", "(whole)"},
    {"Whole_Haus", "haus", "(whole)"},
    {"Whole_Eisbaer", "eisbär", "(whole)"},  // 6 code points, 7 bytes
};
INSTANTIATE_TEST_SUITE_P(German, RealLexiconSplit, testing::ValuesIn(kSplitCases), CaseName);

// Offsets are byte offsets into the word, at code point boundaries, increasing and disjoint;
// checked by DumpSplit() over a slice of the word list itself.
TEST_F(RealLexicon, InvariantsOverWordList) {
  std::ifstream in("/usr/share/dict/ngerman");
  if (!in) GTEST_SKIP() << "/usr/share/dict/ngerman not installed";
  std::string line;
  std::size_t seen = 0, split = 0;
  for (std::size_t n = 0; std::getline(in, line); ++n) {
    if (n % 700 != 0) continue;  // ~500 words spread over the alphabet
    std::string word;
    for (char c : line) word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    if (word.rfind("\xc3\x84", 0) == 0) word.replace(0, 2, "\xc3\xa4");  // Ä
    if (word.rfind("\xc3\x96", 0) == 0) word.replace(0, 2, "\xc3\xb6");  // Ö
    if (word.rfind("\xc3\x9c", 0) == 0) word.replace(0, 2, "\xc3\xbc");  // Ü
    const auto parts = decompounder_->Split(word);
    const std::string dump = DumpSplit(word, parts);
    ASSERT_NE(dump, "(invalid)") << word;
    for (const CompoundPart& p : parts) {
      for (std::uint32_t at : {p.begin, p.end}) {
        ASSERT_TRUE(at == word.size() || (static_cast<unsigned char>(word[at]) & 0xC0) != 0x80)
            << word << ": offset " << at << " splits a UTF-8 sequence";
      }
    }
    ++seen;
    split += !parts.empty();
  }
  EXPECT_GT(seen, 400u);
  EXPECT_GT(split, 30u) << "the word list is full of compounds; almost none split";
}

TEST_F(RealLexicon, OddInputIsNotSplit) {
  EXPECT_TRUE(decompounder_->Split("").empty());
  EXPECT_TRUE(decompounder_->Split(std::string(300, 'a')).empty());
  EXPECT_TRUE(decompounder_->Split("\x80\x80\x80\x80\x80\x80\x80\x80\x80").empty());
  EXPECT_TRUE(decompounder_->Split("1234567890").empty());
  EXPECT_TRUE(decompounder_->Split("arbeits-markt").empty());
}

TEST_F(RealLexicon, OptionsChangeSplitsAndFingerprint) {
  auto two = Decompounder::Open(kRealLexicon, DecompounderOptions{.max_parts = 2});
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  // With at most two parts a three-part compound stays whole, and a two-part one still splits.
  EXPECT_EQ(DumpSplit("bundesarbeitsminister", two.value()->Split("bundesarbeitsminister")),
            "(whole)");
  EXPECT_EQ(DumpSplit("arbeitsmarkt", two.value()->Split("arbeitsmarkt")), "arbeit|(s)|markt");
  auto long_words = Decompounder::Open(kRealLexicon, DecompounderOptions{.min_word_chars = 13});
  ASSERT_TRUE(long_words.ok());
  EXPECT_TRUE(long_words.value()->Split("arbeitsmarkt").empty());  // 12 code points

  auto again = Decompounder::Open(kRealLexicon);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value()->Fingerprint(), decompounder_->Fingerprint());
  EXPECT_NE(two.value()->Fingerprint(), decompounder_->Fingerprint());
  EXPECT_EQ(decompounder_->Fingerprint().size(), 16u);
}

// --- A lexicon built here from tiny sources -----------------------------------------------------

// A per-test scratch directory under GoogleTest's temp dir, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("findling_decomp_") + info->test_suite_name() + "_" +
                       info->name() + "_" + std::to_string(::getpid());
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = fs::path(testing::TempDir()) / name;
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(File(name), std::ios::binary) << content;
    return File(name);
  }

 private:
  fs::path path_;
};

// The flag letters are de_DE's: x/y/z begin/middle/end, o only in compounds, h needs an affix,
// c permits an affix inside a compound; "m" makes hyphenated forms, which is how the builder
// tells a noun that compounds from a name.
constexpr char kMiniAff[] = R"(SET UTF-8
COMPOUNDBEGIN x
COMPOUNDMIDDLE y
COMPOUNDEND z
ONLYINCOMPOUND o
NEEDAFFIX h
COMPOUNDPERMITFLAG c
FORBIDDENWORD d

SFX N Y 1
SFX N   0     n     .

SFX E Y 1
SFX E   0     e     .

SFX j Y 2
SFX j   0     0/xoc .
SFX j   0     -/zoc .

SFX e Y 1
SFX e   0     0/yoc .

PFX m Y 1
PFX m   0     -     .
)";

constexpr char kMiniDic[] = R"(16
Arbeit/m
Arbeits/hij
markt/Eozm
Markt/Em
Sonne/Nm
Sonnen/hij
schein/ozm
Schein/m
Tisch/mj
tisch/ozm
Otto/N
Vor/hij
lauf/ozm
Lauf/m
Rathaus/m
Rat/mj
haus/ozm
Verbot/dm
)";

constexpr char kMiniWords[] = R"(Arbeit
Arbeitsmarkt
Märkte
Puma
Männchen
Meier
Otto
Tischtennis
Platte
Zeit
Weise
zeitweise
insgesamt
Tee
)";

class MiniLexicon : public testing::Test {
 protected:
  void SetUp() override {
    sources_.word_list = dir_.Write("words", kMiniWords);
    sources_.hunspell_dic = dir_.Write("mini.dic", kMiniDic);
    sources_.hunspell_aff = dir_.Write("mini.aff", kMiniAff);
    lexicon_ = dir_.File("mini.lex");
    const Status built = BuildLexicon(sources_, lexicon_);
    ASSERT_TRUE(built.ok()) << built.ToString();
    auto opened = Decompounder::Open(lexicon_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    decompounder_ = std::move(opened).value();
  }

  ScratchDir dir_;
  LexiconSources sources_;
  std::string lexicon_;
  std::unique_ptr<Decompounder> decompounder_;
};

class MiniLexiconSplit : public MiniLexicon, public testing::WithParamInterface<SplitCase> {};

TEST_P(MiniLexiconSplit, Splits) {
  const SplitCase& c = GetParam();
  EXPECT_EQ(DumpSplit(c.word, decompounder_->Split(c.word)), c.expected) << c.word;
}

const SplitCase kMiniCases[] = {
    // Hunspell's linking form "Arbeits" (NEEDAFFIX + a zero suffix with COMPOUNDBEGIN) over the
    // listed noun "Arbeit": the -s- is a linking element.
    {"HunspellBeginAndEnd", "arbeitsmarkt", "arbeit|(s)|markt"},
    {"EndWithSuffix", "arbeitsmarkte", "arbeit|(s)|markte"},
    {"LinkN", "sonnenschein", "sonne|(n)|schein"},
    {"BeginWithoutLink", "tischschein", "tisch|schein"},
    // Word-list nouns are weak parts: accepted from four code points.
    {"WordListNouns", "pumamännchen", "puma|männchen"},
    {"WordListEndForm", "arbeitsmärkte", "arbeit|(s)|märkte"},
    {"FewestParts", "tischtennisplatte", "tischtennis|platte"},
    {"NameFirst", "ottomarkt", "otto|markt"},
    {"WeakPartNeedsFourCodePoints", "teemarkt", "(whole)"},  // "tee" only in the list
    // Names do not end compounds; particles do not begin them; listed words stay whole.
    {"NameLast", "meierotto", "(whole)"},
    {"Particle", "vorlauf", "(whole)"},
    {"ListedWord", "rathaus", "(whole)"},
    {"ForbiddenWordIsNoPart", "verbotschein", "(whole)"},
    // A lower-case word of the list that would split gets a "stays whole" entry.
    {"LowerCaseWordStaysWhole", "zeitweise", "(whole)"},
    {"UnknownWord", "insgesamt", "(whole)"},
};
INSTANTIATE_TEST_SUITE_P(Builder, MiniLexiconSplit, testing::ValuesIn(kMiniCases), CaseName);

TEST_F(MiniLexicon, FingerprintFollowsContent) {
  const std::string first = decompounder_->Fingerprint();
  sources_.word_list = dir_.Write("words2", std::string(kMiniWords) + "Rose\n");
  ASSERT_TRUE(BuildLexicon(sources_, dir_.File("other.lex")).ok());
  auto other = Decompounder::Open(dir_.File("other.lex"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other.value()->Fingerprint(), first);
  // Rebuilding from the same sources gives the same file, hence the same fingerprint.
  ASSERT_TRUE(BuildLexicon(sources_, dir_.File("again.lex")).ok());
  auto again = Decompounder::Open(dir_.File("again.lex"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value()->Fingerprint(), other.value()->Fingerprint());
}

TEST_F(MiniLexicon, WithoutHunspellOnlyWordListNounsArePartsAndBuildSucceeds) {
  sources_.hunspell_dic = dir_.File("missing.dic");
  sources_.hunspell_aff = dir_.File("missing.aff");
  ASSERT_TRUE(BuildLexicon(sources_, dir_.File("plain.lex")).ok());
  auto plain = Decompounder::Open(dir_.File("plain.lex"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(DumpSplit("pumamännchen", plain.value()->Split("pumamännchen")), "puma|männchen");
  EXPECT_EQ(DumpSplit("sonnenschein", plain.value()->Split("sonnenschein")), "(whole)");
}

// -s after a vowel: marked where the word without it is a noun or name and the word with it is
// no hunspell base form and no lower-case word; never without hunspell's stems.
TEST_F(MiniLexicon, VowelSIsAnEndingOnlyBesideAKnownNounAndNeverOnABaseForm) {
  sources_.word_list = dir_.Write("words-s", std::string(kMiniWords) +
                                                 "Ottos\nPumas\nKosmos\nMai\nMais\netwa\n"
                                                 "etwas\nTees\nUhu\n");
  sources_.hunspell_dic =
      dir_.Write("s.dic", std::string(kMiniDic) + "Kosmos/m\nMai/m\nMais/m\netwa\netwas\n");
  ASSERT_TRUE(BuildLexicon(sources_, dir_.File("s.lex")).ok());
  auto lex = Decompounder::Open(dir_.File("s.lex"));
  ASSERT_TRUE(lex.ok()) << lex.status().ToString();
  const Decompounder& d = *lex.value();
  EXPECT_TRUE(d.EndsInVowelS("ottos"));    // a name of hunspell
  EXPECT_TRUE(d.EndsInVowelS("pumas"));    // a noun of the word list only
  EXPECT_FALSE(d.EndsInVowelS("kosmos"));  // a base form, and no "kosmo"
  EXPECT_FALSE(d.EndsInVowelS("mais"));    // a base form beside the noun "Mai"
  EXPECT_FALSE(d.EndsInVowelS("etwas"));   // a lower-case word beside "etwa"
  EXPECT_FALSE(d.EndsInVowelS("tees"));    // after an e: Snowball's job
  EXPECT_FALSE(d.EndsInVowelS("uhus"));    // not in any list
  EXPECT_FALSE(d.EndsInVowelS("otto"));
  EXPECT_FALSE(d.EndsInVowelS(""));
  // The mark is no part flag: splits are what they were.
  EXPECT_EQ(DumpSplit("ottomarkt", d.Split("ottomarkt")), "otto|markt");

  sources_.hunspell_dic = dir_.File("missing.dic");
  ASSERT_TRUE(BuildLexicon(sources_, dir_.File("s-plain.lex")).ok());
  auto plain = Decompounder::Open(dir_.File("s-plain.lex"));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain.value()->EndsInVowelS("ottos"));
  EXPECT_FALSE(plain.value()->EndsInVowelS("pumas"));
}

TEST_F(MiniLexicon, MissingWordListIsNotFoundNamingTheFile) {
  sources_.word_list = dir_.File("no-such-words");
  const Status s = BuildLexicon(sources_, dir_.File("x.lex"));
  EXPECT_EQ(s.code(), Status::Code::kNotFound) << s.ToString();
  EXPECT_NE(s.message().find(sources_.word_list), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir_.File("x.lex")));
}

TEST_F(MiniLexicon, MalformedAffixFileIsInvalidInputNamingFileAndLine) {
  sources_.hunspell_aff = dir_.Write("bad.aff", "SET UTF-8\nFLAG long\n");
  const Status s = BuildLexicon(sources_, dir_.File("x.lex"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << s.ToString();
  EXPECT_NE(s.message().find(sources_.hunspell_aff + ":2"), std::string::npos) << s.message();
}

// --- Damaged and missing lexicon files ---------------------------------------------------------

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct CorruptCase {
  const char* name;
  std::function<void(std::string*)> damage;  // applied to the bytes of a good lexicon
  Status::Code code;
  const char* message_part;  // besides the file name
};

std::ostream& operator<<(std::ostream& os, const CorruptCase& c) { return os << c.name; }

class CorruptLexicon : public MiniLexicon, public testing::WithParamInterface<CorruptCase> {};

TEST_P(CorruptLexicon, OpenFailsNamingTheFile) {
  const CorruptCase& c = GetParam();
  std::string bytes = ReadAll(lexicon_);
  ASSERT_GT(bytes.size(), 1000u);
  c.damage(&bytes);
  const std::string path = dir_.Write("damaged.lex", bytes);
  auto opened = Decompounder::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), c.code) << opened.status().ToString();
  EXPECT_NE(opened.status().message().find(path), std::string::npos) << opened.status().message();
  EXPECT_NE(opened.status().message().find(c.message_part), std::string::npos)
      << opened.status().message();
}

const CorruptCase kCorruptCases[] = {
    {"Empty", [](std::string* b) { b->clear(); }, Status::Code::kCorruption, "shorter than"},
    {"NotALexicon", [](std::string* b) { b->replace(0, 8, "PK\x03\x04zip!"); },
     Status::Code::kCorruption, "magic"},
    {"NewerVersion", [](std::string* b) { (*b)[8] = 2; }, Status::Code::kCorruption, "version 2"},
    {"Truncated", [](std::string* b) { b->resize(b->size() - 100); }, Status::Code::kCorruption,
     "truncated"},
    {"AppendedGarbage", [](std::string* b) { *b += "xyz"; }, Status::Code::kCorruption,
     "truncated"},
    {"FlippedRecordByte", [](std::string* b) { (*b)[b->size() - 3] ^= 0x20; },
     Status::Code::kCorruption, "checksum"},
    {"FlippedSlotByte", [](std::string* b) { (*b)[70] ^= 0x01; }, Status::Code::kCorruption,
     "checksum"},
    {"BadSlotCount", [](std::string* b) { (*b)[20] ^= 0x01; }, Status::Code::kCorruption,
     "inconsistent header"},
};
INSTANTIATE_TEST_SUITE_P(Damaged, CorruptLexicon, testing::ValuesIn(kCorruptCases),
                         [](const testing::TestParamInfo<CorruptCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(OpenLexicon, MissingFileIsNotFoundNamingTheFile) {
  const std::string path = testing::TempDir() + "/findling-no-such-lexicon.lex";
  auto opened = Decompounder::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Status::Code::kNotFound);
  EXPECT_NE(opened.status().message().find(path), std::string::npos);
}

TEST(OpenLexicon, DirectoryIsIoError) {
  auto opened = Decompounder::Open(testing::TempDir());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Status::Code::kIo) << opened.status().ToString();
}

TEST(OpenLexicon, InvalidOptionsAreInvalidInput) {
  for (DecompounderOptions bad :
       {DecompounderOptions{.min_part_chars = 0}, DecompounderOptions{.max_parts = 1},
        DecompounderOptions{.max_parts = 9},
        DecompounderOptions{.min_part_chars = 4, .min_word_chars = 7}}) {
    auto opened = Decompounder::Open(kRealLexicon, bad);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), Status::Code::kInvalidInput) << opened.status().ToString();
  }
}

}  // namespace
}  // namespace findling
