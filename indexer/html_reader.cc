// HTML: the visible text of one page.
//
// No HTML library: a small tokenizer that is tolerant the way browsers are
// (unclosed tags, a stray '<', '>' inside quoted attribute values, unclosed
// quotes) but builds no tree. What it needs of the structure is a depth
// counter for the elements whose content is not the page's text
// (navigation, header, footer, forms, ...) and a flag for the first <h1>.
// An HTML5 parser would build that tree only to walk it: gumbo (Debian's
// libgumbo) parsing the pages of corpus/html and collecting their text
// took 2.8 times the CPU time of this reader (21.8 vs 60.1 MB/s), so what
// the parser would add here, the standard's character references, comes
// from the standard's table instead (indexer/char_refs.h).
//
// Title: <title>, else the first visible <h1>, else the first <h1> at all
// (an article's <h1> often sits inside its <header>). Date: <meta name=
// "date"> and kin, else the first <time datetime>. Category: <meta name=
// "category"> or "article:section". URL: <link rel="canonical">. Every
// other <meta name="..." content="..."> is an extra field (common/fields.h),
// several with one name give several values, except the page-technical
// ones (viewport, robots, generator, ...), which say nothing about the text.
//
// Character references: the HTML standard's whole table (indexer/char_refs.h).
//
// Encoding: UTF-8. A page that is not valid UTF-8 is converted with ICU from
// the charset it declares (<meta charset>, http-equiv Content-Type; old
// German pages often are Latin-1 or windows-1252), else from --encoding; a
// page that declares a legacy charset but is valid UTF-8 was mislabelled.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/ascii.h"
#include "common/date.h"
#include "common/utf8.h"
#include "indexer/char_refs.h"
#include "indexer/charset.h"
#include "indexer/readers.h"

namespace findling::reader_internal {
namespace {

// The HTML standard's ASCII whitespace: kAsciiSpace without \v, which a
// browser keeps as a character of the text or of a tag name.
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// ---------------------------------------------------------------------------
// Text with collapsed whitespace

// Whitespace runs become one space; block boundaries become a line break or
// a blank line; nothing leads or trails. A no-break space counts as a space
// and a soft hyphen is dropped, so "Silben&shy;trennung" is one word.
class CollapsedText {
 public:
  enum Break : std::uint8_t { kNone, kSpace, kLine, kParagraph };

