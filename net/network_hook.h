#pragma once
// The `network` run hook (docs/network.md): gives the run's VM a virtio-net NIC — on QEMU's user
// network with its DHCP server ("mode": "user"), or on a wire to a second VM it runs beside the
// run's own ("mode": "pair") — captures every frame at each NIC into the run folder (pcap), and
// when the run is over checks the captures: the DHCP exchange against RFC 2131, and for a pair
// the two captures against each other packet for packet. Failed assertions are findings that
// name the first bad packet and its offset; counts and the guest's own network figures (lease
// time, echoes, link changes) are metrics.
//
// Why the pair is two VMs of one run rather than two linked runs: one run has one verdict, one
// seed and one repro bundle, and its hook can start the peer before the run's VM so the wire is
// there when the guest first sends; two runs would need a rendezvous between runs that the
// campaign may schedule apart or on different jobs. The peer is the hook's: its console goes to
// runs/<run>/peer/console.log and is checked (panics, exit code, lost markers) like a second
// guest, but the run's verdict, watchdog and analyzers follow the run's own VM.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/campaign/console_log.h"
#include "harness/campaign/run_hook.h"
#include "harness/marker/marker_stream.h"
#include "harness/vm/qemu/run_dir.h"

namespace osh::net {

struct NetworkConfig final : campaign::HookConfig {
  enum class Mode : uint8_t { User, Pair };
  Mode mode = Mode::User;
  bool capture = true;      // a pcap per NIC in the run folder
  bool link_status = true;  // the NIC reports link state (false: a link fault is a no-op)
  bool check_dhcp = true;   // user mode: the RFC 2131 check of the capture
  bool exact = true;        // pair mode: every frame sent must arrive (false with partitions)
  std::string peer_scenario = "udpecho";
  std::vector<std::pair<std::string, std::string>> peer_params = {
      {"role", "server"}, {"addr", "2"}, {"peer", "1"}};

  nlohmann::json to_json() const override;
  std::string host_timed() const override;
  std::vector<std::string> host_access(const std::filesystem::path& own_folder) const override;
};

// The spec's "network" section. Throws osh::InputError naming origin and field.
NetworkConfig parse_network_config(const nlohmann::json& section, const std::string& origin);

class NetworkHook final : public campaign::RunHook, private vm::VmListener {
 public:
  NetworkHook(NetworkConfig config, const campaign::HookSetup& setup);
  ~NetworkHook() override;

  void configure(vm::VmConfig& config) override;
  void before_start(vm::Vm& vm) override;
  void on_marker(const marker::MarkerEvent& event) override;
  void tick(int64_t now_ns, campaign::RunControl& control) override;
  int64_t next_tick_ns() const override;
  void finish(campaign::RunResult& result) override;

 private:
  void on_console(int port, std::string_view bytes, int64_t host_ns) override;
  void on_vm_event(const vm::VmEvent&) override {}
  void stop_peer();
  void judge_peer(campaign::RunResult& result);
  void check_captures(campaign::RunResult& result, nlohmann::json& analysis);

  // What the peer's console showed.
  struct PeerWatch final : marker::MarkerObserver {
    void on_marker(const marker::MarkerEvent& event) override;
    bool wants_lines() const override { return false; }
    std::optional<std::string> panic;
    std::optional<uint64_t> exit_code;
    uint64_t echo_frames_sent = 0;
  };

  NetworkConfig config_;
  campaign::HookSetup setup_;
  std::optional<vm::qemu::RunDir> sockets_;  // pair: the wire's two sockets
  vm::VmConfig peer_config_;
  std::unique_ptr<vm::Vm> peer_;
  std::optional<campaign::ConsoleLogFile> peer_log_;
  std::optional<marker::MarkerStream> peer_stream_;
  PeerWatch peer_watch_;
  bool peer_stopped_by_us_ = false;
  int64_t next_tick_ns_ = INT64_MAX;
  std::string own_mac_, peer_mac_;
  std::vector<std::filesystem::path> captures_;  // own first, then the peer's
  // The guest's figures.
  std::optional<double> lease_ms_;
  int64_t lease_host_ns_ = 0;  // NET:LEASE's stamp: the ACK's host time, near enough
  uint64_t link_changes_ = 0;
  std::optional<std::string> device_link_status_;
  nlohmann::json echo_;
  double silent_ms_max_ = 0;
};

const std::vector<campaign::MetricInfo>& network_metrics();

// The "network" run hook's registration.
campaign::RunHookInfo network_hook();

}  // namespace osh::net
