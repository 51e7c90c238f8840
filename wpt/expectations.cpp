#include "wpt/expectations.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"

namespace osh::wpt {
namespace {

// ---- The file as written: sections, keys, conditional values ----

struct Value {
  std::vector<std::string> items;
  bool list = false;
};

struct Key {
  std::string name;
  std::vector<std::pair<std::string, Value>> conditions;  // (expression text, value)
  std::optional<Value> fallback;
  int line = 0;
};

struct Section {
  std::string name;
  int line = 0;
  std::vector<Key> keys;
  std::vector<Section> children;
};

struct ManifestFile {
  std::vector<Key> keys;  // before any section (__dir__.ini)
  std::vector<Section> sections;
};

class FileError {
 public:
  FileError(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void at(int line, const std::string& what) const {
    throw InputError(file_ + ":" + std::to_string(line) + ": " + what);
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// Text up to a '#' that is outside quotes and brackets.
std::string strip_comment(std::string_view s) {
  char quote = 0;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    } else if (c == '#' && depth <= 0) {
      return std::string(s.substr(0, i));
    }
  }
  return std::string(s);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// One backslash escape at s[i] (the backslash); appends its value and returns the index after it.
size_t unescape(std::string_view s, size_t i, std::string& out, const FileError& err, int line) {
  if (i + 1 >= s.size()) err.at(line, "a backslash at the end of the line escapes nothing");
  const char c = s[i + 1];
  const auto hex = [&](size_t digits) {
    uint32_t v = 0;
    for (size_t k = 0; k < digits; ++k) {
      const int d = i + 2 + k < s.size() ? hex_digit(s[i + 2 + k]) : -1;
      if (d < 0) err.at(line, "a \\x, \\u or \\U escape needs hex digits");
      v = v * 16 + static_cast<uint32_t>(d);
    }
    append_utf8(out, v);
    return i + 2 + digits;
  };
  switch (c) {
    case 'x':
      return hex(2);
    case 'u':
      return hex(4);
    case 'U':
      return hex(6);
    case 'n':
      out += '\n';
      break;
    case 't':
      out += '\t';
      break;
    case 'r':
      out += '\r';
      break;
    case 'a':
      out += '\a';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'v':
      out += '\v';
      break;
    case '0':
      out += '\0';
      break;
    default:
      out += c;  // \\ \] \" \' \# and any other character stand for themselves
  }
  return i + 2;
}

Value parse_value(const std::string& text, const FileError& err, int line) {
  Value v;
  const std::string t = trim(text);
  if (t.empty()) err.at(line, "a value is missing");
  if (t.front() != '[') {
    if (t.front() == '"' || t.front() == '\'') {
      std::string s;
      size_t i = 1;
      while (i < t.size() && t[i] != t.front()) {
        if (t[i] == '\\') {
          i = unescape(t, i, s, err, line);
        } else {
          s += t[i++];
        }
      }
      if (i + 1 != t.size()) err.at(line, "text after a quoted value");
      v.items.push_back(s);
    } else {
      v.items.push_back(t);
    }
    return v;
  }
  if (t.back() != ']') err.at(line, "a list value must end with ']'");
  v.list = true;
  std::string item;
  for (size_t i = 1; i + 1 < t.size(); ++i) {
    if (t[i] == ',') {
      v.items.push_back(trim(item));
      item.clear();
    } else {
      item += t[i];
    }
  }
  if (!trim(item).empty() || !v.items.empty()) v.items.push_back(trim(item));
  for (const auto& s : v.items)
    if (s.empty()) err.at(line, "an empty item in a list value");
  return v;
}

ManifestFile parse_manifest(const std::string& text, const FileError& err) {
  ManifestFile file;
  struct Open {
    int indent;
    Section* section;
  };
  std::vector<Open> stack;  // sections enclosing the current line
  Key* open_key = nullptr;  // a `key:` awaiting its conditional lines
  int open_key_indent = 0;
  std::istringstream in(text);
  std::string raw;
  for (int line = 1; std::getline(in, raw); ++line) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    size_t indent = 0;
    while (indent < raw.size() && raw[indent] == ' ') ++indent;
    if (indent < raw.size() && raw[indent] == '\t') err.at(line, "indent with spaces, not tabs");
    const std::string_view rest = std::string_view(raw).substr(indent);
    if (rest.empty() || rest.front() == '#') continue;

    if (open_key && static_cast<int>(indent) > open_key_indent) {
      const std::string body = trim(strip_comment(rest));
      if (body.starts_with("if ")) {
        // The condition ends at the last ':' outside quotes, before any list value.
        size_t split = std::string::npos;
        char quote = 0;
        for (size_t i = 0; i < body.size(); ++i) {
          if (quote) {
            if (body[i] == quote) quote = 0;
          } else if (body[i] == '"' || body[i] == '\'') {
            quote = body[i];
          } else if (body[i] == '[') {
            break;
          } else if (body[i] == ':') {
            split = i;
          }
        }
        if (split == std::string::npos) err.at(line, "a condition needs ': value'");
        open_key->conditions.emplace_back(trim(body.substr(3, split - 3)),
                                          parse_value(body.substr(split + 1), err, line));
      } else {
        if (open_key->fallback) err.at(line, "a second default value for " + open_key->name);
        open_key->fallback = parse_value(body, err, line);
      }
      continue;
    }
    open_key = nullptr;
    while (!stack.empty() && stack.back().indent >= static_cast<int>(indent)) stack.pop_back();

    if (rest.front() == '[') {
      Section s;
      s.line = line;
      size_t i = 1;
      for (; i < rest.size() && rest[i] != ']';) {
        if (rest[i] == '\\') {
          i = unescape(rest, i, s.name, err, line);
        } else {
          s.name += rest[i++];
        }
      }
      if (i >= rest.size()) err.at(line, "a section heading must end with ']'");
      if (!trim(strip_comment(rest.substr(i + 1))).empty())
        err.at(line, "text after a section heading");
      std::vector<Section>& siblings =
          stack.empty() ? file.sections : stack.back().section->children;
      siblings.push_back(std::move(s));
      stack.push_back({static_cast<int>(indent), &siblings.back()});
      continue;
    }

    const size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon == 0)
      err.at(line, "expected a [section] or a `key: value` line");
    Key key;
    key.name = std::string(rest.substr(0, colon));
    key.line = line;
    for (char c : key.name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
        err.at(line, "\"" + key.name + "\" is not a key name");
    const std::string value = trim(strip_comment(rest.substr(colon + 1)));
    if (!value.empty()) key.fallback = parse_value(value, err, line);
    std::vector<Key>& keys = stack.empty() ? file.keys : stack.back().section->keys;
    keys.push_back(std::move(key));
    if (value.empty()) {
      open_key = &keys.back();
      open_key_indent = static_cast<int>(indent);
    }
  }
  return file;
}

// ---- Conditions: == != and or not ( ) over run_info ----

class Condition {
 public:
  Condition(const std::string& text, const RunInfo& info, const FileError& err, int line)
      : text_(text), info_(info), err_(err), line_(line) {}

