#pragma once
// The libvirt backend's settings: QEMU's own block (guest.qemu, read as the QEMU backend reads
// it: libvirt runs the same QEMU) and guest.libvirt (the connection URI).
#include <string>
#include <vector>

#include "harness/base/json_reader.h"
#include "harness/vm/backend.h"
#include "harness/vm/qemu/qemu_options.h"

namespace osh::vm::libvirt {

inline constexpr const char* kDefaultUri = "qemu:///system";

struct LibvirtOptions final : BackendOptions {
  qemu::QemuOptions qemu;
  // qemu:///system, qemu:///session, qemu+ssh://host/system, ... (--connect).
  std::string uri = kDefaultUri;

  nlohmann::json to_json() const override;
  std::vector<std::string> host_access() const override;
};

// Reads guest.qemu (and its deprecated fields) and guest.libvirt. Throws osh::InputError naming
// the field.
LibvirtOptions parse_libvirt_options(JsonReader& guest, std::vector<std::string>& warnings);

}  // namespace osh::vm::libvirt
