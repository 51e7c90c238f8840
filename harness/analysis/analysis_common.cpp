#include "harness/analysis/analysis_common.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace osh::analysis {

std::optional<double> number_field(const marker::MarkerEvent& event, size_t index) {
  if (index >= event.fields.size()) return std::nullopt;
  const auto& f = event.fields[index];
  const double v = f.number();
  if (std::isfinite(v)) return v;
  double parsed = 0;
  const auto* end = f.text.data() + f.text.size();
  const auto [p, ec] = std::from_chars(f.text.data(), end, parsed);
  if (ec != std::errc() || p != end || !std::isfinite(parsed)) return std::nullopt;
  return parsed;
}

std::string format_number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

std::string ProcessEnding::describe() const {
  return "pid " + std::to_string(pid) + (crashed ? " crashed: " : " killed: ") + why;
}

std::optional<ProcessEnding> process_ending(const marker::MarkerEvent& event) {
  if (event.category != "PROC" || (event.event != "CRASHED" && event.event != "KILLED"))
    return std::nullopt;
  const auto pid = number_field(event, 0);
  return ProcessEnding{pid ? static_cast<uint32_t>(*pid) : 0, event.event == "CRASHED",
                       event.fields.size() > 1 ? std::string(event.fields[1].text) : ""};
}

std::string list_endings(const std::vector<ProcessEnding>& endings) {
  constexpr size_t kNamed = 5;
  std::string list;
  for (size_t i = 0; i < endings.size() && i < kNamed; ++i)
    list += (i ? ", " : "") + endings[i].describe();
  if (endings.size() > kNamed) list += ", ...";
  return list;
}

void SilenceTracker::open(std::string context) {
  end_window();
  watching_ = true;
  context_ = std::move(context);
}

void SilenceTracker::sign() {
  if (!watching_) return;
  end_window();
}

void SilenceTracker::close() {
  end_window();
  watching_ = false;
}

void SilenceTracker::heartbeat(uint64_t uptime_ms) {
  if (!watching_) return;
  if (!current_) {
    current_ = Silence{uptime_ms, uptime_ms, context_};
  } else {
    current_->to_uptime_ms = std::max(current_->to_uptime_ms, uptime_ms);
  }
}

void SilenceTracker::end_window() {
  if (!current_) return;
  longest_ms_ = std::max(longest_ms_, current_->length_ms());
  if (current_->length_ms() > limit_ms_) violations_.push_back(*current_);
  current_.reset();
}

uint64_t SilenceTracker::longest_ms() const {
  return std::max(longest_ms_, current_ ? current_->length_ms() : 0);
}

std::vector<Silence> SilenceTracker::violations() const {
  auto all = violations_;
  if (current_ && current_->length_ms() > limit_ms_) all.push_back(*current_);
  return all;
}

std::vector<stats::Point> thin_points(std::span<const stats::Point> points, size_t max_points) {
  const size_t buckets = std::max<size_t>(1, max_points / 2);
  if (points.size() <= max_points) return {points.begin(), points.end()};
  std::vector<stats::Point> out;
  out.reserve(2 * buckets);
  for (size_t b = 0; b < buckets; ++b) {
    const size_t from = points.size() * b / buckets;
    const size_t to = points.size() * (b + 1) / buckets;
    const auto [lo, hi] =
        std::minmax_element(points.begin() + static_cast<std::ptrdiff_t>(from),
                            points.begin() + static_cast<std::ptrdiff_t>(to),
                            [](const stats::Point& a, const stats::Point& c) { return a.y < c.y; });
    if (lo == hi) {
      out.push_back(*lo);
    } else if (lo->x <= hi->x) {
      out.push_back(*lo);
      out.push_back(*hi);
    } else {
      out.push_back(*hi);
      out.push_back(*lo);
    }
  }
  return out;
}

void add_chart(nlohmann::json& analysis, const stats::Chart& chart) {
  if (!analysis.contains("charts")) analysis["charts"] = nlohmann::json::array();
  analysis["charts"].push_back(stats::to_json(chart));
}

}  // namespace osh::analysis
