#pragma once
// The libvirt domain XML for a VmConfig (pugixml): a pure function, so that every element is
// unit-tested and the repro bundle's domain.xml is exactly what was started.
//
// A transient `<domain type='qemu'>` (TCG; 'kvm' when the accelerator is KVM), the kernel booted
// directly (<kernel>, <initrd>, <cmdline>), COM1 on the harness's console socket (QEMU connects,
// as with the QEMU backend), every guest end (reset included) ending the domain, and through the
// qemu namespace what libvirt has no element for: -no-reboot, isa-debug-exit, -icount, microvm's
// legacy devices
// and guest.qemu.args.
#include <filesystem>
#include <string>

#include "harness/vm/libvirt/libvirt_options.h"
#include "harness/vm/vm.h"

namespace osh::vm::libvirt {

struct DomainLaunch {
  std::string name;               // unique on the libvirt host
  std::filesystem::path console;  // FIFOs <console>.in and <console>.out (ConsoleSocket::fifos)
  std::string accel = "tcg";      // "tcg" | "kvm", "auto" resolved
};

// `config` and `options.qemu` must have passed qemu::validate_config().
std::string domain_xml(const VmConfig& config, const LibvirtOptions& options,
                       const DomainLaunch& launch);

}  // namespace osh::vm::libvirt
