#include "harness/cli/repro_command.h"

#include <cstdio>

#include "harness/base/errors.h"
#include "harness/base/sha256.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/repro_pack.h"
#include "harness/campaign/runner.h"
#include "harness/cli/bundle_trust.h"
#include "harness/cli/campaign_session.h"
#include "harness/cli/reproduction_report.h"
#include "reports/escape_once.h"

namespace osh::cli {

namespace {

// A bundle's strings are printed as a live run prints them: escaped, once (they may hold any
// bytes: the bundle is a file anyone can write).
std::string safe(const std::string& text) { return reports::escape_text_once(text); }

// An image of the bundle that is gone is an infrastructure error; one that changed is rerun
// anyway, with a warning: the rerun tests the new image. Returns the image's SHA-256 now.
std::string check_image(const std::filesystem::path& image, const std::string& recorded_sha,
                        const std::string& field, const std::filesystem::path& bundle) {
  std::string current_sha;
  try {
    current_sha = sha256_file(image);
  } catch (const InputError&) {
    throw InfraError("the " + field + " image of this bundle, " + safe(image.string()) +
                     ", is gone; rebuild it or edit spec." + field + " in " +
                     safe(bundle.string()));
  }
  if (!recorded_sha.empty() && current_sha != recorded_sha)
    std::fprintf(stderr,
                 "osharness: warning: %s changed since the failure (SHA-256 %.12s… then, %.12s… "
                 "now); the rerun tests the new image\n",
                 safe(image.string()).c_str(), safe(recorded_sha).c_str(), current_sha.c_str());
  return current_sha;
}

}  // namespace

int repro_command(const ReproArgs& given, const campaign::Plugins& plugins) {
  if (given.pack) {
    if (!given.output) throw UsageError("--pack needs -o FILE: where to write the pack");
    campaign::pack_bundle(given.bundle, *given.output);
    std::printf("osharness: packed %s into %s; rerun it anywhere with `osharness repro %s`\n",
                safe(given.bundle.string()).c_str(), safe(given.output->string()).c_str(),
                safe(given.output->string()).c_str());
    return 0;
  }
  ReproArgs args = given;
  if (campaign::is_pack(given.bundle)) {
    args.bundle = campaign::unpack_bundle(given.bundle, given.bundle.string() + ".unpacked");
    std::fprintf(stderr, "osharness: unpacked %s into %s\n", safe(given.bundle.string()).c_str(),
                 safe(args.bundle.parent_path().string()).c_str());
  }
  const auto bundle = campaign::read_bundle(args.bundle);
  // Relative paths in the bundle are the bundle's: a bundle copied with its kernel beside it
  // reruns from any directory.
  auto spec = campaign::parse_spec(bundle.spec, args.bundle.string() + ": spec",
                                   std::filesystem::absolute(args.bundle).parent_path(),
                                   spec_context(plugins));
  spec.seed = bundle.seed;
  spec.repeat = 1;
  check_guest_images({spec});

  const std::string current_sha =
      check_image(spec.guest.kernel, bundle.kernel_sha256, "guest.kernel", args.bundle);
  if (!spec.guest.initrd.empty())
    check_image(spec.guest.initrd, bundle.initrd_sha256, "guest.initrd", args.bundle);
  const auto access = host_access(spec, std::filesystem::absolute(args.bundle).parent_path());
  if (!args.quiet) {
    std::fprintf(stderr, "osharness: the bundle %s will run:\n",
                 safe(args.bundle.string()).c_str());
    for (const auto& line : describe_rerun(spec, bundle, current_sha, access))
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
  if (!args.trust && !access.empty()) {
    std::string list;
    for (const auto& a : access) list += (list.empty() ? "" : "; ") + a;
    throw UsageError("the bundle " + safe(args.bundle.string()) +
                     " reaches beyond its run folder: it " + list +
                     ". Read its spec, then pass --trust to run it (docs/trust.md)");
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
