#include "reports/html_run_details.h"

#include <algorithm>

#include "harness/base/errors.h"
#include "harness/campaign/repro_bundle.h"
#include "reports/html_text.h"
#include "reports/report_format.h"
#include "reports/svg_chart.h"

namespace osh::reports {
namespace {

using campaign::RunResult;
using campaign::Verdict;

constexpr size_t kMaxProblemsShown = 200;

const nlohmann::json* charts_of(const RunResult& run) {
  if (!run.analysis.is_object()) return nullptr;
  const auto it = run.analysis.find("charts");
  return it == run.analysis.end() ? nullptr : &*it;
}

std::string link_or_text(const std::string& path) {
  if (const auto href = relative_href(path))
    return "<a href=\"" + html(*href) + "\"><code>" + html(path) + "</code></a>";
  return "<code>" + html(path) + "</code>";
}

std::string exit_text(const campaign::ExitInfo& e) {
  std::string s = e.how;
  // isa-debug-exit makes QEMU exit with status 2 × code + 1: status 1 is a guest's exit code 0,
  // not QEMU failing, and is shown as the guest's.
  const bool by_exit_device =
      e.how == "exited" && e.guest_exit_code && e.status == 2 * *e.guest_exit_code + 1;
  if (by_exit_device)
    s = "guest exited with code " + std::to_string(*e.guest_exit_code) +
        " through isa-debug-exit (QEMU exit status " + std::to_string(e.status) + ")";
  else if (e.how == "exited")
    s += " with status " + std::to_string(e.status);
  if (e.how == "signaled") s += " by signal " + std::to_string(e.signal);
  if (e.guest_exit_code && !by_exit_device)
    s += "; guest exit code " + std::to_string(*e.guest_exit_code);
  if (!e.shutdown_reason.empty()) s += "; shutdown reason " + e.shutdown_reason;
  return html(s);
}

std::string facts(const RunResult& r) {
  std::string s = "<dl class=\"facts\">";
  s += dl_entry("scenario", "<code>" + html(r.scenario) + "</code>");
  if (!r.params.empty()) {
    // Sorted: the journal keeps parameters as a JSON object, so this is the order read back.
    auto params = r.params;
    std::sort(params.begin(), params.end());
    std::string p;
    for (const auto& [k, v] : params) p += (p.empty() ? "" : " ") + k + "=" + v;
    s += dl_entry("parameters", "<code>" + html(p) + "</code>");
  }
  s += dl_entry("seed", "<code>" + std::to_string(r.seed) + "</code>");
  if (!r.spec_origin.empty()) s += dl_entry("spec", "<code>" + html(r.spec_origin) + "</code>");
  if (const auto it = r.analysis.find("guest_version");
      r.analysis.is_object() && it != r.analysis.end() && it->is_string())
    s += dl_entry("guest version", "<code>" + html(it->get<std::string>()) + "</code>");
  if (r.started_unix_ms > 0)
    s += dl_entry("started", html(utc_time(r.started_unix_ms, kHtmlTimeFormat)));
  s += dl_entry("boot", r.boot_ms ? html(fixed(*r.boot_ms, 1)) + " ms to BOOT:READY"
                                  : std::string("never reached BOOT:READY"));
  s += dl_entry("duration", html(human_duration(r.duration_ms)));
  if (r.deadline_extension_s > 0)
    s += dl_entry("deadline extended", "by " + html(human_duration(r.deadline_extension_s * 1000)) +
                                           " (QEMU was starved of host CPU)");
  s += dl_entry("QEMU", exit_text(r.exit));
  if (r.deterministic || !r.determinism.empty())
    s += dl_entry("deterministic", r.deterministic
                                       ? std::string("yes: icount, fixed RTC, seeded QEMU")
                                       : "no: " + html(r.determinism));
  if (!r.accel.empty())
    s += dl_entry("accelerator",
                  html(r.accel) + (r.accel_reason.empty() ? "" : " — " + html(r.accel_reason)));
  const auto& m = r.markers;
  s += dl_entry("markers", std::to_string(m.total) + " valid, " + std::to_string(m.lost) +
                               " lost, " + std::to_string(m.corrupt) + " corrupt, " +
                               std::to_string(m.malformed) + " malformed; " +
                               std::to_string(m.noise_lines) + " noise lines, " +
                               std::to_string(m.lines) + " lines, " + std::to_string(m.bytes) +
                               " bytes, " + std::to_string(m.boots) + " boots");
  if (!r.console_log.empty()) s += dl_entry("console log", link_or_text(r.console_log));
  if (!r.repro_bundle.empty())
    s += dl_entry("repro bundle", link_or_text(r.repro_bundle) +
                                      " — from this folder: <code>osharness repro " +
                                      html(r.repro_bundle) + "</code>");
  return s + "</dl>";
}

std::string findings(const RunResult& r) {
  if (r.findings.empty()) return "";
  std::string s = "<h3>Findings</h3><ul class=\"findings\">";
  for (const auto& f : r.findings)
    s += "<li>" + verdict_badge(f.verdict) + " " + html(f.reason) +
         (f.signature.empty()
              ? ""
              : " <span class=\"muted\">signature <code>" + html(f.signature) + "</code></span>") +
         "</li>";
  return s + "</ul>";
}

std::string crash(const RunResult& r) {
  if (!r.crash) return "";
  const auto& c = *r.crash;
  std::string s = "<h3>Crash</h3><p><code>" + html(c.kind) + "</code>" +
                  (c.detail.empty() ? "" : " " + html(c.detail)) + "</p>";
  if (c.frames.empty()) return s;
  s +=
      "<table><thead><tr><th class=\"n\">#</th><th>address</th><th>symbol</th></tr></thead><tbody>";
  for (const auto& f : c.frames) {
    char addr[24];
    std::snprintf(addr, sizeof addr, "0x%016llx", static_cast<unsigned long long>(f.address));
    s += "<tr><td class=\"n\">" + std::to_string(f.index) + "</td><td><code>" + addr +
         "</code></td><td>" +
         (f.symbol.empty() ? std::string("<span class=\"muted\">not symbolized</span>")
                           : "<code>" + html(f.symbol) + "</code>") +
         "</td></tr>";
  }
  return s + "</tbody></table>";
}

std::string problems(const RunResult& r) {
  if (r.problems.empty()) return "";
  std::string s =
      "<h3>Marker problems</h3><table><thead><tr><th class=\"n\">line</th><th>kind</th>"
      "<th>reason</th><th>text</th></tr></thead><tbody>";
  const size_t shown = std::min(r.problems.size(), kMaxProblemsShown);
  for (size_t i = 0; i < shown; ++i) {
    const auto& p = r.problems[i];
    s += "<tr><td class=\"n\">" + std::to_string(p.line_no) + "</td><td>" +
         (p.kind == marker::LineKind::Corrupt ? "corrupt" : "malformed") + "</td><td>" +
         html(p.reason) + "</td><td><code>" + html(p.text) + "</code></td></tr>";
  }
  s += "</tbody></table>";
  if (r.problems.size() > shown)
    s += "<p class=\"muted\">" + std::to_string(r.problems.size() - shown) +
         " more in report.json.</p>";
  return s;
}

std::string criteria(const RunResult& r) {
  if (r.criteria.empty()) return "";
  std::string s =
      "<h3>Criteria</h3><table><thead><tr><th>criterion</th><th class=\"n\">measured</th>"
      "<th class=\"n\">bound</th><th>result</th></tr></thead><tbody>";
  for (const auto& c : r.criteria)
    s += std::string("<tr") + (c.passed || !c.gating ? "" : " class=\"bad\"") + "><td><code>" +
         html(c.text) + "</code></td><td class=\"n\">" +
         (c.value ? html(number(*c.value))
                  : std::string("<span class=\"muted\">not measured</span>")) +
         "</td><td class=\"n\">" + html(number(c.bound)) + "</td><td>" +
         (c.passed   ? "holds"
          : c.gating ? "<strong>fails</strong>"
                     : "missed <span class=\"muted\">(a performance target; under TCG it is "
                       "reported, not gating)</span>") +
         (c.load_sensitive ? " <span class=\"muted\">(host wall time: a loaded host can fail "
                             "it)</span>"
                           : "") +
         "</td></tr>";
  return s + "</tbody></table>";
}

std::string guest_tests(const RunResult& r) {
  if (r.guest_tests.empty()) return "";
  std::string s =
      "<h3>Guest tests</h3><table><thead><tr><th>test</th><th>verdict</th><th>reason</th>"
      "<th class=\"n\">duration</th></tr></thead><tbody>";
  for (const auto& t : r.guest_tests)
    s += std::string("<tr") + (t.verdict == Verdict::Pass ? "" : " class=\"bad\"") + "><td><code>" +
         html(t.name) + "</code></td><td>" + verdict_badge(t.verdict) + "</td><td>" +
         html(t.reason) + "</td><td class=\"n\">" + html(fixed(t.duration_ms, 1)) + " ms</td></tr>";
  return s + "</tbody></table>";
}

std::string metrics(const RunResult& r) {
  if (r.metrics.empty()) return "";
  std::string s = "<h3>Metrics</h3><ul class=\"metrics\">";
  for (const auto& [name, value] : r.metrics)
    s += "<li><code>" + html(name) + "</code> " + html(number(value)) + "</li>";
  return s + "</ul>";
}

// What the guest printed last, where the reader of a failure looks first. console_tail has
// escaped every byte but the line ends; html() makes it markup-safe.
std::string console(const RunResult& r, const std::filesystem::path& out_dir) {
  if (r.verdict == Verdict::Pass) return "";
  const auto tail = last_lines(
      campaign::run_console_tail(r.console_log, out_dir, kConsoleTailBytes), kConsoleTailLines);
  if (tail.empty()) return "";
  // html() would escape the line ends too; they are the <pre>'s.
  std::string lines;
  for (size_t begin = 0; begin < tail.size();) {
    const size_t end = std::min(tail.find('\n', begin), tail.size());
    lines += html(std::string_view(tail).substr(begin, end - begin)) + "\n";
    begin = end + 1;
  }
  return "<h3>Console, last lines</h3><pre class=\"console\">" + lines + "</pre>";
}

std::string charts(const RunResult& r) {
  const auto* list = charts_of(r);
  if (!list) return "";
  const std::string origin = "run #" + std::to_string(r.index) + " analysis";
  if (!list->is_array())
    return "<p class=\"warn\">" +
           html(origin + ": charts: expected an array, got " + std::string(list->type_name())) +
           "</p>";
  if (list->empty()) return "";
  std::string s = "<h3>Charts</h3><div class=\"charts\">";
  for (size_t i = 0; i < list->size(); ++i) {
    try {
      const auto chart =
          stats::chart_from_json((*list)[i], origin + ": charts[" + std::to_string(i) + "]");
      s += "<figure>" + render_svg(chart, kChartSize) + "</figure>";
    } catch (const InputError& e) {
      // One malformed chart must not cost the reader the rest of the report.
      s += "<p class=\"warn\">chart not drawn: " + html(e.what()) + "</p>";
    }
  }
  return s + "</div>";
}

}  // namespace

std::string verdict_badge(Verdict verdict) {
  const std::string name(campaign::to_string(verdict));
  return "<span class=\"badge v-" + name + "\">" + name + "</span>";
}

std::string last_lines(const std::string& escaped, size_t max_lines) {
  if (max_lines == 0) return "";
  // Line ends counted back from the end; the text's final one closes its last line.
  size_t pos = escaped.size() - (escaped.ends_with('\n') ? 1 : 0);
  for (size_t lines = 0; pos > 0;) {
    const size_t nl = escaped.rfind('\n', pos - 1);
    if (nl == std::string::npos) break;
    if (++lines == max_lines) return escaped.substr(nl + 1);
    pos = nl;
  }
  return escaped;
}

bool has_details(const RunResult& run) {
  const auto* list = charts_of(run);
  return run.verdict != Verdict::Pass || (list && !(list->is_array() && list->empty()));
}

std::string run_details_html(const RunResult& r, const std::filesystem::path& out_dir) {
  std::string s = "<details class=\"run\" id=\"run-" + std::to_string(r.index) + "\"" +
                  (r.verdict == Verdict::Pass ? "" : " open") + "><summary>" +
                  verdict_badge(r.verdict) + " #" + std::to_string(r.index) + " " + html(r.name) +
                  " <span class=\"muted\">seed " + std::to_string(r.seed) + " — " +
                  html_clipped(r.reason, 300) + "</span></summary><div class=\"body\">";
  s += facts(r);
  s += findings(r);
  s += crash(r);
  s += console(r, out_dir);
  s += problems(r);
  s += criteria(r);
  s += guest_tests(r);
  s += metrics(r);
  s += charts(r);
  return s + "</div></details>\n";
}

}  // namespace osh::reports
