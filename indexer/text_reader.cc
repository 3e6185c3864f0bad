// Plain text and Markdown: one document per file.
//
// Plain text: the first non-empty line is the title, the rest the text.
// Markdown: the front matter is read here (a YAML-like "---" block of flat
// keys), the body by md4c (libmd4c, CommonMark with GitHub's tables,
// strikethrough and task lists), which reports blocks, spans and text through
// callbacks; MarkdownText keeps what a reader of the rendered page sees. The
// title comes from the front matter, else the first level-1 heading ("#
// Titel" or a line underlined with "==="), else the first line. Character
// references are decoded with indexer/char_refs.h, as in the HTML reader.
//
// A first line longer than kMaxTitleLineBytes is a paragraph, not a title:
// then the title is its first sentence and the text keeps the whole line.
#include <md4c.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "indexer/char_refs.h"
#include "indexer/readers.h"

namespace findling::reader_internal {
namespace {

constexpr std::size_t kMaxTitleLineBytes = 200;

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

// The lines of `s` with trailing whitespace (Markdown's hard line breaks)
// dropped, leading and trailing blank lines dropped and at most one blank
// line between paragraphs; leading whitespace stays (code keeps its indent).
std::string TidyLines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool blank_pending = false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t nl = std::min(s.find('\n', start), s.size());
    std::string_view line = s.substr(start, nl - start);
    while (!line.empty() && IsAsciiSpace(line.back())) line.remove_suffix(1);
    if (line.empty()) {
      blank_pending = !out.empty();
    } else {
      if (!out.empty()) out += blank_pending ? "\n\n" : "\n";
      blank_pending = false;
      out += line;
    }
    if (nl == s.size()) return out;
    start = nl + 1;
  }
}

// The title/text split shared by plain text and Markdown without a heading:
// `text` is the document's text after TidyLines.
void TitleFromFirstLine(std::string text, SourceDocument* doc) {
  const std::size_t nl = std::min(text.find('\n'), text.size());
  const std::string_view first = TrimAsciiSpace(std::string_view(text).substr(0, nl));
  if (first.empty()) return;  // TidyLines left nothing: an empty document
  if (first.size() <= kMaxTitleLineBytes) {
    doc->title = std::string(first);
    // What follows the title line, without the blank line that may start it.
    text.erase(0, std::min(text.find_first_not_of('\n', nl), text.size()));
    doc->text = std::move(text);
  } else {
    doc->title = TitleFromFirstSentence(text);
    doc->text = std::move(text);
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

// ---------------------------------------------------------------------------
// The Markdown body, parsed by md4c (CommonMark 0.30 with GitHub's tables,
// strikethrough, task lists and bare-URL links): what a reader of the
// rendered page sees, as lines.

// Tags of inline elements: they join the text around them ("Wort<b>teil</b>"
// is one word). Every other tag separates words, as the line or cell break a
// browser draws for it would.
bool IsJoiningTag(std::string_view name) {
  static constexpr std::string_view kJoining[] = {
      "a",    "abbr",   "b",      "bdi", "bdo", "cite", "code", "data", "del",  "dfn",
      "em",   "font",   "i",      "ins", "kbd", "mark", "q",    "s",    "samp", "small",
      "span", "strike", "strong", "sub", "sup", "time", "tt",   "u",    "var",  "wbr"};
  for (const std::string_view joining : kJoining) {
    if (EqualsIgnoringAsciiCase(name, joining)) return true;
  }
  return false;
}

// The position after the first case-insensitive `needle` (ASCII, lower case)
// at or after `from`; s.size() when there is none.
std::size_t SkipPastIgnoringCase(std::string_view s, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i) {
    if (EqualsIgnoringAsciiCase(s.substr(i, needle.size()), needle)) return i + needle.size();
  }
  return s.size();
}

// Appends the text of a piece of raw HTML (an HTML block, or the inline tags
// of a paragraph) to *out: tags, comments, declarations, processing
// instructions and the content of <script> and <style> go; a tag that
// separates words (IsJoiningTag) leaves a space; references are decoded by
// HTML's rules (AppendDecodedCharRefs, "&auml" without ';' too); a run of
// whitespace becomes one space, or one line break where it holds one.
void AppendHtmlText(std::string_view html, std::string* out) {
  enum class Gap : std::uint8_t { kNone, kSpace, kLine };
  Gap gap = Gap::kNone;
  auto widen = [&gap](Gap g) {
    if (g > gap) gap = g;
  };
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (IsAsciiSpace(c)) {
      widen(c == '\n' ? Gap::kLine : Gap::kSpace);
      ++i;
      continue;
    }
    if (c == '<') {
      const std::string_view rest = html.substr(i);
      std::size_t end = std::string_view::npos;  // the position after the construct
      if (rest.starts_with("<!--")) {
        end = SkipPastIgnoringCase(html, "-->", i + 4);
      } else if (rest.starts_with("<?")) {
        end = SkipPastIgnoringCase(html, "?>", i + 2);
      } else if (rest.starts_with("<![CDATA[")) {
        end = SkipPastIgnoringCase(html, "]]>", i + 9);
      } else if (rest.size() > 2 && rest[1] == '!' && IsAsciiAlpha(rest[2])) {
        end = SkipPastIgnoringCase(html, ">", i + 2);
      } else {
        const bool closing = rest.size() > 1 && rest[1] == '/';
        std::size_t n = closing ? 2 : 1;
        const std::size_t name_begin = n;
        while (n < rest.size() && (IsAsciiAlnum(rest[n]) || rest[n] == '-')) ++n;
        if (n > name_begin && IsAsciiAlpha(rest[name_begin])) {
          const std::string_view name = rest.substr(name_begin, n - name_begin);
          char quote = 0;  // '>' inside a quoted attribute value does not end the tag
          while (n < rest.size() && (quote != 0 || rest[n] != '>')) {
            if (quote != 0 && rest[n] == quote) {
              quote = 0;
            } else if (quote == 0 && (rest[n] == '"' || rest[n] == '\'')) {
              quote = rest[n];
            }
            ++n;
          }
          end = std::min(i + n + 1, html.size());
          if (!IsJoiningTag(name)) widen(Gap::kSpace);
          if (!closing &&
              (EqualsIgnoringAsciiCase(name, "script") || EqualsIgnoringAsciiCase(name, "style"))) {
            const std::string close = "</" + AsciiLower(name);
            end = SkipPastIgnoringCase(html, ">", SkipPastIgnoringCase(html, close, end));
          }
        }
      }
      if (end != std::string_view::npos) {
        i = end;
        continue;
      }
    }
    // Text up to the next whitespace or '<'.
    std::size_t run = i + 1;
    while (run < html.size() && html[run] != '<' && !IsAsciiSpace(html[run])) ++run;
    if (gap != Gap::kNone) out->push_back(gap == Gap::kLine ? '\n' : ' ');
    gap = Gap::kNone;
    AppendDecodedCharRefs(html.substr(i, run - i), out);
    i = run;
  }
  if (gap != Gap::kNone) out->push_back(gap == Gap::kLine ? '\n' : ' ');
}

