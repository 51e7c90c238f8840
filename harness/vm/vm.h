#pragma once
// The seam between campaigns and virtual machines (modelled on syzkaller's vm/): a campaign
// drives any backend through this interface, and a new backend is one new implementation
// registered by name (backend.h). What only some backends can do is an optional capability the
// caller asks for and may not get, never a cast to a backend's class.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/errors.h"

namespace osh::vm {

struct Drive {
  std::filesystem::path image;
  std::string format = "raw";  // image format (raw, qcow2, ...)
  std::string id;              // device id, for the backend's monitor and disk faults
  bool read_only = false;
};

// The device id a drive gets: its own id, else "drive<index>".
std::string drive_id(const Drive& drive, size_t index);

// Guest memory as a spec writes it ("64M", "1G") in MiB; nullopt when not of that form. The
// range every backend takes is kMinMemoryMiB to kMaxMemoryMiB.
constexpr uint64_t kMinMemoryMiB = 8;
constexpr uint64_t kMaxMemoryMiB = 1024 * 1024;  // 1T
std::optional<uint64_t> memory_mib(std::string_view text);
// Empty when `text` is a memory size in range; else what is wrong and what to write instead.
std::string memory_size_problem(std::string_view text);

// A fresh raw disk image for a VM: `<dir>/disk-XXXXXX/disk.img`, its folder private (0700), the
// file created exclusively (O_EXCL, 0600) and sparse, `size_mib` MiB of zeros. The image outlives
// the VM, so that a restarted VM (a kill-and-restart fault) boots on the same disk. Throws
// osh::InfraError naming the path and the system's error.
std::filesystem::path create_disk_image(const std::filesystem::path& dir, uint64_t size_mib);

// A network interface (backend-neutral: the backend picks the device model, virtio-net on QEMU).
struct Nic {
  enum class Link : uint8_t {
    User,      // the backend's user-mode network (QEMU's slirp: NAT, a DHCP server at 10.0.2.2)
    Datagram,  // Ethernet frames over a pair of unix datagram sockets: a wire to another VM
  };
  std::string id;   // the backend's name for it ("net0"): set_link and partitions use it
  std::string mac;  // "52:54:00:12:34:56"
  Link link = Link::User;
  std::filesystem::path local_socket;   // Datagram: bound by this VM
  std::filesystem::path remote_socket;  // Datagram: the other end's local_socket
  std::filesystem::path capture;        // a pcap file of every frame in and out; empty: none
  // Whether the NIC tells the guest its link state (virtio-net's VIRTIO_NET_F_STATUS). A NIC
  // without it makes a link fault a no-op, which the fault injector reports as such.
  bool link_status = true;
};

// QEMU record/replay (docs/determinism.md): a deterministic run whose non-deterministic inputs
// (console input, clock reads, disk completions) are written to `log` (Record) or read back
// from it (Replay), so that a replay executes the same instructions and prints the same bytes.
struct RecordReplay {
  enum class Mode : uint8_t { Off, Record, Replay };
  Mode mode = Mode::Off;
  std::filesystem::path log;
};

// What every backend boots. A backend's own settings (QEMU's machine, accelerator and extra
// arguments) travel beside this, in the options its VmBackend parsed from the spec.
struct VmConfig {
  std::string name;              // for logs and the run directory
  std::filesystem::path kernel;  // booted directly (PVH or multiboot ELF, Linux bzImage)
  std::filesystem::path initrd;  // empty: none
  std::string append;            // the guest kernel command line
  std::string memory = "64M";
  int cpus = 1;
  std::vector<Drive> drives;
  std::vector<Nic> nics;
  // Guest time follows executed instructions, not the host; one vCPU; QEMU's own random numbers
  // from `seed` (docs/determinism.md).
  bool deterministic = false;
  uint64_t seed = 0;
  RecordReplay replay;               // needs `deterministic`
  std::filesystem::path output_dir;  // where backend logs are kept
};

// How the VM ended. QEMU's isa-debug-exit turns the guest's exit value v into status 2v+1.
struct VmExit {
  enum class How : uint8_t { Exited, Signaled, Killed } how = How::Exited;
  int status = 0;                      // process exit status (Exited)
  int signal = 0;                      // terminating signal (Signaled / Killed)
  std::optional<int> guest_exit_code;  // decoded isa-debug-exit value
  std::string shutdown_reason;         // QMP SHUTDOWN reason ("guest-reset" = triple fault...)
  std::string stderr_tail;             // last lines of the backend's stderr, for messages
  int64_t host_ns = 0;                 // when the exit was noticed
  // False where the backend cannot see the VM process's exit status (libvirt hides QEMU's):
  // `status` and `guest_exit_code` then say nothing, and the guest's SYS:EXIT marker tells how
  // it ended.
  bool status_known = true;
};

// An asynchronous event of the backend (QMP event), e.g. STOP, RESUME, RESET, SHUTDOWN.
struct VmEvent {
  int64_t host_ns = 0;
  std::string name;
  nlohmann::json data;
};

// Host CPU accounting of the VM process, for telling a stuck guest from a starved one.
struct CpuUsage {
  int64_t cpu_ns = 0;  // user + system time of all its threads
  // Time it was runnable but waiting for a host CPU: its main thread's wait plus the largest
  // wait of another thread (QEMU: its main loop and a vCPU; ProcCpuReader).
  int64_t run_delay_ns = 0;
};

class VmListener {
 public:
  virtual ~VmListener() = default;
  // Bytes of guest console `port` (0 = COM1), stamped when read.
  virtual void on_console(int port, std::string_view bytes, int64_t host_ns) = 0;
  virtual void on_vm_event(const VmEvent& event) = 0;
};

// The accelerator a VM runs under and why it was chosen ("measured: TCG 84 ms, ...").
struct Accelerator {
  std::string name;  // "tcg" (emulation), "kvm", ...
  std::string reason;
};

// Optional capabilities. Each is null on a backend that lacks it; require() turns that into an
// error naming the backend and what was asked.

// The host process behind the VM, for checking that a kill really ended it.
class HostProcess {
 public:
  virtual ~HostProcess() = default;
  virtual pid_t pid() const = 0;  // -1 before start
};

// The backend's machine monitor (QEMU's QMP): commands the Vm interface does not cover.
class Monitor {
 public:
  virtual ~Monitor() = default;
  // Throws osh::InfraError when the monitor refuses or the VM is not running.
  virtual nlohmann::json command(std::string_view name,
                                 const nlohmann::json& arguments = nullptr) = 0;
};

// I/O errors injected into one disk, in windows that the run opens and closes in a fixed order.
class DiskErrors {
 public:
  enum class Op : uint8_t { Read, Write };
  virtual ~DiskErrors() = default;
  // Before start(): every window the run may open, in order, each failing reads or writes of
  // drive `drive_id` with EIO. A VM started again on the same config needs plan() again.
  virtual void plan(const std::string& drive_id, const std::vector<Op>& windows) = 0;
  // While the VM runs: opens the next window, or closes the open one. Throws osh::InfraError
  // with the backend's complaint.
  virtual void step() = 0;
};

// The VM's display.
class Screen {
 public:
  virtual ~Screen() = default;
  virtual void screendump(const std::filesystem::path& png) = 0;
};

// The VM's network links, for link and partition faults.
class NetworkLinks {
 public:
  virtual ~NetworkLinks() = default;
  virtual const std::vector<Nic>& nics() const = 0;
  // Takes the link of NIC `nic_id` down or up, as a pulled cable: the guest sees it only when
  // the NIC reports link state (Nic::link_status). Throws osh::InfraError when refused.
  virtual void set_link(const std::string& nic_id, bool up) = 0;
  // While `cut`, every frame to and from NIC `nic_id` is dropped and the link stays up: a
  // network partition, seen by the guest only as silence. Throws osh::InfraError when refused.
  virtual void set_partitioned(const std::string& nic_id, bool cut) = 0;
};

class Vm {
 public:
  virtual ~Vm() = default;

