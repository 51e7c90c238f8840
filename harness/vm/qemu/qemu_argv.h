#pragma once
// The exact QEMU command line for a VmConfig: a pure function, so that what a repro bundle
// records is what was run, and so that every option is unit-tested.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/vm/qemu/qemu_options.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

// Where a VM's run directory holds its console and monitor.
struct QemuSockets {
  std::filesystem::path console;  // FIFOs <console>.in and <console>.out (ConsoleSocket::fifos)
  std::filesystem::path qmp;      // a unix socket QEMU connects to as a client
};

// What start() decided for one QEMU process, beside the VM's config and QEMU options.
struct Launch {
  std::filesystem::path qemu;  // the binary
  Accel accel = Accel::Tcg;    // "auto" resolved
  QemuSockets sockets;
  std::map<std::string, std::filesystem::path> blkdebug;  // drive id -> its blkdebug config
};

// Checks every field QEMU would otherwise reject late or misread. Throws osh::InputError naming
// the field, the bad value and the accepted form.
void validate_config(const VmConfig& config, const QemuOptions& options);

// QEMU's environment: of `environ`, only the variables QEMU itself reads (PATH, TMPDIR for its
// temporary images, TZ for a localtime RTC, LANG and LC_ALL for its messages), not every one the
// harness inherited (tokens, credentials, a CI's whole configuration).
std::vector<std::string> qemu_environment(const char* const* environ);

// The -M value for a machine name: microvm gets its legacy PIT, PIC, RTC and ISA serial port
// switched on explicitly (their "auto" setting depends on the accelerator).
std::string machine_option(std::string_view machine);

// Doubles commas, QEMU's escape inside a key=value option list (-drive, -chardev).
std::string escape_option_value(std::string_view value);

// The QOM id of the frame dropper of NIC `nic_id` (its status property on = partitioned).
std::string partition_filter_id(std::string_view nic_id);

// The full argv, argv[0] = `launch.qemu`. `config` and `options` must have passed
// validate_config().
std::vector<std::string> build_argv(const VmConfig& config, const QemuOptions& options,
                                    const Launch& launch);

}  // namespace osh::vm::qemu