// Collects the visible text of a Markdown body from md4c's callbacks:
//  - paragraphs, headings, code blocks, quotes, tables and lists are
//    separated by a blank line; list items and table rows go on lines of
//    their own, table cells are separated by a space; a line break in a
//    paragraph stays one;
//  - emphasis, strikethrough and code-span markers go, code keeps what is
//    written between its fences; a link keeps its text (an autolink its
//    address, without "mailto:"), an image its alt text; reference
//    definitions, URLs and a fence's info string are no text;
//  - character references are decoded with the HTML standard's table
//    (indexer/char_refs.h; md4c hands them over as written) outside code;
//  - raw HTML keeps only its text (AppendHtmlText).
// The first level-1 heading with text is remembered, so that it can become
// the title (TakeFirstH1).
class MarkdownText {
 public:
  // Parses `body`; false when md4c fails (it only does when memory runs out).
  bool Parse(std::string_view body) {
    if (body.size() > std::numeric_limits<MD_SIZE>::max()) return false;
    MD_PARSER parser{};
    parser.flags = MD_DIALECT_GITHUB;
    parser.enter_block = &MarkdownText::EnterBlock;
    parser.leave_block = &MarkdownText::LeaveBlock;
    parser.enter_span = &MarkdownText::EnterSpan;
    parser.leave_span = &MarkdownText::LeaveSpan;
    parser.text = &MarkdownText::Text;
    out_.reserve(body.size());
    const int rc = md_parse(body.data(), static_cast<MD_SIZE>(body.size()), &parser, this);
    FlushHtml();
    return rc == 0;
  }

  // The first level-1 heading that has text, whitespace collapsed, taken out
  // of text(); "" when there is none.
  std::string TakeFirstH1() {
    if (h1_end_ == kNone) return {};
    std::string title;
    for (const char c :
         TrimAsciiSpace(std::string_view(out_).substr(h1_begin_, h1_end_ - h1_begin_))) {
      title.push_back(c == '\n' ? ' ' : c);
    }
    out_.erase(h1_begin_, h1_end_ - h1_begin_);
    h1_end_ = kNone;
    return title;
  }

  // The text as collected: lines still to be tidied (TidyLines).
  const std::string& text() const { return out_; }

 private:
  static constexpr std::size_t kNone = std::string::npos;

