#include "harness/oslog/crash_scanner.h"

#include <cctype>
#include <cstdlib>

namespace osh::oslog {
namespace {

using Match = std::match_results<std::string_view::const_iterator>;

bool search(std::string_view text, const Pattern& pattern, Match& m) {
  return std::regex_search(text.begin(), text.end(), m, pattern.regex());
}

bool search(std::string_view text, const Pattern& pattern) {
  return std::regex_search(text.begin(), text.end(), pattern.regex());
}

bool any_of(std::string_view text, const std::vector<Pattern>& list) {
  for (const auto& re : list)
    if (search(text, re)) return true;
  return false;
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

std::string normalize_title(const std::string& title) {
  std::string out;
  size_t i = 0;
  while (i < title.size()) {
    const bool starts_number = std::isdigit(static_cast<unsigned char>(title[i])) &&
                               (i == 0 || !identifier_char(title[i - 1]));
    if (!starts_number) {
      out += title[i++];
      continue;
    }
    size_t end = i;
    const bool hex = title.compare(i, 2, "0x") == 0;
    if (hex) end += 2;
    while (end < title.size() && (hex ? std::isxdigit(static_cast<unsigned char>(title[end]))
                                      : std::isdigit(static_cast<unsigned char>(title[end]))))
      ++end;
    if (end < title.size() && identifier_char(title[end])) {  // "64bit": part of a word
      out.append(title, i, end - i);
    } else {
      out += hex ? "ADDR" : "NUM";
    }
    i = end;
  }
  return out;
}

CrashScanner::CrashScanner(const CrashTable& table, size_t max_reports)
    : table_(table), triggers_(triggers()), max_reports_(max_reports) {}

// The hot path, every console line: no regular expression runs unless a trigger is in it
// (stripping and matching every line made `osharness parse` of a 100 MB log take 2.2 s, not
// 0.13 s), and the triggers are looked for in one pass (a search per trigger word was half the
// instructions of a live run's console parsing: docs/performance.md).
bool CrashScanner::has_trigger(std::string_view line) const {
  return triggers_.find(line.data(), line.data() + line.size()) != nullptr;
}

std::vector<std::string> CrashScanner::triggers() const {
  std::vector<std::string> words;
  for (const auto& group : table_.groups) words.push_back(group.trigger);
  return words;
}

std::string_view CrashScanner::strip(std::string_view line) const {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Match m;
  if (search(line, table_.line_prefix, m) && m.position(0) == 0) line.remove_prefix(m.length(0));
  return line;
}

const CrashFormat* CrashScanner::match_start(std::string_view text,
                                             std::vector<std::string>& captures) const {
  for (const auto& group : table_.groups) {
    if (text.find(group.trigger) == std::string_view::npos) continue;
    if (any_of(text, group.suppress)) continue;
    for (const auto& format : group.formats) {
      Match m;
      if (!search(text, format.start, m)) continue;
      captures.clear();
      for (size_t i = 0; i < m.size(); ++i) captures.push_back(m[i].str());
      return &format;
    }
  }
  return nullptr;
}

bool CrashScanner::add_line(uint64_t line_no, std::string_view line) {
  if (open_) {
    const std::string_view text = strip(line);
    auto& r = open_->report;
    r.text.emplace_back(text);
    r.last_line = line_no;
    if (any_of(text, table_.report_end) ||
        (open_->close_on_rule && search(text, table_.report_close)) ||
        r.text.size() >= table_.max_report_lines) {
      close();
      return true;
    }
    return false;
  }
  if (has_trigger(line) && reports_.size() < max_reports_) {
    const std::string_view text = strip(line);
    std::vector<std::string> captures;
    const CrashFormat* format =
        any_of(text, table_.report_end) ? nullptr : match_start(text, captures);
    if (format) {
      const std::string_view previous = strip(previous_);
      const bool opened_before = !previous.empty() && search(previous, table_.report_open);
      Open open{
          format, std::move(captures), opened_before && search(previous, table_.report_close), {}};
      open.report.first_line = opened_before ? line_no - 1 : line_no;
      open.report.last_line = line_no;
      if (opened_before) open.report.text.emplace_back(previous);
      open.report.text.emplace_back(text);
      open_ = std::move(open);
      previous_.clear();
      return false;
    }
  }
  previous_.assign(line.substr(0, 512));  // an opening line is short; a long one opens nothing
  return false;
}

bool CrashScanner::finish() {
  if (!open_) return false;
  close();
  return true;
}

std::string CrashScanner::function_name(std::string name) const {
  for (const auto& rename : table_.function_renames)
    name = std::regex_replace(name, rename.match.regex(), rename.replace);
  return name;
}

bool CrashScanner::skipped(const CrashFormat& format, const std::string& function) const {
  return function.empty() || any_of(function, table_.skip) || any_of(function, format.skip);
}

std::optional<std::string> CrashScanner::guilty_frame(const Open& open) const {
  const auto& text = open.report.text;
  const CrashFormat& f = *open.format;
  // The reliable frames of every trace in the report, in order.
  std::vector<std::string> trace;
  bool in_trace = false;
  for (const auto& line : text) {
    if (search(line, table_.trace_start)) {
      in_trace = true;
      continue;
    }
    Match m;
    if (in_trace && search(line, table_.frame, m) && !m[2].matched) trace.push_back(m[3].str());
  }
  const auto first_kept = [&](const std::vector<std::string>& names) -> std::optional<std::string> {
    for (const auto& name : names) {
      std::string function = function_name(name);
      if (!skipped(f, function)) return function;
    }
    return std::nullopt;
  };
  for (const auto& source : f.frames) {
    std::vector<std::string> names;
    switch (source.kind) {
      case FrameSource::Kind::Header:
        if (static_cast<size_t>(source.group) < open.captures.size())
          names.push_back(open.captures[source.group]);
        break;
      case FrameSource::Kind::Rip:
      case FrameSource::Kind::At:
        for (const auto& line : text) {
          Match m;
          if (search(line, source.kind == FrameSource::Kind::Rip ? table_.rip : table_.at, m))
            names.push_back(m[1].str());
        }
        break;
      case FrameSource::Kind::Trace:
        names = trace;
        break;
      case FrameSource::Kind::AfterInterrupt: {
        size_t after = trace.size();
        for (size_t i = 0; i < trace.size(); ++i)
          if (search(trace[i], table_.interrupt_frame)) after = i + 1;
        names.assign(trace.begin() + static_cast<std::ptrdiff_t>(std::min(after, trace.size())),
                     trace.end());
        break;
      }
    }
    if (auto found = first_kept(names)) return found;
  }
  return std::nullopt;
}

std::string CrashScanner::title_of(const Open& open, std::string& guilty) const {
  const CrashFormat& f = *open.format;
  std::vector<std::string> more;
  if (f.has_more) {
    for (const auto& line : open.report.text) {
      Match m;
      if (!search(line, f.more, m)) continue;
      for (size_t i = 0; i < m.size(); ++i) more.push_back(m[i].str());
      break;
    }
  }
  std::string out;
  const std::string& t = f.title;
  for (size_t i = 0; i < t.size();) {
    const size_t close = t[i] == '{' ? t.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += t[i++];
      continue;
    }
    const std::string name = t.substr(i + 1, close - i - 1);
    if (name == "frame") {
      const auto frame = guilty_frame(open);
      guilty = frame.value_or("");
      out += frame.value_or("corrupted");
    } else {
      const bool from_more = name.starts_with("m");
      const auto& values = from_more ? more : open.captures;
      const size_t index = std::strtoul(name.c_str() + (from_more ? 1 : 0), nullptr, 10);
      if (index < values.size()) out += values[index];
    }
    i = close + 1;
  }
  return normalize_title(out);
}

void CrashScanner::close() {
  Open open = std::move(*open_);
  open_.reset();
  KernelReport& r = open.report;
  r.kind = open.format->kind;
  r.verdict = open.format->verdict;
  r.title = title_of(open, r.guilty);
  bool in_trace = false;
  for (const auto& line : r.text) {
    if (search(line, table_.trace_start)) {
      if (in_trace) break;
      in_trace = true;
      continue;
    }
    Match m;
    if (!in_trace || !search(line, table_.frame, m) || m[2].matched) continue;
    if (r.frames.size() == 64) break;
    r.frames.push_back(
        {m[3].str(), m[1].matched ? std::strtoull(m[1].str().c_str(), nullptr, 16) : 0});
  }
  reports_.push_back(std::move(r));
}

}  // namespace osh::oslog