  void AddBreak(Break b) {
    if (b > pending_) pending_ = b;
  }
  void Append(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (IsHtmlSpace(c)) {
        AddBreak(kSpace);
        ++i;
        continue;
      }
      if (c == '\xC2' && i + 1 < s.size() && (s[i + 1] == '\xA0' || s[i + 1] == '\xAD')) {
        if (s[i + 1] == '\xA0') AddBreak(kSpace);
        i += 2;
        continue;
      }
      if (pending_ != kNone && !out_.empty()) {
        out_ += pending_ == kSpace ? " " : pending_ == kLine ? "\n" : "\n\n";
      }
      pending_ = kNone;
      std::size_t j = i + 1;
      while (j < s.size() && !IsHtmlSpace(s[j]) && s[j] != '\xC2') ++j;
      out_.append(s.substr(i, j - i));
      i = j;
    }
  }
  bool empty() const { return out_.empty(); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  Break pending_ = kNone;
};

// ---------------------------------------------------------------------------
// Elements

enum class Kind : std::uint8_t {
  kInline,      // a, b, span, ...: no effect on the text
  kCell,        // td, th: a space between cells
  kLine,        // br, li, tr, ...: a line break
  kParagraph,   // p, div, h1-h6, ...: a blank line
  kDropped,     // nav, header, ...: content is not the page's text (nests)
  kRawDropped,  // script, style, ...: raw text up to the end tag, dropped
  kTitle,       // <title>: raw text up to </title>, entities decoded
};

Kind KindOf(std::string_view name) {
  static const auto* kinds =
      new std::unordered_map<std::string_view, Kind>{{"td", Kind::kCell},
                                                     {"th", Kind::kCell},
                                                     {"br", Kind::kLine},
                                                     {"li", Kind::kLine},
                                                     {"tr", Kind::kLine},
                                                     {"dt", Kind::kLine},
                                                     {"dd", Kind::kLine},
                                                     {"caption", Kind::kLine},
                                                     {"p", Kind::kParagraph},
                                                     {"div", Kind::kParagraph},
                                                     {"h1", Kind::kParagraph},
                                                     {"h2", Kind::kParagraph},
                                                     {"h3", Kind::kParagraph},
                                                     {"h4", Kind::kParagraph},
                                                     {"h5", Kind::kParagraph},
                                                     {"h6", Kind::kParagraph},
                                                     {"section", Kind::kParagraph},
                                                     {"article", Kind::kParagraph},
                                                     {"main", Kind::kParagraph},
                                                     {"blockquote", Kind::kParagraph},
                                                     {"pre", Kind::kParagraph},
                                                     {"ul", Kind::kParagraph},
                                                     {"ol", Kind::kParagraph},
                                                     {"dl", Kind::kParagraph},
                                                     {"table", Kind::kParagraph},
                                                     {"figure", Kind::kParagraph},
                                                     {"figcaption", Kind::kParagraph},
                                                     {"address", Kind::kParagraph},
                                                     {"hr", Kind::kParagraph},
                                                     {"details", Kind::kParagraph},
                                                     {"summary", Kind::kParagraph},
                                                     {"fieldset", Kind::kParagraph},
                                                     {"center", Kind::kParagraph},
                                                     {"body", Kind::kParagraph},
                                                     {"nav", Kind::kDropped},
                                                     {"header", Kind::kDropped},
                                                     {"footer", Kind::kDropped},
                                                     {"aside", Kind::kDropped},
                                                     {"form", Kind::kDropped},
                                                     {"svg", Kind::kDropped},
                                                     {"math", Kind::kDropped},
                                                     {"select", Kind::kDropped},
                                                     {"canvas", Kind::kDropped},
                                                     {"video", Kind::kDropped},
                                                     {"audio", Kind::kDropped},
                                                     {"object", Kind::kDropped},
                                                     {"script", Kind::kRawDropped},
                                                     {"style", Kind::kRawDropped},
                                                     {"noscript", Kind::kRawDropped},
                                                     {"template", Kind::kRawDropped},
                                                     {"textarea", Kind::kRawDropped},
                                                     {"iframe", Kind::kRawDropped},
                                                     {"xmp", Kind::kRawDropped},
                                                     {"noembed", Kind::kRawDropped},
                                                     {"noframes", Kind::kRawDropped},
                                                     {"title", Kind::kTitle}};
  const auto it = kinds->find(name);
  return it == kinds->end() ? Kind::kInline : it->second;
}

CollapsedText::Break BreakOf(Kind kind) {
  switch (kind) {
    case Kind::kCell:
      return CollapsedText::kSpace;
    case Kind::kLine:
      return CollapsedText::kLine;
    case Kind::kParagraph:
      return CollapsedText::kParagraph;
    default:
      return CollapsedText::kNone;
  }
}

// The page regions among the dropped elements stand apart like paragraphs;
// an <svg> icon or a <select> inside a sentence is only a word boundary.
CollapsedText::Break DroppedBreak(std::string_view name) {
  return name == "nav" || name == "header" || name == "footer" || name == "aside" || name == "form"
             ? CollapsedText::kParagraph
             : CollapsedText::kSpace;
}

class HtmlExtractor {
 public:
  explicit HtmlExtractor(std::string_view html) : html_(html) {}
  void Run(SourceDocument* doc);
  // The first date attribute written like a date that is no day
  // ("31.02.2024"), and the byte offset of its tag; "" when none.
  const std::string& bad_date() const { return bad_date_; }
  std::size_t bad_date_offset() const { return bad_date_offset_; }

 private:
  struct Attribute {
    std::string name;        // lower case
    std::string_view value;  // raw, entities not decoded
  };

