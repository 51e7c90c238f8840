#pragma once
// How the gate writes its numbers, the same in Markdown, JUnit and reasons.
#include <string>

namespace osh::gate {

struct MetricComparison;

// 0.05 -> "5%" (with `decimals` digits after the point).
std::string percent(double fraction, int decimals);
// A signed relative change: "+9.8%", "-0.42%" (two decimals below 10%, one above).
std::string signed_percent(double fraction);
// "0.031", "< 0.0001".
std::string p_value(double p);
// "p = 0.031", "p < 0.0001".
std::string p_text(double p);
// Four significant digits, never in exponent form: "90.18", "1235", "0.001234", "3".
std::string short_number(double v);
// A value with its unit: "812 us", "90.18 ms", "3".
std::string with_unit(double value, const std::string& unit);
// The shift and its interval: "+9.8% (95% CI +6.1% to +13.9%)", "+2 ms (95% CI +1 to +3 ms)",
// or "+9.8% (no interval: too few runs)".
std::string describe_shift(const MetricComparison& c);

}  // namespace osh::gate
