#include "net/network_hook.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "net/dhcp_check.h"
#include "net/pair_check.h"
#include "net/pcap_reader.h"

namespace osh::net {
namespace {

using campaign::Finding;
using campaign::Verdict;

constexpr int64_t kPeerPumpNs = 20'000'000;
constexpr auto kPeerShutdownGrace = std::chrono::milliseconds(1000);
constexpr const char* kNicId = "net0";
// QEMU's default MAC for a single NIC; the pair's two get addresses that name their hosts.
constexpr const char* kUserMac = "52:54:00:12:34:56";
constexpr const char* kPairMac = "52:54:00:0a:00:01";
constexpr const char* kPeerMac = "52:54:00:0a:00:02";

bool is_param_word(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ',' || c == '-';
  });
}

}  // namespace

std::string NetworkConfig::host_timed() const {
  return mode == Mode::User ? "network: QEMU's user network answers at host times"
                            : "network: frames from the peer VM arrive at host times";
}

std::vector<std::string> NetworkConfig::host_access(const std::filesystem::path&) const {
  if (mode != Mode::User) return {};
  // QEMU's user network routes the guest's connections out through the host (10.0.2.2 is the
  // host itself): the guest can reach whatever the host can.
  return {
      "lets the guest reach the host and its networks through QEMU's user network "
      "(network.mode \"user\")"};
}

nlohmann::json NetworkConfig::to_json() const {
  nlohmann::json j = {{"mode", mode == Mode::User ? "user" : "pair"},
                      {"capture", capture},
                      {"link_status", link_status}};
  if (mode == Mode::User) {
    j["check_dhcp"] = check_dhcp;
  } else {
    j["exact"] = exact;
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : peer_params) params[k] = v;
    j["peer"] = {{"scenario", peer_scenario}, {"params", params}};
  }
  return j;
}

NetworkConfig parse_network_config(const nlohmann::json& section, const std::string& origin) {
  if (!section.is_object())
    throw InputError(origin + ": network: expected an object, got " + describe_json(section));
  JsonReader reader(section, origin, "network");
  NetworkConfig c;
  const std::string mode = reader.string("mode").value_or("user");
  if (mode != "user" && mode != "pair")
    reader.fail("mode",
                "expected \"user\" (QEMU's user network and DHCP server) or \"pair\" (a "
                "wire to a second VM), got \"" +
                    mode + "\"");
  c.mode = mode == "user" ? NetworkConfig::Mode::User : NetworkConfig::Mode::Pair;
  c.capture = reader.boolean("capture").value_or(c.capture);
  c.link_status = reader.boolean("link_status").value_or(c.link_status);
  if (c.mode == NetworkConfig::Mode::User) {
    c.check_dhcp = reader.boolean("check_dhcp").value_or(c.capture);
    if (c.check_dhcp && !c.capture)
      reader.fail("check_dhcp", "checks the capture: needs \"capture\": true");
    for (const char* key : {"exact", "peer"})
      if (reader.has(key)) reader.fail(key, "belongs to \"mode\": \"pair\"");
  } else {
    c.check_dhcp = false;
    if (reader.has("check_dhcp")) reader.fail("check_dhcp", "belongs to \"mode\": \"user\"");
    c.exact = reader.boolean("exact").value_or(c.exact);
    if (auto peer = reader.object("peer")) {
      c.peer_scenario = peer->string("scenario").value_or(c.peer_scenario);
      if (!is_param_word(c.peer_scenario))
        peer->fail("scenario", "not a scenario name: \"" + c.peer_scenario + "\"");
      if (const auto* params = peer->raw("params")) {
        if (!params->is_object())
          peer->fail("params", "expected an object of key: value, got " + describe_json(*params));
        c.peer_params.clear();
        for (const auto& [key, value] : params->items()) {
          std::string text = value.is_string()    ? value.get<std::string>()
                             : value.is_boolean() ? (value.get<bool>() ? "1" : "0")
                             : value.is_number_integer() || value.is_number_unsigned()
                                 ? value.dump()
                                 : "";
          if (!is_param_word(key) || !is_param_word(text))
            peer->fail("params", "\"" + key + "\": " + describe_json(value) +
                                     " is not a key=value word (letters, digits, _ . , -)");
          c.peer_params.emplace_back(key, std::move(text));
        }
      }
      peer->reject_unknown();
    }
  }
  reader.reject_unknown();
  return c;
}

NetworkHook::NetworkHook(NetworkConfig config, const campaign::HookSetup& setup)
    : config_(std::move(config)), setup_(setup) {}

NetworkHook::~NetworkHook() { stop_peer(); }

