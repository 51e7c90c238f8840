#include "os/core/cmdline.h"

#include "os/core/bug_knobs.h"
#include "os/core/format.h"
#include "os/core/virtio_cmdline.h"

namespace rayos {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Splits `text` into tokens; `next` returns false at the end.
class Tokenizer {
 public:
  explicit Tokenizer(StringView text) : text_(text) {}
  bool next(StringView& token) {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    if (pos_ == text_.size()) return false;
    size_t start = pos_;
    while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
    token = text_.substr(start, pos_ - start);
    return true;
  }

 private:
  StringView text_;
  size_t pos_ = 0;
};

// The osh.* keys seen so far on one line.
struct Seen {
  bool scenario = false;
  bool seed = false;
  bool bug = false;
  bool screenshots = false;
  bool coverage = false;
};

// A `0|1` osh.* key, at most once per line.
bool apply_flag(StringView key, StringView value, bool& seen, bool& out, TextBuffer& error) {
  if (seen) {
    error.add("duplicate_key=").add(key);
    return false;
  }
  if (value != "0" && value != "1") {
    error.add(key).add("_is_not_0_or_1=").add(value);
    return false;
  }
  seen = true;
  out = value == "1";
  return true;
}

// Applies one `key=value` token. `allow_scenario` is false on shell lines, where the scenario
// is the positional word after `run`.
bool apply_token(StringView token, bool allow_scenario, Seen& seen, RunRequest& out,
                 TextBuffer& error, uint32_t planted) {
  size_t eq = token.find('=');
  if (eq == StringView::npos) {
    error.add("expected_key=value_but_got=").add(token);
    return false;
  }
  StringView key = token.substr(0, eq);
  StringView value = token.substr(eq + 1);
  if (key.empty()) {
    error.add("empty_key_in=").add(token);
    return false;
  }
  // The machine's own words, for the virtio driver (os/core/virtio_cmdline.h): not a parameter.
  if (allow_scenario && key == kVirtioMmioKey) return true;
  if (key == "osh.scenario") {
    if (!allow_scenario) {
      error.add("osh.scenario_is_not_allowed_here(the_scenario_name_follows_run)");
      return false;
    }
    if (seen.scenario) {
      error.add("duplicate_key=osh.scenario");
      return false;
    }
    if (value.empty()) {
      error.add("empty_value_for=osh.scenario");
      return false;
    }
    seen.scenario = true;
    out.scenario = value;
    return true;
  }
  if (key == "osh.seed") {
    if (seen.seed) {
      error.add("duplicate_key=osh.seed");
      return false;
    }
    const bool off_by_one = (planted & kBugCmdlineSeedOffByOne) != 0;
    if (!parse_u64(StringView(value.data(), value.size() + (off_by_one ? 1 : 0)), out.seed)) {
      error.add("osh.seed_is_not_a_u64=").add(value);
      return false;
    }
    seen.seed = true;
    return true;
  }
  if (key == "osh.bug") {
    if (seen.bug) {
      error.add("duplicate_key=osh.bug");
      return false;
    }
    seen.bug = true;
    return parse_bug_knobs(value, out.bugs, error);
  }
  if (key == "osh.screenshots")
    return apply_flag(key, value, seen.screenshots, out.screenshots, error);
  if (key == "osh.coverage") return apply_flag(key, value, seen.coverage, out.coverage, error);
  if (key.starts_with("osh.")) {
    error.add("unknown_key=").add(key);
    return false;
  }
  for (size_t i = 0; i < out.param_count; ++i) {
    if (out.params[i].key == key) {
      error.add("duplicate_key=").add(key);
      return false;
    }
  }
  if (out.param_count == RunRequest::kMaxParams) {
    error.add("more_than_").add(uint64_t{RunRequest::kMaxParams}).add("_parameters");
    return false;
  }
  out.params[out.param_count++] = Param{key, value};
  return true;
}

}  // namespace

bool parse_cmdline(StringView cmdline, RunRequest& out, TextBuffer& error, uint32_t planted) {
  out = RunRequest{};
  Seen seen;
  Tokenizer tokens(cmdline);
  StringView token;
  while (tokens.next(token))
    if (!apply_token(token, true, seen, out, error, planted)) return false;
  return true;
}

ShellLine parse_shell_line(StringView line, uint64_t default_seed, RunRequest& out,
                           TextBuffer& error, uint32_t planted) {
  out = RunRequest{};
  out.seed = default_seed;
  Tokenizer tokens(line);
  StringView command;
  if (!tokens.next(command)) return ShellLine::kEmpty;
  if (command == "metrics") {
    StringView extra;
    if (!tokens.next(extra)) return ShellLine::kMetrics;
    error.add("metrics_takes_no_arguments_but_got=").add(extra);
    return ShellLine::kError;
  }
  if (!(command == "run")) {
    error.add("unknown_command=")
        .add(command)
        .add("(try_run_<scenario>_[key=value]..._or_metrics)");
    return ShellLine::kError;
  }
  if (!tokens.next(out.scenario) || out.scenario.find('=') != StringView::npos) {
    error.add("run_needs_a_scenario_name_first");
    return ShellLine::kError;
  }
  Seen seen;
  seen.scenario = true;
  StringView token;
  while (tokens.next(token))
    if (!apply_token(token, false, seen, out, error, planted)) return ShellLine::kError;
  return ShellLine::kRun;
}

}  // namespace rayos
