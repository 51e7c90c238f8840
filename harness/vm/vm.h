#pragma once
// The seam between campaigns and virtual machines (modelled on syzkaller's vm/): a campaign
// drives any backend through this interface, and a new backend is one new implementation.
// Backends: qemu/ (QEMU process + QMP), libvirt/ (a libvirt domain).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osh::vm {

enum class Accel : uint8_t { Tcg, Kvm };
std::string_view to_string(Accel accel);

struct Drive {
  std::filesystem::path image;
  std::string format = "raw";  // QEMU format of the image
  std::string id;              // device id, for QMP and blkdebug
  bool read_only = false;
  std::filesystem::path blkdebug_config;  // non-empty: wrap the image in blkdebug (fault injection)
};

// A fresh raw disk image for a VM: `<dir>/disk-XXXXXX/disk.img`, its folder private (0700), the
// file created exclusively (O_EXCL, 0600) and sparse, `size_mib` MiB of zeros. The image outlives
// the VM, so that a restarted QEMU (a kill-and-restart fault) boots on the same disk. Throws
// osh::InfraError naming the path and the system's error.
std::filesystem::path create_disk_image(const std::filesystem::path& dir, uint64_t size_mib);

struct VmConfig {
  std::string name;                 // for logs and the run directory
  std::filesystem::path kernel;     // loaded with -kernel (PVH or multiboot ELF)
  std::string machine = "microvm";  // microvm | pc | q35
  std::string memory = "64M";
  int cpus = 1;
  Accel accel = Accel::Tcg;
  std::string append;  // the guest kernel command line
  std::vector<Drive> drives;
  bool icount = false;                  // deterministic: guest time follows instructions
  std::vector<std::string> extra_args;  // appended to the backend's command line verbatim
  std::filesystem::path output_dir;     // where backend logs (QEMU stderr) are kept
  int exit_port = 0xf4;                 // isa-debug-exit I/O port
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
};

// An asynchronous event of the backend (QMP event), e.g. STOP, RESUME, RESET, SHUTDOWN.
struct VmEvent {
  int64_t host_ns = 0;
  std::string name;
  nlohmann::json data;
};

// Host CPU accounting of the VM process, for telling a stuck guest from a starved one.
struct CpuUsage {
  int64_t cpu_ns = 0;        // user + system time of all its threads
  int64_t run_delay_ns = 0;  // time its vCPU thread was runnable but waiting for a host CPU
};

class VmListener {
 public:
  virtual ~VmListener() = default;
  // Bytes of guest console `port` (0 = COM1), stamped when read.
  virtual void on_console(int port, std::string_view bytes, int64_t host_ns) = 0;
  virtual void on_vm_event(const VmEvent& event) = 0;
};

class Vm {
 public:
  virtual ~Vm() = default;

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
  virtual void screendump(const std::filesystem::path& png) = 0;

  // Ends the VM now (SIGKILL or equivalent). Safe to call at any time, more than once.
  virtual void kill() = 0;
  // Asks the VM to quit, then kills it after `grace`. Leaves nothing running.
  virtual void shutdown(std::chrono::milliseconds grace) = 0;

  virtual CpuUsage cpu_usage() const = 0;

  // What it took to start this VM, for repro bundles (e.g. the exact QEMU argv).
  virtual std::vector<std::string> command_line() const = 0;
};

}  // namespace osh::vm
