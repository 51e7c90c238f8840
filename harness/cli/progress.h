#pragma once
// What the user sees while a campaign runs: on a terminal, one live status line per running
// run (at most 16 of them, redrawn at most five times a second, however many runs go at
// once) plus a permanent line for each finished run; otherwise only the finished lines; with
// quiet, nothing (the summary after the campaign lists every run that did not pass).
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "harness/campaign/run_result.h"
#include "harness/campaign/runner.h"

namespace osh::cli {

class Progress {
 public:
  Progress(std::FILE* out, size_t total_runs, bool quiet);

  void update(const campaign::RunProgress& p);  // any thread
  void finished(const campaign::RunResult& r);  // any thread

  // One line per run, for the final summary and for non-terminal output.
  static std::string run_line(const campaign::RunResult& r);

 private:
  void redraw_locked();
  void clear_locked();

  std::FILE* out_;
  size_t total_;
  bool quiet_;
  bool tty_;
  size_t done_ = 0;
  size_t drawn_lines_ = 0;
  std::map<int, campaign::RunProgress> live_;
  int64_t drawn_ns_ = 0;
  std::mutex mutex_;
};

}  // namespace osh::cli
