#include "reports/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "reports/html_text.h"
#include "reports/report_format.h"
#include "reports/svg_bars.h"

namespace osh::reports {
namespace {

using stats::Chart;
using stats::Point;

constexpr double kMax = std::numeric_limits<double>::max();
constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1",
                                    "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"};
constexpr double kCharWidth = 6.2;  // average advance of an 11px sans-serif character
constexpr double kRowHeight = 14;
constexpr std::pair<double, const char*> kSuffixes[] = {
    {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};

double clamp_finite(double v) { return std::clamp(v, -kMax, kMax); }

// `digits` significant digits, shortest form ("0.002", "1e+300").
std::string general(double v, int digits) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits);
  return std::string(buf, res.ptr);
}

// 2500 -> "2.5k", 3e6 -> "3M": for ticks of a log axis, each labelled on its own.
std::string compact(double v) {
  const double a = std::abs(v);
  if (v == 0) return "0";
  if (a >= 1e15 || a < 1e-3) return general(v, 3);
  for (const auto& [div, suffix] : kSuffixes)
    if (a >= div) return general(v / div, 3) + suffix;
  return general(v, 6);
}

// Labels for evenly spaced ticks: enough decimals to tell neighbours apart, a k/M/G/T suffix
// for large magnitudes, scientific notation beyond.
std::vector<std::string> linear_labels(const std::vector<double>& values, double step) {
  double mag = 0;
  for (const double v : values) mag = std::max(mag, std::abs(v));
  std::vector<std::string> out;
  const auto decimals_for = [](double s) {
    // The epsilon keeps 0.001 (stored a hair below or above) at 3 decimals.
    return static_cast<int>(std::clamp(-std::floor(std::log10(s) + 1e-9), 0.0, 12.0));
  };
  if (mag >= 1e15 || step < 1e-9) {
    const int digits =
        static_cast<int>(std::clamp(std::ceil(std::log10(mag / step)) + 1, 3.0, 17.0));
    for (const double v : values) out.push_back(v == 0 ? "0" : general(v, digits));
    return out;
  }
  double div = 1;
  const char* suffix = "";
  if (mag >= 1e4) {
    for (const auto& [d, s] : kSuffixes)
      if (mag >= d) {
        div = d;
        suffix = s;
        break;
      }
  }
  const int decimals = decimals_for(step / div);
  for (const double v : values) out.push_back(v == 0 ? "0" : fixed(v / div, decimals) + suffix);
  return out;
}

// 1, 2 or 5 times a power of ten, at least `rough`.
double nice_step(double rough) {
  const double e = std::floor(std::log10(rough));
  const double f = rough / std::pow(10.0, e);
  const double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  // Near DBL_MAX the nice step itself overflows; the largest double still covers the range.
  return clamp_finite(nf * std::pow(10.0, e));
}

// Assigns each label [begin, end) (pixels) the first of `rows` rows where it does not overlap
// the previous label of that row; -1 when none is free. Labels come in x order.
std::vector<int> assign_rows(const std::vector<std::pair<double, double>>& spans, int rows) {
  std::vector<double> row_end(static_cast<size_t>(rows), -kMax);
  std::vector<int> out;
  for (const auto& [begin, end] : spans) {
    int chosen = -1;
    for (int r = 0; r < rows && chosen < 0; ++r)
      if (begin > row_end[static_cast<size_t>(r)] + 4) chosen = r;
    if (chosen >= 0) row_end[static_cast<size_t>(chosen)] = end;
    out.push_back(chosen);
  }
  return out;
}

std::string axis_title(const std::string& label, const std::string& unit) {
  if (unit.empty()) return label;
  if (label.empty()) return unit;
  return label + " (" + unit + ")";
}

bool finite_point(const Point& p, bool log_x) {
  return std::isfinite(p.x) && std::isfinite(p.y) && (!log_x || p.x > 0);
}

// A histogram bucket: [start, end) with its count.
struct Bar {
  double start, end, count;
};

