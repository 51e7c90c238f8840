#include "harness/campaign/determinism.h"

#include "harness/campaign/run_hook.h"

namespace osh::campaign {

Determinism determinism_of(const Spec& spec) {
  if (!spec.guest.deterministic) return {};
  std::string reason;
  for (const auto& [name, config] : spec.hooks)
    if (const auto why = config->host_timed(); !why.empty())
      reason += (reason.empty() ? "" : "; ") + why;
  return {reason.empty(), reason};
}

}  // namespace osh::campaign
