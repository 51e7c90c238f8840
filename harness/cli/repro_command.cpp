#include "harness/cli/repro_command.h"

#include <cstdio>

#include "harness/base/errors.h"
#include "harness/base/sha256.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/cli/campaign_session.h"

namespace osh::cli {

namespace {

// An image of the bundle that is gone is an infrastructure error; one that changed is rerun
// anyway, with a warning: the rerun tests the new image.
void check_image(const std::filesystem::path& image, const std::string& recorded_sha,
                 const std::string& field, const std::filesystem::path& bundle) {
  std::string current_sha;
  try {
    current_sha = sha256_file(image);
  } catch (const InputError&) {
    throw InfraError("the " + field + " image of this bundle, " + image.string() +
                     ", is gone; rebuild it or edit spec." + field + " in " + bundle.string());
  }
  if (!recorded_sha.empty() && current_sha != recorded_sha)
    std::fprintf(stderr,
                 "osharness: warning: %s changed since the failure (SHA-256 %.12s… then, %.12s… "
                 "now); the rerun tests the new image\n",
                 image.c_str(), recorded_sha.c_str(), current_sha.c_str());
}

}  // namespace

int repro_command(const ReproArgs& args, const campaign::Plugins& plugins) {
  const auto bundle = campaign::read_bundle(args.bundle);
  auto spec =
      campaign::parse_spec(bundle.spec, args.bundle.string() + ": spec", {}, spec_context(plugins));
  spec.seed = bundle.seed;
  spec.repeat = 1;

  check_image(spec.guest.kernel, bundle.kernel_sha256, "guest.kernel", args.bundle);
  if (!spec.guest.initrd.empty())
    check_image(spec.guest.initrd, bundle.initrd_sha256, "guest.initrd", args.bundle);

  const auto out = args.out ? *args.out : args.bundle.parent_path() / "repro";
  prepare_out_dir(out, /*overwrite=*/true, plugins);
  std::fprintf(stderr, "osharness: rerunning %s with seed %llu (expecting %s)\n", spec.name.c_str(),
               static_cast<unsigned long long>(bundle.seed), bundle.signature.c_str());
  const auto outcome = run_session({spec}, out, {1, 0, args.quiet, args.argv}, plugins);
  if (outcome.runs.empty()) return session_exit_code(outcome);
  const auto& run = outcome.runs.front();
  if (run.verdict == campaign::Verdict::InfraError &&
      bundle.verdict != campaign::Verdict::InfraError) {
    std::printf("repro: could not rerun: %s\n", run.reason.c_str());
    return campaign::exit_code(campaign::Verdict::InfraError);
  }
  if (run.signature == bundle.signature) {
    std::printf("repro: REPRODUCED %s: %s\n", std::string(campaign::to_string(run.verdict)).c_str(),
                run.reason.c_str());
    return 0;
  }
  std::printf("repro: NOT REPRODUCED: the bundle recorded %s (%s), the rerun gave %s (%s)\n",
              bundle.signature.c_str(), bundle.reason.c_str(), run.signature.c_str(),
              run.reason.c_str());
  return 1;
}

}  // namespace osh::cli
