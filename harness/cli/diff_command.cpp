#include "harness/cli/diff_command.h"

#include <fmt/format.h>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/gzip.h"
#include "harness/marker/log_diff.h"

namespace osh::cli {
namespace {

// A run folder stands for its console log, kept compressed or not.
std::filesystem::path console_log_of(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return path;
  const auto log = existing_or_gz(path / "console.log");
  if (std::filesystem::exists(log, ec)) return log;
  throw InputError(path.string() +
                   ": a folder without console.log(.gz); give a console log or a run folder "
                   "(runs/<run>/ of an output folder)");
}

constexpr size_t kMaxShown = 400;

std::string describe(const marker::DiffSide& side, bool marker) {
  if (side.ended)
    return fmt::format("no {} after line {} (the log ends)", marker ? "further marker" : "line",
                       side.line_no);
  const std::string seq = side.seq ? fmt::format("seq {}, ", *side.seq) : "";
  return fmt::format("{}line {}: {}", seq, side.line_no,
                     escape_text_truncated(side.text, kMaxShown));
}

}  // namespace

int diff_command(const DiffArgs& args, std::ostream& out) {
  if (args.prefix.empty()) throw UsageError("--prefix: give the marker prefix, e.g. RAYOS");
  const auto path_a = console_log_of(args.a), path_b = console_log_of(args.b);
  const marker::MappedFile a(path_a), b(path_b);
  const auto diff = marker::diff_logs(a.bytes(), b.bytes(), args.prefix + "_");
  const std::string name_a = escape_text(path_a.string()), name_b = escape_text(path_b.string());
  if (diff.same) {
    out << fmt::format("same: {} and {} are identical ({} bytes)\n", name_a, name_b,
                       a.bytes().size());
    return 0;
  }
  out << fmt::format("differ: from byte {}; {}\n", diff.offset,
                     diff.in_marker ? "the first differing marker"
                                    : "every marker agrees, the first differing line");
  out << fmt::format("  A {}: {}\n", name_a, describe(diff.a, diff.in_marker));
  out << fmt::format("  B {}: {}\n", name_b, describe(diff.b, diff.in_marker));
  return 1;
}

}  // namespace osh::cli
