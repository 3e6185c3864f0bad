// Plain text and Markdown: one document per file.
//
// Plain text: the first non-empty line is the title, the rest the text.
// Markdown: the title comes from the front matter, else the first level-1
// heading ("# Titel" or a line underlined with "==="), else the first line;
// the markup is stripped so that only what a reader sees is indexed, and
// character references are decoded (indexer/char_refs.h, as the HTML reader).
//
// A first line longer than kMaxTitleLineBytes is a paragraph, not a title:
// then the title is its first sentence and the text keeps the whole line.
#include <string>
#include <vector>

#include "common/ascii.h"
#include "indexer/char_refs.h"
#include "indexer/readers.h"

namespace findling::reader_internal {
namespace {

constexpr std::size_t kMaxTitleLineBytes = 200;

// Letters, digits and any non-ASCII byte (ä, ß, ...): what makes up a word.
bool IsWordByte(char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c) || static_cast<unsigned char>(c) >= 0x80;
}
bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// CRLF and lone CR become LF, so that every reader below sees one kind of line end.
void NormalizeNewlines(std::string* s) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < s->size(); ++i) {
    const char c = (*s)[i];
    if (c == '\r') {
      (*s)[out++] = '\n';
      if (i + 1 < s->size() && (*s)[i + 1] == '\n') ++i;
    } else {
      (*s)[out++] = c;
    }
  }
  s->resize(out);
}

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Joins lines, dropping leading and trailing blank lines and keeping at most
// one blank line between paragraphs; trailing spaces (Markdown's hard line
// breaks) go.
std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  bool blank_pending = false;
  for (const std::string& line : lines) {
    std::string_view l = line;
    while (!l.empty() && IsAsciiSpace(l.back())) l.remove_suffix(1);
    if (TrimAsciiSpace(l).empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (!out.empty()) out += blank_pending ? "\n\n" : "\n";
    blank_pending = false;
    out += l;
  }
  return out;
}

// The title/text split shared by plain text and Markdown without a heading.
// `lines` are the document's lines after markup stripping.
void TitleFromFirstLine(std::vector<std::string>* lines, SourceDocument* doc) {
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string_view first = TrimAsciiSpace((*lines)[i]);
    if (first.empty()) continue;
    if (first.size() <= kMaxTitleLineBytes) {
      doc->title = std::string(first);
      lines->erase(lines->begin(), lines->begin() + static_cast<std::ptrdiff_t>(i) + 1);
      doc->text = JoinLines(*lines);
    } else {
      doc->text = JoinLines(*lines);
      doc->title = TitleFromFirstSentence(doc->text);
    }
    return;
  }
}

// ---------------------------------------------------------------------------
// Markdown

struct FrontMatter {
  std::string title, date, category, id, url;
  DocumentFields fields;      // every other key: "author: Jane Doe", "tags: [KI, Chips]"
  std::size_t date_line = 0;  // 1-based line of "date:" in the file
};

std::string_view Unquote(std::string_view v) {
  v = TrimAsciiSpace(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

// "[Politik, Wien]" -> "Politik": one category per document.
std::string_view FirstListItem(std::string_view v) {
  v = TrimAsciiSpace(v);
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    v = v.substr(1, v.size() - 2);
    v = v.substr(0, v.find(','));
  }
  return Unquote(v);
}

// "[KI, Chips]" -> KI and Chips; a plain value is one item.
void AddListItems(const std::string& key, std::string_view v, DocumentFields* out) {
  v = TrimAsciiSpace(v);
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    v = v.substr(1, v.size() - 2);
    for (;;) {
      const std::size_t comma = v.find(',');
      const std::string_view item = Unquote(v.substr(0, comma));
      if (!item.empty()) out->emplace_back(key, std::string(item));
      if (comma == std::string_view::npos) return;
      v.remove_prefix(comma + 1);
    }
  }
  const std::string_view item = Unquote(v);
  if (!item.empty()) out->emplace_back(key, std::string(item));
}