  // md4c is C: an exception must not unwind through it. A callback that
  // fails returns non-zero, which ends md_parse with that value.
  template <typename F>
  static int Guarded(void* self, F&& f) noexcept {
    try {
      auto* text = static_cast<MarkdownText*>(self);
      text->FlushHtml();
      f(*text);
      return 0;
    } catch (...) {
      return -1;
    }
  }

  static int EnterBlock(MD_BLOCKTYPE type, void* detail, void* self) {
    return Guarded(self, [&](MarkdownText& t) { t.OnEnterBlock(type, detail); });
  }
  static int LeaveBlock(MD_BLOCKTYPE type, void* detail, void* self) {
    return Guarded(self, [&](MarkdownText& t) { t.OnLeaveBlock(type, detail); });
  }
  static int EnterSpan(MD_SPANTYPE type, void* detail, void* self) {
    return Guarded(self, [&](MarkdownText& t) { t.OnEnterSpan(type, detail); });
  }
  static int LeaveSpan(MD_SPANTYPE type, void* /*detail*/, void* self) {
    return Guarded(self, [&](MarkdownText& t) { t.OnLeaveSpan(type); });
  }
  static int Text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* self) noexcept {
    auto* t = static_cast<MarkdownText*>(self);
    const std::string_view s(text, size);
    if (type == MD_TEXT_HTML) {
      // Raw HTML arrives in pieces (a tag, a line of a block); it becomes
      // text once whole, at the next event (FlushHtml).
      try {
        t->html_.append(s);
        return 0;
      } catch (...) {
        return -1;
      }
    }
    return Guarded(self, [&](MarkdownText& m) { m.OnText(type, s); });
  }

  // The next text starts `lines` line breaks below what is there (1: a new
  // line, 2: a new paragraph); written lazily, so nothing leads the text.
  void Separate(int lines) { pending_lines_ = std::max(pending_lines_, lines); }

  void Append(std::string_view s) {
    if (s.empty()) return;
    if (pending_lines_ > 0 && !out_.empty()) {
      out_.append(static_cast<std::size_t>(pending_lines_), '\n');
    }
    pending_lines_ = 0;
    out_.append(s);
  }

  void OnEnterBlock(MD_BLOCKTYPE type, void* detail) {
    switch (type) {
      case MD_BLOCK_DOC:
      case MD_BLOCK_THEAD:
      case MD_BLOCK_TBODY:
        break;
      case MD_BLOCK_LI:
        ++list_item_depth_;
        Separate(1);
        break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        Separate(list_item_depth_ > 0 ? 1 : 2);  // a nested list continues its item's lines
        break;
      case MD_BLOCK_TR:
        cells_in_row_ = 0;
        Separate(1);
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (cells_in_row_++ > 0) Append(" ");
        break;
      case MD_BLOCK_H:
        Separate(2);
        if (h1_end_ == kNone && static_cast<const MD_BLOCK_H_DETAIL*>(detail)->level == 1) {
          in_h1_ = true;
          h1_begin_ = out_.size();
        }
        break;
      case MD_BLOCK_HTML:
        html_block_ = true;
        Separate(2);
        break;
      default:  // paragraphs, quotes, code, tables, thematic breaks
        Separate(2);
    }
  }

  void OnLeaveBlock(MD_BLOCKTYPE type, void* /*detail*/) {
    switch (type) {
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
      case MD_BLOCK_THEAD:
      case MD_BLOCK_TBODY:
        return;
      case MD_BLOCK_LI:
        --list_item_depth_;
        break;
      case MD_BLOCK_H:
        if (in_h1_ && !IsAsciiBlank(std::string_view(out_).substr(h1_begin_))) {
          h1_end_ = out_.size();
        }
        in_h1_ = false;
        break;
      default:
        break;
    }
    Separate(1);
  }

  void OnEnterSpan(MD_SPANTYPE type, void* detail) {
    if (type != MD_SPAN_A) return;
    // "<mailto:info@example.org>" shows its address without the scheme;
    // remembered here, as md4c's attribute strings live only in the call.
    const MD_ATTRIBUTE& href = static_cast<const MD_SPAN_A_DETAIL*>(detail)->href;
    mailto_href_.clear();
    const std::string_view h(href.text, href.size);
    if (h.starts_with("mailto:")) mailto_href_ = h;
  }

  void OnLeaveSpan(MD_SPANTYPE type) {
    if (type != MD_SPAN_A || mailto_href_.empty()) return;
    if (std::string_view(out_).ends_with(mailto_href_)) {
      out_.erase(out_.size() - mailto_href_.size(), std::string_view("mailto:").size());
    }
    mailto_href_.clear();
  }

  void OnText(MD_TEXTTYPE type, std::string_view s) {
    switch (type) {
      case MD_TEXT_BR:
      case MD_TEXT_SOFTBR:
        Separate(1);
        break;
      case MD_TEXT_NULLCHAR:
        Append("\xEF\xBF\xBD");  // U+FFFD, as CommonMark says
        break;
      case MD_TEXT_ENTITY: {
        std::string decoded;
        if (DecodeCharRefAt(s, 0, CharRefSyntax::kCommonMark, &decoded) == 0) decoded = s;
        Append(decoded);
        break;
      }
      default:  // normal text, code, and (not enabled) LaTeX
        Append(s);
    }
  }

  // Turns the raw HTML collected so far into text: an HTML block line by
  // line, each line trimmed; inline HTML where it stood in its paragraph.
  void FlushHtml() {
    if (html_.empty()) {
      html_block_ = false;
      return;
    }
    std::string text;
    AppendHtmlText(html_, &text);
    html_.clear();
    if (!html_block_) {
      Append(text);
      return;
    }
    html_block_ = false;
    std::string_view rest = text;
    while (!rest.empty()) {
      const std::size_t nl = std::min(rest.find('\n'), rest.size());
      const std::string_view line = TrimAsciiSpace(rest.substr(0, nl));
      if (!line.empty()) {
        Append(line);
        Separate(1);
      }
      rest.remove_prefix(std::min(nl + 1, rest.size()));
    }
  }

  std::string out_;
  std::string html_;         // raw HTML not yet turned into text
  bool html_block_ = false;  // html_ is (part of) an HTML block, not inline tags
  int pending_lines_ = 0;
  int list_item_depth_ = 0;
  int cells_in_row_ = 0;
  std::string mailto_href_;  // the open link's "mailto:" address, if it has one
  bool in_h1_ = false;       // inside the first level-1 heading so far
  std::size_t h1_begin_ = 0, h1_end_ = kNone;
};

