#include "harness/campaign/watchdog.h"

#include <algorithm>
#include <cstdio>

namespace osh::campaign {
namespace {

constexpr int64_t kNsPerS = 1'000'000'000;
// How often limits are re-checked; also the granularity of the starvation samples.
constexpr int64_t kCheckIntervalNs = 100'000'000;

int64_t to_ns(double seconds) { return static_cast<int64_t>(seconds * 1e9); }

// Starvation extends a limit by at most twice its length, so a pathological host still ends a
// run (at three times its limit, reported as such).
constexpr int64_t kMaxExtensionFactor = 2;

// The guest's slow clock stretches the heartbeat limit at most this much: a guest whose clock
// crawls is still ended at ten times the limit.
constexpr double kMaxSlowdown = 10.0;

int64_t capped(int64_t starved_ns, double limit_s) {
  return std::min(starved_ns, kMaxExtensionFactor * to_ns(limit_s));
}

std::string seconds(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ns) / kNsPerS);
  return buf;
}

}  // namespace

Watchdog::Watchdog(const Timeouts& timeouts, int64_t start_ns)
    : timeouts_(timeouts),
      start_ns_(start_ns),
      last_output_ns_(start_ns),
      guest_clock_origin_ns_(start_ns) {}

void Watchdog::on_marker(const marker::MarkerEvent& event) {
  if (event.is("SYS", "HEARTBEAT")) {
    last_heartbeat_ns_ = event.host_ns;
    if (event.fields.empty()) return;
    last_uptime_ms_ = event.fields[0].u;
    if (last_uptime_ms_ > 0) {
      const double host_ns = static_cast<double>(event.host_ns - guest_clock_origin_ns_);
      guest_clock_slowdown_ =
          std::clamp(host_ns / (static_cast<double>(last_uptime_ms_) * 1e6), 1.0, kMaxSlowdown);
    }
  } else if (event.is("BOOT", "START")) {
    last_heartbeat_ns_.reset();  // a new boot earns a new first heartbeat
    guest_clock_origin_ns_ = event.host_ns;
    guest_clock_slowdown_ = 1.0;
  }
}

int64_t Watchdog::since(int64_t since_ns, int64_t now_total, int64_t Sample::*total) const {
  // The newest sample at or before `since_ns` bounds the total before it.
  int64_t before = 0;
  for (int i = 0; i < sample_count_; ++i) {
    const Sample& s = samples_[(sample_next_ - sample_count_ + i + kSamples) % kSamples];
    if (s.at_ns <= since_ns) before = s.*total;
  }
  return std::max<int64_t>(0, now_total - before);
}

int64_t Watchdog::heartbeat_limit_ns() const {
  return static_cast<int64_t>(static_cast<double>(to_ns(timeouts_.heartbeat_s)) *
                              guest_clock_slowdown_);
}

int64_t Watchdog::starved_since(int64_t since_ns, int64_t starved_now) const {
  return since(since_ns, starved_now, &Sample::starved_ns);
}

int64_t Watchdog::paused_since(int64_t since_ns, int64_t paused_now) const {
  return since(since_ns, paused_now, &Sample::paused_ns);
}

std::optional<Finding> Watchdog::check(int64_t now_ns, int64_t starved_ns, int64_t paused_ns) {
  // When the ring is full the oldest sample goes; a window older than the whole history then
  // counts starvation from the run's start, which can only make a limit more lenient.
  samples_[sample_next_] = {now_ns, starved_ns, paused_ns};
  sample_next_ = (sample_next_ + 1) % kSamples;
  sample_count_ = std::min(sample_count_ + 1, kSamples);

  const int64_t idle = now_ns - last_output_ns_ -
                       capped(starved_since(last_output_ns_, starved_ns), timeouts_.idle_s) -
                       paused_since(last_output_ns_, paused_ns);
  if (idle >= to_ns(timeouts_.idle_s)) {
    return Finding{Verdict::Hang,
                   "no console output for " + seconds(now_ns - last_output_ns_) +
                       " (output-idle limit " + seconds(to_ns(timeouts_.idle_s)) + ")",
                   "HANG output-idle"};
  }
  if (last_heartbeat_ns_) {
    const int64_t quiet =
        now_ns - *last_heartbeat_ns_ -
        capped(starved_since(*last_heartbeat_ns_, starved_ns), timeouts_.heartbeat_s) -
        paused_since(*last_heartbeat_ns_, paused_ns);
    if (quiet >= heartbeat_limit_ns()) {
      std::string reason = "no heartbeat for " + seconds(now_ns - *last_heartbeat_ns_) +
                           " (heartbeat limit " + seconds(to_ns(timeouts_.heartbeat_s));
      if (heartbeat_limit_ns() > to_ns(timeouts_.heartbeat_s))
        reason += " stretched to " + seconds(heartbeat_limit_ns()) + " by the guest's clock";
      return Finding{Verdict::Hang,
                     reason + "; last uptime " + std::to_string(last_uptime_ms_) + " ms)",
                     "HANG heartbeat"};
    }
  }
  extension_ns_ = capped(starved_ns, timeouts_.deadline_s);
  const int64_t deadline = to_ns(timeouts_.deadline_s) + extension_ns_ + paused_ns;
  if (now_ns - start_ns_ >= deadline) {
    std::string reason =
        "still running at the total deadline of " + seconds(to_ns(timeouts_.deadline_s));
    if (extension_ns_ > 0)
      reason += " (extended by " + seconds(extension_ns_) + " of host CPU starvation)";
    reason += "; last output " + seconds(now_ns - last_output_ns_) + " before";
    return Finding{Verdict::Timeout, reason, "TIMEOUT deadline"};
  }
  return std::nullopt;
}

int64_t Watchdog::next_check_ns() const {
  int64_t next = std::min(last_output_ns_ + to_ns(timeouts_.idle_s),
                          start_ns_ + to_ns(timeouts_.deadline_s) + extension_ns_);
  if (last_heartbeat_ns_) next = std::min(next, *last_heartbeat_ns_ + heartbeat_limit_ns());
  // The first check takes the first starvation sample; later ones come at least this often so
  // that the samples stay fine-grained.
  if (sample_count_ == 0) return start_ns_;
  const int64_t latest =
      samples_[(sample_next_ - 1 + kSamples) % kSamples].at_ns + kCheckIntervalNs;
  return std::min(next, latest);
}

}  // namespace osh::campaign
