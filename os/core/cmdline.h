#pragma once
// What to run, from the kernel command line (`osh.scenario=flood osh.seed=42 count=1000`) or
// from a shell line (`run flood count=1000`). Views point into the parsed text, which the caller
// keeps alive.
#include <stddef.h>
#include <stdint.h>

#include "os/core/string_view.h"
#include "os/core/text_buffer.h"

namespace rayos {

struct Param {
  StringView key;
  StringView value;
};

struct RunRequest {
  static constexpr size_t kMaxParams = 16;

  StringView scenario;  // empty when none was given
  uint64_t seed = 0;    // osh.seed, 0 when not given
  uint32_t bugs = 0;    // osh.bug: planted bugs (os/core/bug_knobs.h), none when not given
  // osh.screenshots=1: the harness takes the screenshots integration scenarios ask for
  // (docs/e2e.md); without it they ask for none and never wait for an answer.
  bool screenshots = false;
  // osh.coverage=1: count every instrumented block from the scenario's start and print the
  // counts (COVERAGE:BLOCK) before SYS:EXIT or SYS:PANIC (docs/fuzz-campaigns.md).
  bool coverage = false;
  Param params[kMaxParams];
  size_t param_count = 0;
};

// Tokens are separated by spaces or tabs. `osh.scenario=<name>`, `osh.seed=<u64>`,
// `osh.bug=<knob>[,<knob>...]`, `osh.screenshots=<0|1>` and `osh.coverage=<0|1>` are
// recognised, and `virtio_mmio.device=` words (QEMU microvm's, os/core/virtio_cmdline.h) are
// skipped; any other `osh.*` key, a token without '=', an empty key, a duplicate key or a bad seed
// is an error: returns false with a reason (no spaces, usable as a marker field) in `error`.
// `planted` holds the planted bugs (os/core/bug_knobs.h) that apply to the parser itself, for the
// in-guest fuzzer to find.
bool parse_cmdline(StringView cmdline, RunRequest& out, TextBuffer& error, uint32_t planted = 0);

enum class ShellLine { kEmpty, kRun, kMetrics, kError };

// A shell line: blank, `metrics`, or `run <scenario> [osh.seed=<u64>] [osh.bug=...]
// [key=value]...`. On kRun, `out` holds the request; its seed is `default_seed` unless the line
// sets osh.seed.
ShellLine parse_shell_line(StringView line, uint64_t default_seed, RunRequest& out,
                           TextBuffer& error, uint32_t planted = 0);

}  // namespace rayos
