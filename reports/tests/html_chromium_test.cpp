// Renders report.html in Debian's headless Chromium: the page must load with no script error
// and no content-security-policy violation, finish its own scripts, show the guest's
// "<script>" strings as text and run none of them. The screenshot is kept for people to look at:
// build/reports/report-screenshot.png.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness/base/subprocess.h"
#include "reports/html_report.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using testing::GuestBytes;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kChromiumTimeLimit = std::chrono::seconds(60);

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t i = 0; (i = text.find(what, i)) != std::string::npos; i += what.size()) ++n;
  return n;
}

struct Rendered {
  std::string dom;  // --dump-dom: the DOM after the page's scripts ran
  std::string log;  // Chromium's own log, for failure messages
};

// Headless Chromium started from an argv (never a shell), in a fresh profile, time-limited.
Rendered render_in_chromium(const std::filesystem::path& page,
                            const std::filesystem::path& screenshot,
                            const std::filesystem::path& work) {
  const auto chromium = find_executable("chromium");
  if (!chromium) {
    ADD_FAILURE() << "chromium not found: run scripts/setup (it installs Debian's chromium)";
    return {};
  }
  const auto profile = work / "profile";
  std::filesystem::create_directory(profile);
  const std::vector<std::string> argv = {chromium->string(),
                                         "--headless",
                                         "--no-sandbox",
                                         "--disable-gpu",
                                         "--disable-quic",
                                         "--no-first-run",
                                         "--disable-background-networking",
                                         "--disable-component-update",
                                         "--disable-sync",
                                         "--user-data-dir=" + profile.string(),
                                         "--hide-scrollbars",
                                         "--window-size=1280,7600",
                                         "--dump-dom",
                                         "--screenshot=" + screenshot.string(),
                                         "file://" + page.string()};
  auto process = Subprocess::spawn(argv, {.stdout_to = Redirect::file(work / "dom.html"),
                                          .stderr_to = Redirect::file(work / "chromium.log")});
  const auto& status = process.wait_for(kChromiumTimeLimit);
  Rendered out{testing::read_file(work / "dom.html"), testing::read_file(work / "chromium.log")};
  if (!status) {
    process.kill_group();
    ADD_FAILURE() << "chromium did not finish within " << kChromiumTimeLimit.count() << " s\n"
                  << out.log;
  } else if (status->signaled || status->code != 0) {
    ADD_FAILURE() << "chromium " << status->describe() << "\n" << out.log;
  }
  return out;
}

// The <html ...> start tag of the dumped DOM: where the page's scripts record what happened.
std::string root_tag(const Rendered& r) {
  std::smatch tag;
  if (!std::regex_search(r.dom, tag, std::regex("<html[^>]*>"))) {
    ADD_FAILURE() << "no <html> in the DOM dump:\n" << r.dom.substr(0, 2000) << "\n" << r.log;
    return "";
  }
  return tag.str();
}