void NetworkHook::configure(vm::VmConfig& config) {
  const bool pair = config_.mode == NetworkConfig::Mode::Pair;
  own_mac_ = pair ? kPairMac : kUserMac;
  vm::Nic nic{.id = kNicId, .mac = own_mac_, .link_status = config_.link_status};
  if (config_.capture) {
    nic.capture = setup_.run_folder / "net0.pcap";
    captures_.push_back(nic.capture);
  }
  if (!pair) {
    config.nics.push_back(std::move(nic));
    return;
  }
  if (!setup_.make_vm || !setup_.schema)
    throw InfraError("network: this osharness cannot run a second VM for the pair");
  // The wire: two unix datagram sockets in a private (0700) folder with a short path.
  sockets_.emplace(vm::qemu::RunDir::create("net"));
  nic.link = vm::Nic::Link::Datagram;
  nic.local_socket = sockets_->socket_path("a.sock");
  nic.remote_socket = sockets_->socket_path("b.sock");

  peer_mac_ = kPeerMac;
  peer_config_ = vm::VmConfig{};
  peer_config_.name = config.name.substr(0, 59) + "-peer";
  peer_config_.kernel = config.kernel;
  peer_config_.initrd = config.initrd;
  peer_config_.memory = config.memory;
  peer_config_.cpus = config.cpus;
  peer_config_.deterministic = config.deterministic;
  peer_config_.output_dir = setup_.run_folder / "peer";
  peer_config_.append =
      "osh.scenario=" + config_.peer_scenario + " osh.seed=" + std::to_string(setup_.seed);
  for (const auto& [k, v] : config_.peer_params) peer_config_.append += " " + k + "=" + v;
  vm::Nic peer_nic{.id = kNicId,
                   .mac = peer_mac_,
                   .link = vm::Nic::Link::Datagram,
                   .local_socket = nic.remote_socket,
                   .remote_socket = nic.local_socket,
                   .link_status = config_.link_status};
  if (config_.capture) {
    peer_nic.capture = peer_config_.output_dir / "net0.pcap";
    captures_.push_back(peer_nic.capture);
  }
  peer_config_.nics.push_back(std::move(peer_nic));
  config.nics.push_back(std::move(nic));
}

void NetworkHook::before_start(vm::Vm& /*vm*/) {
  // The peer first, so that its end of the wire is bound when the run's guest first sends. A
  // run's VM restarted by a fault finds the peer still there.
  if (config_.mode != NetworkConfig::Mode::Pair || peer_) return;
  std::error_code ec;
  std::filesystem::create_directories(peer_config_.output_dir, ec);
  if (ec)
    throw InfraError("network: cannot create " + peer_config_.output_dir.string() + ": " +
                     ec.message());
  peer_log_.emplace(peer_config_.output_dir / "console.log");
  peer_stream_.emplace(*setup_.schema);
  peer_stream_->add_observer(&peer_watch_);
  peer_ = setup_.make_vm(peer_config_);
  try {
    peer_->start();
  } catch (const std::exception& e) {
    throw InfraError(std::string("network: the peer VM did not start: ") + e.what());
  }
  next_tick_ns_ = monotonic_ns();
}

void NetworkHook::on_console(int /*port*/, std::string_view bytes, int64_t host_ns) {
  peer_log_->write(bytes);
  peer_stream_->feed(bytes, host_ns);
}

void NetworkHook::PeerWatch::on_marker(const marker::MarkerEvent& event) {
  if (event.is("SYS", "PANIC") && !panic) {
    panic = std::string(event.raw);
  } else if (event.is("SYS", "EXIT") && !event.fields.empty()) {
    exit_code = event.fields[0].u;
  }
}

void NetworkHook::on_marker(const marker::MarkerEvent& event) {
  if (event.category != "NET") return;
  const auto& f = event.fields;
  if (event.event == "LEASE" && f.size() >= 4) {
    lease_ms_ = static_cast<double>(f[3].u) / 1000.0;
    lease_host_ns_ = event.host_ns;
  } else if (event.event == "LINK") {
    ++link_changes_;
  } else if (event.event == "DEVICE" && f.size() >= 3) {
    device_link_status_ = std::string(f[2].text);
  } else if (event.event == "ECHO_DONE" && f.size() >= 6) {
    echo_ = {{"sent", f[0].u}, {"answered", f[1].u},   {"lost", f[2].u},
             {"late", f[3].u}, {"rtt_p50_us", f[4].u}, {"rtt_max_us", f[5].u}};
  } else if (event.event == "PEER" && f.size() >= 2 && f[0].text == "back") {
    silent_ms_max_ = std::max(silent_ms_max_, static_cast<double>(f[1].u));
  }
}

