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

}  // namespace

nlohmann::json to_json(const Chart& c) {
  nlohmann::json series = nlohmann::json::array();
  for (const auto& s : c.series) series.push_back({{"name", s.name}, {"points", points_json(s.points)}});
  nlohmann::json shades = nlohmann::json::array();
  for (const auto& s : c.shades) shades.push_back({{"from", s.from}, {"to", s.to}, {"label", s.label}});
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : c.rules) rules.push_back({{"x", r.x}, {"label", r.label}});
  return {{"kind", c.kind == Chart::Kind::Line ? "line" : "histogram"},
          {"id", c.id},
          {"title", c.title},
          {"x_label", c.x_label},
          {"x_unit", c.x_unit},
          {"y_label", c.y_label},
          {"y_unit", c.y_unit},
          {"log_x", c.log_x},
          {"series", series},
          {"shades", shades},
          {"rules", rules}};
}

Chart chart_from_json(const nlohmann::json& json, const std::string& origin) {
  JsonReader r(json, origin);
  Chart c;
  const auto kind = r.required(r.string("kind"), "kind");
  if (kind == "line") {
    c.kind = Chart::Kind::Line;
  } else if (kind == "histogram") {
    c.kind = Chart::Kind::Histogram;
  } else {
    r.fail("kind", "expected \"line\" or \"histogram\", got \"" + kind + "\"");
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
    Series out{s.string("name").value_or(""), {}};
    if (const auto* points = s.raw("points")) {
      for (size_t k = 0; k < points->size(); ++k) {
        const auto& p = (*points)[k];
        if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
          s.fail("points[" + std::to_string(k) + "]", "expected [x, y], got " + describe_json(p));
        out.points.push_back({p[0].get<double>(), p[1].get<double>()});
      }
    }
    c.series.push_back(std::move(out));
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
  return c;
}

}  // namespace osh::stats