  // The backend's name ("qemu"), for messages.
  virtual std::string_view backend() const = 0;

  // Boots the VM; returns once the guest is running. Throws osh::InfraError when the backend
  // cannot start (binary missing, bad image, socket failure), with the backend's own message.
  virtual void start() = 0;

  // Waits up to `timeout` for console bytes, events or the VM's exit, and hands them to
  // `listener`. Returns early when `wake_fd` (if >= 0) becomes readable. After the VM exited,
  // all console bytes have been delivered before exit() is set.
  virtual void pump(std::chrono::milliseconds timeout, VmListener& listener, int wake_fd) = 0;

  // Set once the VM has ended (by itself or by kill/shutdown).
  virtual const std::optional<VmExit>& exit() const = 0;

  // Host monotonic time the VM process was spawned (the zero of boot time).
  virtual int64_t spawn_ns() const = 0;

  virtual void send_console(int port, std::string_view bytes) = 0;

  // Control. Each throws osh::InfraError if the backend refused.
  virtual void pause() = 0;
  virtual void resume() = 0;
  virtual void reset() = 0;
  virtual nlohmann::json query_status() = 0;  // {"running": bool, "status": "..."}

  // Ends the VM now (SIGKILL or equivalent). Safe to call at any time, more than once.
  virtual void kill() = 0;
  // Asks the VM to quit, then kills it after `grace`. Leaves nothing running.
  virtual void shutdown(std::chrono::milliseconds grace) = 0;

  // Since spawn_ns(): boot time less this run delay is the boot a loaded host cannot stretch.
  virtual CpuUsage cpu_usage() const = 0;

  // Known once start() has chosen it.
  virtual Accelerator accelerator() const = 0;

  // What it took to start this VM, for repro bundles (e.g. the exact QEMU argv).
  virtual std::vector<std::string> command_line() const = 0;

  virtual HostProcess* host_process() { return nullptr; }
  virtual Monitor* monitor() { return nullptr; }
  virtual DiskErrors* disk_errors() { return nullptr; }
  virtual Screen* screen() { return nullptr; }
  virtual NetworkLinks* network_links() { return nullptr; }
};

// `*capability`, or osh::InfraError "the <backend> backend cannot <what>".
template <typename Capability>
Capability& require(const Vm& vm, Capability* capability, std::string_view what) {
  if (capability == nullptr)
    throw InfraError("the " + std::string(vm.backend()) + " backend cannot " + std::string(what));
  return *capability;
}

}  // namespace osh::vm
