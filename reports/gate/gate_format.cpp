#include "reports/gate/gate_format.h"

#include <algorithm>
#include <cmath>

#include "reports/gate/metric_compare.h"
#include "reports/report_format.h"

namespace osh::gate {
namespace {

std::string signed_number(double v) { return (v > 0 ? "+" : "") + short_number(v); }

}  // namespace

std::string percent(double fraction, int decimals) {
  return reports::fixed(fraction * 100, decimals) + "%";
}

std::string signed_percent(double fraction) {
  // Decided on the rounded value, so that 9.9999% prints as "10.0%" and not "10.00%".
  const std::string text = percent(fraction, std::abs(fraction) * 100 < 9.995 ? 2 : 1);
  return fraction > 0 ? "+" + text : text;
}

std::string p_value(double p) {
  if (p < 0.0001) return "< 0.0001";
  return reports::fixed(p, p < 0.001 ? 4 : 3);
}

std::string p_text(double p) { return p < 0.0001 ? "p " + p_value(p) : "p = " + p_value(p); }

std::string short_number(double v) {
  if (!std::isfinite(v) || v == std::floor(v)) return reports::number(v);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(v))));
  return reports::fixed(v, std::clamp(3 - magnitude, 0, 12));
}

std::string with_unit(double value, const std::string& unit) {
  return unit.empty() ? short_number(value) : short_number(value) + " " + unit;
}

std::string describe_shift(const MetricComparison& c) {
  const auto show = [&](double v) {
    return c.relative ? signed_percent(v) : signed_number(v) + (c.unit.empty() ? "" : " " + c.unit);
  };
  if (!c.tested) return show(c.shift) + " (no interval: too few runs)";
  return show(c.shift) + " (" + percent(c.confidence, 0) + " CI " + show(c.low) + " to " +
         show(c.high) + ")";
}

}  // namespace osh::gate
