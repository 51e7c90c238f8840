#pragma once
// What an analyzer wants drawn, independent of how: the HTML report renders every chart of a
// run (RunResult::analysis["charts"]) generically, so a new campaign kind gets charts without
// touching the report writer. Serialized in report.json (docs/report-json.md, "Charts").
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace osh::stats {

struct Point {
  double x = 0;
  double y = 0;
};

struct Series {
  std::string name;  // legend: "p99", "fps"
  std::vector<Point> points;
  // "#rrggbb" when the colour means something (a verdict); empty: the next of the palette.
  std::string color = {};
};

// A span of the x axis to shade, e.g. a fault-injection window: [from, to] with a label.
struct Shade {
  double from = 0;
  double to = 0;
  std::string label;
};

// A vertical marker on the x axis, e.g. a percentile on a latency histogram.
struct Rule {
  double x = 0;
  std::string label;  // "p99 = 1830 us"
};

// A horizontal line across the plot, e.g. a criterion's bound: "boot_ms <= 200".
struct Level {
  double y = 0;
  std::string label;
};

struct Chart {
  enum class Kind : unsigned char {
    Line,       // series of (x, y): time series, degradation curves
    Histogram,  // one series of (bucket start, count), buckets in x order; rules for percentiles
    Bars,       // horizontal stacked bars, one per category: series k gives each category's
                // k-th segment as (category index, value); the value axis is x
    Scatter,    // series of (x, y) drawn as dots, unconnected: one series per verdict
  };
  Kind kind = Kind::Line;
  std::string id;               // stable within a run: "soak.fps", "perf.buffer_commit.latency"
  std::string title;            // "Frames per second"
  std::string x_label, x_unit;  // "guest time", "s"
  std::string y_label, y_unit;  // "latency", "us"
  bool log_x = false;           // histograms of latencies read better on a log axis
  std::vector<Series> series;
  std::vector<std::string> categories;  // Bars: the bars' labels, top to bottom
  std::vector<Shade> shades;
  std::vector<Rule> rules;
  std::vector<Level> levels;
  // For an x axis of guest time: (x, host CLOCK_MONOTONIC in s) pairs, in order, so that what
  // the host saw at a given moment (an injected fault) can be shaded where it belongs.
  std::vector<Point> host_clock;
};

// Where host time `host_s` falls on `chart`'s x axis, interpolating its host_clock; nullopt when
// the chart has no host clock or `host_s` lies outside it.
std::optional<double> x_at_host_time(const Chart& chart, double host_s);

nlohmann::json to_json(const Chart& chart);
// Throws osh::InputError naming `origin` and the field when malformed.
Chart chart_from_json(const nlohmann::json& json, const std::string& origin);

}  // namespace osh::stats
