#include "harness/cli/plan_listing.h"

#include "harness/base/escape.h"

namespace osh::cli {

void print_spec_list(const std::vector<campaign::Spec>& specs, std::ostream& out) {
  for (const auto& spec : specs) {
    std::string tags;
    for (const auto& t : spec.tags) tags += (tags.empty() ? "" : ",") + t;
    out << spec.name << "  runs=" << spec.repeat << "  tags=" << (tags.empty() ? "-" : tags) << "  "
        << escape_text(spec.origin) << "\n";
  }
}

void print_dry_run(const std::vector<campaign::Spec>& specs,
                   const std::vector<campaign::PlannedRun>& runs, bool random_seeds,
                   std::ostream& out) {
  for (const auto& run : runs) {
    const auto& spec = specs.at(run.spec);
    const bool random = random_seeds && !spec.seed;
    const std::string seed = random ? "random" : std::to_string(run.seed);
    // The command line's seed word is the run's seed, whatever the rest holds.
    std::string cmdline = campaign::kernel_command_line(spec, run.seed);
    const std::string seed_word = "osh.seed=" + std::to_string(run.seed);
    cmdline.replace(cmdline.find(seed_word), seed_word.size(), "osh.seed=" + seed);
    out << "#" << run.index << "  " << spec.name << "  repeat "
        << campaign::repeat_index(specs, run) + 1 << "/" << spec.repeat << "  seed=" << seed
        << "  kernel=" << escape_text(spec.guest.kernel.string())
        << "  cmdline: " << escape_text(cmdline) << "\n";
  }
  out << runs.size() << " run" << (runs.size() == 1 ? "" : "s") << " of " << specs.size() << " spec"
      << (specs.size() == 1 ? "" : "s") << "; nothing was started (--dry-run)\n";
}

}  // namespace osh::cli