void NetworkHook::tick(int64_t now_ns, campaign::RunControl& /*control*/) {
  if (!peer_ || peer_->exit()) {
    next_tick_ns_ = INT64_MAX;
    return;
  }
  peer_->pump(std::chrono::milliseconds(0), *this, -1);
  next_tick_ns_ = now_ns + kPeerPumpNs;
}

int64_t NetworkHook::next_tick_ns() const { return next_tick_ns_; }

void NetworkHook::stop_peer() {
  if (!peer_) return;
  if (!peer_->exit()) {
    peer_stopped_by_us_ = true;
    peer_->shutdown(kPeerShutdownGrace);
  }
  // Whatever the peer printed before it ended.
  peer_->pump(std::chrono::milliseconds(0), *this, -1);
}

void NetworkHook::judge_peer(campaign::RunResult& result) {
  if (!peer_) return;
  // The run's guest has ended: give the peer a moment to take its "bye" and exit by itself.
  const int64_t until = monotonic_ns() + 2'000'000'000;
  while (!peer_->exit() && monotonic_ns() < until)
    peer_->pump(std::chrono::milliseconds(50), *this, -1);
  stop_peer();
  peer_stream_->finish(monotonic_ns());
  peer_log_->close();
  const marker::MarkerCounts& counts = peer_stream_->counts();
  nlohmann::json peer = {{"console_log", "peer/console.log"},
                         {"markers", counts.total},
                         {"lost", counts.lost},
                         {"corrupt", counts.corrupt},
                         {"malformed", counts.malformed},
                         {"stopped_by_harness", peer_stopped_by_us_}};
  if (peer_watch_.exit_code) peer["exit_code"] = *peer_watch_.exit_code;
  result.analysis["network"]["peer"] = peer;
  result.metrics["net.peer.stopped"] = peer_stopped_by_us_ ? 1.0 : 0.0;
  if (peer_watch_.panic) {
    result.findings.push_back({Verdict::Crash, "network peer VM panicked: " + *peer_watch_.panic,
                               "CRASH network peer-panic"});
  }
  if (peer_watch_.exit_code && *peer_watch_.exit_code != 0) {
    result.findings.push_back({Verdict::Fail,
                               "network peer VM exited with code " +
                                   std::to_string(*peer_watch_.exit_code) + " (peer/console.log)",
                               "FAIL network peer-exit"});
  }
  if (counts.lost || counts.corrupt || counts.malformed) {
    result.findings.push_back(
        {Verdict::Fail,
         fmt::format(
             "network peer VM: {} lost, {} corrupt, {} malformed markers (peer/console.log)",
             counts.lost, counts.corrupt, counts.malformed),
         "FAIL network peer-markers"});
  }
  if (counts.total == 0) {
    result.findings.push_back({Verdict::InfraError, "network peer VM printed no marker",
                               "INFRA_ERROR network peer-silent"});
  }
}

void NetworkHook::check_captures(campaign::RunResult& result, nlohmann::json& analysis) {
  auto& m = result.metrics;
  std::vector<Capture> read;
  analysis["captures"] = nlohmann::json::array();
  for (const auto& file : captures_) {
    try {
      read.push_back(read_capture(file));
    } catch (const InputError& e) {
      result.findings.push_back({Verdict::InfraError, std::string("network capture: ") + e.what(),
                                 "INFRA_ERROR network capture"});
      return;
    }
    analysis["captures"].push_back(
        {{"file", std::filesystem::relative(file, setup_.run_folder).string()},
         {"packets", read.back().total}});
  }
  if (!read.empty()) m["net.capture.packets"] = static_cast<double>(read.front().total);
  std::vector<CheckResult> checks;
  if (config_.check_dhcp && !read.empty()) {
    checks.push_back(check_dhcp(read_capture(captures_.front(), kDhcpFilter)));
    const CheckResult& dhcp = checks.back();
    m["net.dhcp.assertions_passed"] = static_cast<double>(dhcp.passed());
    m["net.dhcp.assertions_failed"] = static_cast<double>(dhcp.failures().size());
    if (dhcp.summary().contains("exchange_ms")) {
      const double exchange_ms = dhcp.summary()["exchange_ms"].get<double>();
      m["net.dhcp.capture_exchange_ms"] = exchange_ms;
      // The capture's clock is QEMU's, not the host's monotonic one: the exchange is placed in
      // host time by the guest's NET:LEASE, printed on the ACK, and the wait taken off is QEMU's
      // over the exchange's length before it.
      if (setup_.starvation && lease_ms_) {
        const auto wall_ns = static_cast<int64_t>(exchange_ms * 1e6);
        m["net.dhcp.capture_exchange_ms_less_starvation"] =
            setup_.starvation->less_starvation_ms(lease_host_ns_ - wall_ns, lease_host_ns_);
      }
    }
  }
  if (config_.mode == NetworkConfig::Mode::Pair && read.size() == 2) {
    checks.push_back(
        check_pair(read[0], *parse_mac(own_mac_), read[1], *parse_mac(peer_mac_), config_.exact));
    const CheckResult& pair = checks.back();
    uint64_t lost = 0, matched = 0;
    for (const char* direction : {"a-to-b", "b-to-a"}) {
      lost += pair.summary()[direction]["lost"].get<uint64_t>();
      matched += pair.summary()[direction]["matched"].get<uint64_t>();
    }
    m["net.pair.matched"] = static_cast<double>(matched);
    m["net.pair.lost"] = static_cast<double>(lost);
    m["net.pair.mismatched"] = static_cast<double>(pair.failures().size());
  }
  analysis["checks"] = nlohmann::json::array();
  for (const CheckResult& check : checks) {
    analysis["checks"].push_back(check.to_json());
    if (!check.failures().empty()) {
      result.findings.push_back(
          {Verdict::Fail, "network capture check " + check.headline(),
           "FAIL network " + check.name() + " " + check.failures().front().assertion});
    }
  }
}

