#include "harness/cli/campaign_session.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/paths.h"
#include "harness/campaign/verdict.h"
#include "harness/cli/environment.h"
#include "harness/cli/progress.h"
#include "harness/cli/stop_signals.h"
#include "harness/vm/kernel_image.h"
#include "reports/escape_once.h"
#include "reports/report_writer.h"

namespace osh::cli {
namespace {

// The CPUs this process may run on (its affinity, which a container or taskset narrows).
int usable_cores() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  return CPU_COUNT(&set);
}

}  // namespace

void prepare_out_dir(const std::filesystem::path& dir, bool overwrite,
                     const campaign::Plugins& plugins) {
  if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir))
    throw UsageError("--out " + dir.string() +
                     " is a file, not a folder; name a folder for the campaign's output");
  if (std::filesystem::exists(dir / "journal.jsonl")) {
    if (!overwrite)
      throw UsageError(dir.string() +
                       " already holds a campaign (journal.jsonl); choose another --out, or pass "
                       "--overwrite to replace it");
    // Only what a campaign writes; anything else the user keeps there stays.
    std::filesystem::remove_all(dir / "journal.jsonl");
    std::filesystem::remove_all(dir / "runs");
    for (const auto& writer : plugins.report_writers)
      std::filesystem::remove_all(dir / writer->file_name());
  }
}

std::filesystem::path default_out_dir(const std::string& name) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  return std::filesystem::path("out") / (name + "-" + stamp);
}

campaign::SpecContext spec_context(const campaign::Plugins& plugins) {
  return {plugins, install_dir(), campaign::scale_from_environment()};
}

void print_spec_warnings(const std::vector<campaign::Spec>& specs) {
  for (const auto& spec : specs)
    for (const auto& w : spec.warnings) std::fprintf(stderr, "osharness: warning: %s\n", w.c_str());
}

void check_guest_images(const std::vector<campaign::Spec>& specs) {
  for (const auto& spec : specs)
    if (::access(spec.guest.kernel.c_str(), R_OK) == 0)
      vm::require_bootable_kernel(spec.guest.kernel, spec.origin + ": guest.kernel");
}

campaign::CampaignOutcome run_session(const std::vector<campaign::Spec>& specs,
                                      const std::filesystem::path& out_dir,
                                      const SessionOptions& options,
                                      const campaign::Plugins& plugins,
                                      const campaign::CampaignOutcome* resume_from) {
  if (const int cores = usable_cores(); cores > 0 && options.jobs > cores)
    std::fprintf(
        stderr,
        "osharness: warning: --jobs %d is more than the %d cores this process may run "
        "on: runs will wait for a CPU. The watchdog's limits, boot_ms, first_output_ms and "
        "the *_less_starvation metrics leave those waits out; other timings (host wall time, "
        "and the guest's own clock, which runs on while QEMU waits) suffer, and a criterion "
        "on a host wall-time metric says it is load-sensitive (docs/specs.md)\n",
        options.jobs, cores);
  StopSignals& signals = StopSignals::install();
  Environment environment(signals, plugins);
  const auto in_shard = campaign::shard_selection(specs, options.shard);
  const auto total = resume_from ? campaign::missing_runs(*resume_from).size()
                     : options.runs
                         ? options.runs->size()
                         : static_cast<size_t>(std::count(in_shard.begin(), in_shard.end(), true));
  Progress progress(stderr, total, options.quiet);
  environment.run_environment().progress = [&](const campaign::RunProgress& p) {
    progress.update(p);
  };
  if (!options.quiet)
    std::fprintf(stderr, "osharness: %zu run%s, output in %s\n", total, total == 1 ? "" : "s",
                 out_dir.string().c_str());
  campaign::CampaignOptions campaign_options{out_dir,      options.jobs,         options.reruns,
                                             options.argv, options.shard,        options.runs,
                                             options.keep, options.compress_logs};
  const auto on_run_done = [&](const campaign::RunResult& r) { progress.finished(r); };
  auto outcome = resume_from ? campaign::resume_campaign(*resume_from, specs, campaign_options,
                                                         environment.run_environment(), on_run_done)
                             : campaign::run_campaign(specs, campaign_options,
                                                      environment.run_environment(), on_run_done);
  outcome.info.report_url = options.report_url;
  report_and_summarise(outcome, plugins);
  return outcome;
}

campaign::CampaignOutcome read_out_dir(const std::filesystem::path& dir) {
  const auto journal = dir / "journal.jsonl";
  if (!std::filesystem::exists(journal))
    throw InputError(dir.string() +
                     " holds no journal.jsonl: give the output folder of an `osharness run`");
  return campaign::read_campaign(journal);
}

void report_and_summarise(const campaign::CampaignOutcome& outcome,
                          const campaign::Plugins& plugins) {
  const auto verdict = reports::overall_verdict(outcome);
  std::map<campaign::Verdict, int> counts;
  for (const auto& r : outcome.runs) ++counts[r.verdict];
  std::string tally;
  for (const auto& [v, n] : counts)
    tally +=
        (tally.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(campaign::to_string(v));
  std::printf("osharness: %s — %zu run%s%s%s%s%s\n",
              std::string(campaign::to_string(verdict)).c_str(), outcome.runs.size(),
              outcome.runs.size() == 1 ? "" : "s", tally.empty() ? "" : ": ", tally.c_str(),
              outcome.info.interrupted ? " (interrupted)" : "",
              outcome.info.incomplete.empty() ? "" : " (campaign incomplete)");
  for (const auto& why : outcome.info.incomplete)
    std::printf("  incomplete: %s\n", escape_text(why).c_str());
  for (const auto& r : outcome.runs)
    if (r.verdict != campaign::Verdict::Pass) {
      std::printf("  %s\n", Progress::run_line(r).c_str());
      if (!r.repro_bundle.empty())
        std::printf("    reproduce: osharness repro %s\n",
                    (outcome.out_dir / r.repro_bundle).c_str());
    }
  for (const auto& w : outcome.info.warnings)
    std::printf("  warning: %s\n", reports::escape_text_once(w).c_str());
  const auto written = reports::write_reports(outcome, outcome.out_dir, plugins.report_writers);
  std::printf("  reports:");
  for (const auto& p : written) std::printf(" %s", p.c_str());
  std::printf("\n");
  std::fflush(stdout);
}

int session_exit_code(const campaign::CampaignOutcome& outcome) {
  if (outcome.info.interrupted) {
    const int sig = StopSignals::install().signal().load();
    if (sig) return 128 + sig;
  }
  return campaign::exit_code(reports::overall_verdict(outcome));
}

}  // namespace osh::cli
