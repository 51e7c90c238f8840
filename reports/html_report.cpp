#include "reports/html_report.h"

#include <map>

#include "reports/campaign_charts.h"
#include "reports/campaign_digest.h"
#include "reports/html_assets.h"
#include "reports/html_run_details.h"
#include "reports/html_text.h"
#include "reports/json_report.h"
#include "reports/report_format.h"
#include "reports/svg_chart.h"

namespace osh::reports {
namespace {

using campaign::CampaignOutcome;
using campaign::Verdict;

constexpr size_t kReasonInTable = 240;  // bytes; the run's details section has all of it
constexpr size_t kSeedsListed = 20;     // a group's seeds shown; report.json has all

std::map<Verdict, int> verdict_counts(const CampaignOutcome& o) {
  std::map<Verdict, int> counts;
  for (const auto& r : o.runs) ++counts[r.verdict];
  return counts;
}

std::string runs_phrase(size_t n) { return std::to_string(n) + (n == 1 ? " run" : " runs"); }

std::string head(const CampaignOutcome& o, Verdict verdict) {
  return html_page_start("osharness " + std::string(campaign::to_string(verdict)) + ": " +
                         runs_phrase(o.runs.size()));
}

std::string banner(const CampaignOutcome& o, Verdict verdict) {
  const std::string v(campaign::to_string(verdict));
  std::string tally;
  for (const auto& [k, n] : verdict_counts(o))
    tally += (tally.empty() ? ": " : ", ") + std::to_string(n) + " " +
             std::string(campaign::to_string(k));
  std::string s = "<header class=\"banner v-" + v + "\"><div class=\"verdict\">" + v +
                  "</div><div><h1>osharness campaign report</h1><p>" + runs_phrase(o.runs.size()) +
                  tally + " · exit code " + std::to_string(campaign::exit_code(verdict));
  if (o.info.interrupted) s += " · <strong>interrupted</strong>";
  if (!o.info.finished || !o.info.incomplete.empty()) s += " · <strong>incomplete</strong>";
  return s + "</p></div></header>\n";
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a.empty() || a.find_first_of(" \t'\"") != std::string::npos ? "'" + a + "'" : a;
  }
  return s;
}

std::string campaign_facts(const CampaignOutcome& o) {
  const auto& info = o.info;
  std::string s = "<h2>Campaign</h2>\n<section class=\"card\"><dl class=\"facts\">";
  s += dl_entry("harness", "<code>osharness " + html(info.harness_version) + "</code>");
  s += dl_entry("host", html(info.host));
  s += dl_entry("command", "<code>" + html(command_line(info.command)) + "</code>");
  std::string specs;
  for (const auto& spec : info.specs)
    specs += (specs.empty() ? "" : ", ") + ("<code>" + html(spec) + "</code>");
  s += dl_entry("specs", specs);
  if (info.started_unix_ms > 0)
    s += dl_entry("started", html(utc_time(info.started_unix_ms, kHtmlTimeFormat)));
  if (info.finished_unix_ms > 0)
    s += dl_entry("finished", html(utc_time(info.finished_unix_ms, kHtmlTimeFormat)) + " (after " +
                                  html(human_duration(static_cast<double>(info.finished_unix_ms -
                                                                          info.started_unix_ms))) +
                                  ")");
  std::string status = info.interrupted
                           ? "interrupted: stopped by a signal before every run was done"
                       : info.incomplete.empty() ? "complete"
                                                 : "incomplete";
  for (const auto& why : info.incomplete) status += "<br>" + html(why);
  s += dl_entry("status", status);
  if (const auto b = boot_summary(o))
    s += dl_entry("boot to BOOT:READY", "median " + fixed(b->median, 1) + " ms (min " +
                                            fixed(b->min, 1) + ", max " + fixed(b->max, 1) + ", " +
                                            runs_phrase(b->runs) + ")");
  s += "</dl>";
  for (const auto& w : info.warnings) s += "<p class=\"warn\">" + html(w) + "</p>";
  return s + "</section>\n";
}

std::string single_value(const SpecCharts::Single& v) {
  return dl_entry(v.metric, html(number(v.value)) + (v.unit.empty() ? "" : " " + html(v.unit)) +
                                " <span class=\"muted\">run #" + std::to_string(v.run) +
                                "</span> " + verdict_badge(v.verdict));
}

std::string charts_section(const CampaignOutcome& o) {
  const auto specs = spec_charts(o);
  std::string body;
  for (const auto& spec : specs) {
    if (spec.charts.empty() && spec.singles.empty()) continue;
    body += "<h3>" + html(spec.spec) + "</h3>";
    if (!spec.singles.empty()) {
      body += "<dl class=\"facts\">";
      for (const auto& v : spec.singles) body += single_value(v);
      body += "</dl>";
    }
    if (spec.charts.empty()) continue;
    body += "<div class=\"charts\">";
    for (const auto& c : spec.charts) body += "<figure>" + render_svg(c, kChartSize) + "</figure>";
    body += "</div>";
  }
  if (body.empty()) return "";
  const size_t spec_count = runs_by_spec(o).size();
  if (spec_count > specs.size())
    body += "<p class=\"muted\">" + std::to_string(spec_count - specs.size()) +
            " more specs are not charted; the Specs table has their figures.</p>";
  return "<h2>Charts</h2>\n<section class=\"card\"><p class=\"muted\">Per spec, each key figure "
         "of every run, coloured by verdict; a dashed red line is one of the spec's criteria. A "
         "figure measured in one run only is a number.</p>" +
         body + "</section>\n";
}

std::string image_row_html(const campaign::ReportImageRow& row) {
  std::string s = "<div class=\"shots\"><p>" + html(row.caption) + "</p>";
  for (const auto& image : row.images) {
    s += "<figure>";
    // A journal is anyone's file: only a relative path inside the output folder becomes an
    // <img>, never a URL or an absolute path.
    if (relative_href(image.path)) {
      s += "<a href=\"" + html(image.path) + "\"><img src=\"" + html(image.path) + "\" alt=\"" +
           html(image.caption) + "\" loading=\"lazy\"></a>";
    } else {
      s += "<p class=\"muted\">(not shown: " + html(image.path) + ")</p>";
    }
    s += "<figcaption>" + html(image.caption) + "</figcaption></figure>";
  }
  return s + "</div>";
}

std::string panel_sections(const CampaignOutcome& o,
                           const std::vector<campaign::ReportPanelMaker>& makers) {
  std::string s;
  for (const auto& make : makers) {
    const auto panel = make(o);
    if (!panel) continue;
    s += "<h2 id=\"" + html(panel->id) + "\">" + html(panel->title) +
         "</h2>\n<section class=\"card\">";
    for (const auto& note : panel->notes) s += "<p class=\"muted\">" + html(note) + "</p>";
    for (const auto& table : panel->tables) s += table_html(table);
    if (!panel->charts.empty()) {
      s += "<div class=\"charts\">";
      for (const auto& c : panel->charts) s += "<figure>" + render_svg(c, {760, 300}) + "</figure>";
      s += "</div>";
    }
    for (const auto& row : panel->image_rows) s += image_row_html(row);
    s += "</section>\n";
  }
  return s;
}

// Before the runs: a thousand runs that failed one way read as one line here.
std::string digest_sections(const CampaignOutcome& o) {
  std::string s;
  const auto specs = spec_digests(o);
  if (specs.size() > 1 || (specs.size() == 1 && specs.front().runs > 1))
    s += "<h2 id=\"specs\">Specs</h2>\n<section class=\"card\">" + table_html(spec_table(specs)) +
         "</section>\n";
  const auto groups = failure_groups(o);
  if (!groups.empty())
    s += "<h2 id=\"failures\">Failures by signature</h2>\n<section class=\"card\"><p "
         "class=\"muted\">Runs that did not pass, grouped by signature and top crash frames "
         "(times, addresses and offsets left out), the largest group first.</p>" +
         table_html(failure_group_table(groups, kSeedsListed)) + "</section>\n";
  return s;
}

// Beside a run's seed: whether that seed reproduces the run byte for byte (docs/determinism.md).
std::string determinism_mark(const campaign::RunResult& r) {
  if (r.deterministic)
    return " <span class=\"muted\" title=\"deterministic: the same seed prints the same "
           "bytes\">det</span>";
  if (!r.determinism.empty())
    return " <span class=\"muted\" title=\"not deterministic: " + html(r.determinism) +
           "\">non-det</span>";
  return "";
}

std::string runs_table(const CampaignOutcome& o) {
  std::string s = "<h2>Runs</h2>\n<section class=\"card\">";
  if (o.runs.empty()) return s + "<p class=\"muted\">No run was recorded.</p></section>\n";
  // Shown by the tail script: without scripts the buttons would do nothing.
  s += "<div class=\"filter\" id=\"filter\" hidden><button type=\"button\" data-filter=\"ALL\" "
       "aria-pressed=\"true\">all " +
       std::to_string(o.runs.size()) + "</button>";
  for (const auto& [v, n] : verdict_counts(o)) {
    const std::string name(campaign::to_string(v));
    s += "<button type=\"button\" data-filter=\"" + name + "\" aria-pressed=\"false\">" + name +
         " " + std::to_string(n) + "</button>";
  }
  s += "</div><table id=\"runs-table\"><thead><tr><th class=\"n\">#</th><th>run</th><th "
       "class=\"n\">seed</th>"
       "<th>verdict</th><th>reason</th><th class=\"n\">boot ms</th><th class=\"n\">duration</th>"
       "<th class=\"n\">markers</th><th class=\"n\">lost</th><th class=\"n\">corrupt</th>"
       "<th class=\"n\">malformed</th><th class=\"n\">noise</th></tr></thead><tbody>\n";
  for (const auto& r : o.runs) {
    const std::string name =
        has_details(r) ? "<a href=\"#run-" + std::to_string(r.index) + "\">" + html(r.name) + "</a>"
                       : html(r.name);
    const auto& m = r.markers;
    s += "<tr data-verdict=\"" + std::string(campaign::to_string(r.verdict)) +
         "\"><td class=\"n\">" + std::to_string(r.index) + "</td><td class=\"name\">" + name +
         "</td><td class=\"n\"><code>" + std::to_string(r.seed) + "</code>" + determinism_mark(r) +
         "</td><td>" + verdict_badge(r.verdict) + "</td><td class=\"reason\">" +
         html_clipped(r.reason, kReasonInTable) + "</td><td class=\"n\">" +
         (r.boot_ms ? fixed(*r.boot_ms, 1) : std::string("—")) + "</td><td class=\"n\">" +
         html(human_duration(r.duration_ms)) + "</td><td class=\"n\">" + std::to_string(m.total) +
         "</td><td class=\"n\">" + std::to_string(m.lost) + "</td><td class=\"n\">" +
         std::to_string(m.corrupt) + "</td><td class=\"n\">" + std::to_string(m.malformed) +
         "</td><td class=\"n\">" + std::to_string(m.noise_lines) + "</td></tr>\n";
  }
  return s + "</tbody></table></section>\n";
}

std::string details_section(const CampaignOutcome& o) {
  std::string s;
  for (const auto& r : o.runs)
    if (has_details(r)) s += run_details_html(r, o.out_dir);
  if (s.empty()) return "";
  return "<h2>Run details</h2>\n<p class=\"muted\">Every run that did not pass (open), and every "
         "run "
         "with charts.</p>\n" +
         s;
}

}  // namespace

void HtmlReport::write(const CampaignOutcome& outcome, std::ostream& out) const {
  const Verdict verdict = overall_verdict(outcome);
  std::string page = head(outcome, verdict);
  page += banner(outcome, verdict);
  page += campaign_facts(outcome);
  page += charts_section(outcome);
  page += panel_sections(outcome, panels_);
  page += digest_sections(outcome);
  page += runs_table(outcome);
  page += details_section(outcome);
  page += html_page_end("Written by osharness " + html(outcome.info.harness_version) +
                        " from journal.jsonl; report.json holds every field.");
  out << page;
}

}  // namespace osh::reports
