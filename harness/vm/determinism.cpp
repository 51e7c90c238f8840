#include "harness/vm/determinism.h"

#include <fmt/format.h>

#include "harness/base/errors.h"
#include "harness/vm/qemu/qemu_argv.h"

namespace osh::vm {

std::vector<std::string> deterministic_qemu_args(const VmConfig& config) {
  if (!config.deterministic) return {};
  // A fixed shift (not "auto", which adapts to host speed) makes guest time a function of the
  // instruction count alone; shift=0 is 1 ns per instruction, close to this host's TCG speed;
  // sleep=off warps the clock over idle periods instead of waiting in real time.
  std::string icount = "shift=0,sleep=off";
  if (config.replay.mode != RecordReplay::Mode::Off) {
    icount += fmt::format(",rr={},rrfile={}",
                          config.replay.mode == RecordReplay::Mode::Record ? "record" : "replay",
                          qemu::escape_option_value(config.replay.log.string()));
  }
  // clock=vm: the RTC advances with the virtual (instruction) clock from a fixed date, so a guest
  // reading the wall clock reads the same time in every run. -seed: QEMU's own random numbers
  // (RDRAND under TCG, virtio-rng, MAC-less defaults) come from the run's seed.
  return {"-icount", icount,
          "-rtc",    fmt::format("base={},clock=vm", kDeterministicRtcBase),
          "-seed",   std::to_string(config.seed)};
}

void validate_determinism(const VmConfig& config) {
  if (config.deterministic && config.cpus != 1)
    throw InputError(fmt::format(
        "VM config: cpus = \"{}\": deterministic mode counts instructions on one vCPU (QEMU's "
        "icount runs TCG on one thread); use cpus 1 or turn deterministic mode off",
        config.cpus));
  if (config.replay.mode == RecordReplay::Mode::Off) return;
  if (!config.deterministic)
    throw InputError(
        "VM config: replay: record/replay needs deterministic mode (QEMU's icount); turn it on");
  if (config.replay.log.empty())
    throw InputError("VM config: replay.log: record/replay needs the file of its log");
}

}  // namespace osh::vm
