#include "harness/stats/chart.h"

#include "harness/base/json_reader.h"

namespace osh::stats {
namespace {

nlohmann::json points_json(const std::vector<Point>& points) {
  // [[x, y], ...] keeps long time series compact.
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : points) out.push_back({p.x, p.y});
  return out;
}

std::vector<Point> points_from_json(const nlohmann::json* points, JsonReader& r,
                                    const std::string& key) {
  std::vector<Point> out;
  if (!points) return out;
  if (!points->is_array()) r.fail(key, "expected an array, got " + describe_json(*points));
  for (size_t k = 0; k < points->size(); ++k) {
    const auto& p = (*points)[k];
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
      r.fail(key + "[" + std::to_string(k) + "]", "expected [x, y], got " + describe_json(p));
    out.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return out;
}

// "#1a2b3c": the only colour form a chart carries, so that it can go into an attribute as is.
bool is_hex_color(const std::string& s) {
  return s.size() == 7 && s[0] == '#' &&
         s.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
}

}  // namespace

std::optional<double> x_at_host_time(const Chart& chart, double host_s) {
  const auto& clock = chart.host_clock;
  if (clock.empty() || host_s < clock.front().y || host_s > clock.back().y) return std::nullopt;
  for (size_t i = 1; i < clock.size(); ++i) {
    const Point& a = clock[i - 1];
    const Point& b = clock[i];
    if (host_s > b.y) continue;
    if (b.y <= a.y) return b.x;
    return a.x + (b.x - a.x) * (host_s - a.y) / (b.y - a.y);
  }
  return clock.front().x;  // a single point, and host_s is exactly it
}

nlohmann::json to_json(const Chart& c) {
  nlohmann::json series = nlohmann::json::array();
  for (const auto& s : c.series) {
    series.push_back({{"name", s.name}, {"points", points_json(s.points)}});
    if (!s.color.empty()) series.back()["color"] = s.color;
  }
  nlohmann::json shades = nlohmann::json::array();
  for (const auto& s : c.shades)
    shades.push_back({{"from", s.from}, {"to", s.to}, {"label", s.label}});
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : c.rules) rules.push_back({{"x", r.x}, {"label", r.label}});
  const char* kind = c.kind == Chart::Kind::Line        ? "line"
                     : c.kind == Chart::Kind::Histogram ? "histogram"
                     : c.kind == Chart::Kind::Scatter   ? "scatter"
                                                        : "bars";
  nlohmann::json j = {{"kind", kind},         {"id", c.id},         {"title", c.title},
                      {"x_label", c.x_label}, {"x_unit", c.x_unit}, {"y_label", c.y_label},
                      {"y_unit", c.y_unit},   {"log_x", c.log_x},   {"series", series},
                      {"shades", shades},     {"rules", rules}};
  if (!c.host_clock.empty()) j["host_clock"] = points_json(c.host_clock);
  if (!c.categories.empty()) j["categories"] = c.categories;
  if (!c.levels.empty()) {
    auto& levels = j["levels"] = nlohmann::json::array();
    for (const auto& l : c.levels) levels.push_back({{"y", l.y}, {"label", l.label}});
  }
  return j;
}

Chart chart_from_json(const nlohmann::json& json, const std::string& origin) {
  JsonReader r(json, origin);
  Chart c;
  const auto kind = r.required(r.string("kind"), "kind");
  if (kind == "line") {
    c.kind = Chart::Kind::Line;
  } else if (kind == "histogram") {
    c.kind = Chart::Kind::Histogram;
  } else if (kind == "bars") {
    c.kind = Chart::Kind::Bars;
  } else if (kind == "scatter") {
    c.kind = Chart::Kind::Scatter;
  } else {
    r.fail("kind",
           "expected \"line\", \"histogram\", \"scatter\" or \"bars\", got \"" + kind + "\"");
  }
  c.id = r.string("id").value_or("");
  c.title = r.string("title").value_or("");
  c.x_label = r.string("x_label").value_or("");
  c.x_unit = r.string("x_unit").value_or("");
  c.y_label = r.string("y_label").value_or("");
  c.y_unit = r.string("y_unit").value_or("");
  c.log_x = r.boolean("log_x").value_or(false);
  const auto array_of = [&](const char* key) -> const nlohmann::json& {
    static const nlohmann::json empty = nlohmann::json::array();
    const auto* v = r.raw(key);
    if (!v) return empty;
    if (!v->is_array()) r.fail(key, "expected an array, got " + describe_json(*v));
    return *v;
  };
  const auto& series = array_of("series");
  for (size_t i = 0; i < series.size(); ++i) {
    const std::string where = "series[" + std::to_string(i) + "]";
    JsonReader s(series[i], origin, where);
    c.series.push_back({s.string("name").value_or(""),
                        points_from_json(s.raw("points"), s, "points"),
                        s.string("color").value_or("")});
    if (!c.series.back().color.empty() && !is_hex_color(c.series.back().color))
      s.fail("color", "expected a colour as #rrggbb, got \"" + c.series.back().color + "\"");
  }
  const auto& shades = array_of("shades");
  for (size_t i = 0; i < shades.size(); ++i) {
    JsonReader s(shades[i], origin, "shades[" + std::to_string(i) + "]");
    c.shades.push_back({s.required(s.number("from"), "from"), s.required(s.number("to"), "to"),
                        s.string("label").value_or("")});
  }
  const auto& rules = array_of("rules");
  for (size_t i = 0; i < rules.size(); ++i) {
    JsonReader s(rules[i], origin, "rules[" + std::to_string(i) + "]");
    c.rules.push_back({s.required(s.number("x"), "x"), s.string("label").value_or("")});
  }
  const auto& levels = array_of("levels");
  for (size_t i = 0; i < levels.size(); ++i) {
    JsonReader s(levels[i], origin, "levels[" + std::to_string(i) + "]");
    c.levels.push_back({s.required(s.number("y"), "y"), s.string("label").value_or("")});
  }
  c.host_clock = points_from_json(r.raw("host_clock"), r, "host_clock");
  c.categories = r.strings("categories").value_or(std::vector<std::string>{});
  return c;
}

}  // namespace osh::stats
