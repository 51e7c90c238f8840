// osharness: boots an OS under test in VMs, reads its markers, decides and reports.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "harness/base/errors.h"
#include "harness/campaign/verdict.h"
#include "harness/campaign/version.h"
#include "harness/cli/diff_command.h"
#include "harness/cli/gate_command.h"
#include "harness/cli/history_command.h"
#include "harness/cli/merge_command.h"
#include "harness/cli/number_option.h"
#include "harness/cli/parse_command.h"
#include "harness/cli/report_command.h"
#include "harness/cli/repro_command.h"
#include "harness/cli/run_command.h"
#include "plugins/builtin.h"
#include "reports/markdown_summary.h"

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 PASS, 1 FAIL, 2 CRASH, 3 HANG, 4 TIMEOUT, 5 FLAKY, 69 INFRA_ERROR (the worst "
    "verdict of all runs),\n64 usage error, 65 bad spec or input, 128+N stopped by signal N.";

constexpr const char* report_url_help =
    "URL where the reports will be published (CI artefacts): summary.md links it as \"Full "
    "report: <URL>\"";
// --report-url must stay one Markdown autolink in summary.md.
const CLI::Validator report_url_check(
    [](std::string& url) {
      const auto problem = osh::reports::report_url_problem(url);
      return problem.empty() ? problem : "\"" + url + "\": " + problem;
    },
    "URL");

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "osharness: error: %s\n", message.c_str());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using osh::campaign::kExitBadInput;
  using osh::campaign::kExitUsage;
  using osh::cli::in_range;
  CLI::App app{
      "osharness — boots an operating system under test in QEMU, reads the markers it prints "
      "on its serial console, and turns them into verdicts and reports.",
      "osharness"};
  app.set_version_flag("--version", std::string("osharness ") + osh::campaign::kHarnessVersion);
  app.footer(std::string("Of run, report and merge. ") + kExitCodes +
             "\nEvery other command has its own: osharness <command> --help.");
  app.require_subcommand(1);
  std::vector<std::string> all_args(argv, argv + argc);
  const osh::campaign::Plugins plugins = osh::plugins::builtin_plugins();
  std::string reports;
  for (const auto& writer : plugins.report_writers)
    reports += ", " + std::string(writer->file_name());

  osh::cli::RunArgs run;
  run.argv = all_args;
  auto* run_cmd = app.add_subcommand(
      "run",
      "Run campaign specs (JSON, see docs/specs.md), or one ad-hoc run given by --kernel and "
      "--scenario. Writes into --out: journal.jsonl" +
          reports +
          ", and runs/<run>/ per run: console.log (console.log.gz with --compress-logs), "
          "console.times (the host time of each line), "
          "qemu.stdout.log, qemu.stderr.log, its disk "
          "images and captures, and for a run that did not pass repro.json (and replay.bin with "
          "--record); --keep says which run folders stay.");
  run_cmd->add_option("specs", run.specs, "Campaign spec files");
  auto* adhoc = "Ad-hoc run";
  auto* both = "Ad-hoc runs and spec files";
  run_cmd->add_option("--kernel", run.kernel, "Guest kernel to boot (e.g. build/bin/rayos.elf)")
      ->group(adhoc);
  run_cmd->add_option("--scenario", run.scenario, "Scenario the guest runs (osh.scenario=)")
      ->group(adhoc);
  run_cmd->add_option("--initrd", run.initrd, "Initial ramdisk to load with the kernel")
      ->group(adhoc);
  run_cmd
      ->add_option("--append", run.append,
                   "More kernel command-line words, e.g. \"console=ttyS0 panic=-1\"")
      ->group(adhoc);
  run_cmd
      ->add_option("--schema", run.schema,
                   "Marker schema: rayos (default), none (any marker of --prefix) or a JSON file")
      ->group(adhoc);
  run_cmd
      ->add_option("--prefix", run.marker_prefix,
                   "Marker prefix with --schema none (default RAYOS), e.g. LNXGUEST")
      ->group(adhoc);
  run_cmd->add_flag("--ktap", run.ktap, "Read KTAP/TAP test results from the console")
      ->group(adhoc);
  run_cmd
      ->add_option("--param", run.params,
                   "Scenario parameter key=value (repeatable); with spec files, added to (or "
                   "replacing in) each spec's params")
      ->allow_extra_args(false)
      ->group(both);
  run_cmd
      ->add_option("--machine", run.machine,
                   "QEMU machine (guest.qemu.machine): microvm (default), pc, q35")
      ->group(adhoc);
  run_cmd->add_option("--memory", run.memory, "Guest memory, e.g. 64M (default)")->group(adhoc);
  run_cmd
      ->add_option("--cpus", run.cpus,
                   "Guest CPUs (guest.cpus, 1 to 64; default 1; 1 in deterministic mode)")
      ->group(adhoc);
  run_cmd
      ->add_option("--disk-mib", run.disk_mib,
                   "Attach a fresh sparse raw disk of this many MiB (virtio-blk)")
      ->group(adhoc);
  run_cmd
      ->add_option("--expect-exit", run.expect_exit,
                   "Exit code the guest must end with (default 0)")
      ->check(in_range(osh::integer_range(0, 255)))
      ->group(adhoc);
  run_cmd
      ->add_option(
          "--analyzer", run.analyzers,
          "Campaign analyzer adding its metrics: " + plugins.analyzer_names() + " (repeatable)")
      ->allow_extra_args(false)
      ->group(adhoc);
  run_cmd
      ->add_option("--criterion", run.criteria,
                   "Pass criterion, e.g. \"boot_ms <= 200\" (repeatable)")
      ->allow_extra_args(false)
      ->group(adhoc);
  run_cmd
      ->add_option("--qemu-arg", run.qemu_args, "Extra QEMU argument (guest.qemu.args, repeatable)")
      ->allow_extra_args(false)
      ->group(adhoc);
  run_cmd
      ->add_option("--seed", run.seed, "Seed of the first run (default: the spec's, else random)")
      ->check(in_range(osh::integer_range(0, UINT64_MAX)))
      ->group(both);
  run_cmd->add_option("--repeat", run.repeat, "Runs per spec, seeds seed, seed+1, ...")
      ->check(in_range(osh::integer_range(1, 100000)))
      ->group(both);
  run_cmd
      ->add_option("--backend", run.backend,
                   "VM backend (guest.backend): " + plugins.backend_names() + " (default qemu)")
      ->group(both);
  run_cmd
      ->add_option("--connect", run.connect,
                   "libvirt URI of the libvirt backend (guest.libvirt.uri): qemu:///system "
                   "(default), qemu:///session, ...")
      ->group(both);
  run_cmd
      ->add_option("--accel", run.accel,
                   "QEMU accelerator (guest.qemu.accel): auto (measured, default), tcg or kvm")
      ->check(CLI::IsMember({"auto", "tcg", "kvm"}))
      ->group(both);
  run_cmd
      ->add_flag("--deterministic", run.deterministic,
                 "Deterministic mode (guest.deterministic): guest time follows executed "
                 "instructions (icount, one vCPU, TCG), a fixed RTC, QEMU's PRNG seeded; the same "
                 "seed prints the same console bytes (docs/determinism.md)")
      ->group(both);
  run_cmd
      ->add_flag("--record", run.record,
                 "Record every run with QEMU record/replay (guest.record; deterministic mode, "
                 "disks through blkreplay); a run that fails keeps runs/<run>/replay.bin for "
                 "`osharness repro --replay`")
      ->group(both);
  run_cmd->add_option("--timeout", run.timeout_s, "Total deadline of each run, seconds")
      ->check(in_range(osh::positive_seconds()))
      ->group(both);
  run_cmd
      ->add_option("--idle-timeout", run.idle_timeout_s,
                   "HANG after this long without console output, seconds")
      ->check(in_range(osh::positive_seconds()))
      ->group(both);
  run_cmd
      ->add_option("--heartbeat-timeout", run.heartbeat_timeout_s,
                   "HANG after this long without SYS:HEARTBEAT, seconds")
      ->check(in_range(osh::positive_seconds()))
      ->group(both);
  auto* campaign = "Campaign";
  run_cmd->add_option("--out", run.out, "Output folder (default out/<name>-<date>-<time>)")
      ->group(campaign);
  run_cmd->add_option("--jobs,-j", run.jobs, "Runs at the same time (default 1)")
      ->check(in_range(osh::integer_range(1, 256)))
      ->group(campaign);
  run_cmd
      ->add_option("--reruns", run.reruns,
                   "Reruns of a failed run with its seed; a pass makes it FLAKY")
      ->check(in_range(osh::integer_range(0, 100)))
      ->group(campaign);
  run_cmd->add_flag("--overwrite", run.overwrite, "Replace the campaign already in --out")
      ->group(campaign);
  run_cmd
      ->add_option("--filter", run.filters,
                   "Run only the specs whose name matches this glob (boot-*), or with a tag "
                   "matching tag:GLOB (tag:slow); repeatable, a spec runs when any matches")
      ->allow_extra_args(false)
      ->group(campaign);
  run_cmd->add_flag("--list", run.list, "Print the selected specs (name, runs, tags); run nothing")
      ->group(campaign);
  run_cmd
      ->add_flag("--dry-run", run.dry_run,
                 "Print every run that would run (index, spec, repeat, seed, kernel command "
                 "line); start no VM and write nothing")
      ->group(campaign);
  run_cmd
      ->add_option("--shard", run.shard,
                   "i/n: run the i-th of n parts of the campaign (by spec name and repeat, "
                   "whatever the order of the specs); join the parts with `osharness merge`")
      ->group(campaign);
  run_cmd
      ->add_option("--resume", run.resume,
                   "DIR: finish the campaign of output folder DIR (killed, or interrupted): run "
                   "the runs its journal planned but never recorded, and those a stop signal "
                   "cut short (INFRA_ERROR interrupted), with their seeds, into the same "
                   "journal, then write every report")
      ->check(CLI::ExistingDirectory)
      ->group(campaign);
  run_cmd->add_option("--report-url", run.report_url, report_url_help)
      ->check(report_url_check)
      ->group(campaign);
  run_cmd
      ->add_option("--keep", run.keep,
                   "What stays of each run's folder (runs/<run>/: console and QEMU logs, disk "
                   "images, captures): all (default), failed (the folders of runs that did not "
                   "pass) or none (only repro.json and replay.bin, to rerun a failure)")
      ->check(CLI::IsMember({"all", "failed", "none"}))
      ->group(campaign);
  run_cmd
      ->add_flag("--compress-logs", run.compress_logs,
                 "Keep each run's console log gzip-compressed, as runs/<run>/console.log.gz "
                 "(once the run is judged); reports, osharness parse, diff and repro read it as "
                 "they read console.log")
      ->group(campaign);
  run_cmd
      ->add_option("--only-failed", run.only_failed,
                   "DIR: rerun the runs that did not pass in output folder DIR, each with its "
                   "seed and index, its spec as DIR's journal planned it and the guest images as "
                   "they are now, into a new --out; with --filter, only those specs' runs")
      ->check(CLI::ExistingDirectory)
      ->group(campaign);
  run_cmd
      ->add_flag("--quiet,-q", run.quiet,
                 "No progress lines; only the summary (which lists every run that did not pass)")
      ->group(campaign);
  run_cmd->footer(kExitCodes);

  osh::cli::ParseArgs parse;
  std::string schema;
  auto* parse_cmd = app.add_subcommand(
      "parse",
      "Parse a saved console log with the same parser and checks as a live run: counts markers, "
      "lost, corrupt and malformed ones (with line numbers) and noise. Exit 0 when the log is "
      "clean, 1 when it has marker problems.");
  parse_cmd->add_option("log", parse.log, "Console log file (gzip-compressed or not)")->required();
  parse_cmd->footer(
      "Prints to stdout only (--json: one JSON object). Exit codes: 0 a clean log, 1 marker "
      "problems, 64 usage error, 65 an unreadable log or a bad schema.");
  parse_cmd->add_option("--schema", schema,
                        "Marker schema JSON (default: rayos.schema.json next to osharness; "
                        "\"none\" parses schema-less)");
  parse_cmd->add_flag("--json", parse.json, "Print one JSON object instead of text");
  parse_cmd->add_flag("--times", parse.times,
                      "Then list every line with the host time it arrived at, from the "
                      "console.times that `osharness run` writes beside console.log");
  parse_cmd->add_option("--max-problems", parse.max_problems, "Problems listed (default 50)")
      ->check(in_range(osh::integer_range(0, 1000000)));
  parse_cmd
      ->add_option("--max-bytes", parse.max_bytes,
                   "Read at most this many bytes, up to the last whole line (default: a regular "
                   "file whole; a pipe or device such as /dev/urandom 1 GiB)")
      ->check(in_range(osh::integer_range(1, UINT64_MAX)));

  parse_cmd->add_option("--format", parse.format,
                        "markers (default: markers and kernel crash reports) or ktap (KTAP v1 / "
                        "TAP 13-14 test results, counted as kunit_tool counts them)");
  parse_cmd->add_option("--prefix", parse.marker_prefix,
                        "Marker prefix with --schema none (default RAYOS)");
  parse_cmd->add_option("--crash-reports", parse.crash_reports,
                        "Crash table for kernel reports in the log: linux (default) or none");

  osh::cli::DiffArgs diff;
  auto* diff_cmd = app.add_subcommand(
      "diff",
      "Compare two console logs (or the console logs of two run folders, runs/<run>/): the first "
      "marker where they part (seq, line and both texts), or the first differing line when every "
      "marker agrees. Exit 0 when the logs are the same bytes, 1 when they differ.");
  diff_cmd->footer(
      "Prints to stdout only. Exit codes: 0 the same bytes, 1 they differ, 64 usage error, 65 a "
      "log that cannot be read.");
  diff_cmd->add_option("a", diff.a, "Console log or run folder")->required();
  diff_cmd->add_option("b", diff.b, "Console log or run folder")->required();
  diff_cmd->add_option("--prefix", diff.prefix,
                       "Marker prefix: lines holding <PREFIX>_ are markers (default RAYOS)");

  osh::cli::ReproArgs repro;
  repro.argv = all_args;
  auto* repro_cmd = app.add_subcommand(
      "repro",
      "Rerun a failed run from its repro bundle (runs/<run>/repro.json) with the same spec, seed "
      "and guest image, --runs times, and say whether the same failure (verdict and signature) "
      "came back. Writes the reruns' output folder (--out, default repro/ beside the bundle, "
      "with every report) and reproduction.json beside the bundle; --pack writes one portable "
      "file instead.");
  repro_cmd
      ->add_option("bundle", repro.bundle,
                   "repro.json of a failed run, or a pack of one (from --pack), which is unpacked "
                   "into FILE.unpacked/ beside it and rerun from there")
      ->required();
  repro_cmd->add_flag(
      "--pack", repro.pack,
      "Write the bundle with its guest images (kernel, initrd, schema file), console "
      "log and recording into one portable file (-o), to rerun on another host with "
      "`osharness repro FILE`; runs nothing");
  repro_cmd->add_option("-o,--output", repro.output, "The pack --pack writes");
  repro_cmd->add_option("--out", repro.out,
                        "Output folder of the rerun (default: repro/ beside the bundle)");
  repro_cmd
      ->add_option("--runs", repro.runs,
                   "Reruns of the seed (default 1): prints the reproduction rate, k of N, and "
                   "records it in reproduction.json beside the bundle; exit 0 only when every "
                   "rerun reproduced the failure")
      ->check(CLI::Range(1, 10000));
  repro_cmd->add_flag("--replay", repro.replay,
                      "Replay the run's recording (replay.bin beside the bundle, from `osharness "
                      "run --record`) instruction for instruction instead of rerunning its seed; "
                      "checks that the console bytes are the recorded ones");
  repro_cmd->add_option("--jobs,-j", repro.jobs, "Reruns at the same time (default 1)")
      ->check(CLI::Range(1, 256));
  repro_cmd->add_flag("--quiet,-q", repro.quiet, "Print only the outcome");
  repro_cmd->footer(
      "Exit codes: 0 every rerun reproduced the failure (or --pack wrote the pack), 1 a rerun "
      "ended otherwise, 64 usage error (QEMU arguments not trusted included), 65 a malformed "
      "bundle or pack, or an image not the failure's, 69 a guest image gone or no rerun could "
      "run, 128+N stopped by signal N. Not a run's verdict codes: a rerun that crashes as the "
      "bundle did is a success.");
  repro_cmd->add_flag("--trust", repro.trust,
                      "Run the bundle's QEMU arguments beyond the harness's own (guest.qemu.args); "
                      "without it they must each be in ~/.config/osharness/trusted-qemu-args "
                      "(docs/trust.md)");

  std::filesystem::path report_dir;
  auto* report_cmd =
      app.add_subcommand("report", "Regenerate the reports (" + reports.substr(2) +
                                       ") of an output folder from its journal, in that folder.");
  report_cmd->footer(kExitCodes);
  auto* report_folder =
      report_cmd->add_option("out-folder", report_dir, "Output folder of an `osharness run`");
  std::string report_url;
  report_cmd->add_option("--report-url", report_url, report_url_help)->check(report_url_check);
  std::vector<std::filesystem::path> history_dirs;
  std::filesystem::path history_out;
  auto* history_opt =
      report_cmd
          ->add_option("--history", history_dirs,
                       "DIR...: instead, the trend across these output folders (nightly "
                       "campaigns, complete ones), in the order they started: per spec its "
                       "pass rate and the p50 / p99 of its key figures per campaign, as "
                       "history.html, history.md and history.json in --out. Exit 0 written, 64 "
                       "usage, 65 a folder that is not an output folder or holds an incomplete "
                       "campaign, 69 --out not writable")
          ->expected(1, -1)
          ->excludes(report_folder);
  report_cmd->add_option("--out", history_out, "DIR: where --history writes its three files")
      ->needs(history_opt);

  osh::cli::MergeArgs merge;
  merge.argv = all_args;
  auto* merge_cmd = app.add_subcommand(
      "merge",
      "Join the output folders of a campaign's shards (`osharness run --shard i/n` on several "
      "hosts) into --out: journal.jsonl, runs/ and every report, as if it had run on one host. "
      "Refuses folders that are not shards of one campaign (other specs or osharness version, "
      "overlapping shards).");
  merge_cmd->add_option("shards", merge.shards, "Output folders of the shards")
      ->required()
      ->check(CLI::ExistingDirectory);
  merge_cmd->add_option("--out", merge.out, "Output folder of the merged campaign")->required();
  merge_cmd->add_flag("--overwrite", merge.overwrite, "Replace the campaign already in --out");
  merge_cmd->add_option("--report-url", merge.report_url, report_url_help)->check(report_url_check);
  merge_cmd->footer(kExitCodes);

  osh::cli::GateArgs gate;
  auto* gate_cmd = app.add_subcommand(
      "gate",
      "Compare a campaign with a baseline for a pull request. Spec by spec (by name), each "
      "metric's per-run values are compared with a rank test: improved, unchanged or regressed, "
      "with the shift, its confidence interval and p-value (docs/statistics.md). Prints Markdown "
      "and writes it and JUnit XML.");
  gate_cmd
      ->add_option(
          "--baseline", gate.baseline,
          "report.json or output folder of the baseline campaign (several: their runs are pooled)")
      ->required()
      ->check(CLI::ExistingPath);
  gate_cmd
      ->add_option("--current", gate.current,
                   "report.json or output folder of the campaign under review (several: pooled)")
      ->required()
      ->check(CLI::ExistingPath);
  gate_cmd->add_option(
      "--threshold", gate.thresholds,
      "NAME=VALUE: the smallest shift of metric NAME (or family NAME.*) that counts: "
      "\"10%\", an amount in the metric's unit, or \"off\" (repeatable)");
  gate_cmd->add_option("--default-threshold", gate.default_threshold,
                       "Threshold of every other metric (default 5%)");
  gate_cmd
      ->add_option("--config", gate.config, "JSON file: confidence, default_threshold, thresholds")
      ->check(CLI::ExistingFile);
  gate_cmd->add_option("--confidence", gate.confidence,
                       "Confidence of tests and intervals (default 0.95)");
  gate_cmd->add_option("--out", gate.out,
                       "Folder to write gate.md and gate-junit.xml into (created); without it, "
                       "--markdown or --junit, no file is written");
  gate_cmd->add_option("--markdown", gate.markdown, "Markdown file to write (instead of --out's)");
  gate_cmd->add_option("--junit", gate.junit, "JUnit XML file to write (instead of --out's)");
  gate_cmd->add_flag("--quiet,-q", gate.quiet, "Do not print the Markdown");
  gate_cmd->footer(
      "Exit codes: 0 no regression and no new failure, 1 a regression or a new failure, 64 usage "
      "error, 65 a baseline or current that is not a report, 69 an output file that cannot be "
      "written.");

  // Plug-ins' commands (`osharness wpt update-expectations ...`) parse their own arguments.
  std::vector<std::pair<CLI::App*, const osh::campaign::CommandInfo*>> plugin_cmds;
  for (const auto& command : plugins.commands) {
    auto* cmd = app.add_subcommand(command.name, command.description);
    cmd->prefix_command();
    cmd->set_help_flag();
    plugin_cmds.emplace_back(cmd, &command);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  try {
    if (*run_cmd) return osh::cli::run_command(run, plugins);
    if (*parse_cmd) {
      if (!schema.empty()) parse.schema = std::filesystem::path(schema);
      return osh::cli::run_parse(parse, std::cout);
    }
    if (*diff_cmd) return osh::cli::diff_command(diff, std::cout);
    if (*repro_cmd) return osh::cli::repro_command(repro, plugins);
    if (*report_cmd) {
      if (!history_dirs.empty()) {
        if (history_out.empty())
          throw osh::UsageError("report --history needs --out DIR: where to write history.html");
        return osh::cli::history_command(history_dirs, history_out);
      }
      if (report_dir.empty())
        throw osh::UsageError("report needs an output folder, or --history DIR... --out DIR");
      return osh::cli::report_command(report_dir, report_url, plugins);
    }
    if (*merge_cmd) return osh::cli::merge_command(merge, plugins);
    if (*gate_cmd) return osh::cli::gate_command(gate, std::cout, plugins);
    for (const auto& [cmd, command] : plugin_cmds)
      if (*cmd) return command->run(cmd->remaining());
  } catch (const osh::UsageError& e) {
    return fail(kExitUsage, e.what());
  } catch (const osh::InputError& e) {
    return fail(kExitBadInput, e.what());
  } catch (const osh::InfraError& e) {
    return fail(osh::campaign::exit_code(osh::campaign::Verdict::InfraError), e.what());
  }
  return kExitUsage;
}