// A YAML front matter block ("---" ... "---" or "...") at the very start:
// only flat "key: value" lines are read, and a key's list as "[a, b]" or as
// "  - a" lines below it; the built-in keys below take one value, every
// other key is an extra field with all its items. A block that is never
// closed is not front matter. Returns the number of lines it
// spans (0 when there is none).
std::size_t ParseFrontMatter(const std::vector<std::string_view>& lines, FrontMatter* fm) {
  if (lines.empty() || TrimAsciiSpace(lines[0]) != "---") return 0;
  std::size_t end = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view t = TrimAsciiSpace(lines[i]);
    if (t == "---" || t == "...") {
      end = i;
      break;
    }
  }
  if (end == 0) return 0;
  for (std::size_t i = 1; i < end; ++i) {
    const std::string_view line = lines[i];
    if (line.empty() || IsAsciiSpace(line[0]) || line[0] == '#' || line[0] == '-') continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = AsciiLower(TrimAsciiSpace(line.substr(0, colon)));
    std::string_view value = TrimAsciiSpace(line.substr(colon + 1));
    // "categories:" followed by "  - Politik" lines.
    std::vector<std::string_view> items;
    if (value.empty()) {
      for (std::size_t j = i + 1; j < end; ++j) {
        const std::string_view next = TrimAsciiSpace(lines[j]);
        if (!next.starts_with("- ")) break;
        items.push_back(next.substr(2));
      }
      if (!items.empty()) value = items.front();
    }
    if (key == "title") {
      fm->title = std::string(Unquote(value));
    } else if (key == "date") {
      fm->date = std::string(Unquote(value));
      fm->date_line = i + 1;
    } else if (key == "category" || key == "categories") {
      fm->category = std::string(FirstListItem(value));
    } else if (key == "id") {
      fm->id = std::string(Unquote(value));
    } else if (key == "url") {
      fm->url = std::string(Unquote(value));
    } else if (items.empty()) {
      AddListItems(key, value, &fm->fields);
    } else {
      for (const std::string_view item : items) AddListItems(key, item, &fm->fields);
    }
  }
  return end + 1;
}

// Removes <!-- ... --> (which may span lines); an unclosed comment runs to the end.
std::string RemoveHtmlComments(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  for (;;) {
    const std::size_t open = s.find("<!--", pos);
    if (open == std::string_view::npos) {
      out.append(s.substr(pos));
      return out;
    }
    out.append(s.substr(pos, open - pos));
    const std::size_t close = s.find("-->", open + 4);
    if (close == std::string_view::npos) return out;
    pos = close + 3;
  }
}

// Finds the end of "[label](target)" or "[label][ref]" starting at s[open]
// == '['. Brackets and parentheses may nest; a bare "[label]" is left alone.
bool ParseLink(std::string_view s, std::size_t open, std::string_view* label, std::size_t* end) {
  int depth = 0;
  std::size_t close = std::string_view::npos;
  for (std::size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '[') {
      ++depth;
    } else if (s[i] == ']' && --depth == 0) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos || close + 1 >= s.size()) return false;
  const char opener = s[close + 1];
  if (opener != '(' && opener != '[') return false;
  const char closer = opener == '(' ? ')' : ']';
  depth = 0;
  for (std::size_t i = close + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == opener) {
      ++depth;
    } else if (s[i] == closer && --depth == 0) {
      *label = s.substr(open + 1, close - open - 1);
      *end = i + 1;
      return true;
    }
  }
  return false;
}

