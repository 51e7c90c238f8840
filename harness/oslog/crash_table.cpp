#include "harness/oslog/crash_table.h"

#include <map>
#include <memory>
#include <mutex>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/oslog/crash_tables_data.h"

namespace osh::oslog {

Pattern::Pattern(std::string text, std::string where)
    : text_(std::move(text)), where_(std::move(where)) {}

const std::regex& Pattern::regex() const {
  std::call_once(compiled_->once, [this] {
    try {
      compiled_->regex = std::regex(text_, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      throw InputError(where_ + ": bad regular expression \"" + text_ + "\": " + e.what());
    }
  });
  return compiled_->regex;
}

namespace {

using Compile = CrashTable::Compile;

// How the table is read: its file, for messages, and when its expressions compile.
struct Load {
  const std::string& origin;
  Compile when;
};

Pattern compile(JsonReader& reader, const std::string& key, const std::string& text,
                const Load& load) {
  Pattern pattern(text, load.origin + ": " + reader.field_path(key));
  if (load.when == Compile::AtLoad) pattern.regex();
  return pattern;
}

Pattern required_regex(JsonReader& reader, const std::string& key, const Load& load) {
  return compile(reader, key, reader.required(reader.string(key), key), load);
}

std::vector<Pattern> regex_list(JsonReader& reader, const std::string& key, const Load& load) {
  std::vector<Pattern> out;
  const auto patterns = reader.strings(key).value_or(std::vector<std::string>{});
  for (size_t i = 0; i < patterns.size(); ++i)
    out.push_back(compile(reader, key + "[" + std::to_string(i) + "]", patterns[i], load));
  return out;
}

FrameSource frame_source(JsonReader& reader, const std::string& key, const std::string& text) {
  if (text == "rip") return {FrameSource::Kind::Rip};
  if (text == "trace") return {FrameSource::Kind::Trace};
  if (text == "at") return {FrameSource::Kind::At};
  if (text == "after_interrupt") return {FrameSource::Kind::AfterInterrupt};
  if (text.starts_with("header:") && text.size() == 8 && text[7] >= '1' && text[7] <= '9')
    return {FrameSource::Kind::Header, text[7] - '0'};
  reader.fail(key, "unknown frame source \"" + text +
                       "\" (known: header:N, rip, trace, at, after_interrupt)");
}

CrashFormat format(JsonReader& r, const Load& load) {
  CrashFormat f;
  f.start = required_regex(r, "start", load);
  if (auto more = r.string("more")) {
    f.more = compile(r, "more", *more, load);
    f.has_more = true;
  }
  f.title = r.required(r.string("title"), "title");
  f.kind = r.required(r.string("class"), "class");
  const auto verdict = r.string("verdict").value_or("crash");
  if (verdict != "crash" && verdict != "warning")
    r.fail("verdict", "expected \"crash\" or \"warning\", got \"" + verdict + "\"");
  f.verdict = verdict == "crash" ? ReportVerdict::Crash : ReportVerdict::Warning;
  const auto frames = r.strings("frames").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < frames.size(); ++i)
    f.frames.push_back(frame_source(r, "frames[" + std::to_string(i) + "]", frames[i]));
  if (f.title.find("{frame}") != std::string::npos && f.frames.empty())
    r.fail("frames", "the title names {frame} but the format lists no frame source");
  f.skip = regex_list(r, "skip", load);
  r.reject_unknown();
  return f;
}

}  // namespace

CrashTable CrashTable::parse(const nlohmann::json& json, const std::string& origin, Compile when) {
  JsonReader r(json, origin);
  const Load load{origin, when};
  CrashTable t;
  r.string("about");
  t.os = r.required(r.string("os"), "os");
  t.line_prefix = required_regex(r, "line_prefix", load);
  t.frame = required_regex(r, "frame", load);
  if (when == Compile::AtLoad && t.frame.regex().mark_count() != 3)
    r.fail("frame", "needs exactly 3 groups (address, \"? \", function)");
  t.trace_start = required_regex(r, "trace_start", load);
  t.rip = required_regex(r, "rip", load);
  t.at = required_regex(r, "at", load);
  t.interrupt_frame = required_regex(r, "interrupt_frame", load);
  for (auto& rename : r.objects("function_renames")) {
    t.function_renames.push_back({required_regex(rename, "match", load),
                                  rename.required(rename.string("replace"), "replace")});
    rename.reject_unknown();
  }
  t.report_open = required_regex(r, "report_open", load);
  t.report_close = required_regex(r, "report_close", load);
  t.report_end = regex_list(r, "report_end", load);
  t.max_report_lines = static_cast<size_t>(r.integer("max_report_lines", 10, 100000).value_or(200));
  t.skip = regex_list(r, "skip", load);
  for (auto& g : r.objects("groups")) {
    FormatGroup group;
    group.trigger = g.required(g.string("trigger"), "trigger");
    if (group.trigger.empty()) g.fail("trigger", "must not be empty");
    group.suppress = regex_list(g, "suppress", load);
    for (auto& f : g.objects("formats")) group.formats.push_back(format(f, load));
    g.reject_unknown();
    t.groups.push_back(std::move(group));
  }
  r.reject_unknown();
  return t;
}

const CrashTable* CrashTable::builtin(const std::string& os) {
  // Parsed once, on first use; its expressions compile when the scanner first needs each.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<CrashTable>> tables;
  std::lock_guard lock(mutex);
  if (auto it = tables.find(os); it != tables.end()) return it->second.get();
  for (const auto& data : builtin_crash_tables()) {
    if (data.os != os) continue;
    auto table = std::make_unique<CrashTable>(parse(parse_json(data.json, std::string(data.origin)),
                                                    std::string(data.origin), Compile::OnFirstUse));
    return (tables[os] = std::move(table)).get();
  }
  return nullptr;
}

std::string CrashTable::builtin_names() {
  std::string out;
  for (const auto& data : builtin_crash_tables()) out += (out.empty() ? "" : ", ") + data.os;
  return out;
}

}  // namespace osh::oslog