  std::size_t ParseStartTag(std::size_t lt);
  std::size_t ParseEndTag(std::size_t lt);
  std::size_t SkipRawText(std::string_view name, std::size_t from, std::string_view* content);
  void OnStartTag(std::string_view name, bool self_closing);
  void OnEndTag(std::string_view name);
  void OnText(std::string_view raw);
  void OnBreak(CollapsedText::Break b);
  std::string Attr(std::string_view name) const;  // decoded, "" when absent
  void TakeDate(const std::string& value, std::string* slot);

  std::string_view html_;
  std::vector<Attribute> attrs_;
  std::string name_;     // of the tag being parsed, lower case
  std::string decoded_;  // scratch for OnText
  CollapsedText body_, h1_visible_, h1_any_;
  std::string title_;
  bool have_title_ = false;
  int drop_depth_ = 0;  // > 0 inside nav, header, ...
  bool in_h1_ = false;
  bool h1_visible_done_ = false, h1_any_done_ = false;  // only the first <h1> counts
  std::string meta_date_, time_date_, category_, url_;
  DocumentFields fields_;
  std::size_t tag_begin_ = 0;  // byte offset of the '<' of the start tag being parsed
  std::string bad_date_;
  std::size_t bad_date_offset_ = 0;
};

// <meta name> values that describe the page's machinery, not its text; and
// "description", a paragraph of text rather than a value to filter by.
bool IsTechnicalMeta(std::string_view name) {
  static constexpr std::string_view kTechnical[] = {
      "viewport",
      "robots",
      "googlebot",
      "generator",
      "referrer",
      "theme-color",
      "color-scheme",
      "format-detection",
      "csrf-token",
      "csrf-param",
      "description",
      "twitter:card",
      "google-site-verification",
      "msapplication-tilecolor",
      "apple-mobile-web-app-capable",
      "apple-mobile-web-app-title",
      "application-name",
  };
  for (const std::string_view t : kTechnical) {
    if (name == t) return true;
  }
  return false;
}

// Finds "</name" (any case) followed by space, '/' or '>'; npos if absent.
std::size_t FindEndTag(std::string_view html, std::string_view name, std::size_t from) {
  for (std::size_t pos = html.find("</", from); pos != std::string_view::npos;
       pos = html.find("</", pos + 2)) {
    const std::size_t after = pos + 2 + name.size();
    if (after > html.size()) return std::string_view::npos;
    bool same = true;
    for (std::size_t k = 0; k < name.size() && same; ++k)
      same = ToAsciiLower(html[pos + 2 + k]) == name[k];
    if (same && (after == html.size() || IsHtmlSpace(html[after]) || html[after] == '/' ||
                 html[after] == '>')) {
      return pos;
    }
  }
  return std::string_view::npos;
}

// Skips the raw text of <script>, <style>, <title>, ... from `from` (just
// after the start tag) past its end tag; returns where parsing resumes.
std::size_t HtmlExtractor::SkipRawText(std::string_view name, std::size_t from,
                                       std::string_view* content) {
  std::size_t end = FindEndTag(html_, name, from);
  if (end == std::string_view::npos) {
    // Browsers let an unclosed <script> run to the end; an unclosed <title>
    // would swallow the page, so it ends at the next tag instead.
    end = name == "title" ? html_.find('<', from) : std::string_view::npos;
    if (end == std::string_view::npos) end = html_.size();
    *content = html_.substr(from, end - from);
    return end;
  }
  *content = html_.substr(from, end - from);
  const std::size_t gt = html_.find('>', end);
  return gt == std::string_view::npos ? html_.size() : gt + 1;
}

// Parses "<name attr=value ...>" at html_[lt]; returns the position after it.
std::size_t HtmlExtractor::ParseStartTag(std::size_t lt) {
  tag_begin_ = lt;
  const std::size_t n = html_.size();
  std::size_t j = lt + 1;
  name_.clear();
  while (j < n &&
         (IsAsciiAlnum(html_[j]) || html_[j] == '-' || html_[j] == ':' || html_[j] == '_')) {
    name_.push_back(ToAsciiLower(html_[j++]));
  }
  attrs_.clear();
  bool self_closing = false;
  while (j < n) {
    while (j < n && IsHtmlSpace(html_[j])) ++j;
    if (j >= n) break;
    if (html_[j] == '>') {
      ++j;
      break;
    }
    if (html_[j] == '/') {
      if (j + 1 < n && html_[j + 1] == '>') {
        self_closing = true;
        j += 2;
        break;
      }
      ++j;
      continue;
    }
    const std::size_t name_start = j;
    while (j < n && !IsHtmlSpace(html_[j]) && html_[j] != '>' && html_[j] != '=' &&
           !(html_[j] == '/' && j + 1 < n && html_[j + 1] == '>')) {
      ++j;
    }
    if (j == name_start) ++j;  // a stray '=': skip it
    Attribute attr{AsciiLower(html_.substr(name_start, j - name_start)), {}};
    while (j < n && IsHtmlSpace(html_[j])) ++j;
    if (j < n && html_[j] == '=') {
      ++j;
      while (j < n && IsHtmlSpace(html_[j])) ++j;
      if (j < n && (html_[j] == '"' || html_[j] == '\'')) {
        const std::size_t close = html_.find(html_[j], j + 1);
        if (close == std::string_view::npos) {
          // An unclosed quote: let the tag end at the next '>' rather than
          // let the value swallow the rest of the page.
          const std::size_t gt = html_.find('>', j + 1);
          attr.value = html_.substr(j + 1, (gt == std::string_view::npos ? n : gt) - j - 1);
          attrs_.push_back(std::move(attr));
          j = gt == std::string_view::npos ? n : gt + 1;
          break;
        }
        attr.value = html_.substr(j + 1, close - j - 1);
        j = close + 1;
      } else {
        const std::size_t value_start = j;
        while (j < n && !IsHtmlSpace(html_[j]) && html_[j] != '>') ++j;
        attr.value = html_.substr(value_start, j - value_start);
      }
    }
    attrs_.push_back(std::move(attr));
  }
  const std::string_view name = name_;
  const Kind kind = KindOf(name);
  if (kind == Kind::kRawDropped || kind == Kind::kTitle) {
    if (self_closing) return j;
    std::string_view content;
    j = SkipRawText(name, j, &content);
    if (kind == Kind::kTitle && !have_title_ && drop_depth_ == 0) {
      // An <svg> has <title>s too, but they are inside a dropped element.
      std::string decoded;
      AppendDecodedCharRefs(content, &decoded);
      CollapsedText t;
      t.Append(decoded);
      title_ = t.Take();
      have_title_ = !title_.empty();
    }
    if (kind == Kind::kRawDropped) OnBreak(CollapsedText::kSpace);
    return j;
  }
  OnStartTag(name, self_closing);
  return j;
}

std::size_t HtmlExtractor::ParseEndTag(std::size_t lt) {
  std::size_t j = lt + 2;
  name_.clear();
  while (j < html_.size() &&
         (IsAsciiAlnum(html_[j]) || html_[j] == '-' || html_[j] == ':' || html_[j] == '_')) {
    name_.push_back(ToAsciiLower(html_[j++]));
  }
  const std::size_t gt = html_.find('>', j);
  OnEndTag(name_);
  return gt == std::string_view::npos ? html_.size() : gt + 1;
}

std::string HtmlExtractor::Attr(std::string_view name) const {
  for (const Attribute& a : attrs_) {
    if (a.name == name) {
      std::string out;
      AppendDecodedCharRefs(a.value, &out);
      return std::string(TrimAsciiSpace(out));
    }
  }
  return {};
}

void HtmlExtractor::OnBreak(CollapsedText::Break b) {
  if (b == CollapsedText::kNone) return;
  body_.AddBreak(b);
  if (in_h1_) {
    h1_visible_.AddBreak(CollapsedText::kSpace);
    h1_any_.AddBreak(CollapsedText::kSpace);
  }
}

// A page may carry several dates (meta tags, <time> in comments): the first
// day of each kind counts, and a bad one is remembered only in case no
// good one follows.
void HtmlExtractor::TakeDate(const std::string& value, std::string* slot) {
  const DateParse date = ParseDate(value, DateTail::kIgnored);
  if (date.ok()) {
    *slot = FormatIsoDate(date.day);
  } else if (date.kind == DateParse::Kind::kInvalid && bad_date_.empty()) {
    bad_date_ = value;
    bad_date_offset_ = tag_begin_;
  }
}

void HtmlExtractor::OnStartTag(std::string_view name, bool self_closing) {
  // Metadata counts wherever it appears, also inside <header>.
  if (name == "meta") {
    std::string key = Attr("name");
    if (key.empty()) key = Attr("property");
    if (key.empty()) key = Attr("itemprop");
    key = AsciiLower(key);
    if (key == "date" || key == "dc.date" || key == "dcterms.date" || key == "dc.date.issued" ||
        key == "dcterms.created" || key == "article:published_time" || key == "datepublished" ||
        key == "pubdate") {
      if (meta_date_.empty()) TakeDate(Attr("content"), &meta_date_);
    } else if (key == "category" || key == "article:section") {
      if (category_.empty()) category_ = Attr("content");
    } else if (key == "og:url") {
      if (url_.empty()) url_ = Attr("content");
    } else if (!key.empty() && key == AsciiLower(Attr("name")) && !IsTechnicalMeta(key)) {
      fields_.emplace_back(key, Attr("content"));
    }
    return;
  }
  if (name == "link") {
    if (AsciiLower(Attr("rel")).find("canonical") != std::string::npos) url_ = Attr("href");
    return;
  }
  if (name == "time" && time_date_.empty()) TakeDate(Attr("datetime"), &time_date_);

  const Kind kind = KindOf(name);
  if (kind == Kind::kDropped) {
    // What is dropped still separates the words around it.
    if (drop_depth_ == 0) OnBreak(DroppedBreak(name));
    // "<nav/>" is not self-closing in HTML5, but treating it so keeps an
    // XHTML-minded page from losing everything after it.
    if (!self_closing) ++drop_depth_;
    return;
  }
  if (name == "h1") in_h1_ = true;
  if (drop_depth_ == 0) OnBreak(BreakOf(kind));
}

void HtmlExtractor::OnEndTag(std::string_view name) {
  const Kind kind = KindOf(name);
  if (kind == Kind::kDropped) {
    if (drop_depth_ > 0) --drop_depth_;
    if (drop_depth_ == 0) OnBreak(DroppedBreak(name));
    return;
  }
  // An unclosed <header> or <nav> must not hide the rest of the page.
  if (name == "body" || name == "html") drop_depth_ = 0;
  if (name == "h1" && in_h1_) {
    in_h1_ = false;
    h1_visible_done_ = !h1_visible_.empty();
    h1_any_done_ = !h1_any_.empty();
  }
  if (drop_depth_ == 0) OnBreak(BreakOf(kind));
}

void HtmlExtractor::OnText(std::string_view raw) {
  if (raw.empty()) return;
  const bool h1_wanted = in_h1_ && (drop_depth_ == 0 ? !h1_visible_done_ : !h1_any_done_);
  if (drop_depth_ > 0 && !h1_wanted) return;
  decoded_.clear();
  AppendDecodedCharRefs(raw, &decoded_);
  if (drop_depth_ == 0) {
    body_.Append(decoded_);
    if (h1_wanted) h1_visible_.Append(decoded_);
  } else {
    h1_any_.Append(decoded_);
  }
}

void HtmlExtractor::Run(SourceDocument* doc) {
  const std::size_t n = html_.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t lt = html_.find('<', i);
    if (lt == std::string_view::npos) {
      OnText(html_.substr(i));
      break;
    }
    OnText(html_.substr(i, lt - i));
    i = lt;
    const std::string_view rest = html_.substr(lt);
    if (rest.starts_with("<!--")) {
      const std::size_t end = html_.find("-->", lt + 4);
      i = end == std::string_view::npos ? n : end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      const std::size_t end = html_.find("]]>", lt + 9);
      const std::size_t stop = end == std::string_view::npos ? n : end;
      if (drop_depth_ == 0) body_.Append(html_.substr(lt + 9, stop - lt - 9));
      i = end == std::string_view::npos ? n : end + 3;
    } else if (rest.size() > 1 && (rest[1] == '!' || rest[1] == '?')) {
      const std::size_t gt = html_.find('>', lt);  // <!DOCTYPE ...>, <?xml ...?>
      i = gt == std::string_view::npos ? n : gt + 1;
    } else if (rest.size() > 2 && rest[1] == '/' && IsAsciiAlpha(rest[2])) {
      i = ParseEndTag(lt);
    } else if (rest.size() > 1 && IsAsciiAlpha(rest[1])) {
      i = ParseStartTag(lt);
    } else {
      OnText("<");  // a stray '<' ("a < b") is text
      i = lt + 1;
    }
  }

