#pragma once
// The exact QEMU command line for a VmConfig: a pure function, so that what a repro bundle
// records is what was run, and so that every option is unit-tested.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/vm/vm.h"

namespace osh::vm::qemu {

// The two unix sockets of a VM's run directory; QEMU connects to both as a client.
struct QemuSockets {
  std::filesystem::path console;
  std::filesystem::path qmp;
};

// Checks every field QEMU would otherwise reject late or misread. Throws osh::InputError naming
// the field, the bad value and the accepted form.
void validate_config(const VmConfig& config);

// The -M value for a machine name: microvm gets its legacy PIT, PIC, RTC and ISA serial port
// switched on explicitly (their "auto" setting depends on the accelerator).
std::string machine_option(std::string_view machine);

// Doubles commas, QEMU's escape inside a key=value option list (-drive, -chardev).
std::string escape_option_value(std::string_view value);

// The device id a drive gets: its own id, else "drive<index>".
std::string drive_id(const Drive& drive, size_t index);

// The full argv, argv[0] = `qemu`. `config` must have passed validate_config().
std::vector<std::string> build_argv(const std::filesystem::path& qemu, const VmConfig& config,
                                    const QemuSockets& sockets);

}  // namespace osh::vm::qemu
