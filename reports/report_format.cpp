#include "reports/report_format.h"

#include <charconv>
#include <cmath>
#include <ctime>

namespace osh::reports {

std::string fixed(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[400];  // the widest double in fixed notation fits
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string out(buf, res.ptr);
  // No "-0.0": a value that rounds to zero is zero.
  if (out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

std::string number(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 1e15) return fixed(v, 0);
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  return std::string(buf, res.ptr);
}

std::string utc_time(int64_t unix_ms, const char* format) {
  const auto t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::string human_duration(double ms) {
  if (!std::isfinite(ms) || ms < 0) return fixed(ms, 0) + " ms";
  if (ms < 1000) return fixed(ms, 0) + " ms";
  if (ms < 60'000) return fixed(ms / 1000, 1) + " s";
  const auto s = static_cast<int64_t>(std::llround(ms / 1000));
  const auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (s < 3600) return std::to_string(s / 60) + " min " + two(s % 60) + " s";
  return std::to_string(s / 3600) + " h " + two(s / 60 % 60) + " min";
}

}  // namespace osh::reports