  if (have_title_) {
    doc->title = std::move(title_);
  } else if (!h1_visible_.empty()) {
    doc->title = h1_visible_.Take();
  } else {
    doc->title = h1_any_.Take();
  }
  doc->text = body_.Take();
  doc->date = meta_date_.empty() ? time_date_ : meta_date_;
  doc->category = std::move(category_);
  doc->url = std::move(url_);
  doc->fields = std::move(fields_);
}

// ---------------------------------------------------------------------------
// Encodings

// The charset a page declares in its first bytes (<meta charset=...> or
// http-equiv), lower case; "" when none.
std::string DeclaredCharset(std::string_view html) {
  const std::string head = AsciiLower(html.substr(0, 4096));
  const std::size_t pos = head.find("charset=");
  if (pos == std::string::npos) return {};
  std::size_t i = pos + 8;
  while (i < head.size() && (head[i] == '"' || head[i] == '\'' || head[i] == ' ')) ++i;
  std::size_t j = i;
  while (j < head.size() && (IsAsciiAlnum(head[j]) || head[j] == '-' || head[j] == '_')) ++j;
  return head.substr(i, j - i);
}

}  // namespace

Status ReadHtml(const ReadContext& ctx) {
  std::string data;
  std::uint64_t bytes = 0;
  if (!ReadDocument(ctx, &data, &bytes)) return Status::Ok();
  if (FindInvalidUtf8(data) != std::string_view::npos) {
    // Not UTF-8: the charset the page declares, else --encoding. A page that
    // declares one and is valid UTF-8 was mislabelled, and stays as it is.
    const std::string charset = DeclaredCharset(data);
    std::optional<Utf8Converter> declared;
    if (!charset.empty()) {
      auto converter = Utf8Converter::Open(charset);
      if (converter.ok() && !converter->is_utf8()) declared.emplace(std::move(converter).value());
      if (!converter.ok() && ctx.fallback == nullptr) {
        const std::size_t bad = FindInvalidUtf8(data);
        SkipRecord(ctx, ctx.path,
                   "invalid UTF-8 at byte " + std::to_string(bad) +
                       ", and the declared charset \"" + charset + "\" is unknown",
                   bytes);
        return Status::Ok();
      }
    }
    if (declared) {
      if (!declared->ToUtf8(&data)) {
        SkipRecord(ctx, ctx.path, "conversion from " + declared->name() + " failed", bytes);
        return Status::Ok();
      }
    } else if (!ToUtf8Document(ctx, &data, bytes)) {
      return Status::Ok();
    }
  }
  SourceDocument doc;
  HtmlExtractor extractor(data);
  extractor.Run(&doc);
  std::optional<ReadIssue> date_warning;
  if (doc.date.empty() && !extractor.bad_date().empty()) {
    // Lines are counted only here, for the message: the tokenizer does not track them.
    const auto line =
        1 + std::count(data.begin(),
                       data.begin() + static_cast<std::ptrdiff_t>(extractor.bad_date_offset()),
                       '\n');
    date_warning = SetDate(extractor.bad_date(), ctx.path + ":" + std::to_string(line), &doc);
  }
  doc.id = ctx.is_stdin ? ContentHashId(data) : ctx.path;
  doc.origin = ctx.path;
  doc.source_bytes = bytes;
  Emit(ctx, std::move(doc), date_warning);
  return Status::Ok();
}

}  // namespace findling::reader_internal