// Buckets of one series in x order; each ends where the next starts, the last one as wide as
// the one before it (by ratio on a log axis).
std::vector<Bar> bars_of(const stats::Series& series, bool log_x) {
  std::vector<Point> pts;
  for (const auto& p : series.points)
    if (std::isfinite(p.x) && std::isfinite(p.y)) pts.push_back(p);
  std::stable_sort(pts.begin(), pts.end(),
                   [](const Point& a, const Point& b) { return a.x < b.x; });
  std::vector<Bar> out;
  for (size_t i = 0; i < pts.size(); ++i) {
    double end;
    if (i + 1 < pts.size()) {
      end = pts[i + 1].x;
    } else if (i > 0 && log_x && pts[i - 1].x > 0) {
      end = pts[i].x * (pts[i].x / pts[i - 1].x);
    } else if (i > 0) {
      end = pts[i].x + (pts[i].x - pts[i - 1].x);
    } else {
      end =
          log_x && pts[i].x > 0 ? pts[i].x * 2 : pts[i].x + std::max(1.0, std::abs(pts[i].x) * 0.1);
    }
    out.push_back({pts[i].x, clamp_finite(end), pts[i].y});
  }
  return out;
}

struct Range {
  double lo = kMax, hi = -kMax;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

class Renderer {
 public:
  Renderer(const Chart& chart, const SvgSize& size) : c_(chart), size_(size) {}
  std::string render();

 private:
  void measure();
  void layout();
  void draw_frame();
  void draw_shades();
  void draw_series();
  void draw_rules();
  void draw_levels();
  void draw_legend();
  std::string color_of(size_t series) const;
  void draw_labels();
  void text(double x, double y, const std::string& escaped, const char* extra = "");

