#pragma once
// What the gate calls a regression: the confidence of its intervals and, per metric, how large
// a shift must be before it counts. A threshold is relative ("5%": a shift of the median by
// 5%), absolute ("2": two units of the metric, e.g. 2 ms or 2 lost markers), or "off" (the
// metric is reported, never gating). Set per metric or per family ("latency_us.*"), from the
// command line (--threshold NAME=VALUE) and/or a JSON file (docs/statistics.md, "Thresholds").
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/campaign/plugins.h"

namespace osh::gate {

struct Threshold {
  enum class Kind : unsigned char { Relative, Absolute, Off };
  Kind kind = Kind::Relative;
  double value = 0.05;  // a fraction for Relative, metric units for Absolute

  std::string text() const;  // "5%", "2", "off"
};

// "10%", "2.5", "0", "off". Returns false when `text` is none of these.
bool parse_threshold(std::string_view text, Threshold& out);

struct GateConfig {
  double confidence = 0.95;  // of the intervals; alpha = 1 - confidence for the tests
  Threshold default_threshold;
  std::vector<std::pair<std::string, Threshold>> thresholds;  // in the order given
  // What each metric means (its unit, which way is better); null: the base metrics only.
  const campaign::Plugins* plugins = nullptr;

  // The threshold of `metric`: an exact name, else the longest matching family "prefix.*",
  // else the default. A later setting of the same pattern replaces an earlier one.
  Threshold threshold_for(std::string_view metric) const;
  void set(std::string pattern, Threshold threshold);
};

// Applies a JSON config file to `config`:
//   {"confidence": 0.95, "default_threshold": "5%",
//    "thresholds": {"latency_us.p99": "10%", "markers.lost": 0, "duration_ms": "off"}}
// Throws osh::InputError naming the file and the field.
void apply_config_file(GateConfig& config, const std::filesystem::path& file);

// Applies one --threshold NAME=VALUE; throws osh::UsageError when malformed.
void apply_threshold_option(GateConfig& config, std::string_view option);

// Throws osh::UsageError unless 0.5 <= confidence < 1.
void check_confidence(double confidence, const std::string& where);

}  // namespace osh::gate
