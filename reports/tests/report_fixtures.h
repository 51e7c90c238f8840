#pragma once
// Synthetic campaign outcomes for the report writers' tests: every verdict, crash frames,
// marker problems, criteria, guest tests, charts of every kind, and guest strings that have
// broken report writers elsewhere (markup, "]]>", NUL, ESC, invalid UTF-8, XML noncharacters).
#include <filesystem>
#include <string>

#include "harness/base/testing/temp_dir.h"
#include "harness/campaign/campaign.h"
#include "harness/stats/chart.h"

namespace osh::reports::testing {

// How guest strings reach the writers: as the runner stores them (escape_text'd: what a
// journal holds), or raw, to check that each writer copes with arbitrary bytes on its own.
enum class GuestBytes { Escaped, Raw };

// Raw bytes a guest could print: "<script>alert(1)</script>", "]]>", NUL, ESC, an invalid
// UTF-8 byte, U+FFFF, quotes and ampersands.
std::string hostile_guest_text();
// A payload that marks the page (<html data-injected>) if it ever runs as script.
inline constexpr const char* kInjectedScript =
    "<script>document.documentElement.dataset.injected='1'</script>";

stats::Chart latency_histogram();  // log x, percentile rules
stats::Chart soak_time_series();   // three series, fault windows, a rule
stats::Chart degradation_curve();  // a stress curve with its knee

// Eight runs: PASS, FAIL, CRASH, HANG, TIMEOUT, INFRA_ERROR, FLAKY, and a FAIL whose analysis
// holds an empty chart and a malformed one. `out_dir` receives a console log for the CRASH run.
campaign::CampaignOutcome synthetic_outcome(const std::filesystem::path& out_dir, GuestBytes bytes);

// `n` runs like a long campaign's: one in ten fails a criterion; each run has `charts` charts,
// alternately the soak time series (3 series of 121 points, 2 fault windows) and the latency
// histogram (45 buckets, 4 percentile rules).
campaign::CampaignOutcome many_runs(size_t n, int charts);

// Writes the journal that run_campaign would have written for `outcome`.
void write_journal(const campaign::CampaignOutcome& outcome, const std::filesystem::path& path);

using TempDir = osh::test_support::TempDir;

// The whole file; std::runtime_error when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace osh::reports::testing
