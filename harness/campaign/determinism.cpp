#include "harness/campaign/determinism.h"

#include "harness/campaign/run_hook.h"

namespace osh::campaign {

std::string host_timed_hooks(const Spec& spec) {
  std::string reason;
  for (const auto& [name, config] : spec.hooks)
    if (const auto why = config->host_timed(); !why.empty())
      reason += (reason.empty() ? "" : "; ") + why;
  return reason;
}

Determinism determinism_of(const Spec& spec) {
  if (!spec.guest.deterministic) return {};
  std::string reason = host_timed_hooks(spec);
  // Seen as demo/stress.json's consoles parting between two runs of one seed (its disk's
  // DISK:ACKs and heartbeats in another order).
  if (spec.guest.disk_mib > 0)
    reason += std::string(reason.empty() ? "" : "; ") +
              "guest.disk: QEMU completes virtio-blk requests on its I/O threads at host times";
  return {reason.empty(), reason};
}

}  // namespace osh::campaign
