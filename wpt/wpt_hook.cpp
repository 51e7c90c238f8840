#include "wpt/wpt_hook.h"

#include <limits>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "wpt/data_image.h"
#include "wpt/results.h"
#include "wpt/run_summary.h"

namespace osh::wpt {
namespace {

constexpr int kMaxShards = 256;

std::filesystem::path resolve(const std::filesystem::path& spec_dir, const std::string& path) {
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : spec_dir / p).lexically_normal();
}

// How a test the guest never ended is reported: as the run ended.
std::string unfinished_status(const campaign::RunResult& r) {
  if (r.crash) return "CRASH";
  for (const auto& f : r.findings)
    if (f.verdict == campaign::Verdict::Hang || f.verdict == campaign::Verdict::Timeout)
      return "TIMEOUT";
  return "ERROR";
}

std::string describe(const Unexpected& u) {
  std::string s = u.test + (u.subtest.empty() ? "" : " | " + u.subtest) + ": " + u.status +
                  ", expected " + u.expected.front();
  for (size_t i = 1; i < u.expected.size(); ++i) s += (i == 1 ? " (or " : ", ") + u.expected[i];
  if (u.expected.size() > 1) s += ")";
  if (!u.message.empty()) s += " (" + u.message + ")";
  return s;
}

class WptHook final : public campaign::RunHook {
 public:
  // `config` belongs to the spec, which outlives its runs.
  WptHook(const WptConfig& config, const campaign::HookSetup& setup)
      : config_(config),
        shard_(shard_of(setup.seed, config_.shards)),
        tests_(shard_tests(config_.tests, config_.shards, shard_)),
        image_(build_data_image(tests_)),
        image_path_(setup.run_folder / "wpt-data.img"),
        collector_(tests_, image_.test_crcs) {
    atomic_write(image_path_, image_.bytes);
  }

  void configure(vm::VmConfig& config) override {
    if (!config.initrd.empty())
      throw InfraError("guest.initrd is " + config.initrd.string() +
                       ", but the wpt section passes the WPT data image as the initrd: remove "
                       "guest.initrd from the spec");
    config.initrd = image_path_;
  }

  void on_marker(const marker::MarkerEvent& event) override { collector_.on_marker(event); }
  void tick(int64_t, campaign::RunControl&) override {}
  int64_t next_tick_ns() const override { return std::numeric_limits<int64_t>::max(); }

  void finish(campaign::RunResult& r) override {
    ResultCollector::Outcome outcome = collector_.finish(unfinished_status(r));
    if (shard_ == 0)  // disabled tests are reported once, as wptrunner reports them: SKIP
      for (const auto& [id, reason] : config_.disabled)
        outcome.results.push_back({id, "SKIP", reason, 0, {}});
    const RunSummary summary = summarize(outcome.results, config_.expectations);

    for (const auto& p : outcome.problems)
      r.findings.push_back({campaign::Verdict::Fail, "wpt: " + p, "FAIL wpt-results"});
    if (!outcome.done && !r.crash)
      r.findings.push_back({campaign::Verdict::Fail,
                            "wpt: the guest did not finish its WPT tests (no WPT:DONE marker)",
                            "FAIL wpt-unfinished"});
    std::vector<const Unexpected*> failing;
    for (const auto& u : summary.unexpected) {
      const bool pass = u.status == "PASS" || u.status == "OK";
      if (!pass || config_.fail_on_unexpected_pass) failing.push_back(&u);
    }
    if (!failing.empty())
      r.findings.push_back({campaign::Verdict::Fail,
                            std::to_string(failing.size()) +
                                " unexpected WPT result(s) (wpt/meta holds the expectations), "
                                "first: " +
                                describe(*failing.front()),
                            "FAIL wpt-unexpected"});

    uint64_t tests = 0, unexpected = 0, unexpected_pass = 0;
    std::map<std::string, uint64_t> subtests;
    nlohmann::json directories = nlohmann::json::object();
    for (const auto& [dir, counts] : summary.directories) {
      tests += counts.tests;
      unexpected += counts.unexpected;
      unexpected_pass += counts.unexpected_pass;
      for (const auto& [status, n] : counts.subtests) subtests[status] += n;
      directories[dir] = to_json(counts);
    }
    r.metrics["wpt.tests"] = static_cast<double>(tests);
    for (const char* status : {"PASS", "FAIL", "PRECONDITION_FAILED", "NOTRUN", "TIMEOUT"}) {
      std::string key = "wpt.subtests.";
      for (const char* c = status; *c; ++c) key += static_cast<char>(std::tolower(*c));
      r.metrics[key] = static_cast<double>(subtests[status]);
    }
    r.metrics["wpt.unexpected"] = static_cast<double>(unexpected);
    r.metrics["wpt.unexpected_pass"] = static_cast<double>(unexpected_pass);

    nlohmann::json revisions = nlohmann::json::object();
    for (const auto& [dir, commit] : config_.manifest.directory_commits)
      revisions[dir] = commit ? nlohmann::json(*commit) : nlohmann::json();
    r.analysis["wpt"] = {{"product", config_.product},
                         {"os", config_.os},
                         {"browser_version", r.analysis.value("guest_version", std::string())},
                         {"revision", config_.revision.value_or(config_.manifest.revision)},
                         {"wpt_revisions", revisions},
                         {"shard", shard_},
                         {"shards", config_.shards},
                         {"image_bytes", image_.bytes.size()},
                         {"pinned_subtests", config_.pinned_subtests},
                         {"directories", directories},
                         {"results", summary.results}};
    add_testcases(summary, r);
  }

