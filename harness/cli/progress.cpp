#include "harness/cli/progress.h"

#include <unistd.h>

#include "harness/base/clock.h"
#include "harness/base/escape.h"
#include "reports/escape_once.h"

namespace osh::cli {
namespace {

constexpr size_t kLiveLines = 16;
constexpr int64_t kRedrawIntervalNs = 200'000'000;

std::string format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

const char* colour(campaign::Verdict v) {
  return v == campaign::Verdict::Pass    ? "\x1b[32m"
         : v == campaign::Verdict::Flaky ? "\x1b[33m"
                                         : "\x1b[31m";
}

}  // namespace

Progress::Progress(std::FILE* out, size_t total_runs, bool quiet)
    : out_(out), total_(total_runs), quiet_(quiet), tty_(::isatty(::fileno(out)) == 1) {}

std::string Progress::run_line(const campaign::RunResult& r) {
  std::string verdict(campaign::to_string(r.verdict));
  verdict.resize(11, ' ');
  std::string line = verdict + " " + escape_text(r.name) + " #" + std::to_string(r.index) +
                     " seed=" + std::to_string(r.seed) + "  " +
                     format("%.2f s", r.duration_ms / 1000);
  if (r.boot_ms) line += "  boot " + format("%.1f ms", *r.boot_ms);
  // A journal or bundle may hold raw bytes (hand-edited, or written by another tool): escaped here
  // as the runner escapes a live run's, once.
  return line + "  " + reports::escape_text_once(r.reason);
}

void Progress::clear_locked() {
  for (; drawn_lines_ > 0; --drawn_lines_) std::fputs("\x1b[1A\x1b[2K", out_);
  std::fputs("\r\x1b[2K", out_);
}

void Progress::redraw_locked() {
  for (const auto& [index, p] : live_) {
    if (drawn_lines_ == kLiveLines && live_.size() > kLiveLines) {
      std::fprintf(out_, "  ... and %zu more running\n", live_.size() - kLiveLines);
      ++drawn_lines_;
      break;
    }
    std::fprintf(
        out_, "  [%zu/%zu] %s #%d seed=%llu  %.1f s  %llu markers, %llu lines\n", done_, total_,
        escape_text(p.name).c_str(), p.index, static_cast<unsigned long long>(p.seed), p.elapsed_s,
        static_cast<unsigned long long>(p.markers), static_cast<unsigned long long>(p.lines));
    ++drawn_lines_;
  }
  drawn_ns_ = monotonic_ns();
  std::fflush(out_);
}

void Progress::update(const campaign::RunProgress& p) {
  if (quiet_ || !tty_) return;
  std::lock_guard lock(mutex_);
  live_[p.index] = p;
  // Every running run reports five times a second: 64 of them must not redraw 320 times.
  if (monotonic_ns() - drawn_ns_ < kRedrawIntervalNs) return;
  clear_locked();
  redraw_locked();
}

void Progress::finished(const campaign::RunResult& r) {
  std::lock_guard lock(mutex_);
  ++done_;
  live_.erase(r.index);
  if (tty_ && !quiet_) clear_locked();
  if (!quiet_) {
    const std::string line = run_line(r);
    if (tty_) {
      std::fprintf(out_, "[%zu/%zu] %s%s\x1b[0m\n", done_, total_, colour(r.verdict), line.c_str());
    } else {
      std::fprintf(out_, "[%zu/%zu] %s\n", done_, total_, line.c_str());
    }
  }
  if (tty_ && !quiet_) redraw_locked();
  std::fflush(out_);
}

}  // namespace osh::cli