// Reads the file (or stdin) as UTF-8 with "\n" line ends into *data and
// starts its document. False, the reason already reported, when there is
// nothing to index.
bool ReadTextDocument(const ReadContext& ctx, std::string* data, SourceDocument* doc) {
  std::uint64_t bytes = 0;
  if (!ReadDocument(ctx, data, &bytes) || !ToUtf8Document(ctx, data, bytes)) return false;
  NormalizeNewlines(data);
  doc->id = ctx.is_stdin ? ContentHashId(*data) : ctx.path;
  doc->origin = ctx.path;
  doc->source_bytes = bytes;
  return true;
}

}  // namespace

Status ReadText(const ReadContext& ctx) {
  std::string data;
  SourceDocument doc;
  if (!ReadTextDocument(ctx, &data, &doc)) return Status::Ok();
  TitleFromFirstLine(TidyLines(data), &doc);
  Emit(ctx, std::move(doc));
  return Status::Ok();
}

Status ReadMarkdown(const ReadContext& ctx) {
  std::string data;
  SourceDocument doc;
  if (!ReadTextDocument(ctx, &data, &doc)) return Status::Ok();

  // The front matter's lines are counted here, in the file as read, so that
  // a warning names the line of "date:" in it.
  FrontMatter fm;
  const std::vector<std::string_view> raw_lines = SplitLines(data);
  const std::size_t body_lines = ParseFrontMatter(raw_lines, &fm);
  std::string_view body = data;
  if (body_lines > 0) {
    // raw_lines point into data: the body starts where its first line does.
    body = body_lines < raw_lines.size()
               ? body.substr(static_cast<std::size_t>(raw_lines[body_lines].data() - data.data()))
               : std::string_view();
  }
  MarkdownText markdown;
  if (!markdown.Parse(body)) {
    SkipRecord(ctx, ctx.path, "the Markdown parser (md4c) failed: out of memory", doc.source_bytes);
    return Status::Ok();
  }

  if (!fm.id.empty()) doc.id = fm.id;
  doc.url = fm.url;
  const std::optional<ReadIssue> date_warning =
      SetDate(fm.date, ctx.path + ":" + std::to_string(fm.date_line), &doc);
  doc.category = fm.category;
  doc.fields = std::move(fm.fields);
  if (!TrimAsciiSpace(fm.title).empty()) {
    doc.title = std::string(TrimAsciiSpace(fm.title));
    doc.text = TidyLines(markdown.text());
  } else if (std::string h1 = markdown.TakeFirstH1(); !h1.empty()) {
    doc.title = std::move(h1);
    doc.text = TidyLines(markdown.text());
  } else {
    TitleFromFirstLine(TidyLines(markdown.text()), &doc);
  }
  Emit(ctx, std::move(doc), date_warning);
  return Status::Ok();
}

}  // namespace findling::reader_internal
