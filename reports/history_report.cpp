#include "reports/history_report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/html_assets.h"
#include "reports/html_run_details.h"
#include "reports/html_text.h"
#include "reports/markdown_summary.h"
#include "reports/report_format.h"
#include "reports/svg_chart.h"

namespace osh::reports {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string pass_rate(size_t passed, size_t runs) {
  return runs ? fixed(100.0 * static_cast<double>(passed) / static_cast<double>(runs), 1) + " %"
              : "—";
}

std::string started(const HistoryCampaign& c) {
  return c.started_unix_ms > 0 ? utc_time(c.started_unix_ms, "%Y-%m-%d %H:%M UTC") : "—";
}

// Every metric any campaign measured of `spec`, in the order of first appearance.
std::vector<std::string> metrics_of(const History& h, const std::string& spec) {
  std::vector<std::string> out;
  for (const auto& c : h.campaigns)
    if (const auto* d = c.spec(spec))
      for (const auto& f : d->figures)
        if (std::find(out.begin(), out.end(), f.metric) == out.end()) out.push_back(f.metric);
  return out;
}

const SpecDigest::Figure* figure(const SpecDigest& d, const std::string& metric) {
  for (const auto& f : d.figures)
    if (f.metric == metric) return &f;
  return nullptr;
}

campaign::ReportTable campaigns_table(const History& h) {
  campaign::ReportTable t{"",
                          {"#", "output folder", "started", "osharness", "runs", "pass rate"},
                          {true, false, false, false, true, true},
                          {}};
  for (size_t i = 0; i < h.campaigns.size(); ++i) {
    const auto& c = h.campaigns[i];
    t.rows.push_back({std::to_string(i + 1), c.folder, started(c), c.harness_version,
                      std::to_string(c.runs), pass_rate(c.passed, c.runs)});
  }
  return t;
}

// One row per campaign: what `spec` did there ("not run" when it did not).
campaign::ReportTable spec_history_table(const History& h, const std::string& spec) {
  const auto metrics = metrics_of(h, spec);
  campaign::ReportTable t{
      "", {"#", "started", "runs", "pass rate", "verdicts"}, {true, false, true, true, false}, {}};
  for (const auto& m : metrics) {
    const auto unit = metric_unit(m);
    t.columns.push_back(m + " p50 / p99" + (unit.empty() ? "" : " (" + unit + ")"));
    t.numeric.push_back(true);
  }
  for (size_t i = 0; i < h.campaigns.size(); ++i) {
    const auto& c = h.campaigns[i];
    const auto* d = c.spec(spec);
    std::vector<std::string> row{std::to_string(i + 1), started(c)};
    if (!d) {
      row.insert(row.end(), {"0", "—", "not run"});
      row.resize(t.columns.size(), "—");
    } else {
      row.insert(row.end(), {std::to_string(d->runs), pass_rate(d->passed, d->runs),
                             verdict_tally(d->by_verdict)});
      for (const auto& m : metrics) {
        const auto* f = figure(*d, m);
        row.push_back(f ? number(f->p50) + " / " + number(f->p99) : "—");
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

stats::Chart trend_chart(const std::string& id, const std::string& title,
                         const std::string& y_label, const std::string& y_unit) {
  stats::Chart c;
  c.id = id;
  c.title = title;
  c.x_label = "campaign (by start time)";
  c.y_label = y_label;
  c.y_unit = y_unit;
  return c;
}

// The pass rate, and each figure's p50 and p99, per campaign; a campaign that did not run the
// spec breaks the line.
std::vector<stats::Chart> spec_trends(const History& h, const std::string& spec) {
  std::vector<stats::Chart> charts;
  auto rate = trend_chart("history." + spec + ".pass_rate", spec + ": pass rate", "pass rate", "%");
  rate.series.push_back({"pass rate", {}});
  for (size_t i = 0; i < h.campaigns.size(); ++i) {
    const auto* d = h.campaigns[i].spec(spec);
    rate.series[0].points.push_back(
        {static_cast<double>(i + 1),
         d ? 100.0 * static_cast<double>(d->passed) / static_cast<double>(d->runs) : kNaN});
  }
  charts.push_back(std::move(rate));
  for (const auto& m : metrics_of(h, spec)) {
    auto c = trend_chart("history." + spec + "." + m, spec + ": " + m, m, metric_unit(m));
    c.series = {{"p50", {}}, {"p99", {}}};
    for (size_t i = 0; i < h.campaigns.size(); ++i) {
      const auto* d = h.campaigns[i].spec(spec);
      const auto* f = d ? figure(*d, m) : nullptr;
      const double x = static_cast<double>(i + 1);
      c.series[0].points.push_back({x, f ? f->p50 : kNaN});
      c.series[1].points.push_back({x, f ? f->p99 : kNaN});
    }
    charts.push_back(std::move(c));
  }
  return charts;
}

std::string span_phrase(const History& h) {
  const auto n = h.campaigns.size();
  std::string s = std::to_string(n) + (n == 1 ? " campaign" : " campaigns") + ", " +
                  std::to_string(h.specs.size()) + (h.specs.size() == 1 ? " spec" : " specs");
  if (n > 0 && h.campaigns.front().started_unix_ms > 0)
    s += ", started " + started(h.campaigns.front()) + " to " + started(h.campaigns.back());
  return s;
}

}  // namespace

const SpecDigest* HistoryCampaign::spec(const std::string& name) const {
  for (const auto& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

History build_history(const std::vector<std::pair<std::string, campaign::CampaignOutcome>>& input) {
  History h;
  for (const auto& [folder, outcome] : input) {
    HistoryCampaign c{.folder = folder,
                      .started_unix_ms = outcome.info.started_unix_ms,
                      .harness_version = outcome.info.harness_version,
                      .runs = outcome.runs.size(),
                      .specs = spec_digests(outcome)};
    for (const auto& r : outcome.runs) c.passed += r.verdict == campaign::Verdict::Pass;
    h.campaigns.push_back(std::move(c));
  }
  std::stable_sort(h.campaigns.begin(), h.campaigns.end(),
                   [](const HistoryCampaign& a, const HistoryCampaign& b) {
                     return a.started_unix_ms < b.started_unix_ms;
                   });
  for (const auto& c : h.campaigns)
    for (const auto& s : c.specs)
      if (std::find(h.specs.begin(), h.specs.end(), s.name) == h.specs.end())
        h.specs.push_back(s.name);
  return h;
}

void write_history_html(const History& h, std::ostream& out) {
  std::string page = html_page_start("osharness history: " + span_phrase(h));
  page += "<header class=\"banner\"><div><h1>osharness history</h1><p>" + html(span_phrase(h)) +
          "</p></div></header>\n<h2>Campaigns</h2>\n<section class=\"card\"><p "
          "class=\"muted\">In the order they started; the charts' x axis is the number in the "
          "first column.</p>" +
          table_html(campaigns_table(h)) + "</section>\n";
  for (const auto& spec : h.specs) {
    page += "<h2>" + html(spec) + "</h2>\n<section class=\"card\">";
    size_t ran = 0;
    for (const auto& c : h.campaigns) ran += c.spec(spec) != nullptr;
    // One campaign is a row of numbers: a chart of one point would say less.
    if (ran > 1) {
      page += "<div class=\"charts\">";
      for (const auto& c : spec_trends(h, spec))
        page += "<figure>" + render_svg(c, kChartSize) + "</figure>";
      page += "</div>";
    }
    page += table_html(spec_history_table(h, spec)) + "</section>\n";
  }
  page += html_page_end("Written by osharness report --history from each folder's journal.jsonl.");
  out << page;
}

void write_history_markdown(const History& h, std::ostream& out) {
  out << "## osharness history\n\n" << markdown_cell(span_phrase(h)) << "\n\n";
  write_markdown_table(campaigns_table(h), out, std::string::npos, {8, 120});
  for (const auto& spec : h.specs) {
    out << "\n### " << markdown_cell(spec) << "\n\n";
    write_markdown_table(spec_history_table(h, spec), out, std::string::npos, {8, 40});
  }
}

nlohmann::json history_json(const History& h) {
  nlohmann::json campaigns = nlohmann::json::array();
  for (const auto& c : h.campaigns) {
    nlohmann::json specs = nlohmann::json::object();
    for (const auto& s : c.specs) {
      nlohmann::json verdicts = nlohmann::json::object();
      for (const auto& [v, n] : s.by_verdict) verdicts[std::string(campaign::to_string(v))] = n;
      nlohmann::json figures = nlohmann::json::object();
      for (const auto& f : s.figures)
        figures[f.metric] = {{"runs", f.runs}, {"p50", f.p50}, {"p99", f.p99}};
      specs[s.name] = {
          {"runs", s.runs}, {"passed", s.passed}, {"verdicts", verdicts}, {"figures", figures}};
    }
    campaigns.push_back({{"folder", c.folder},
                         {"started_unix_ms", c.started_unix_ms},
                         {"harness_version", c.harness_version},
                         {"runs", c.runs},
                         {"passed", c.passed},
                         {"specs", specs}});
  }
  return {{"campaigns", campaigns}, {"specs", h.specs}};
}

}  // namespace osh::reports
