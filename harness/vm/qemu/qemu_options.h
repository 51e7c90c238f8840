#pragma once
// QEMU's own settings of a VM, the spec's `guest.qemu` block (docs/specs.md): the machine, the
// accelerator, extra arguments and the isa-debug-exit port. Backends that run QEMU (this one,
// and any that drives QEMU through a manager) read the same block.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/json_reader.h"
#include "harness/vm/backend.h"

namespace osh::vm::qemu {

enum class Accel : uint8_t { Tcg, Kvm };
std::string_view to_string(Accel accel);

struct QemuOptions final : BackendOptions {
  std::string machine = "microvm";  // microvm | pc | q35
  std::string accel = "auto";       // auto (measured) | tcg | kvm
  std::vector<std::string> args;    // appended to QEMU's command line verbatim
  int exit_port = 0xf4;             // isa-debug-exit I/O port

  nlohmann::json to_json() const override;
};

// Reads guest.qemu, and the fields older specs kept directly in guest (machine, accel,
// qemu_args) with a deprecation line in `warnings`. Throws osh::InputError naming the field.
QemuOptions parse_qemu_options(JsonReader& guest, std::vector<std::string>& warnings);

}  // namespace osh::vm::qemu
