#include "harness/cli/repro_command.h"

#include <cstdio>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/sha256.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/reproduction.h"
#include "harness/cli/campaign_session.h"

namespace osh::cli {
namespace {

// Prints how often the failure came back, records it beside the bundle and in the rerun's folder,
// and gives the exit code: 0 every time, 1 not every time, 69 when no rerun could run.
int report_reproduction(const campaign::Reproduction& r, const campaign::ReproBundle& bundle,
                        const std::filesystem::path& bundle_path,
                        const std::filesystem::path& out) {
  const auto record = campaign::to_json(r).dump(2) + "\n";
  atomic_write(bundle_path.parent_path() / "reproduction.json", record);
  atomic_write(out / "reproduction.json", record);
  const auto& first = r.outcomes.front();
  if (r.ran == 0) {
    std::printf("repro: could not rerun: %s\n", first.reason.c_str());
    return campaign::exit_code(campaign::Verdict::InfraError);
  }
  if (r.runs == 1 && !r.every_time()) {
    std::printf("repro: NOT REPRODUCED: the bundle recorded %s (%s), the rerun gave %s (%s)\n",
                bundle.signature.c_str(), bundle.reason.c_str(), first.signature.c_str(),
                first.reason.c_str());
    return 1;
  }
  if (r.every_time())
    std::printf("repro: REPRODUCED %s: %s\n", std::string(campaign::to_string(r.verdict)).c_str(),
                first.reason.c_str());
  else
    std::printf("repro: NOT REPRODUCED every time\n");
  // Reasons and signatures were escaped when they were made (guest text never reaches them raw).
  std::printf("repro: %s", campaign::describe(r).c_str());
  return r.every_time() ? 0 : 1;
}

}  // namespace

int repro_command(const ReproArgs& args, const campaign::Plugins& plugins) {
  const auto bundle = campaign::read_bundle(args.bundle);
  auto spec =
      campaign::parse_spec(bundle.spec, args.bundle.string() + ": spec", {}, spec_context(plugins));
  spec.seed = bundle.seed;
  spec.repeat = 1;

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
                 spec.guest.kernel.c_str(), bundle.kernel_sha256.c_str(), current_sha.c_str());

  const auto out = args.out ? *args.out : args.bundle.parent_path() / "repro";
  prepare_out_dir(out, /*overwrite=*/true, plugins);
  std::fprintf(stderr, "osharness: rerunning %s with seed %llu (expecting %s)\n", spec.name.c_str(),
               static_cast<unsigned long long>(bundle.seed), bundle.signature.c_str());
  const std::vector<campaign::Spec> specs(static_cast<size_t>(std::max(1, args.runs)), spec);
  const auto outcome = run_session(specs, out, {args.jobs, 0, args.quiet, args.argv}, plugins);
  if (outcome.runs.empty()) return session_exit_code(outcome);
  return report_reproduction(campaign::tally_reproduction(bundle, outcome.runs, false), bundle,
                             args.bundle, out);
}

}  // namespace osh::cli
