#pragma once
// The QEMU backend of Vm: one qemu-system-x86_64 process, its serial console and its QMP
// monitor on two unix sockets in a private run directory.
//
// Start-up order (nothing the guest prints or QEMU reports can be lost): the harness listens on
// both sockets, spawns QEMU with -S (CPUs stopped), accepts QEMU's two connections, reads the
// QMP greeting, negotiates capabilities (events flow from then on), and only then sends "cont".
//
// Not thread-safe: one thread drives a QemuVm. Spawn it from a thread that outlives it (see
// PR_SET_PDEATHSIG in harness/base/subprocess.h).
#include <sys/types.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/base/subprocess.h"
#include "harness/base/unique_fd.h"
#include "harness/vm/qemu/console_socket.h"
#include "harness/vm/qemu/proc_cpu.h"
#include "harness/vm/qemu/qemu_argv.h"
#include "harness/vm/qemu/qemu_options.h"
#include "harness/vm/qemu/qmp_client.h"
#include "harness/vm/qemu/run_dir.h"
#include "harness/vm/vm.h"

namespace osh::vm::qemu {

// How this host runs QEMU, apart from what the spec says.
struct QemuHost {
  std::filesystem::path qemu;                         // empty: find_qemu() ($OSH_QEMU, else PATH)
  std::chrono::milliseconds startup_timeout{10'000};  // spawn -> both sockets + QMP ready
  std::chrono::milliseconds qmp_timeout{10'000};      // per control command
};

// A system_reset that resets: QEMU here runs with guest resets turned into shutdowns (the QEMU
// backend's -no-reboot, libvirt's set-action for on_reboot=destroy), which turns system_reset
// into a shutdown too. Allows this one reset, then makes guest resets (triple faults) end QEMU
// again. Throws what the monitor throws.
void reset_once(Monitor& monitor);

class QemuVm final : public Vm,
                     public HostProcess,
                     public Monitor,
                     public DiskErrors,
                     public Screen,
                     public NetworkLinks {
 public:
  explicit QemuVm(VmConfig config, QemuOptions options = {}, QemuHost host = {});
  // Kills QEMU if it still runs, reaps it, removes the run directory.
  ~QemuVm() override;

  std::string_view backend() const override { return "qemu"; }
  // Throws osh::InputError for a bad config, osh::InfraError when QEMU cannot be started (the
  // message quotes the end of QEMU's stderr when QEMU said why). Accel "auto" is measured here
  // (accel_probe.h), once per process; a deterministic VM runs under TCG without measuring.
  void start() override;
  // Console bytes read by kill() or shutdown() are delivered by the next pump().
  void pump(std::chrono::milliseconds timeout, VmListener& listener, int wake_fd) override;
  const std::optional<VmExit>& exit() const override { return exit_; }
  int64_t spawn_ns() const override { return spawn_ns_; }
  void send_console(int port, std::string_view bytes) override;

  void pause() override;
  void resume() override;
  void reset() override;
  nlohmann::json query_status() override;

  void kill() override;
  void shutdown(std::chrono::milliseconds grace) override;

  CpuUsage cpu_usage() const override;
  Accelerator accelerator() const override { return accelerator_; }
  std::vector<std::string> command_line() const override { return argv_; }

  HostProcess* host_process() override { return this; }
  Monitor* monitor() override { return this; }
  DiskErrors* disk_errors() override { return this; }
  Screen* screen() override { return this; }
  NetworkLinks* network_links() override { return this; }

  pid_t pid() const override { return process_ ? process_->pid() : -1; }
  // Any QMP command.
  nlohmann::json command(std::string_view name, const nlohmann::json& arguments) override {
    return control(name, arguments);
  }
  // Writes blkdebug configs (blkdebug.h) into the VM's output folder at start().
  void plan(const std::string& drive_id, const std::vector<Op>& windows) override;
  void step() override;
  void screendump(const std::filesystem::path& png) override;
  const std::vector<Nic>& nics() const override { return config_.nics; }
  // QMP set_link on the NIC's netdev.
  void set_link(const std::string& nic_id, bool up) override;
  // qom-set of the NIC's frame dropper (qemu_argv.h partition_filter_id()).
  void set_partitioned(const std::string& nic_id, bool cut) override;

  const std::filesystem::path& run_dir() const;

 private:
  void accept_qmp(int qmp_listener);
  // When start-up has taken too long: startup_timeout after the spawn, extended by the time
  // QEMU's main thread (which does the start-up) waited for a host CPU, by at most twice the
  // timeout, as the watchdog extends a run's limits.
  int64_t startup_deadline() const;
  [[noreturn]] void fail_start(const std::string& what);
  nlohmann::json control(std::string_view command, const nlohmann::json& arguments = nullptr);
  void collect_events();
  bool deliver_pending(VmListener& listener);
  // The process has exited: drain both sockets, reap, decode. `listener` may be null.
  void finish(VmListener* listener, bool killed);
  std::string read_stderr() const;

  // Resolves "auto" and writes the blkdebug configs: what this start's argv needs.
  Launch prepare_launch(QemuSockets sockets);

  VmConfig config_;
  QemuOptions options_;
  QemuHost host_;
  Accelerator accelerator_;
  struct ErrorPlan {
    std::string drive_id;
    std::vector<Op> windows;
    uint64_t size_bytes = 0;  // of the drive's image, known at start()
  };
  std::optional<ErrorPlan> error_plan_;
  std::vector<std::string> argv_;
  std::optional<RunDir> run_dir_;
  std::filesystem::path stderr_path_;
  off_t stderr_start_ = 0;
  std::optional<Subprocess> process_;
  ConsoleSocket console_;
  UniqueFd qmp_socket_;
  std::optional<QmpClient> qmp_;
  int64_t spawn_ns_ = 0;
  std::deque<VmEvent> events_;  // not yet delivered
  std::optional<std::string> shutdown_reason_;
  std::optional<VmExit> exit_;
  mutable CpuUsage last_cpu_;
  mutable std::optional<ProcCpuReader> cpu_reader_;
};

}  // namespace osh::vm::qemu