  bool evaluate() {
    tokenize();
    const bool v = truthy(disjunction());
    if (pos_ != tokens_.size()) fail("unexpected \"" + tokens_[pos_].text + "\"");
    return v;
  }

 private:
  struct Token {
    enum Kind { kName, kString, kNumber, kOp } kind;
    std::string text;
  };

  [[noreturn]] void fail(const std::string& what) {
    err_.at(line_, "condition \"" + text_ + "\": " + what +
                       " (supported: names, \"strings\", numbers, True, False, ==, !=, and, or, "
                       "not, parentheses)");
  }

  void tokenize() {
    for (size_t i = 0; i < text_.size();) {
      const char c = text_[i];
      if (c == ' ' || c == '\t') {
        ++i;
      } else if (c == '"' || c == '\'') {
        std::string s;
        size_t j = i + 1;
        while (j < text_.size() && text_[j] != c) {
          if (text_[j] == '\\') {
            j = unescape(text_, j, s, err_, line_);
          } else {
            s += text_[j++];
          }
        }
        if (j >= text_.size()) fail("unterminated string");
        tokens_.push_back({Token::kString, s});
        i = j + 1;
      } else if (text_.compare(i, 2, "==") == 0 || text_.compare(i, 2, "!=") == 0) {
        tokens_.push_back({Token::kOp, text_.substr(i, 2)});
        i += 2;
      } else if (c == '(' || c == ')') {
        tokens_.push_back({Token::kOp, std::string(1, c)});
        ++i;
      } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-') {
        size_t j = i;
        while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) ||
                                    text_[j] == '_' || text_[j] == '.' || text_[j] == '-'))
          ++j;
        const std::string word = text_.substr(i, j - i);
        const bool number = std::isdigit(static_cast<unsigned char>(c)) || c == '-';
        tokens_.push_back({number ? Token::kNumber : Token::kName, word});
        i = j;
      } else {
        fail(std::string("unexpected character '") + c + "'");
      }
    }
  }

  bool at(std::string_view op) const {
    return pos_ < tokens_.size() && tokens_[pos_].text == op &&
           (tokens_[pos_].kind == Token::kOp || tokens_[pos_].kind == Token::kName);
  }

  static bool truthy(const nlohmann::json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string()) return !v.get<std::string>().empty();
    return true;
  }

  nlohmann::json disjunction() {
    nlohmann::json v = conjunction();
    while (at("or")) {
      ++pos_;
      const nlohmann::json rhs = conjunction();
      v = truthy(v) || truthy(rhs);
    }
    return v;
  }
  nlohmann::json conjunction() {
    nlohmann::json v = negation();
    while (at("and")) {
      ++pos_;
      const nlohmann::json rhs = negation();
      v = truthy(v) && truthy(rhs);
    }
    return v;
  }
  nlohmann::json negation() {
    if (at("not")) {
      ++pos_;
      return !truthy(negation());
    }
    return comparison();
  }
  nlohmann::json comparison() {
    nlohmann::json lhs = atom();
    if (at("==") || at("!=")) {
      const bool equal = tokens_[pos_++].text == "==";
      const nlohmann::json rhs = atom();
      return (lhs == rhs) == equal;
    }
    return lhs;
  }
  nlohmann::json atom() {
    if (pos_ >= tokens_.size()) fail("an operand is missing");
    const Token t = tokens_[pos_++];
    if (t.kind == Token::kOp && t.text == "(") {
      nlohmann::json v = disjunction();
      if (!at(")")) fail("')' is missing");
      ++pos_;
      return v;
    }
    if (t.kind == Token::kString) return t.text;
    if (t.kind == Token::kNumber) {
      try {
        return std::stod(t.text);
      } catch (const std::exception&) {
        fail("\"" + t.text + "\" is not a number");
      }
    }
    if (t.kind == Token::kName) {
      if (t.text == "True") return true;
      if (t.text == "False") return false;
      if (t.text == "and" || t.text == "or" || t.text == "not") fail("an operand is missing");
      const auto it = info_.find(t.text);
      return it == info_.end() ? nlohmann::json() : it->second;
    }
    fail("unexpected \"" + t.text + "\"");
  }

  const std::string& text_;
  const RunInfo& info_;
  const FileError& err_;
  int line_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