// Strips inline markup from one line: emphasis, code spans, links (their
// text stays), images (dropped whole: alt text is not visible text),
// autolinks, inline HTML tags and backslash escapes; decodes character
// references ("&auml;" -> "ä") outside code spans, as CommonMark does.
std::string StripInline(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && IsAsciiPunct(s[i + 1])) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (c == '`') {
      std::size_t run = 0;
      while (i + run < s.size() && s[i + run] == '`') ++run;
      // The closing run must have the same length.
      std::size_t search = i + run;
      std::size_t close = std::string_view::npos;
      while ((search = s.find('`', search)) != std::string_view::npos) {
        std::size_t len = 0;
        while (search + len < s.size() && s[search + len] == '`') ++len;
        if (len == run) {
          close = search;
          break;
        }
        search += len;
      }
      if (close == std::string_view::npos) {
        out.append(run, '`');
        i += run;
        continue;
      }
      std::string_view code = s.substr(i + run, close - i - run);
      if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ') {
        code = code.substr(1, code.size() - 2);
      }
      out += code;
      i = close + run;
      continue;
    }
    std::string_view label;
    std::size_t end = 0;
    if (c == '!' && i + 1 < s.size() && s[i + 1] == '[' && ParseLink(s, i + 1, &label, &end)) {
      i = end;
      continue;
    }
    if (c == '[' && ParseLink(s, i, &label, &end)) {
      out += StripInline(label);
      i = end;
      continue;
    }
    if (c == '<') {
      const std::size_t close = s.find('>', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view inner = s.substr(i + 1, close - i - 1);
        const bool has_space = inner.find(' ') != std::string_view::npos;
        if (!has_space && (inner.starts_with("http://") || inner.starts_with("https://"))) {
          out += inner;  // an autolink shows its address
          i = close + 1;
          continue;
        }
        if (!has_space && inner.starts_with("mailto:")) {
          out += inner.substr(7);
          i = close + 1;
          continue;
        }
        if (!inner.empty() && (IsAsciiAlpha(inner[0]) ||
                               (inner[0] == '/' && inner.size() > 1 && IsAsciiAlpha(inner[1])))) {
          if (inner.starts_with("br")) out += ' ';  // inline HTML: the tag goes
          i = close + 1;
          continue;
        }
      }
    }
    if (c == '*' || c == '_' || c == '~') {
      std::size_t run = 0;
      while (i + run < s.size() && s[i + run] == c) ++run;
      const char prev = i > 0 ? s[i - 1] : ' ';
      const char next = i + run < s.size() ? s[i + run] : ' ';
      const bool literal = (c == '~' && run < 2) ||  // "~5 km": not strikethrough
                           (c == '_' && IsWordByte(prev) && IsWordByte(next)) ||  // snake_case
                           ((IsAsciiSpace(prev) || prev == '\n') &&
                            (IsAsciiSpace(next) || next == '\n'));  // "3 * 4"
      if (literal) out.append(run, c);
      i += run;
      continue;
    }
    if (c == '&') {
      if (const std::size_t next = DecodeCharRefAt(s, i, CharRefSyntax::kCommonMark, &out)) {
        i = next;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

std::size_t LeadingSpaces(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// "# Titel #" -> level 1, "Titel"; 0 when the line is not an ATX heading.
int AtxHeading(std::string_view line, std::string_view* content) {
  const std::size_t indent = LeadingSpaces(line);
  if (indent > 3) return 0;
  std::size_t i = indent;
  int level = 0;
  while (i < line.size() && line[i] == '#' && level < 7) {
    ++level;
    ++i;
  }
  if (level == 0 || level > 6 || (i < line.size() && line[i] != ' ' && line[i] != '\t')) return 0;
  std::string_view rest = TrimAsciiSpace(line.substr(i));
  // A closing run of '#' after a space is decoration.
  std::size_t k = rest.size();
  while (k > 0 && rest[k - 1] == '#') --k;
  if (k == 0 || rest[k - 1] == ' ') rest = TrimAsciiSpace(rest.substr(0, k));
  *content = rest;
  return level;
}

// "***", "- - -", "___": a thematic break.
bool IsThematicBreak(std::string_view line) {
  const std::string_view t = TrimAsciiSpace(line);
  if (t.empty() || (t[0] != '-' && t[0] != '*' && t[0] != '_')) return false;
  std::size_t marks = 0;
  for (char c : t) {
    if (c == t[0]) {
      ++marks;
    } else if (c != ' ' && c != '\t') {
      return false;
    }
  }
  return marks >= 3;
}

// A setext underline: "===" (level 1) or "---" (level 2), else 0.
int SetextUnderline(std::string_view line) {
  const std::string_view t = TrimAsciiSpace(line);
  if (t.empty() || LeadingSpaces(line) > 3) return 0;
  if (t.find_first_not_of('=') == std::string_view::npos) return 1;
  if (t.size() >= 2 && t.find_first_not_of('-') == std::string_view::npos) return 2;
  return 0;
}

// A table's delimiter row: "|---|:--:|".
bool IsTableDelimiter(std::string_view line) {
  const std::string_view t = TrimAsciiSpace(line);
  return t.find('|') != std::string_view::npos && t.find('-') != std::string_view::npos &&
         t.find_first_not_of("|-: \t") == std::string_view::npos;
}

// Removes block markers: block quotes, list bullets and numbers, task boxes.
std::string_view StripBlockMarkers(std::string_view line) {
  for (;;) {
    const std::size_t indent = line.find_first_not_of(" \t");
    if (indent == std::string_view::npos) return {};
    std::string_view t = line.substr(indent);
    if (t[0] == '>') {
      line = t.substr(1);
      continue;
    }
    if ((t[0] == '-' || t[0] == '*' || t[0] == '+') && t.size() > 1 &&
        (t[1] == ' ' || t[1] == '\t')) {
      line = t.substr(2);
      continue;
    }
    std::size_t d = 0;
    while (d < t.size() && d < 9 && IsAsciiDigit(t[d])) ++d;
    if (d > 0 && d + 1 < t.size() && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ') {
      line = t.substr(d + 2);
      continue;
    }
    if (t.starts_with("[ ] ") || t.starts_with("[x] ") || t.starts_with("[X] ")) {
      line = t.substr(4);
      continue;
    }
    return t;
  }
}

// A reference definition "[1]: https://..." is not visible text.
bool IsReferenceDefinition(std::string_view line) {
  const std::string_view t = TrimAsciiSpace(line);
  if (t.empty() || t[0] != '[' || LeadingSpaces(line) > 3) return false;
  const std::size_t close = t.find("]:");
  return close != std::string_view::npos && close > 1;
}

struct MarkdownBody {
  std::vector<std::string> lines;
  std::size_t h1 = std::string::npos;  // index in `lines` of the first level-1 heading
};

MarkdownBody StripMarkdown(const std::vector<std::string_view>& lines, std::size_t first) {
  MarkdownBody body;
  std::string fence;               // the open code fence ("```" or "~~~"), empty outside code
  bool prev_is_paragraph = false;  // the previous output line may take a setext underline
  for (std::size_t i = first; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::string_view t = TrimAsciiSpace(line);
    if (!fence.empty()) {
      if (t.starts_with(fence)) {
        fence.clear();
      } else {
        body.lines.emplace_back(line);  // code is shown as written
      }
      prev_is_paragraph = false;
      continue;
    }
    if (LeadingSpaces(line) <= 3 && (t.starts_with("```") || t.starts_with("~~~"))) {
      fence = std::string(t.substr(0, 3));
      prev_is_paragraph = false;
      continue;
    }
    if (prev_is_paragraph) {
      if (const int level = SetextUnderline(line); level != 0) {
        if (level == 1 && body.h1 == std::string::npos) body.h1 = body.lines.size() - 1;
        prev_is_paragraph = false;
        continue;
      }
    }
    if (IsTableDelimiter(line) || IsReferenceDefinition(line)) {
      prev_is_paragraph = false;
      continue;
    }
    if (IsThematicBreak(line)) {
      body.lines.emplace_back();  // separates what is above from what is below
      prev_is_paragraph = false;
      continue;
    }
    std::string_view content;
    if (const int level = AtxHeading(line, &content); level != 0) {
      if (level == 1 && body.h1 == std::string::npos) body.h1 = body.lines.size();
      body.lines.push_back(StripInline(content));
      prev_is_paragraph = false;
      continue;
    }
    std::string_view rest = StripBlockMarkers(line);
    std::string stripped;
    if (TrimAsciiSpace(rest).starts_with('|')) {
      // A table row: cells separated by spaces.
      std::string row(TrimAsciiSpace(rest));
      for (char& c : row) {
        if (c == '|') c = ' ';
      }
      stripped = StripInline(TrimAsciiSpace(row));
    } else {
      stripped = StripInline(TrimAsciiSpace(rest));
    }
    // Only a plain paragraph line can be a setext heading, not a list item.
    prev_is_paragraph = !TrimAsciiSpace(stripped).empty() &&
                        TrimAsciiSpace(rest).size() == TrimAsciiSpace(line).size();
    body.lines.push_back(std::move(stripped));
  }
  return body;
}

SourceDocument NewDocument(const ReadContext& ctx, const std::string& data, std::uint64_t bytes) {
  SourceDocument doc;
  doc.id = ctx.is_stdin ? ContentHashId(data) : ctx.path;
  doc.origin = ctx.path;
  doc.source_bytes = bytes;
  return doc;
}

}  // namespace

Status ReadText(const ReadContext& ctx) {
  std::string data;
  std::uint64_t bytes = 0;
  if (!ReadDocument(ctx, &data, &bytes) || !ToUtf8Document(ctx, &data, bytes)) {
    return Status::Ok();
  }
  NormalizeNewlines(&data);
  SourceDocument doc = NewDocument(ctx, data, bytes);
  std::vector<std::string> lines;
  for (std::string_view l : SplitLines(data)) lines.emplace_back(l);
  TitleFromFirstLine(&lines, &doc);
  Emit(ctx, std::move(doc));
  return Status::Ok();
}

Status ReadMarkdown(const ReadContext& ctx) {
  std::string data;
  std::uint64_t bytes = 0;
  if (!ReadDocument(ctx, &data, &bytes) || !ToUtf8Document(ctx, &data, bytes)) {
    return Status::Ok();
  }
  NormalizeNewlines(&data);
  SourceDocument doc = NewDocument(ctx, data, bytes);

  FrontMatter fm;
  const std::vector<std::string_view> raw_lines = SplitLines(data);
  const std::size_t body_start = ParseFrontMatter(raw_lines, &fm);
  // Comments go before the line structure is read, as they may span lines.
  std::string body_text;
  for (std::size_t i = body_start; i < raw_lines.size(); ++i) {
    body_text.append(raw_lines[i]);
    body_text.push_back('\n');
  }
  body_text = RemoveHtmlComments(body_text);
  MarkdownBody body = StripMarkdown(SplitLines(body_text), 0);

  if (!fm.id.empty()) doc.id = fm.id;
  doc.url = fm.url;
  const std::optional<ReadIssue> date_warning =
      SetDate(fm.date, ctx.path + ":" + std::to_string(fm.date_line), &doc);
  doc.category = fm.category;
  doc.fields = std::move(fm.fields);
  if (!TrimAsciiSpace(fm.title).empty()) {
    doc.title = std::string(TrimAsciiSpace(fm.title));
    doc.text = JoinLines(body.lines);
  } else if (body.h1 != std::string::npos) {
    doc.title = std::string(TrimAsciiSpace(body.lines[body.h1]));
    body.lines.erase(body.lines.begin() + static_cast<std::ptrdiff_t>(body.h1));
    doc.text = JoinLines(body.lines);
  } else {
    TitleFromFirstLine(&body.lines, &doc);
  }
  Emit(ctx, std::move(doc), date_warning);
  return Status::Ok();
}

}  // namespace findling::reader_internal
