#pragma once
// What an integration scenario (docs/e2e.md) tells the harness: RAYOS_INTEGRATION markers
// SCENARIO_START, MILESTONE, VERIFY, SCREENSHOT and SCENARIO_COMPLETE, each stamped with the
// scenario's clock (t_us). Screenshots: the composed frame is shown on the display and the guest
// waits until the harness has taken it (it answers with a byte on COM1), so the picture is the
// frame the guest meant. The wait is a host wait (clock.h): no other task runs meanwhile and
// uptime leaves it out, so the harness's and the host's speed do not move the timeline.
#include <stdint.h>

#include "os/core/string_view.h"

namespace rayos::kernel {

// From the command line (osh.screenshots=1): whether a harness answers screenshot requests.
void set_screenshots_wanted(bool wanted);

class Integration {
 public:
  // Prints SCENARIO_START.
  explicit Integration(StringView name);
  void milestone(StringView name);
  // Prints VERIFY with pass or fail and `detail` (what was seen); a failure fails the scenario.
  bool verify(StringView check, bool ok, StringView detail);
  // Shows the compositor's framebuffer on the display, prints SCREENSHOT and waits up to 30 s
  // of uptime for the harness's answer. Nothing when there is no display or the command line did
  // not ask for screenshots.
  void screenshot(StringView name);
  // Prints REBOOT (`name`: why) and waits up to 30 s of uptime for the harness to reset the VM:
  // a power cycle that loses everything but the disk. Returns only when no reset came.
  void reboot(StringView name);
  // Prints SCENARIO_COMPLETE; the scenario's exit code (0: every check passed).
  uint32_t complete();
  uint64_t now_us() const;

 private:
  StringView name_;
  bool failed_ = false;
};

}  // namespace rayos::kernel
