#include "harness/cli/repro_command.h"

#include <cstdio>

#include "harness/base/errors.h"
#include "harness/base/sha256.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/runner.h"
#include "harness/cli/bundle_trust.h"
#include "harness/cli/campaign_session.h"
#include "harness/cli/reproduction_report.h"
#include "reports/escape_once.h"

namespace osh::cli {

int repro_command(const ReproArgs& args, const campaign::Plugins& plugins) {
  // A bundle's strings are printed as a live run prints them: escaped, once (they may hold any
  // bytes: the bundle is a file anyone can write).
  const auto safe = [](const std::string& text) { return reports::escape_text_once(text); };
  const auto bundle = campaign::read_bundle(args.bundle);
  // Relative paths in the bundle are the bundle's: a bundle copied with its kernel beside it
  // reruns from any directory.
  auto spec = campaign::parse_spec(bundle.spec, args.bundle.string() + ": spec",
                                   std::filesystem::absolute(args.bundle).parent_path(),
                                   spec_context(plugins));
  spec.seed = bundle.seed;
  spec.repeat = 1;
  check_guest_images({spec});

  std::string current_sha;
  try {
    current_sha = sha256_file(spec.guest.kernel);
  } catch (const InputError&) {
    throw InfraError("the guest image of this bundle, " + spec.guest.kernel.string() +
                     ", is gone; rebuild it or edit spec.guest.kernel in " + args.bundle.string());
  }
  if (!bundle.kernel_sha256.empty() && current_sha != bundle.kernel_sha256)
    std::fprintf(stderr,
                 "osharness: warning: %s changed since the failure (SHA-256 %.12s… then, %.12s… "
                 "now); the rerun tests the new image\n",
                 safe(spec.guest.kernel.string()).c_str(), safe(bundle.kernel_sha256).c_str(),
                 current_sha.c_str());
  if (!args.quiet) {
    std::fprintf(stderr, "osharness: the bundle %s will run:\n",
                 safe(args.bundle.string()).c_str());
    for (const auto& line : describe_rerun(spec, bundle, current_sha))
      std::fprintf(stderr, "  %s\n", line.c_str());
  }
  const auto trust_file = trusted_qemu_args_file();
  const auto untrusted = args.trust ? std::vector<std::string>{}
                                    : untrusted_qemu_args(spec, read_trusted_qemu_args(trust_file));
  if (!untrusted.empty()) {
    std::string list;
    for (const auto& arg : untrusted) list += (list.empty() ? "\"" : " \"") + safe(arg) + "\"";
    throw UsageError(
        "the bundle " + safe(args.bundle.string()) +
        " gives QEMU arguments beyond the harness's own: " + list +
        ". A QEMU argument can read or write any file you can (-serial file:..., -drive "
        "file=...): read them, then pass --trust to run them, or allow each one in " +
        trust_file.string() + " (docs/trust.md)");
  }

  if (args.replay) {
    const auto log = std::filesystem::absolute(args.bundle.parent_path() / campaign::kReplayLog);
    std::error_code ec;
    if (!std::filesystem::exists(log, ec))
      throw InputError(args.bundle.string() + ": no replay log beside it (" + log.string() +
                       "); only a failed run of `osharness run --record` can be replayed");
    if (!bundle.kernel_sha256.empty() && current_sha != bundle.kernel_sha256)
      throw InputError(spec.guest.kernel.string() +
                       " changed since it was recorded; a replay needs the very image it recorded");
    spec.guest.replay_log = log;
  }
  const auto out = args.out ? *args.out : args.bundle.parent_path() / "repro";
  prepare_out_dir(out, /*overwrite=*/true, plugins);
  std::fprintf(stderr, "osharness: %s %s with seed %llu (expecting %s)\n",
               args.replay ? "replaying" : "rerunning", spec.name.c_str(),
               static_cast<unsigned long long>(bundle.seed), safe(bundle.signature).c_str());
  const std::vector<campaign::Spec> specs(static_cast<size_t>(std::max(1, args.runs)), spec);
  const auto outcome = run_session(specs, out, {args.jobs, 0, args.quiet, args.argv}, plugins);
  if (outcome.runs.empty()) return session_exit_code(outcome);
  return report_reproduction(campaign::tally_reproduction(bundle, outcome.runs, args.replay),
                             bundle, args.bundle, outcome);
}

}  // namespace osh::cli