// The value of `key` under `info`: the first condition that holds, else the default.
std::optional<Value> resolve(const Key& key, const RunInfo& info, const FileError& err) {
  for (const auto& [condition, value] : key.conditions)
    if (Condition(condition, info, err, key.line).evaluate()) return value;
  return key.fallback;
}

const std::set<std::string>& test_statuses() {
  static const std::set<std::string> s = {"OK",    "ERROR", "TIMEOUT",
                                          "CRASH", "SKIP",  "PRECONDITION_FAILED"};
  return s;
}
const std::set<std::string>& subtest_statuses() {
  static const std::set<std::string> s = {"PASS", "FAIL", "TIMEOUT", "NOTRUN",
                                          "PRECONDITION_FAILED"};
  return s;
}

std::vector<std::string> statuses(const Value& v, const std::set<std::string>& allowed,
                                  const FileError& err, int line) {
  for (const auto& s : v.items) {
    if (!allowed.contains(s)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      err.at(line, "\"" + s + "\" is not a status here (expected one of " + list + ")");
    }
  }
  return v.items;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read this expectations file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- Writing ----

std::string serialize_value(const Value& v) {
  if (!v.list) return v.items.front();
  std::string s = "[";
  for (size_t i = 0; i < v.items.size(); ++i) s += (i ? ", " : "") + v.items[i];
  return s + "]";
}

void serialize_key(const Key& key, const std::string& indent, std::string& out) {
  if (key.conditions.empty()) {
    out += indent + key.name + ": " + serialize_value(*key.fallback) + "\n";
    return;
  }
  out += indent + key.name + ":\n";
  for (const auto& [condition, value] : key.conditions)
    out += indent + "  if " + condition + ": " + serialize_value(value) + "\n";
  if (key.fallback) out += indent + "  " + serialize_value(*key.fallback) + "\n";
}

void serialize_section(const Section& s, const std::string& indent, std::string& out) {
  out += indent + "[" + escape_heading(s.name) + "]\n";
  for (const auto& k : s.keys) serialize_key(k, indent + "  ", out);
  for (const auto& c : s.children) serialize_section(c, indent + "  ", out);
}

}  // namespace

