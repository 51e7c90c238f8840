#pragma once
// Pieces the soak and stress analyzers share: reading a numeric marker field, a guest-time
// silence detector driven by SYS:HEARTBEAT, and charts thinned to what the report can draw.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/marker/marker_event.h"
#include "harness/stats/chart.h"

namespace osh::analysis {

// Field `index` of `event` as a number: any numeric kind, or a word holding a decimal number
// (a guest schema that types the field as a word). Nullopt when absent or not a number.
std::optional<double> number_field(const marker::MarkerEvent& event, size_t index);

// A stretch of guest time in which something that should happen regularly did not, measured by
// the SYS:HEARTBEAT uptimes seen inside it: heartbeats come from the timer interrupt every
// 1000 ms of uptime, so they keep counting guest time while a workload is silent. The measured
// length is a lower bound (last minus first heartbeat uptime in the window): about one second
// of resolution, and nothing at all when the guest prints no heartbeats.
struct Silence {
  uint64_t from_uptime_ms = 0;  // first heartbeat inside the window
  uint64_t to_uptime_ms = 0;    // last heartbeat inside the window
  std::string context;          // what was being watched, as given to open()
  uint64_t length_ms() const { return to_uptime_ms - from_uptime_ms; }
};

class SilenceTracker {
 public:
  // Windows longer than `limit_ms` are kept as violations.
  explicit SilenceTracker(uint64_t limit_ms) : limit_ms_(limit_ms) {}

  // Starts watching (a new window begins now); `sign()` ends the current window and begins the
  // next; `close()` ends the current window and stops watching until the next open().
  // `context` ("load level 3") is kept with the windows opened from now on.
  void open(std::string context = {});
  void sign();
  void close();
  void heartbeat(uint64_t uptime_ms);

  // The longest window seen, the current open one included.
  uint64_t longest_ms() const;
  // Windows longer than the limit, in order; the open one counts once it is over the limit.
  std::vector<Silence> violations() const;

 private:
  void end_window();
  uint64_t limit_ms_;
  bool watching_ = false;
  std::string context_;
  std::optional<Silence> current_;  // heartbeats seen in the open window
  uint64_t longest_ms_ = 0;
  std::vector<Silence> violations_;
};

// A number as a finding prints it: "%g".
std::string format_number(double value);

// A process that ended other than by exiting: PROC:CRASHED:<pid>:<exception> or
// PROC:KILLED:<pid>:<reason>.
struct ProcessEnding {
  uint32_t pid = 0;
  bool crashed = false;          // else killed
  std::string why;               // the exception or the kill reason
  std::string describe() const;  // "pid 7 crashed: PAGE_FAULT"
};
// Nullopt for any other marker.
std::optional<ProcessEnding> process_ending(const marker::MarkerEvent& event);
// The first five, comma-separated, then "..." when there are more.
std::string list_endings(const std::vector<ProcessEnding>& endings);

// At most about `max_points` points with the shape of the series kept: the points are split into
// max_points / 2 consecutive buckets and each contributes its lowest and highest point, in x
// order, so a one-second dip or spike stays visible however long the run.
std::vector<stats::Point> thin_points(std::span<const stats::Point> points, size_t max_points);

// Appends `chart` to analysis["charts"], which the HTML report draws.
void add_chart(nlohmann::json& analysis, const stats::Chart& chart);

}  // namespace osh::analysis