TEST(HtmlInChromium, RendersWithoutScriptErrorsAndShowsGuestScriptsAsText) {
  testing::TempDir dir;
  // Raw guest bytes: the writer's own escaping is what is under test. The payload that would
  // mark the page if it ran is in a run name, a finding and a chart title.
  auto outcome = testing::synthetic_outcome(dir.path(), GuestBytes::Raw);
  outcome.runs[1].findings.push_back({campaign::Verdict::Fail, testing::kInjectedScript, "x"});
  outcome.runs[4].name = testing::kInjectedScript;
  auto chart = testing::degradation_curve();
  chart.title = testing::kInjectedScript;
  outcome.runs[4].analysis["charts"].push_back(stats::to_json(chart));

  // A spec of twelve runs: its boot times and durations per run, coloured by verdict, with the
  // criterion's bound, and the boot-time distribution (three campaign charts).
  for (int i = 0; i < 11; ++i) {
    auto r = outcome.runs[0];
    r.index = static_cast<int>(outcome.runs.size());
    r.boot_ms = 38 + i * 1.5;
    const bool slow = *r.boot_ms > 45;
    r.criteria = {{"boot_ms <= 45", "boot_ms", r.boot_ms, 45, !slow}};
    r.verdict = slow ? campaign::Verdict::Fail : campaign::Verdict::Pass;
    r.analysis = nlohmann::json::object();
    outcome.runs.push_back(std::move(r));
  }
  const auto page = std::filesystem::path(OSH_REPORTS_BINARY_DIR) / "report-chromium.html";
  const auto screenshot = std::filesystem::path(OSH_REPORTS_BINARY_DIR) / "report-screenshot.png";
  std::filesystem::remove(screenshot);
  {
    std::ofstream out(page, std::ios::binary | std::ios::trunc);
    HtmlReport().write(outcome, out);
  }
  const auto r = render_in_chromium(page, screenshot, dir.path());

  const std::string root = root_tag(r);
  EXPECT_THAT(root, HasSubstr("data-rendered=\"1\"")) << "the page's last script did not finish\n"
                                                      << r.log;
  EXPECT_THAT(root, HasSubstr("data-errors=\"0\"")) << root;
  EXPECT_THAT(root, Not(HasSubstr("data-error-log"))) << root;
  EXPECT_THAT(root, Not(HasSubstr("data-injected"))) << "a guest string ran as script: " << root;

  // The guest's markup is text in the DOM, and the only scripts are the page's own two.
  EXPECT_THAT(r.dom, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(
      r.dom,
      HasSubstr("&lt;script&gt;document.documentElement.dataset.injected='1'&lt;/script&gt;"));
  EXPECT_EQ(count(r.dom, "<script"), 2u);
  EXPECT_EQ(count(r.dom, "<img"), 0u);
  // Every chart made it into the DOM: 3 campaign charts, 6 run charts.
  EXPECT_EQ(count(r.dom, "data-chart-id=\"spec.boot-smoke."), 3u);
  EXPECT_THAT(r.dom, HasSubstr(">boot_ms &lt;= 45</text>"));
  EXPECT_EQ(count(r.dom, "<svg class=\"chart\""), 9u);
  // The filter bar was switched on by the script.
  EXPECT_THAT(r.dom, HasSubstr("<div class=\"filter\" id=\"filter\">"));

  std::ifstream png(screenshot, std::ios::binary);
  char magic[8] = {};
  png.read(magic, sizeof magic);
  EXPECT_EQ(std::string(magic, 8), "\x89PNG\r\n\x1a\n") << "no screenshot at " << screenshot;
  EXPECT_GT(std::filesystem::exists(screenshot) ? std::filesystem::file_size(screenshot) : 0,
            50'000u);
}

// The second line of defence: were a guest string ever to get past the escaping, the page's
// Content-Security-Policy lets no script run but the page's own two, and the block is counted.
TEST(HtmlInChromium, ItsContentSecurityPolicyBlocksAnyOtherScript) {
  testing::TempDir dir;
  std::ostringstream out;
  HtmlReport().write(testing::synthetic_outcome(dir.path(), GuestBytes::Escaped), out);
  std::string page = out.str();
  page.insert(page.find("</main>"), testing::kInjectedScript);
  const auto path = dir.path() / "report.html";
  std::ofstream(path, std::ios::binary) << page;
  const auto r = render_in_chromium(path, dir.path() / "screenshot.png", dir.path());

  const std::string root = root_tag(r);
  EXPECT_THAT(root, Not(HasSubstr("data-injected"))) << root;
  EXPECT_THAT(root, HasSubstr("data-rendered=\"1\"")) << root;  // the page's own scripts ran
  EXPECT_THAT(root, HasSubstr("data-errors=\"1\"")) << root;
  EXPECT_THAT(root, HasSubstr("blocked by the content security policy: script-src")) << root;
}

}  // namespace
}  // namespace osh::reports