std::filesystem::path metadata_file(const std::string& test_id) {
  std::string path = test_id.substr(0, test_id.find('?'));
  if (path.starts_with("/")) path.erase(0, 1);
  for (const char* kind : {".any", ".window", ".worker"}) {
    const std::string html = std::string(kind) + ".html";
    if (path.ends_with(html)) {
      path.replace(path.size() - html.size(), html.size(), std::string(kind) + ".js");
      break;
    }
  }
  return path + ".ini";
}

std::string metadata_section(const std::string& test_id) {
  const size_t query = test_id.find('?');
  const size_t slash = test_id.rfind('/', query);
  return test_id.substr(slash == std::string::npos ? 0 : slash + 1);
}

std::string escape_heading(const std::string& name) {
  std::string out;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == ']') {
      out += '\\';
      out += ch;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

Expectations Expectations::load(const std::filesystem::path& meta_dir, const RunInfo& run_info) {
  Expectations e;
  std::error_code ec;
  if (!std::filesystem::is_directory(meta_dir, ec)) return e;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(meta_dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".ini")
      files.push_back(entry.path());
  if (ec) throw InputError(meta_dir.string() + ": cannot list the expectations: " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const FileError err(path.string());
    const ManifestFile file = parse_manifest(read_file(path), err);
    ++e.files_;
    const std::filesystem::path rel = std::filesystem::relative(path, meta_dir);
    const std::string dir =
        "/" + (rel.parent_path().empty() ? "" : rel.parent_path().string() + "/");
    if (path.filename() == "__dir__.ini") {
      for (const auto& key : file.keys) {
        if (key.name != "disabled")
          err.at(key.line, "only `disabled:` is read in __dir__.ini, not \"" + key.name + "\"");
        if (auto v = resolve(key, run_info, err)) e.disabled_directories_[dir] = v->items.front();
      }
      if (!file.sections.empty())
        err.at(file.sections.front().line, "__dir__.ini holds no test sections");
      continue;
    }
    if (!file.keys.empty())
      err.at(file.keys.front().line, "a key outside a [test] section (only __dir__.ini has those)");
    for (const auto& section : file.sections) {
      const std::string id = dir + section.name;
      if (metadata_file(id) != rel)
        err.at(section.line, "[" + section.name + "] belongs in " + metadata_file(id).string() +
                                 ", not " + rel.string() + " (wptrunner would not find it here)");
      if (e.tests_.contains(id)) err.at(section.line, "a second section for " + id);
      Test& t = e.tests_[id];
      for (const auto& key : section.keys) {
        const auto v = resolve(key, run_info, err);
        if (key.name == "expected") {
          if (v) t.expected = statuses(*v, test_statuses(), err, key.line);
        } else if (key.name == "disabled") {
          if (v) t.disabled = v->items.front();
        } else {
          err.at(key.line, "unknown key \"" + key.name + "\" (read: expected, disabled)");
        }
      }
      for (const auto& sub : section.children) {
        if (!sub.children.empty())
          err.at(sub.children.front().line, "subtests have no subsections");
        if (t.subtests.contains(sub.name)) err.at(sub.line, "a second section for this subtest");
        auto& expected = t.subtests[sub.name];
        for (const auto& key : sub.keys) {
          if (key.name != "expected")
            err.at(key.line, "unknown key \"" + key.name + "\" in a subtest (read: expected)");
          if (const auto v = resolve(key, run_info, err))
            expected = statuses(*v, subtest_statuses(), err, key.line);
        }
      }
    }
  }
  return e;
}

std::vector<std::string> Expectations::for_test(const std::string& test_id) const {
  const auto it = tests_.find(test_id);
  if (it != tests_.end() && !it->second.expected.empty()) return it->second.expected;
  return {"OK"};
}

std::vector<std::string> Expectations::for_subtest(const std::string& test_id,
                                                   const std::string& name) const {
  const auto it = tests_.find(test_id);
  if (it != tests_.end()) {
    const auto s = it->second.subtests.find(name);
    if (s != it->second.subtests.end() && !s->second.empty()) return s->second;
  }
  return {"PASS"};
}

std::optional<std::string> Expectations::disabled(const std::string& test_id) const {
  const auto it = tests_.find(test_id);
  if (it != tests_.end() && it->second.disabled) return it->second.disabled;
  for (const auto& [dir, reason] : disabled_directories_)
    if (test_id.starts_with(dir)) return reason;
  return std::nullopt;
}

std::vector<std::filesystem::path> update_expectations(
    const std::filesystem::path& meta_dir, const std::vector<std::vector<TestResult>>& runs) {
  // Statuses seen per test and subtest, in first-seen order of subtests.
  struct Seen {
    std::map<std::string, int> status;
    std::vector<std::string> order;
    std::map<std::string, std::map<std::string, int>> subtests;
  };
  std::map<std::string, Seen> seen;
  for (const auto& run : runs) {
    for (const auto& r : run) {
      Seen& s = seen[r.test];
      ++s.status[r.status];
      for (const auto& sub : r.subtests) {
        if (!s.subtests.contains(sub.name)) s.order.push_back(sub.name);
        ++s.subtests[sub.name][sub.status];
      }
    }
  }
  const auto expected_value = [](const std::map<std::string, int>& counts,
                                 const std::string& fallback) -> std::optional<Value> {
    std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (v.size() == 1 && v.front().first == fallback) return std::nullopt;
    Value value;
    value.list = v.size() > 1;
    for (const auto& [status, n] : v) value.items.push_back(status);
    return value;
  };

  std::map<std::filesystem::path, std::vector<std::string>> by_file;
  for (const auto& [id, s] : seen) by_file[metadata_file(id)].push_back(id);
  std::vector<std::filesystem::path> written;
  for (const auto& [rel, ids] : by_file) {
    const auto path = meta_dir / rel;
    ManifestFile file;
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
      file = parse_manifest(read_file(path), FileError(path.string()));
    for (const auto& id : ids) {
      const std::string name = metadata_section(id);
      const Seen& s = seen.at(id);
      Section fresh;
      fresh.name = name;
      auto old = std::find_if(file.sections.begin(), file.sections.end(),
                              [&](const Section& x) { return x.name == name; });
      if (old != file.sections.end())
        for (const auto& k : old->keys)
          if (k.name == "disabled") fresh.keys.push_back(k);
      if (auto v = expected_value(s.status, "OK")) fresh.keys.push_back({"expected", {}, v, 0});
      for (const auto& sub : s.order) {
        if (auto v = expected_value(s.subtests.at(sub), "PASS"))
          fresh.children.push_back({sub, 0, {{"expected", {}, v, 0}}, {}});
      }
      const bool empty = fresh.keys.empty() && fresh.children.empty();
      if (old != file.sections.end()) {
        if (empty) {
          file.sections.erase(old);
        } else {
          *old = std::move(fresh);
        }
      } else if (!empty) {
        file.sections.push_back(std::move(fresh));
      }
    }
    std::sort(file.sections.begin(), file.sections.end(),
              [](const Section& a, const Section& b) { return a.name < b.name; });
    if (file.sections.empty() && file.keys.empty()) {
      std::filesystem::remove(path, ec);
      continue;
    }
    std::string text;
    for (const auto& k : file.keys) serialize_key(k, "", text);
    for (size_t i = 0; i < file.sections.size(); ++i) {
      if (i || !file.keys.empty()) text += "\n";
      serialize_section(file.sections[i], "", text);
    }
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw InfraError("cannot create " + path.parent_path().string() + ": " + ec.message());
    atomic_write(path, [&](std::ostream& out) { out << text; });
    written.push_back(path);
  }
  return written;
}

}  // namespace osh::wpt