void NetworkHook::finish(campaign::RunResult& result) {
  nlohmann::json& analysis = result.analysis["network"];
  analysis["mode"] = config_.mode == NetworkConfig::Mode::User ? "user" : "pair";
  judge_peer(result);
  check_captures(result, analysis);
  auto& m = result.metrics;
  if (lease_ms_) m["net.lease_ms"] = *lease_ms_;
  m["net.link_changes"] = static_cast<double>(link_changes_);
  if (device_link_status_) analysis["guest_link_status"] = *device_link_status_;
  if (!echo_.is_null()) {
    for (const char* key : {"sent", "answered", "lost", "late", "rtt_p50_us", "rtt_max_us"})
      m[std::string("net.echo.") + key] = echo_[key].get<double>();
    analysis["echo"] = echo_;
  }
  if (silent_ms_max_ > 0) m["net.peer_silent_ms.max"] = silent_ms_max_;
}

const std::vector<campaign::MetricInfo>& network_metrics() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  static const std::vector<campaign::MetricInfo> metrics = {
      {"net.lease_ms", "ms", B::Lower,
       "guest time from the first DHCP DISCOVER to the ACK (NET:LEASE)", C::Guest},
      {"net.link_changes", "", B::Neither, "link changes the guest saw (NET:LINK)"},
      {"net.capture.packets", "", B::Neither, "frames in the run VM's capture"},
      {"net.dhcp.assertions_passed", "", B::Higher, "RFC 2131 assertions the capture passed"},
      {"net.dhcp.assertions_failed", "", B::Lower, "RFC 2131 assertions the capture failed"},
      {"net.dhcp.capture_exchange_ms", "ms", B::Lower,
       "DISCOVER to ACK in the capture's time (QEMU's clock, which runs with the host's)",
       C::HostWall},
      {"net.dhcp.capture_exchange_ms_less_starvation", "ms", B::Lower,
       "the same less the time QEMU waited for a host CPU over the exchange's length up "
       "to the guest's NET:LEASE",
       C::HostLessStarvation},
      {"net.pair.matched", "", B::Neither, "frames found byte for byte in both captures"},
      {"net.pair.lost", "", B::Lower, "frames sent that the other capture never saw"},
      {"net.pair.mismatched", "", B::Lower,
       "failed pair assertions (a frame altered, reordered, duplicated, or lost when exact)"},
      {"net.echo.*", "", B::Neither,
       "udpecho client: sent, answered, lost (never answered), late (answered after the wait), "
       "rtt_p50_us, rtt_max_us (NET:ECHO_DONE)"},
      {"net.peer.stopped", "", B::Lower,
       "1 when the peer had not ended two seconds after the run's guest and was shut down: the "
       "udpecho server never got the client's \"bye\""},
      {"net.peer_silent_ms.max", "ms", B::Lower,
       "the longest silence of the peer the guest saw end (NET:PEER back): a healed partition",
       C::Guest},
  };
  return metrics;
}

campaign::RunHookInfo network_hook() {
  return {"network",
          "a virtio-net NIC on QEMU's user network or a wire to a second VM, captured to pcap "
          "and checked (RFC 2131, both sides of a pair) (docs/network.md)",
          network_metrics(),
          [](const nlohmann::json& section, const std::string& origin, double /*scale*/) {
            return std::make_shared<const NetworkConfig>(parse_network_config(section, origin));
          },
          [](const campaign::HookConfig& config, const campaign::HookSetup& setup) {
            return std::make_unique<NetworkHook>(static_cast<const NetworkConfig&>(config), setup);
          }};
}

}  // namespace osh::net