  const Chart& c_;
  SvgSize size_;
  bool hist_ = false;
  std::vector<std::vector<Bar>> bars_;
  Range xr_, yr_;
  bool has_data_ = false;
  bool counts_ = false;  // a histogram of whole counts: no fractional ticks
  bool whole_x_ = true;  // every x a whole number (run or campaign numbers): no tick at 1.5
  AxisTicks xt_, yt_;
  std::vector<int> rule_rows_;
  std::vector<size_t> rule_order_;
  int rule_row_count_ = 0;
  int legend_rows_ = 0;
  double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0, height_ = 0;
  struct Label {
    double x, y;
    std::string escaped;
    const char* extra;
  };
  std::vector<Label> labels_;  // of shades and rules, drawn over everything else
  std::string out_;
};

void Renderer::measure() {
  hist_ = c_.kind == Chart::Kind::Histogram;
  const bool log = c_.log_x;
  if (hist_) {
    yr_.add(0);
    counts_ = true;
    for (const auto& s : c_.series) {
      bars_.push_back(bars_of(s, log));
      for (const auto& b : bars_.back()) {
        if (log && b.end <= 0) continue;
        has_data_ = true;
        if (!log || b.start > 0) xr_.add(b.start);
        xr_.add(b.end);
        yr_.add(b.count);
        counts_ = counts_ && b.count == std::trunc(b.count);
      }
    }
  } else {
    for (const auto& s : c_.series)
      for (const auto& p : s.points)
        if (finite_point(p, log)) {
          has_data_ = true;
          xr_.add(p.x);
          yr_.add(p.y);
          whole_x_ = whole_x_ && p.x == std::trunc(p.x);
        }
  }
  for (const auto& s : c_.shades)
    for (const double x : {s.from, s.to})
      if (std::isfinite(x) && (!log || x > 0)) xr_.add(x);
  for (const auto& r : c_.rules)
    if (std::isfinite(r.x) && (!log || r.x > 0)) xr_.add(r.x);
  // A bound far from every value still shows where it lies: the y axis covers it.
  for (const auto& l : c_.levels)
    if (std::isfinite(l.y)) yr_.add(l.y);
  if (xr_.empty()) xr_ = {log ? 1.0 : 0.0, log ? 10.0 : 1.0};
  if (yr_.empty()) yr_ = {0, 1};
}

void Renderer::layout() {
  const double plot_width_guess = size_.width - 90.0;
  xt_ = c_.log_x
            ? log_ticks(xr_.lo, xr_.hi, 10)
            : linear_ticks(xr_.lo, xr_.hi, std::max(2, static_cast<int>(plot_width_guess / 90)),
                           !hist_ && has_data_ && whole_x_ ? 1 : 0);
  yt_ = linear_ticks(yr_.lo, yr_.hi, 5, counts_ ? 1 : 0);
  size_t y_label_chars = 1;
  for (const auto& l : yt_.labels) y_label_chars = std::max(y_label_chars, l.size());
  left_ = 30 + kCharWidth * static_cast<double>(y_label_chars) + 8;
  right_ = size_.width - 18.0;

  // Legend items flow in rows under the title. A scatter's colours are verdicts: named even alone.
  if (c_.series.size() > 1 || (c_.kind == Chart::Kind::Scatter && !c_.series.empty())) {
    double x = left_;
    legend_rows_ = 1;
    for (const auto& s : c_.series) {
      const double w =
          22 + kCharWidth * static_cast<double>(std::min<size_t>(shown_chars(s.name), 40));
      if (x + w > right_ && x > left_) {
        ++legend_rows_;
        x = left_;
      }
      x += w + 12;
    }
  }
  // Rule labels sit in rows above the plot, each row holding labels that do not overlap.
  const Scale sx(xt_.lo, xt_.hi, left_, right_, c_.log_x);
  for (size_t i = 0; i < c_.rules.size(); ++i)
    if (std::isfinite(c_.rules[i].x)) rule_order_.push_back(i);
  std::stable_sort(rule_order_.begin(), rule_order_.end(),
                   [&](size_t a, size_t b) { return c_.rules[a].x < c_.rules[b].x; });
  std::vector<std::pair<double, double>> spans;
  for (const size_t i : rule_order_) {
    const double px = sx(c_.rules[i].x);
    const double w =
        kCharWidth * static_cast<double>(std::min<size_t>(shown_chars(c_.rules[i].label), 40));
    spans.push_back(px + 3 + w > right_ ? std::pair{px - 3 - w, px} : std::pair{px, px + 3 + w});
  }
  rule_rows_ = assign_rows(spans, 3);
  for (const int r : rule_rows_) rule_row_count_ = std::max(rule_row_count_, r + 1);

  top_ = 28 + legend_rows_ * 16.0 + rule_row_count_ * kRowHeight + 8;
  const double plot_height = size_.height - 28 - 8 - 44.0;
  bottom_ = top_ + plot_height;
  height_ = bottom_ + 44;
}

void Renderer::text(double x, double y, const std::string& escaped, const char* extra) {
  out_ += "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\"" + extra + ">" + escaped +
          "</text>";
}

void Renderer::draw_frame() {
  const Scale sx(xt_.lo, xt_.hi, left_, right_, c_.log_x);
  const Scale sy(yt_.lo, yt_.hi, bottom_, top_, false);
  out_ += "<rect x=\"" + fixed(left_, 1) + "\" y=\"" + fixed(top_, 1) + "\" width=\"" +
          fixed(right_ - left_, 1) + "\" height=\"" + fixed(bottom_ - top_, 1) +
          "\" fill=\"#fcfcfd\" stroke=\"#d0d4da\"/>";
  for (size_t i = 0; i < yt_.values.size(); ++i) {
    const double y = sy(yt_.values[i]);
    out_ += "<line x1=\"" + fixed(left_, 1) + "\" x2=\"" + fixed(right_, 1) + "\" y1=\"" +
            fixed(y, 1) + "\" y2=\"" + fixed(y, 1) + "\" stroke=\"#e6e8eb\"/>";
    text(left_ - 6, y + 3.5, html(yt_.labels[i]), " text-anchor=\"end\" fill=\"#555\"");
  }
  for (size_t i = 0; i < xt_.values.size(); ++i) {
    const double x = sx(xt_.values[i]);
    out_ += "<line x1=\"" + fixed(x, 1) + "\" x2=\"" + fixed(x, 1) + "\" y1=\"" +
            fixed(bottom_, 1) + "\" y2=\"" + fixed(bottom_ + 4, 1) + "\" stroke=\"#888\"/>";
    text(x, bottom_ + 16, html(xt_.labels[i]), " text-anchor=\"middle\" fill=\"#555\"");
  }
  // Titles are cut to the space they have (in bytes, so a little shorter for non-ASCII text).
  const auto fits = [](double px, double char_px) { return static_cast<size_t>(px / char_px); };
  text((left_ + right_) / 2, height_ - 8,
       html_clipped(axis_title(c_.x_label, c_.x_unit), fits(right_ - left_, kCharWidth)),
       " text-anchor=\"middle\" fill=\"#333\"");
  const double cy = (top_ + bottom_) / 2;
  text(14, cy, html_clipped(axis_title(c_.y_label, c_.y_unit), fits(bottom_ - top_, kCharWidth)),
       (" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 14 " + fixed(cy, 1) + ")\"")
           .c_str());
  text(8, 18, html_clipped(c_.title, fits(size_.width - 16, 7.6)),
       " font-size=\"13\" font-weight=\"600\" fill=\"#111\"");
  if (!has_data_)
    text((left_ + right_) / 2, cy, "no data", " text-anchor=\"middle\" fill=\"#888\"");
}

void Renderer::draw_shades() {
  const Scale sx(xt_.lo, xt_.hi, left_, right_, c_.log_x);
  std::vector<size_t> order;
  for (size_t i = 0; i < c_.shades.size(); ++i) {
    const auto& s = c_.shades[i];
    if (std::isfinite(s.from) && std::isfinite(s.to) && (!c_.log_x || std::max(s.from, s.to) > 0))
      order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::min(c_.shades[a].from, c_.shades[a].to) <
           std::min(c_.shades[b].from, c_.shades[b].to);
  });
  std::vector<std::pair<double, double>> spans;
  for (const size_t i : order) {
    const auto& s = c_.shades[i];
    const double a = sx(std::min(s.from, s.to));
    const double b = std::max(a + 1, sx(std::max(s.from, s.to)));
    out_ += "<rect x=\"" + fixed(a, 1) + "\" y=\"" + fixed(top_, 1) + "\" width=\"" +
            fixed(b - a, 1) + "\" height=\"" + fixed(bottom_ - top_, 1) +
            "\" fill=\"#f0a030\" fill-opacity=\"0.16\"><title>" + html_clipped(s.label, 200) +
            "</title></rect>";
    spans.push_back(
        {a, a + 3 + kCharWidth * static_cast<double>(std::min<size_t>(shown_chars(s.label), 40))});
  }
  // Labels at the foot of the plot, inside their window; rows keep neighbours apart.
  const auto rows = assign_rows(spans, 3);
  for (size_t k = 0; k < order.size(); ++k) {
    if (rows[k] < 0 || c_.shades[order[k]].label.empty()) continue;
    labels_.push_back({spans[k].first + 3, bottom_ - 5 - rows[k] * kRowHeight,
                       html_clipped(c_.shades[order[k]].label, 40), " fill=\"#9a5b00\""});
  }
}

