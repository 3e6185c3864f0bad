// Decompounder: the lexicon file format (writer and reader) and the splitter.
//
// Why a hash table and not a trie: Split() runs on every word of every document, and most long
// words in running text are not compounds. The first probe (the whole word) settles those that
// the lexicon knows as ordinary words; only the rest walk the word. A hash table gives each probe
// about one cache line (the slot array holds an 8-bit tag, so a miss rarely touches a record),
// needs no pointer chasing, and its file is read in one go and used in place without parsing.
// A trie would share prefix walks but costs a dependent load per byte and a more complex writer.
//
// The file format and the entries the builder hands over are declared in common/lexicon_format.h.
#include "common/decompounder.h"

#include <sys/stat.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/lexicon_format.h"

namespace findling {

// The lexicon file is used in place; every platform Findling targets is little-endian.
static_assert(std::endian::native == std::endian::little, "lexicon format assumes little-endian");

namespace {

using lexicon_internal::LexiconEntry;
using namespace lexicon_internal;  // NOLINT: the flag names of lexicon_format.h

constexpr char kMagic[8] = {'F', 'L', 'E', 'X', 'I', 'C', 'O', 'N'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kHeaderBytes = 64;
constexpr std::uint32_t kMaxRecordBytes = 1u << 24;  // record offsets are 24 bits in a slot
constexpr std::size_t kRecordHeaderBytes = 4;

// Words longer than this are never split (German compounds in real text stay well below it); it
// bounds the splitter's stack arrays, and 128 positions fit in two 64-bit masks.
constexpr std::size_t kMaxWordBytes = 127;
constexpr std::uint32_t kMaxPartsLimit = 8;

constexpr std::string_view kRestoreSuffix[4] = {"", "e", "en", "n"};

// Key hash: FNV-1a, because Split() extends a key one byte at a time and FNV-1a continues from
// the previous state in O(1); FinishHash() then mixes the bits (murmur3's fmix32), since the slot
// index uses the low bits and the tag the high bits, which plain FNV-1a spreads poorly.
constexpr std::uint32_t kFnvOffset = 2166136261u;
inline std::uint32_t HashStep(std::uint32_t h, unsigned char c) { return (h ^ c) * 16777619u; }
inline std::uint32_t FinishHash(std::uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}
std::uint32_t HashKey(std::string_view key) {
  std::uint32_t h = kFnvOffset;
  for (unsigned char c : key) h = HashStep(h, c);
  return h;
}

// Checksum of the file content, 8 bytes at a time: fast enough to verify a few MB at every
// Open() (about a millisecond), and it catches truncation, bit flips and torn writes.
std::uint64_t ContentHash(const unsigned char* data, std::size_t size, std::uint64_t seed) {
  constexpr std::uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
  constexpr std::uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;
  std::uint64_t h = seed ^ (size * kMul1);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, data + i, 8);
    h = std::rotl(h ^ (w * kMul1), 31) * kMul2;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < size; ++k) tail |= std::uint64_t{data[i + k]} << (8 * k);
  h = std::rotl(h ^ (tail * kMul1), 31) * kMul2;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

void PutU32(std::string* out, std::size_t at, std::uint32_t v) { std::memcpy(&(*out)[at], &v, 4); }
void PutU64(std::string* out, std::size_t at, std::uint64_t v) { std::memcpy(&(*out)[at], &v, 8); }
std::uint32_t GetU32(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
std::uint64_t GetU64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

// A part's cost; the split with the fewest parts always wins (see Split()), and among those the
// lowest total cost. The weights encode what "plausible" means for German compounds:
//  - a part that hunspell's compound flags allow at that position is the reference (0);
//  - a noun known only from the word list may be a name or an unusual word (+30);
//  - short parts are where accidental matches live ("gel" in "spargel"), so 3 and 4 code points
//    cost extra (+40, +15);
//  - restoring a dropped ending ("sprach" -> "sprache") is a guess (+10);
//  - productive parts (many compounds in the word list use them) earn back up to 45.
constexpr int kWeakPenalty = 30;
constexpr int kRestorePenalty = 10;
constexpr int kRankBonus = 3;
int LengthPenalty(std::uint32_t chars) { return chars <= 3 ? 40 : chars == 4 ? 15 : 0; }

// Invariants: `buffer_` holds a whole lexicon file that Open() has validated (header, checksum,
// every slot points at a record inside the record area, at least one slot is empty), and nothing
// changes after construction, so Split() needs no bounds checks and no locks.
class LexiconDecompounder final : public Decompounder {
 public:
  LexiconDecompounder(std::unique_ptr<std::uint64_t[]> buffer, DecompounderOptions options)
      : buffer_(std::move(buffer)), options_(options) {
    const auto* base = reinterpret_cast<const unsigned char*>(buffer_.get());
    mask_ = GetU32(base + 20) - 1;
    slots_ = reinterpret_cast<const std::uint32_t*>(base + GetU32(base + 24));
    records_ = base + GetU32(base + 28);
    content_hash_ = GetU64(base + 48);
  }

  std::vector<CompoundPart> Split(std::string_view word) const override;
  bool EndsInVowelS(std::string_view word) const override;
  std::string Fingerprint() const override;

 private:
  struct Match {
    std::uint8_t flags = 0;
    std::uint8_t meta = 0;
    std::uint8_t rank = 0;
  };

  // Looks up key[0, len), whose FNV-1a state before FinishHash() is `h`.
  bool Lookup(const char* key, std::size_t len, std::uint32_t h, Match* match) const {
    const std::uint32_t f = FinishHash(h);
    const std::uint32_t tag = f >> 24;
    for (std::uint32_t i = f & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t slot = slots_[i];
      if (slot == 0) return false;  // Open() checked that the table has an empty slot
      if ((slot >> 24) != tag) continue;
      const unsigned char* rec = records_ + (slot & 0xFFFFFFu);
      if (rec[0] == len && std::memcmp(rec + kRecordHeaderBytes, key, len) == 0) {
        match->flags = rec[1];
        match->meta = rec[2];
        match->rank = rec[3];
        return true;
      }
    }
  }

  std::unique_ptr<std::uint64_t[]> buffer_;  // the whole file, 8-byte aligned
  DecompounderOptions options_;
  std::uint32_t mask_ = 0;  // slot count - 1
  const std::uint32_t* slots_ = nullptr;
  const unsigned char* records_ = nullptr;
  std::uint64_t content_hash_ = 0;
};

// The splitter is a breadth-first search over byte positions, one level per part, so the first
// level at which the whole word decomposes gives the fewest parts, and only that level's
// candidates are ranked by cost. That also bounds the work: a two-part compound costs one walk
// from the start plus one probe per reachable boundary.
std::vector<CompoundPart> LexiconDecompounder::Split(std::string_view word) const {
  const std::size_t n = word.size();
  // Bytes >= code points, so a byte count below the minimum settles it without decoding.
  if (n > kMaxWordBytes || n < options_.min_word_chars) return {};

  // chars_at[i]: code points that start before byte i.
  std::array<std::uint8_t, kMaxWordBytes + 1> chars_at;
  std::uint32_t chars = 0;
  for (std::size_t i = 0; i < n; ++i) {
    chars_at[i] = static_cast<std::uint8_t>(chars);
    chars += !IsContinuationByte(static_cast<unsigned char>(word[i]));
  }
  chars_at[n] = static_cast<std::uint8_t>(chars);
  if (chars < options_.min_word_chars) return {};
  // Code points in word[a, b), for boundaries a <= b.
  auto span_chars = [&](std::size_t a, std::size_t b) -> std::uint32_t {
    return static_cast<std::uint32_t>(chars_at[b] - chars_at[a]);
  };
  auto is_boundary = [&](std::size_t i) {
    return i == n || !IsContinuationByte(static_cast<unsigned char>(word[i]));
  };

  const std::uint32_t min_strong = options_.min_part_chars;
  const std::uint32_t min_weak = options_.min_part_chars + 1;
  const char* w = word.data();

  struct State {
    std::int32_t cost;
    std::uint8_t from;      // where this part starts
    std::uint8_t part_end;  // where the part ends; [part_end, position) is the linking element
    std::uint8_t restore;
  };
  const std::uint32_t max_parts = options_.max_parts;
  // state[k][p]: the cheapest way to cover word[0, p) with k+1 non-final parts.
  std::array<std::array<State, kMaxWordBytes + 1>, kMaxPartsLimit> state;
  std::array<std::array<std::uint64_t, 2>, kMaxPartsLimit> reached{};
  auto mark = [&](std::uint32_t k, std::size_t p) { reached[k][p >> 6] |= 1ull << (p & 63); };
  auto is_marked = [&](std::uint32_t k, std::size_t p) {
    return (reached[k][p >> 6] >> (p & 63)) & 1;
  };
  auto any_marked = [&](std::uint32_t k) { return (reached[k][0] | reached[k][1]) != 0; };

  // Offers word[from, q) as a non-final part at level k (k = 0: the first part).
  auto offer_join = [&](std::uint32_t k, std::size_t from, std::size_t q, const Match& m,
                        std::int32_t base_cost) {
    const bool strong = (m.flags & (k == 0 ? kFlagBeginStrong : kFlagMiddleStrong)) != 0;
    if (!strong && !(m.flags & kFlagJoinWeak)) return;
    const std::size_t link = m.meta & 3u;
    const std::size_t part_end = q - link;
    if (part_end <= from || !is_boundary(part_end)) return;
    const std::uint32_t part_chars = span_chars(from, part_end);
    if (part_chars < (strong ? min_strong : min_weak)) return;
    const std::uint8_t restore = (m.meta >> 2) & 3u;
    const std::int32_t cost = base_cost + (strong ? 0 : kWeakPenalty) + LengthPenalty(part_chars) +
                              (restore != kRestoreNone ? kRestorePenalty : 0) -
                              kRankBonus * (m.rank >> 4);
    State& s = state[k][q];
    if (!is_marked(k, q) || cost < s.cost) {
      s = State{cost, static_cast<std::uint8_t>(from), static_cast<std::uint8_t>(part_end),
                restore};
      mark(k, q);
    }
  };

  // Level 0: every first part, and the whole word itself.
  {
    std::uint32_t h = kFnvOffset;
    Match m;
    for (std::size_t q = 1; q <= n; ++q) {
      h = HashStep(h, static_cast<unsigned char>(w[q - 1]));
      if (!is_boundary(q)) continue;
      if (q == n) {
        // An ordinary word of the dictionaries stays whole, whatever its pieces look like:
        // "verlauf", "beamte", "beispiel" (bei|spiel), "spargel" (spar|gel).
        if (Lookup(w, n, h, &m) && (m.flags & kFlagLexical)) return {};
      } else if (span_chars(0, q) >= min_strong && span_chars(q, n) >= min_strong &&
                 Lookup(w, q, h, &m)) {
        offer_join(0, 0, q, m, 0);
      }
    }
  }

  for (std::uint32_t k = 0; k + 1 < max_parts && any_marked(k); ++k) {
    // Can the rest of the word, from a reached position, be the last part?
    std::int32_t best_cost = 0;
    std::size_t best_from = 0;
    bool found = false;
    for (std::size_t p = 1; p < n; ++p) {
      if (!is_marked(k, p)) continue;
      const std::uint32_t tail_chars = span_chars(p, n);
      if (tail_chars < min_strong) continue;
      std::uint32_t h = kFnvOffset;
      for (std::size_t i = p; i < n; ++i) h = HashStep(h, static_cast<unsigned char>(w[i]));
      Match m;
      if (!Lookup(w + p, n - p, h, &m)) continue;
      const bool strong = (m.flags & kFlagEndStrong) != 0;
      if (!strong && !(m.flags & kFlagEndWeak)) continue;
      if (tail_chars < (strong ? min_strong : min_weak)) continue;
      const std::int32_t cost = state[k][p].cost + (strong ? 0 : kWeakPenalty) +
                                LengthPenalty(tail_chars) - kRankBonus * (m.rank & 15);
      // Ties go to the longer last part: German compounds are right-headed, and the head is the
      // part a searcher most likely means.
      if (!found || cost < best_cost) {
        found = true;
        best_cost = cost;
        best_from = p;
      }
    }
    if (found) {
      std::vector<CompoundPart> parts(k + 2);
      parts[k + 1].begin = static_cast<std::uint32_t>(best_from);
      parts[k + 1].end = static_cast<std::uint32_t>(n);
      parts[k + 1].lemma.assign(w + best_from, n - best_from);
      std::size_t p = best_from;
      for (std::uint32_t level = k + 1; level-- > 0;) {
        const State& s = state[level][p];
        CompoundPart& part = parts[level];
        part.begin = s.from;
        part.end = s.part_end;
        const std::string_view suffix = kRestoreSuffix[s.restore];
        part.lemma.reserve(s.part_end - s.from + suffix.size());
        part.lemma.assign(w + s.from, s.part_end - s.from);
        part.lemma.append(suffix);
        p = s.from;
      }
      return parts;
    }
    if (k + 2 >= max_parts) break;
    // Otherwise extend every reached position by one inner part.
    for (std::size_t p = 1; p < n; ++p) {
      if (!is_marked(k, p)) continue;
      std::uint32_t h = kFnvOffset;
      Match m;
      for (std::size_t q = p + 1; q < n; ++q) {
        h = HashStep(h, static_cast<unsigned char>(w[q - 1]));
        if (!is_boundary(q)) continue;
        if (span_chars(p, q) < min_strong) continue;
        if (span_chars(q, n) < min_strong) break;
        if (Lookup(w + p, q - p, h, &m)) offer_join(k + 1, p, q, m, state[k][p].cost);
      }
    }
  }
  return {};
}

bool LexiconDecompounder::EndsInVowelS(std::string_view word) const {
  if (word.empty() || word.size() > kMaxWordBytes || word.back() != 's') return false;
  std::uint32_t h = kFnvOffset;
  for (char c : word) h = HashStep(h, static_cast<unsigned char>(c));
  Match m;
  return Lookup(word.data(), word.size(), h, &m) && (m.flags & kFlagVowelS) != 0;
}

std::string LexiconDecompounder::Fingerprint() const {
  const std::uint32_t opts[3] = {options_.min_part_chars, options_.min_word_chars,
                                 options_.max_parts};
  const std::uint64_t h =
      ContentHash(reinterpret_cast<const unsigned char*>(opts), sizeof(opts), content_hash_);
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

}  // namespace

namespace lexicon_internal {

Status WriteLexiconFile(const std::string& path, const std::vector<LexiconEntry>& entries) {
  // Records first, so their offsets are known when the slots are filled.
  std::string records(1, '\0');  // pad: offset 0 means "empty slot"
  std::vector<std::uint32_t> offsets;
  offsets.reserve(entries.size());
  for (const LexiconEntry& e : entries) {
    if (e.key.empty() || e.key.size() > 255 || e.link_bytes > 3 || e.link_bytes >= e.key.size() ||
        e.restore > 3 || e.join_rank > 15 || e.end_rank > 15) {
      return Status::Internal("lexicon entry '" + e.key + "' cannot be stored (" + path + ")");
    }
    offsets.push_back(static_cast<std::uint32_t>(records.size()));
    records.push_back(static_cast<char>(e.key.size()));
    records.push_back(static_cast<char>(e.flags));
    records.push_back(static_cast<char>(e.link_bytes | (e.restore << 2)));
    records.push_back(static_cast<char>((e.join_rank << 4) | e.end_rank));
    records += e.key;
  }
  if (records.size() >= kMaxRecordBytes) {
    return Status::Limit("lexicon records exceed 16 MiB (" + path + ")");
  }
  // Load factor at most 1/2: most probes in running text are misses, and a miss scans to the next
  // empty slot, which at this load is usually in the same cache line.
  std::uint32_t slot_count = 1024;
  while (slot_count < 2 * entries.size()) slot_count *= 2;
  std::vector<std::uint32_t> slots(slot_count, 0);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::uint32_t f = FinishHash(HashKey(entries[i].key));
    std::uint32_t s = f & (slot_count - 1);
    while (slots[s] != 0) {
      const unsigned char* rec =
          reinterpret_cast<const unsigned char*>(records.data()) + (slots[s] & 0xFFFFFFu);
      if (std::string_view(reinterpret_cast<const char*>(rec) + kRecordHeaderBytes, rec[0]) ==
          entries[i].key) {
        return Status::Internal("duplicate lexicon key '" + entries[i].key + "' (" + path + ")");
      }
      s = (s + 1) & (slot_count - 1);
    }
    slots[s] = ((f >> 24) << 24) | offsets[i];
  }

  const std::uint32_t slots_offset = kHeaderBytes;
  const std::uint32_t records_offset = slots_offset + slot_count * 4;
  std::string file(records_offset + records.size(), '\0');
  std::memcpy(&file[slots_offset], slots.data(), slot_count * 4);
  std::memcpy(&file[records_offset], records.data(), records.size());
  std::memcpy(&file[0], kMagic, sizeof(kMagic));
  PutU32(&file, 8, kVersion);
  PutU32(&file, 12, kHeaderBytes);
  PutU32(&file, 16, static_cast<std::uint32_t>(entries.size()));
  PutU32(&file, 20, slot_count);
  PutU32(&file, 24, slots_offset);
  PutU32(&file, 28, records_offset);
  PutU32(&file, 32, static_cast<std::uint32_t>(records.size()));
  PutU64(&file, 40, file.size());
  PutU64(&file, 48,
         ContentHash(reinterpret_cast<const unsigned char*>(file.data()) + kHeaderBytes,
                     file.size() - kHeaderBytes, 0));

  // Write to a temporary name and rename, so a reader never sees a half-written lexicon and an
  // interrupted build leaves the old file in place.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Io("cannot create " + tmp + ": " + std::strerror(errno));
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    out.close();
    if (!out) return Status::Io("cannot write " + tmp + ": " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return Status::Io("cannot rename " + tmp + " to " + path + ": " + why);
  }
  return Status::Ok();
}

}  // namespace lexicon_internal

Result<std::unique_ptr<Decompounder>> Decompounder::Open(const std::string& lexicon_path,
                                                         DecompounderOptions options) {
  if (options.min_part_chars < 1 || options.max_parts < 2 || options.max_parts > kMaxPartsLimit ||
      options.min_word_chars < 2 * options.min_part_chars) {
    return Status::InvalidInput(
        "decompounder options: need min_part_chars >= 1, 2 <= max_parts <= 8 and "
        "min_word_chars >= 2 * min_part_chars (lexicon " +
        lexicon_path + ")");
  }
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("lexicon " + lexicon_path + ": " + why +
                              "; rebuild it with findling-lexicon");
  };

