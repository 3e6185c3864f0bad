// The decompounder's lexicon file: its layout, and the internal interface
// between the builder (lexicon_builder.cc, which decides what the flags mean
// linguistically), the reader and writer (decompounder.cc, which stores them
// and uses them in Split()) and findling-lexicon (lexicon_main.cc). Not a
// public API: only those three files and tests/decompounder_test.cc use it.
//
// File format, version 1. All integers are little-endian; the file is used in place.
//
//   Header, 64 bytes:
//     0   char[8]  magic "FLEXICON"
//     8   u32      format version (1)
//     12  u32      header size (64)
//     16  u32      number of entries
//     20  u32      number of slots (a power of two, more than the entries)
//     24  u32      byte offset of the slot array (64)
//     28  u32      byte offset of the record area
//     32  u32      size of the record area in bytes (< 2^24)
//     36  u32      reserved (0)
//     40  u64      size of the whole file in bytes
//     48  u64      ContentHash() of every byte after the header
//     56  u64      reserved (0)
//   Slot array: u32 per slot. 0 is empty; otherwise (tag << 24) | record offset, where the tag is
//     the top 8 bits of the key's hash and the offset (>= 1) is relative to the record area.
//     Linear probing from FinishHash(hash) & (slots - 1).
//   Record area: one pad byte (so that no record has offset 0), then per entry
//     u8 key length in bytes, u8 flags (kFlag*), u8 meta (link bytes | restore << 2),
//     u8 rank (join productivity << 4 | end productivity), then the key: lower-case UTF-8.
//
// The builder (lexicon_builder.cc) decides what the flags mean linguistically; this file only
// stores them and uses them in Split().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/decompounder.h"
#include "common/status.h"

namespace findling::lexicon_internal {

enum LexiconFlag : std::uint8_t {
  kFlagBeginStrong = 1 << 0,   // hunspell allows it as the first part of a compound
  kFlagMiddleStrong = 1 << 1,  // hunspell allows it as an inner part
  kFlagJoinWeak = 1 << 2,      // a noun of the word list, usable as a first or inner part
  kFlagEndStrong = 1 << 3,     // hunspell allows it (with its endings) as the last part
  kFlagEndWeak = 1 << 4,       // a noun of the word list, usable as the last part
  kFlagLexical = 1 << 5,       // an ordinary word of the dictionaries: the whole word stays whole
  kFlagNoun = 1 << 6,          // a noun form (informational)
  kFlagVowelS = 1 << 7,        // a noun or name plus -s after a vowel ("afrikas", "autos"):
                               // see Decompounder::EndsInVowelS()
};
enum LexiconRestore : std::uint8_t {  // what a first/inner part lost: sprach -> sprach|e
  kRestoreNone = 0,
  kRestoreE = 1,
  kRestoreEn = 2,
  kRestoreN = 3,
};
struct LexiconEntry {
  std::string key;              // lower-case UTF-8, 1..255 bytes, unique
  std::uint8_t flags = 0;       // LexiconFlag bits
  std::uint8_t link_bytes = 0;  // trailing linking element when used as a first/inner part
  std::uint8_t restore = 0;     // LexiconRestore: ending to append to form the lemma
  std::uint8_t join_rank = 0;   // 0..15, about log2 of how many compounds start with it
  std::uint8_t end_rank = 0;    // 0..15, about log2 of how many compounds end with it
};

// Writes `entries` (unique keys, any order) to `path` in the format above,
// replacing the file. Fails with kInternal naming the key for an entry the
// format cannot store (key length, field ranges) or a duplicate key, kLimit
// when the records exceed 16 MiB, and kIo naming the path when writing fails.
// Defined in decompounder.cc.
Status WriteLexiconFile(const std::string& path, const std::vector<LexiconEntry>& entries);

// BuildLexicon() plus the numbers for findling-lexicon's summary line: how many
// entries were written, and warnings about what the build went without
// (unreadable hunspell files). Either pointer may be null. Defined in lexicon_builder.cc.
Status BuildLexiconReport(const LexiconSources& sources, const std::string& output_path,
                          std::size_t* entries, std::vector<std::string>* warnings);

}  // namespace findling::lexicon_internal