void Renderer::draw_series() {
  const Scale sx(xt_.lo, xt_.hi, left_, right_, c_.log_x);
  const Scale sy(yt_.lo, yt_.hi, bottom_, top_, false);
  for (size_t si = 0; si < c_.series.size(); ++si) {
    const std::string color = color_of(si);
    if (hist_) {
      const std::string fill = std::string(" fill=\"") + color + "\"" +
                               (c_.series.size() > 1 ? " fill-opacity=\"0.6\"" : "");
      for (const auto& b : bars_[si]) {
        if (b.count == 0 || (c_.log_x && b.end <= 0)) continue;
        const double x0 = sx(b.start), x1 = sx(b.end);
        const double gap = x1 - x0 > 4 ? 1 : 0;
        const double y = sy(b.count), base = sy(0);
        out_ += "<rect x=\"" + fixed(x0, 1) + "\" y=\"" + fixed(std::min(y, base), 1) +
                "\" width=\"" + fixed(std::max(1.0, x1 - x0 - gap), 1) + "\" height=\"" +
                fixed(std::abs(base - y), 1) + "\"" + fill + "><title>" + html(compact(b.start)) +
                "\xE2\x80\x93" + html(compact(b.end)) + ": " + html(general(b.count, 10)) +
                "</title></rect>";
      }
      continue;
    }
    // A line breaks where a point is missing (NaN, inf, or x <= 0 on a log axis); a run of
    // one point gets a dot so that it shows.
    const auto& pts = c_.series[si].points;
    size_t drawable = 0;
    for (const auto& p : pts) drawable += finite_point(p, c_.log_x);
    const bool scatter = c_.kind == Chart::Kind::Scatter;
    const bool dots = scatter || drawable <= 40;
    std::string d, marks;
    size_t run = 0;
    for (size_t i = 0; i <= pts.size(); ++i) {
      if (i == pts.size() || !finite_point(pts[i], c_.log_x)) {
        if (run == 1 && !dots) {
          const auto& p = pts[i - 1];
          marks += "<circle cx=\"" + fixed(sx(p.x), 1) + "\" cy=\"" + fixed(sy(p.y), 1) +
                   "\" r=\"2.5\" fill=\"" + color + "\"/>";
        }
        run = 0;
        continue;
      }
      const double x = sx(pts[i].x), y = sy(pts[i].y);
      d += (run++ == 0 ? "M" : "L") + fixed(x, 1) + " " + fixed(y, 1);
      if (dots)
        marks += "<circle cx=\"" + fixed(x, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"2.5\" fill=\"" +
                 color + "\"/>";
    }
    if (!d.empty() && !scatter)
      out_ += "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + color +
              "\" stroke-width=\"1.6\" stroke-linejoin=\"round\"/>";
    out_ += marks;
  }
}

void Renderer::draw_rules() {
  const Scale sx(xt_.lo, xt_.hi, left_, right_, c_.log_x);
  for (size_t k = 0; k < rule_order_.size(); ++k) {
    const auto& r = c_.rules[rule_order_[k]];
    if (c_.log_x && r.x <= 0) continue;
    const double x = sx(r.x);
    const int row = rule_rows_[k];
    const double label_y = top_ - 6 - (rule_row_count_ - 1 - std::max(row, 0)) * kRowHeight;
    out_ += "<line x1=\"" + fixed(x, 1) + "\" x2=\"" + fixed(x, 1) + "\" y1=\"" +
            fixed(row < 0 ? top_ : label_y - 9, 1) + "\" y2=\"" + fixed(bottom_, 1) +
            "\" stroke=\"#333\" stroke-dasharray=\"4 3\"><title>" + html_clipped(r.label, 200) +
            "</title></line>";
    if (row < 0 || r.label.empty()) continue;
    const double w = kCharWidth * static_cast<double>(std::min<size_t>(shown_chars(r.label), 40));
    const bool flip = x + 3 + w > right_;
    labels_.push_back({flip ? x - 3 : x + 3, label_y, html_clipped(r.label, 40),
                       flip ? " text-anchor=\"end\" fill=\"#333\"" : " fill=\"#333\""});
  }
}

void Renderer::draw_levels() {
  const Scale sy(yt_.lo, yt_.hi, bottom_, top_, false);
  for (const auto& l : c_.levels) {
    if (!std::isfinite(l.y)) continue;
    const double y = sy(l.y);
    out_ += "<line x1=\"" + fixed(left_, 1) + "\" x2=\"" + fixed(right_, 1) + "\" y1=\"" +
            fixed(y, 1) + "\" y2=\"" + fixed(y, 1) +
            "\" stroke=\"#b03030\" stroke-dasharray=\"6 3\"><title>" + html_clipped(l.label, 200) +
            "</title></line>";
    if (l.label.empty()) continue;
    // Above the line, at the right end; below it when the line runs along the top.
    labels_.push_back({right_ - 4, y - top_ < 14 ? y + 12 : y - 4, html_clipped(l.label, 40),
                       " text-anchor=\"end\" fill=\"#b03030\""});
  }
}

std::string Renderer::color_of(size_t series) const {
  const auto& own = c_.series[series].color;
  return own.empty() ? std::string(kPalette[series % std::size(kPalette)]) : html(own);
}

void Renderer::draw_labels() {
  // Last, over every line, with a white halo: another rule's line may cross a label.
  for (const auto& l : labels_)
    text(l.x, l.y, l.escaped,
         (std::string(l.extra) + " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"")
             .c_str());
}

void Renderer::draw_legend() {
  if (legend_rows_ == 0) return;
  double x = left_, y = 36;
  for (size_t si = 0; si < c_.series.size(); ++si) {
    const auto& name = c_.series[si].name;
    const double w = 22 + kCharWidth * static_cast<double>(std::min<size_t>(shown_chars(name), 40));
    if (x + w > right_ && x > left_) {
      x = left_;
      y += 16;
    }
    const std::string color = color_of(si);
    // A bar swatch for histograms, a dot for scatters, a line swatch for line charts.
    if (c_.kind == Chart::Kind::Scatter)
      out_ += "<circle cx=\"" + fixed(x + 7, 1) + "\" cy=\"" + fixed(y - 3, 1) +
              "\" r=\"3.5\" fill=\"" + color + "\"/>";
    else
      out_ += "<rect x=\"" + fixed(x, 1) + "\" y=\"" + fixed(hist_ ? y - 8 : y - 4.5, 1) +
              "\" width=\"14\" height=\"" + (hist_ ? "10" : "3") + "\" fill=\"" + color + "\"/>";
    text(x + 18, y + 1, html_clipped(name, 40), " fill=\"#333\"");
    x += w + 12;
  }
}

std::string Renderer::render() {
  measure();
  layout();
  out_ = "<svg class=\"chart\" width=\"" + std::to_string(size_.width) + "\" height=\"" +
         fixed(height_, 0) + "\" viewBox=\"0 0 " + std::to_string(size_.width) + " " +
         fixed(height_, 0) + "\" role=\"img\" data-chart-id=\"" + html_clipped(c_.id, 200) +
         "\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" "
         "font-size=\"11\"><title>" +
         html_clipped(c_.title, 200) + "</title>";
  draw_frame();
  draw_shades();
  draw_series();
  draw_rules();
  draw_levels();
  draw_legend();
  draw_labels();
  out_ += "</svg>";
  return std::move(out_);
}

}  // namespace

AxisTicks linear_ticks(double min, double max, int max_ticks, double min_step) {
  if (min > max) std::swap(min, max);
  max_ticks = std::max(max_ticks, 2);
  // A span below what doubles can resolve at this magnitude is a single value.
  if (max - min <= std::max(std::abs(min), std::abs(max)) * 1e-12) {
    const double pad = min == 0 ? 1 : std::abs(min) * 0.1;
    min = clamp_finite(min - pad);
    max = clamp_finite(max + pad);
  }
  // Divided before subtracted: max - min overflows for spans near ±DBL_MAX.
  const double step = std::max(nice_step(max / max_ticks - min / max_ticks), min_step);
  AxisTicks t;
  if (step > 0 && std::isfinite(min / step) && std::isfinite(max / step)) {
    // k / 10^n loses less precision than k * 0.1^n, and far less than adding steps up.
    const double inverse = 1 / step;
    const bool divide = step < 1 && inverse < 1e15;
    for (double k = std::floor(min / step);
         k <= std::ceil(max / step) && t.values.size() <= static_cast<size_t>(max_ticks) + 2; ++k) {
      const double v = clamp_finite(divide ? k / std::round(inverse) : k * step);
      if (t.values.empty() || v > t.values.back()) t.values.push_back(v);
    }
  }
  if (t.values.size() < 2) {
    // Ranges of subnormal numbers (1e-320) have no meaningful steps: their two ends will do.
    t.values = {min, max};
    t.labels = {general(min, 3), general(max, 3)};
  } else {
    t.labels = linear_labels(t.values, step);
  }
  t.lo = t.values.front();
  t.hi = t.values.back();
  return t;
}

AxisTicks log_ticks(double min, double max, int max_ticks) {
  if (min > max) std::swap(min, max);
  max_ticks = std::max(max_ticks, 2);
  // Beyond these, powers of ten leave the normal doubles.
  const double e0 = std::clamp(std::floor(std::log10(min)), -300.0, 307.0);
  double e1 = std::clamp(std::ceil(std::log10(max)), e0 + 1, 308.0);
  const double stride = std::ceil((e1 - e0) / max_ticks);
  e1 = std::min(308.0, e0 + std::ceil((e1 - e0) / stride) * stride);
  AxisTicks t;
  for (double e = e0; e <= e1; e += stride) {
    const double p = std::pow(10.0, e);
    t.values.push_back(p);
    if (e1 - e0 <= 2 && e < e1) {
      t.values.push_back(2 * p);
      t.values.push_back(5 * p);
    }
  }
  t.lo = t.values.front();
  t.hi = t.values.back();
  for (const double v : t.values) t.labels.push_back(compact(v));
  return t;
}

Scale::Scale(double lo, double hi, double from_px, double to_px, bool log)
    : lo_(lo), hi_(hi), from_px_(from_px), to_px_(to_px), log_(log) {}

double Scale::t(double v) const {
  if (std::isnan(v)) return 0;
  if (log_) {
    if (v <= 0 || lo_ <= 0 || hi_ <= lo_) return 0;
    return (std::log10(v) - std::log10(lo_)) / (std::log10(hi_) - std::log10(lo_));
  }
  if (hi_ <= lo_) return 0.5;
  // Halved first so that spans near ±DBL_MAX do not overflow.
  return (v / 2 - lo_ / 2) / (hi_ / 2 - lo_ / 2);
}

double Scale::operator()(double v) const {
  return from_px_ + std::clamp(t(v), 0.0, 1.0) * (to_px_ - from_px_);
}

std::string render_svg(const stats::Chart& chart, const SvgSize& size) {
  if (chart.kind == stats::Chart::Kind::Bars) return render_bars_svg(chart, size);
  return Renderer(chart, size).render();
}

}  // namespace osh::reports