  std::FILE* f = std::fopen(lexicon_path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("lexicon file not found: " + lexicon_path);
    return Status::Io("cannot open lexicon " + lexicon_path + ": " + std::strerror(err));
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(f);
    return Status::Io("lexicon " + lexicon_path + " is not a readable regular file");
  }
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  if (size < kHeaderBytes) {
    std::fclose(f);
    return corrupt("file is " + std::to_string(size) + " bytes, shorter than its header");
  }
  // One read into an 8-byte aligned buffer: the slot array is then used in place. (mmap would
  // save the copy, but a lexicon replaced on disk while mapped could fault a running server.)
  std::unique_ptr<std::uint64_t[]> buffer(new std::uint64_t[(size + 7) / 8]);
  const std::size_t got = std::fread(buffer.get(), 1, size, f);
  const bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error || got != size) {
    return Status::Io("cannot read lexicon " + lexicon_path + " (" + std::to_string(got) + " of " +
                      std::to_string(size) + " bytes)");
  }

  const auto* base = reinterpret_cast<const unsigned char*>(buffer.get());
  if (std::memcmp(base, kMagic, sizeof(kMagic)) != 0) {
    return corrupt("bad magic (not a Findling lexicon)");
  }
  const std::uint32_t version = GetU32(base + 8);
  if (version != kVersion) {
    return corrupt("format version " + std::to_string(version) + ", this build reads version " +
                   std::to_string(kVersion));
  }
  const std::uint32_t header_bytes = GetU32(base + 12);
  const std::uint32_t entries = GetU32(base + 16);
  const std::uint32_t slot_count = GetU32(base + 20);
  const std::uint32_t slots_offset = GetU32(base + 24);
  const std::uint32_t records_offset = GetU32(base + 28);
  const std::uint32_t records_bytes = GetU32(base + 32);
  const std::uint64_t file_bytes = GetU64(base + 40);
  if (file_bytes != size) {
    return corrupt("header says " + std::to_string(file_bytes) + " bytes, file has " +
                   std::to_string(size) + " (truncated?)");
  }
  if (header_bytes != kHeaderBytes || slots_offset != kHeaderBytes || slot_count == 0 ||
      !std::has_single_bit(slot_count) || entries >= slot_count ||
      records_offset != slots_offset + std::uint64_t{slot_count} * 4 ||
      std::uint64_t{records_offset} + records_bytes != size || records_bytes >= kMaxRecordBytes) {
    return corrupt("inconsistent header");
  }
  if (ContentHash(base + kHeaderBytes, size - kHeaderBytes, 0) != GetU64(base + 48)) {
    return corrupt("checksum mismatch (damaged or partly written)");
  }
  // The checksum catches accidents; these bounds make Split() safe even on a crafted file.
  const unsigned char* records = base + records_offset;
  std::uint32_t used = 0;
  for (std::uint32_t i = 0; i < slot_count; ++i) {
    const std::uint32_t slot = GetU32(base + slots_offset + 4 * i);
    if (slot == 0) continue;
    ++used;
    const std::uint32_t off = slot & 0xFFFFFFu;
    if (off == 0 || std::uint64_t{off} + kRecordHeaderBytes > records_bytes ||
        std::uint64_t{off} + kRecordHeaderBytes + records[off] > records_bytes ||
        records[off] == 0) {
      return corrupt("slot " + std::to_string(i) + " points outside the records");
    }
  }
  if (used != entries) {
    return corrupt("header counts " + std::to_string(entries) + " entries, table holds " +
                   std::to_string(used));
  }
  return std::unique_ptr<Decompounder>(new LexiconDecompounder(std::move(buffer), options));
}

}  // namespace findling
