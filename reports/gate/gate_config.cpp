#include "reports/gate/gate_config.h"

#include <charconv>
#include <cmath>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"
#include "reports/report_format.h"

namespace osh::gate {
namespace {

bool parse_number(std::string_view text, double& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out) && out >= 0;
}

bool valid_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern == ".*") return false;
  const auto star = pattern.find('*');
  return star == std::string_view::npos || (star == pattern.size() - 1 && pattern.ends_with(".*"));
}

constexpr const char* kThresholdForms =
    "a percentage (\"10%\"), an absolute amount in the metric's unit (\"2.5\"), or \"off\"";

}  // namespace

std::string Threshold::text() const {
  switch (kind) {
    case Kind::Relative:
      return reports::number(value * 100) + "%";
    case Kind::Absolute:
      return reports::number(value);
    case Kind::Off:
      return "off";
  }
  return "?";
}

bool parse_threshold(std::string_view text, Threshold& out) {
  if (text == "off") {
    out = {Threshold::Kind::Off, 0};
    return true;
  }
  double v = 0;
  if (text.ends_with('%')) {
    if (!parse_number(text.substr(0, text.size() - 1), v)) return false;
    out = {Threshold::Kind::Relative, v / 100};
    return true;
  }
  if (!parse_number(text, v)) return false;
  out = {Threshold::Kind::Absolute, v};
  return true;
}

Threshold GateConfig::threshold_for(std::string_view metric) const {
  const Threshold* best = nullptr;
  size_t best_length = 0;
  for (const auto& [pattern, threshold] : thresholds) {
    if (pattern == metric) return threshold;
    if (pattern.ends_with(".*")) {
      const std::string_view prefix(pattern.data(), pattern.size() - 1);  // keeps the dot
      if (metric.starts_with(prefix) && prefix.size() >= best_length) {
        best = &threshold;
        best_length = prefix.size();
      }
    }
  }
  return best ? *best : default_threshold;
}

void GateConfig::set(std::string pattern, Threshold threshold) {
  for (auto& entry : thresholds)
    if (entry.first == pattern) {
      entry.second = threshold;
      return;
    }
  thresholds.emplace_back(std::move(pattern), threshold);
}

void check_confidence(double confidence, const std::string& where) {
  if (!(confidence >= 0.5 && confidence < 1))
    throw UsageError(where + ": confidence must be at least 0.5 and below 1 (e.g. 0.95), got " +
                     reports::number(confidence));
}

void apply_config_file(GateConfig& config, const std::filesystem::path& file) {
  const auto json = load_json_file(file.string());
  JsonReader r(json, file.string());
  if (const auto c = r.number("confidence")) {
    if (!(*c >= 0.5 && *c < 1))
      r.fail("confidence", "must be at least 0.5 and below 1 (e.g. 0.95)");
    config.confidence = *c;
  }
  const auto read = [&](JsonReader& reader, const std::string& key) {
    const auto* v = reader.raw(key);
    if (!v) reader.fail(key, "required field is missing");
    Threshold t;
    const bool ok = (v->is_string() && parse_threshold(v->get<std::string>(), t)) ||
                    (v->is_number() && parse_threshold(v->dump(), t));
    if (!ok)
      reader.fail(key, std::string("expected ") + kThresholdForms + ", got " + describe_json(*v));
    return t;
  };
  if (r.has("default_threshold")) config.default_threshold = read(r, "default_threshold");
  if (auto t = r.object("thresholds")) {
    for (const auto& [pattern, value] : json["thresholds"].items()) {
      if (!valid_pattern(pattern))
        t->fail(pattern, "not a metric name or family (\"latency_us.p99\", \"latency_us.*\")");
      config.set(pattern, read(*t, pattern));
    }
  }
  r.reject_unknown();
}

void apply_threshold_option(GateConfig& config, std::string_view option) {
  const auto eq = option.rfind('=');
  const auto fail = [&](const std::string& why) {
    throw UsageError("--threshold \"" + escape_text(option) + "\": " + why);
  };
  if (eq == std::string_view::npos || eq == 0) fail("expected NAME=VALUE, e.g. latency_us.p99=10%");
  const auto pattern = option.substr(0, eq);
  if (!valid_pattern(pattern))
    fail("\"" + escape_text(pattern) + "\" is not a metric name or family (\"latency_us.*\")");
  Threshold t;
  if (!parse_threshold(option.substr(eq + 1), t))
    fail(std::string("the value must be ") + kThresholdForms);
  config.set(std::string(pattern), t);
}

}  // namespace osh::gate
