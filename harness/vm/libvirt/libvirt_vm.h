#pragma once
// The libvirt backend of Vm: a transient domain per VM (domain_xml.h), started paused with
// AUTODESTROY on the process's connection (connection.h), its COM1 on a FIFO pair the harness
// made, as with the QEMU backend, its QEMU monitor events and its end from libvirt's
// event loop, control through libvirt (suspend, resume, destroy) and QMP through
// virDomainQemuMonitorCommand.
//
// libvirt does not tell QEMU's exit status, so isa-debug-exit's value is not seen: the VM's
// exit has status_known = false, and the guest's SYS:EXIT marker says how it ended
// (docs/vm.md).
//
// Not thread-safe: one thread drives a LibvirtVm (libvirt's event thread only queues events).
#include <sys/types.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/vm/libvirt/connection.h"
#include "harness/vm/libvirt/libvirt_options.h"
#include "harness/vm/qemu/console_socket.h"
#include "harness/vm/qemu/proc_cpu.h"
#include "harness/vm/qemu/run_dir.h"
#include "harness/vm/vm.h"

namespace osh::vm::libvirt {

class LibvirtVm final : public Vm, public HostProcess, public Monitor {
 public:
  LibvirtVm(VmConfig config, LibvirtOptions options);
  // Destroys the domain if it still runs and removes the run directory.
  ~LibvirtVm() override;

  std::string_view backend() const override { return "libvirt"; }
  // Throws osh::InputError for a bad config, osh::InfraError when libvirt cannot start the
  // domain (the message quotes libvirt, which quotes QEMU).
  void start() override;
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
  // virsh's command that starts the same domain from the saved domain.xml.
  std::vector<std::string> command_line() const override { return command_line_; }

  // Where libvirtd runs on this host and has a pid file for QEMU (qemu:///system).
  HostProcess* host_process() override { return pid_ > 0 ? this : nullptr; }
  Monitor* monitor() override { return this; }

  pid_t pid() const override { return pid_; }
  // Any QMP command, through libvirt. Throws qemu::QmpError when QEMU answers with an error.
  nlohmann::json command(std::string_view name, const nlohmann::json& arguments) override;

  const std::string& domain_name() const { return name_; }

 private:
  void check_running(std::string_view what) const;
  std::string resolve_accel();
  void collect_events();
  bool deliver_pending(VmListener& listener);
  // Collects events until libvirt says the domain stopped or `deadline_ns` passes.
  bool wait_stopped(int64_t deadline_ns);
  // The domain ended (or, with `killed`, was destroyed by us): the console is read to its end
  // (delivered to `listener`, or kept for the next pump() when null), the exit recorded.
  void finish(VmListener* listener, bool killed);
  // libvirt's log of the domain (QEMU's stderr and libvirt's own lines), moved into the output
  // folder where libvirtd runs here; its last lines for messages.
  std::string collect_log();

  VmConfig config_;
  LibvirtOptions options_;
  Accelerator accelerator_;
  std::vector<std::string> command_line_;
  std::optional<qemu::RunDir> run_dir_;
  std::shared_ptr<Connection> connection_;
  virDomainPtr domain_ = nullptr;
  std::optional<DomainEvents> events_;
  std::string name_;
  pid_t pid_ = -1;
  qemu::ConsoleSocket console_;
  int64_t spawn_ns_ = 0;
  std::deque<VmEvent> pending_;
  std::string shutdown_reason_;
  std::optional<VmExit> exit_;
  int64_t run_delay_base_ns_ = 0;  // QEMU's run delay at spawn_ns_: cpu_usage() counts from it
  mutable CpuUsage last_cpu_;
  mutable std::optional<qemu::ProcCpuReader> cpu_reader_;
};

}  // namespace osh::vm::libvirt