 private:
  // One JUnit testcase per subtest (and per test whose own status is not OK), passed when the
  // status was expected.
  static void add_testcases(const RunSummary& summary, campaign::RunResult& r) {
    for (const auto& result : summary.results) {
      const std::string test = result["test"].get<std::string>();
      const auto add = [&](const nlohmann::json& j, const std::string& name) {
        const std::string status = j["status"].get<std::string>();
        const bool unexpected = j.contains("expected");
        std::string reason = status;
        if (unexpected) reason += ", expected " + j["expected"].get<std::string>();
        if (j["message"].is_string()) reason += ": " + j["message"].get<std::string>();
        r.guest_tests.push_back({name,
                                 unexpected ? campaign::Verdict::Fail : campaign::Verdict::Pass,
                                 status == "PASS" || status == "OK" ? "" : reason, 0});
      };
      if (result["status"] != "OK") add(result, test);
      for (const auto& sub : result["subtests"])
        add(sub, test + " | " + sub["name"].get<std::string>());
    }
  }

  const WptConfig& config_;
  int shard_;
  std::vector<WptTest> tests_;
  DataImage image_;
  std::filesystem::path image_path_;
  ResultCollector collector_;
};

const std::vector<campaign::MetricInfo>& wpt_metrics() {
  using B = campaign::MetricInfo::Better;
  static const std::vector<campaign::MetricInfo> metrics = {
      {"wpt.tests", "", B::Neither, "WPT tests reported (in this run's shard)"},
      {"wpt.subtests.pass", "", B::Higher, "WPT subtests that passed"},
      {"wpt.subtests.fail", "", B::Lower, "WPT subtests that failed"},
      {"wpt.subtests.precondition_failed", "", B::Lower,
       "WPT subtests the guest cannot run (a missing feature, e.g. IDNA)"},
      {"wpt.subtests.notrun", "", B::Lower, "WPT subtests never reported"},
      {"wpt.subtests.timeout", "", B::Lower, "WPT subtests that timed out"},
      {"wpt.unexpected", "", B::Lower, "WPT results other than the expectations say"},
      {"wpt.unexpected_pass", "", B::Neither, "of those, PASS or OK where a failure was expected"},
  };
  return metrics;
}

}  // namespace

int shard_of(uint64_t seed, int shards) {
  return static_cast<int>(seed % static_cast<uint64_t>(shards));
}

nlohmann::json WptConfig::to_json() const {
  nlohmann::json j = {{"tests", selection},
                      {"shards", shards},
                      {"data", data_dir.string()},
                      {"expectations", meta_dir.string()},
                      {"product", product},
                      {"os", os},
                      {"fail_on_unexpected_pass", fail_on_unexpected_pass}};
  if (revision) j["revision"] = *revision;
  return j;
}

RunInfo WptConfig::run_info() const { return {{"product", product}, {"os", os}}; }

std::shared_ptr<const WptConfig> parse_wpt_config(const nlohmann::json& section,
                                                  const std::string& origin) {
  JsonReader r(section, origin, "wpt");
  auto config = std::make_shared<WptConfig>();
  const std::filesystem::path spec_dir = std::filesystem::path(origin).parent_path();
  config->selection = r.strings("tests").value_or(std::vector<std::string>{});
  config->shards = static_cast<int>(r.integer("shards", 1, kMaxShards).value_or(1));
  config->data_dir = resolve(spec_dir, r.string("data").value_or("../data"));
  config->meta_dir = resolve(spec_dir, r.string("expectations").value_or("../meta"));
  config->product = r.string("product").value_or("rayos");
  config->os = r.string("os").value_or(config->product);
  config->revision = r.string("revision");
  config->fail_on_unexpected_pass = r.boolean("fail_on_unexpected_pass").value_or(true);
  r.reject_unknown();

  config->manifest = load_data_manifest(config->data_dir);
  config->expectations = Expectations::load(config->meta_dir, config->run_info());
  const std::vector<WptTest> catalog = load_catalog(config->data_dir);
  for (const auto& t : catalog) config->pinned_subtests[test_directory(t.id)] += t.subtests.size();
  for (auto& t : select_tests(catalog, config->selection, origin + ": wpt.tests")) {
    if (auto reason = config->expectations.disabled(t.id)) {
      config->disabled.emplace_back(t.id, *reason);
    } else {
      config->tests.push_back(std::move(t));
    }
  }
  return config;
}

campaign::RunHookInfo wpt_hook_info() {
  return {"wpt",
          "WPT tests run inside the guest from a data image of the pinned WPT data, judged "
          "against wptrunner-style expectations (docs/wpt.md)",
          wpt_metrics(),
          [](const nlohmann::json& section, const std::string& origin, double) {
            return std::shared_ptr<const campaign::HookConfig>(parse_wpt_config(section, origin));
          },
          [](const campaign::HookConfig& config, const campaign::HookSetup& setup) {
            // `config` is what parse above returned (the registry pairs the two).
            return std::make_unique<WptHook>(static_cast<const WptConfig&>(config), setup);
          }};
}

}  // namespace osh::wpt
