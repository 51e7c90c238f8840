#include "inject/fault_injector.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/campaign/starvation.h"
#include "harness/stats/chart.h"
#include "inject/disk_check.h"

namespace osh::inject {
namespace {

int64_t ns_of(double seconds) { return static_cast<int64_t>(seconds * 1e9); }

std::string status_of(const nlohmann::json& status) {
  const auto it = status.find("status");
  return it != status.end() && it->is_string() ? it->get<std::string>() : status.dump();
}

bool is_running(const nlohmann::json& status) {
  const auto it = status.find("running");
  return it != status.end() && it->is_boolean() && it->get<bool>();
}

// A pause, an EIO window, a link down or a partition is over when it is lifted; a reset or a
// kill hits at once, and the guest is down from that moment.
int64_t recovery_ns(const FaultRecord& r) {
  const bool window = has_duration(r.fault.type);
  return *r.recovered_ns - (window ? r.end_ns : r.start_ns);
}

double recovery_ms(const FaultRecord& r) { return static_cast<double>(recovery_ns(r)) / 1e6; }

// What shows that the guest is back after each fault type.
const char* recovery_evidence(FaultType type) {
  switch (type) {
    case FaultType::Pause:
      return "SYS:HEARTBEAT after the VM resumed";
    case FaultType::DiskEio:
      return "DISK:ACK after the errors stopped";
    case FaultType::Link:
      return "NET:LINK:up after the link came back";
    case FaultType::Partition:
      return "NET:PEER:back after the partition healed";
    case FaultType::Reset:
    case FaultType::Kill:
      break;
  }
  return "BOOT:READY after the VM started again";
}

std::string fault_name(const ScheduledFault& f) {
  std::string name = "fault " + std::to_string(f.id) + " (" + std::string(to_string(f.type));
  if (!f.op.empty()) name += " " + f.op;
  return name + ")";
}

}  // namespace

FaultInjector::FaultInjector(FaultPlan plan, uint64_t seed, int run_index, DiskTarget disk,
                             std::function<void(const nlohmann::json&)> journal)
    : plan_(std::move(plan)),
      seed_(seed),
      run_index_(run_index),
      disk_(std::move(disk)),
      journal_(std::move(journal)),
      schedule_(make_schedule(plan_, seed_)) {}

void FaultInjector::before_start(vm::Vm& vm) {
  if (!disk_.errors) return;
  std::vector<vm::DiskErrors::Op> windows;
  for (const auto& f : schedule_)
    if (f.type == FaultType::DiskEio)
      windows.push_back(f.op == "read" ? vm::DiskErrors::Op::Read : vm::DiskErrors::Op::Write);
  vm::require(vm, vm.disk_errors(), "inject disk I/O errors, which disk_eio faults need")
      .plan(disk_.drive_id, windows);
}

void FaultInjector::on_marker(const marker::MarkerEvent& event) {
  if (event.is("BOOT", "START")) {
    saw_boot_start_ = true;
  } else if (event.is("BOOT", "READY")) {
    ready_ns_ = event.host_ns;
    if (phase_ == Phase::WaitReady && !schedule_.empty()) {
      phase_ = Phase::Quiet;
      due_ns_ = event.host_ns + ns_of(schedule_.front().after_s);
    }
  } else if (event.is("SYS", "HEARTBEAT")) {
    heartbeat_ns_ = event.host_ns;
    if (!event.fields.empty()) uptime_.emplace_back(event.host_ns, event.fields[0].u);
  } else if (event.is("NET", "LINK") && !event.fields.empty()) {
    (event.fields[0].text == "down" ? link_down_ns_ : link_up_ns_) = event.host_ns;
  } else if (event.is("NET", "PEER") && !event.fields.empty()) {
    (event.fields[0].text == "lost" ? peer_lost_ns_ : peer_back_ns_) = event.host_ns;
  } else if (event.is("DISK", "ACK") && event.fields.size() >= 2) {
    disk_ack_ns_ = event.host_ns;
    ++acks_;
    auto& newest = acked_[event.fields[0].u];
    newest = std::max(newest, static_cast<uint32_t>(event.fields[1].u));
  } else if (event.is("DISK", "IO_ERROR") && !event.fields.empty() && current_ &&
             current_->fault.type == FaultType::DiskEio &&
             event.fields[0].text == current_->fault.op && !io_error_ns_) {
    io_error_ns_ = event.host_ns;
  }
}

void FaultInjector::on_vm_event(const vm::VmEvent& event) {
  if (event.name == "RESET") saw_reset_event_ = true;
}

int64_t FaultInjector::next_tick_ns() const {
  switch (phase_) {
    case Phase::Quiet:
    case Phase::Active:
    case Phase::Recovering:  // evidence of recovery is looked at on every tick before this
      return due_ns_;
    case Phase::WaitReady:
    case Phase::Healed:
      break;
  }
  return INT64_MAX;
}

int64_t FaultInjector::paused_ns(int64_t now_ns) const {
  return paused_total_ns_ + (paused_since_ ? now_ns - *paused_since_ : 0);
}

void FaultInjector::tick(int64_t now_ns, campaign::RunControl& control) {
  last_now_ns_ = now_ns;
  if (control.vm().exit()) return;  // the run is ending; finish() reports what was left
  switch (phase_) {
    case Phase::Quiet:
      if (now_ns >= due_ns_) start_fault(now_ns, control);
      return;
    case Phase::Active: {
      const auto* seen = detection_marker_ns(current_->fault.type);
      if (seen && *seen && !current_->detected_ns) {
        current_->detected_ns = **seen;
        current_->detect_starved_ns =
            control.vm().cpu_usage().run_delay_ns - run_delay_at_start_ns_;
      }
      // A guest starved of host CPU may not have run at all during a short window: a link or
      // a partition is held until the guest reports it, up to the recovery deadline, so that
      // only a real no-op ends unseen.
      const bool hold = seen && !*seen && current_->problem.empty() &&
                        now_ns < current_->start_ns + ns_of(current_->fault.duration_s) +
                                     ns_of(plan_.recovery_deadline_s);
      if (now_ns >= due_ns_ && !hold) stop_fault(now_ns, control);
      return;
    }
    case Phase::Recovering: {
      const FaultRecord& r = *current_;
      const std::optional<int64_t>& seen = recovery_marker_ns(r.fault.type);
      // A reset hits at its start; every other fault is over once it was lifted (or the new
      // VM started). A reset must also have been a real one: QEMU's event and a new boot.
      const bool reset = r.fault.type == FaultType::Reset;
      const bool back = seen && *seen > (reset ? r.start_ns : r.end_ns) &&
                        (!reset || (saw_reset_event_ && saw_boot_start_));
      if (back) {
        current_->recovered_ns = *seen;
        if (has_duration(r.fault.type))
          current_->recovery_starved_ns =
              control.vm().cpu_usage().run_delay_ns - run_delay_at_end_ns_;
        settle(now_ns, control);
      } else if (now_ns >= due_ns_) {
        settle(now_ns, control);
      }
      return;
    }
    case Phase::WaitReady:
    case Phase::Healed:
      return;
  }
}

const std::optional<int64_t>* FaultInjector::detection_marker_ns(FaultType type) const {
  if (type == FaultType::Link) return &link_down_ns_;
  if (type == FaultType::Partition) return &peer_lost_ns_;
  return nullptr;
}

const std::optional<int64_t>& FaultInjector::recovery_marker_ns(FaultType type) const {
  switch (type) {
    case FaultType::Pause:
      return heartbeat_ns_;
    case FaultType::DiskEio:
      return disk_ack_ns_;
    case FaultType::Link:
      return link_up_ns_;
    case FaultType::Partition:
      return peer_back_ns_;
    case FaultType::Reset:
    case FaultType::Kill:
      break;
  }
  return ready_ns_;
}

void FaultInjector::start_fault(int64_t now_ns, campaign::RunControl& control) {
  current_ = FaultRecord{};
  FaultRecord& r = *current_;
  r.fault = schedule_[next_];
  r.start_ns = now_ns;
  saw_reset_event_ = saw_boot_start_ = false;
  ready_ns_.reset();
  heartbeat_ns_.reset();
  disk_ack_ns_.reset();
  io_error_ns_.reset();
  link_down_ns_.reset();
  link_up_ns_.reset();
  peer_lost_ns_.reset();
  peer_back_ns_.reset();
  vm::Vm& vm = control.vm();
  run_delay_at_start_ns_ = vm.cpu_usage().run_delay_ns;
  switch (r.fault.type) {
    case FaultType::Link:
    case FaultType::Partition:
      if (set_network(vm, r.fault.type, true, r.problem))
        r.effect = r.fault.type == FaultType::Link ? "set_link down" : "frames dropped";
      phase_ = Phase::Active;
      due_ns_ = now_ns + ns_of(r.fault.duration_s);
      return;
    case FaultType::Pause: {
      vm.pause();
      paused_since_ = now_ns;
      const nlohmann::json status = vm.query_status();
      r.took_effect = status_of(status) == "paused" && !is_running(status);
      if (r.took_effect) {
        r.effect = "query-status: paused";
      } else {
        r.problem = "did not take effect: after QMP stop, query-status says " + status.dump();
      }
      phase_ = Phase::Active;
      due_ns_ = now_ns + ns_of(r.fault.duration_s);
      return;
    }
    case FaultType::Reset: {
      const int64_t t0 = monotonic_ns();
      vm.reset();
      r.end_ns = now_ns + (monotonic_ns() - t0);
      break;
    }
    case FaultType::Kill: {
      const int64_t t0 = monotonic_ns();
      const pid_t pid = vm.host_process() ? vm.host_process()->pid() : -1;
      vm.kill();
      const auto& exit = vm.exit();
      const bool gone = pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH);
      r.took_effect = exit && exit->how == vm::VmExit::How::Killed && gone;
      if (r.took_effect) {
        r.effect = "SIGKILL: QEMU" + (pid > 0 ? " pid " + std::to_string(pid) : "") +
                   " gone, then a new QEMU started";
      } else {
        r.problem = "did not take effect: QEMU " +
                    std::string(!exit  ? "has not exited"
                                : gone ? "did not die of the kill"
                                       : "is still there") +
                    " after SIGKILL";
      }
      if (r.took_effect) check_disk(r);
      r.cut_lines = control.restart();
      // Bring the new VM's disk error windows to where the killed one was, before the guest
      // uses the disk.
      for (int steps = std::exchange(disk_steps_, 0); steps > 0 && r.problem.empty(); --steps)
        step_disk_errors(control.vm(), r.problem);
      r.end_ns = now_ns + (monotonic_ns() - t0);
      break;
    }
    case FaultType::DiskEio:
      if (!disk_.errors) {
        r.problem = "did not take effect: the VM has no disk (give the spec guest.disk)";
      } else if (step_disk_errors(vm, r.problem)) {
        r.effect = "EIO on " + r.fault.op + "s of " + disk_.drive_id;
      }
      phase_ = Phase::Active;
      due_ns_ = now_ns + ns_of(r.fault.duration_s);
      return;
  }
  phase_ = Phase::Recovering;
  due_ns_ = r.end_ns + ns_of(plan_.recovery_deadline_s);
}

void FaultInjector::stop_fault(int64_t now_ns, campaign::RunControl& control) {
  FaultRecord& r = *current_;
  const int64_t t0 = monotonic_ns();
  if (r.fault.type == FaultType::Pause) {
    vm::Vm& vm = control.vm();
    vm.resume();
    paused_total_ns_ += now_ns - *paused_since_;
    paused_since_.reset();
    const nlohmann::json status = vm.query_status();
    if (!is_running(status) && r.problem.empty())
      r.problem = "the VM did not run again: after QMP cont, query-status says " + status.dump();
  }
  if (r.fault.type == FaultType::DiskEio && disk_.errors) {
    std::string problem;
    if (!step_disk_errors(control.vm(), problem) && r.problem.empty()) r.problem = problem;
    // The guest saw the errors while they lasted: the evidence that the window was real.
    r.took_effect = r.problem.empty() && io_error_ns_.has_value();
    if (r.problem.empty() && !io_error_ns_)
      r.problem = "did not take effect: the guest reported no " + r.fault.op +
                  " error (DISK:IO_ERROR) while its " + r.fault.op + "s failed";
  }
  if (r.fault.type == FaultType::Link || r.fault.type == FaultType::Partition) {
    const bool link = r.fault.type == FaultType::Link;
    const auto& seen = link ? link_down_ns_ : peer_lost_ns_;
    const bool applied = r.problem.empty();
    std::string problem;
    if (applied && !set_network(control.vm(), r.fault.type, false, problem)) r.problem = problem;
    if (!r.detected_ns) r.detected_ns = seen;
    r.took_effect = applied && seen.has_value();
    if (r.took_effect) {
      r.effect += link ? ", guest saw NET:LINK:down" : ", guest saw NET:PEER:lost";
    } else if (applied && r.problem.empty()) {
      r.problem = link ? "did not take effect (a no-op): the guest reported no NET:LINK:down while "
                         "the link was down (does its NIC driver read the link state?)"
                       : "did not take effect: the guest never reported its peer lost "
                         "(NET:PEER:lost) during the partition";
    }
  }
  r.end_ns = now_ns + (monotonic_ns() - t0);
  run_delay_at_end_ns_ = control.vm().cpu_usage().run_delay_ns;
  heartbeat_ns_.reset();
  disk_ack_ns_.reset();
  link_up_ns_.reset();
  peer_back_ns_.reset();
  phase_ = Phase::Recovering;
  due_ns_ = r.end_ns + ns_of(plan_.recovery_deadline_s);
}

void FaultInjector::judge_reset(FaultRecord& r) const {
  if (r.fault.type != FaultType::Reset) return;
  r.took_effect = saw_reset_event_ && saw_boot_start_;
  if (r.took_effect) {
    r.effect = "QMP RESET event, then BOOT:START";
  } else {
    r.problem = std::string("did not take effect: ") +
                (saw_reset_event_ ? "QEMU sent RESET but the guest never printed BOOT:START"
                                  : "no RESET event from QEMU after system_reset");
  }
}

void FaultInjector::settle(int64_t now_ns, campaign::RunControl& control) {
  FaultRecord& r = *current_;
  judge_reset(r);
  if (!r.recovered_ns && r.problem.empty()) {
    char deadline[32];
    std::snprintf(deadline, sizeof deadline, "%.1f s", plan_.recovery_deadline_s);
    r.problem = std::string("missed the recovery deadline of ") + deadline + ": no " +
                recovery_evidence(r.fault.type);
  }
  records_.push_back(std::move(r));
  current_.reset();
  if (journal_) journal_(record_json(records_.back()));
  if (++next_ < schedule_.size()) {
    phase_ = Phase::Quiet;
    due_ns_ = now_ns + ns_of(schedule_[next_].after_s);
  } else {
    heal(now_ns, control);
  }
}

bool FaultInjector::step_disk_errors(vm::Vm& vm, std::string& problem) {
  try {
    vm::require(vm, vm.disk_errors(), "inject disk I/O errors, which disk_eio faults need").step();
  } catch (const InfraError& e) {
    problem = std::string("did not take effect: ") + e.what();
    return false;
  }
  ++disk_steps_;
  return true;
}

bool FaultInjector::set_network(vm::Vm& vm, FaultType type, bool on, std::string& problem) {
  const bool link = type == FaultType::Link;
  try {
    vm::NetworkLinks& links =
        vm::require(vm, vm.network_links(), "take network links down, which link faults need");
    if (links.nics().empty()) {
      problem =
          "did not take effect: the VM has no network interface (give the spec a "
          "\"network\" section)";
      return false;
    }
    for (const vm::Nic& nic : links.nics()) {
      if (link && !nic.link_status) {
        problem = "did not take effect (a no-op): NIC " + nic.id +
                  " does not report link state to the guest (network.link_status is false), so "
                  "the guest cannot see its link go down";
        return false;
      }
    }
    for (const vm::Nic& nic : links.nics()) {
      if (link) {
        links.set_link(nic.id, !on);
      } else {
        links.set_partitioned(nic.id, on);
      }
    }
  } catch (const InfraError& e) {
    problem = std::string("did not take effect: ") + e.what();
    return false;
  }
  return true;
}

void FaultInjector::check_disk(FaultRecord& r) const {
  if (disk_.image.empty() || acked_.empty()) return;
  const DiskCheck check = check_acked_writes(disk_.image, seed_, acked_);
  r.acked_checked = check.checked;
  r.acked_lost = check.lost;
}

void FaultInjector::heal(int64_t now_ns, campaign::RunControl& control) {
  vm::Vm& vm = control.vm();
  phase_ = Phase::Healed;
  try {
    nlohmann::json status = vm.query_status();
    const bool was_running = is_running(status);
    if (!was_running) {
      vm.resume();
      status = vm.query_status();
    }
    heal_ = {{"at_ms", ms(now_ns)},
             {"was_running", was_running},
             {"status", status_of(status)},
             {"running", is_running(status)}};
    // Every link up and no partition left, whatever the faults did.
    if (vm::NetworkLinks* links = vm.network_links(); links && !links->nics().empty()) {
      for (const vm::Nic& nic : links->nics()) {
        links->set_link(nic.id, true);
        links->set_partitioned(nic.id, false);
      }
      (*heal_)["network"] = "links up, partitions healed";
    }
  } catch (const InfraError& e) {
    // A guest that ended right after the last fault leaves nothing to heal.
    heal_ = {{"at_ms", ms(now_ns)}, {"error", e.what()}};
  }
  if (journal_) journal_({{"record", "fault"}, {"run", run_index_}, {"heal", *heal_}});
}

nlohmann::json FaultInjector::record_json(const FaultRecord& r) const {
  nlohmann::json j = to_json(r.fault);
  j["start_ms"] = ms(r.start_ns);
  j["end_ms"] = ms(r.end_ns);
  if (r.detected_ns) j["detect_ms"] = static_cast<double>(*r.detected_ns - r.start_ns) / 1e6;
  if (r.detect_starved_ns) j["detect_starved_ms"] = static_cast<double>(*r.detect_starved_ns) / 1e6;
  if (r.recovery_starved_ns)
    j["recovery_starved_ms"] = static_cast<double>(*r.recovery_starved_ns) / 1e6;
  j["took_effect"] = r.took_effect;
  j["effect"] = r.effect;
  if (r.recovered_ns) {
    j["recovered_ms"] = ms(*r.recovered_ns);
    j["recovery_ms"] = recovery_ms(r);
  }
  if (!r.problem.empty()) j["problem"] = r.problem;
  if (!r.cut_lines.empty()) j["cut_lines"] = r.cut_lines;
  if (r.fault.type == FaultType::Kill) {
    j["acked_checked"] = r.acked_checked;
    j["acked_lost"] = r.acked_lost;
  }
  return {{"record", "fault"}, {"run", run_index_}, {"seed", seed_}, {"fault", j}};
}

void FaultInjector::finish(campaign::RunResult& result) {
  using campaign::Finding;
  using campaign::Verdict;
  if (current_) {
    FaultRecord& r = *current_;
    if (!r.end_ns) r.end_ns = last_now_ns_;
    if (phase_ == Phase::Recovering) judge_reset(r);
    if (r.problem.empty()) r.problem = "the run ended before the fault settled";
    records_.push_back(std::move(r));
    current_.reset();
    ++next_;
    if (journal_) journal_(record_json(records_.back()));
  }
  double recovery_max = 0, recovery_sum = 0;
  int effective = 0, recovered = 0;
  std::map<std::string, double> type_max, detect_max, detect_fed_max, recovery_fed_max;
  uint64_t cut = 0, acked_checked = 0, acked_lost = 0;
  for (const FaultRecord& r : records_) {
    acked_checked += r.acked_checked;
    acked_lost += r.acked_lost.size();
    if (!r.acked_lost.empty()) {
      std::string reason = fault_name(r.fault) + " lost " + std::to_string(r.acked_lost.size()) +
                           " of " + std::to_string(r.acked_checked) +
                           " acknowledged writes: " + r.acked_lost.front();
      if (r.acked_lost.size() > 1)
        reason += " (and " + std::to_string(r.acked_lost.size() - 1) + " more)";
      result.findings.push_back({Verdict::Fail, reason, "FAIL inject kill acked-write-lost"});
    }
    effective += r.took_effect;
    const std::string type(to_string(r.fault.type));
    if (r.detected_ns) {
      const double ms_seen = static_cast<double>(*r.detected_ns - r.start_ns) / 1e6;
      detect_max[type] = std::max(detect_max[type], ms_seen);
      if (r.detect_starved_ns)
        detect_fed_max[type] = std::max(
            detect_fed_max[type],
            campaign::less_starvation_ms(*r.detected_ns - r.start_ns, *r.detect_starved_ns));
    }
    if (r.recovered_ns && r.recovery_starved_ns)
      recovery_fed_max[type] =
          std::max(recovery_fed_max[type],
                   campaign::less_starvation_ms(recovery_ns(r), *r.recovery_starved_ns));
    if (r.recovered_ns) {
      ++recovered;
      const double ms_back = recovery_ms(r);
      recovery_max = std::max(recovery_max, ms_back);
      recovery_sum += ms_back;
      auto& m = type_max[std::string(to_string(r.fault.type))];
      m = std::max(m, ms_back);
    }
    if (!r.problem.empty()) {
      const bool ineffective = r.problem.starts_with("did not take effect");
      result.findings.push_back({Verdict::Fail, fault_name(r.fault) + " " + r.problem,
                                 std::string("FAIL inject ") +
                                     std::string(to_string(r.fault.type)) +
                                     (ineffective ? " not-effective" : " not-recovered")});
    }
    // A marker the kill cut in half is the fault's doing, not a malformed guest line.
    for (const uint64_t line : r.cut_lines) {
      auto& problems = result.problems;
      const auto it = std::find_if(problems.begin(), problems.end(),
                                   [&](const auto& p) { return p.line_no == line; });
      if (it != problems.end()) problems.erase(it);
      if (result.markers.malformed > 0) --result.markers.malformed;
      ++cut;
    }
  }
  if (heal_ && heal_->value("running", true) == false) {
    result.findings.push_back({Verdict::Fail,
                               "the final heal left the VM not running: query-status says " +
                                   heal_->value("status", std::string()),
                               "FAIL inject heal"});
  }
  if (next_ < schedule_.size()) {
    result.findings.push_back(
        {Verdict::Fail,
         "only " + std::to_string(next_) + " of " + std::to_string(schedule_.size()) +
             " scheduled faults were applied: the run ended first (let the guest run longer than "
             "the schedule)",
         "FAIL inject schedule-incomplete"});
  }
  auto& m = result.metrics;
  m["faults.scheduled"] = static_cast<double>(schedule_.size());
  m["faults.applied"] = static_cast<double>(records_.size());
  m["faults.effective"] = effective;
  m["faults.recovered"] = recovered;
  m["faults.paused_ms"] = static_cast<double>(paused_ns(last_now_ns_)) / 1e6;
  m["faults.cut_markers"] = static_cast<double>(cut);
  if (acks_ || acked_checked) {
    m["disk.acked_writes"] = static_cast<double>(acks_);
    m["disk.acked_checked"] = static_cast<double>(acked_checked);
    m["disk.acked_lost"] = static_cast<double>(acked_lost);
  }
  if (recovered) {
    m["faults.recovery_ms.max"] = recovery_max;
    m["faults.recovery_ms.mean"] = recovery_sum / recovered;
    for (const auto& [type, max] : type_max) m["faults." + type + ".recovery_ms.max"] = max;
  }
  for (const auto& [type, max] : detect_max) m["faults." + type + ".detect_ms.max"] = max;
  for (const auto& [type, max] : detect_fed_max)
    m["faults." + type + ".detect_ms_less_starvation.max"] = max;
  for (const auto& [type, max] : recovery_fed_max)
    m["faults." + type + ".recovery_ms_less_starvation.max"] = max;

  nlohmann::json faults = {{"plan", to_json(plan_)},
                           {"schedule", nlohmann::json::array()},
                           {"records", nlohmann::json::array()}};
  for (const auto& f : schedule_) faults["schedule"].push_back(to_json(f));
  for (const auto& r : records_) faults["records"].push_back(record_json(r)["fault"]);
  if (heal_) faults["heal"] = *heal_;
  result.analysis["faults"] = std::move(faults);

  stats::Chart chart{.id = "inject.uptime",
                     .title = "Guest uptime through the injected faults",
                     .x_label = "host time since spawn",
                     .x_unit = "s",
                     .y_label = "guest uptime (heartbeats)",
                     .y_unit = "s",
                     .series = {{"uptime", {}}}};
  for (const auto& [at, uptime_ms] : uptime_)
    chart.series[0].points.push_back({ms(at) / 1e3, static_cast<double>(uptime_ms) / 1e3});
  // Instantaneous faults get the time until the guest was back, so the shade is visible.
  const auto shade_end_ns = [](const FaultRecord& r) {
    return std::max(r.end_ns, r.recovered_ns.value_or(r.end_ns));
  };
  for (const FaultRecord& r : records_)
    chart.shades.push_back({ms(r.start_ns) / 1e3, ms(shade_end_ns(r)) / 1e3, fault_name(r.fault)});
  if (!result.analysis.contains("charts")) result.analysis["charts"] = nlohmann::json::array();
  // The analyzers' time series in guest time (soak) get the fault windows too, placed through
  // the host clock they carry.
  for (auto& json : result.analysis["charts"]) {
    auto other = stats::chart_from_json(json, "analysis.charts");
    if (other.host_clock.empty()) continue;
    for (const FaultRecord& r : records_) {
      const auto from = stats::x_at_host_time(other, static_cast<double>(r.start_ns) / 1e9);
      const auto to = stats::x_at_host_time(other, static_cast<double>(shade_end_ns(r)) / 1e9);
      if (from || to)
        other.shades.push_back({from.value_or(other.host_clock.front().x),
                                to.value_or(other.host_clock.back().x), fault_name(r.fault)});
    }
    json = stats::to_json(other);
  }
  result.analysis["charts"].push_back(stats::to_json(chart));
}

const std::vector<campaign::MetricInfo>& injector_metrics() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  static const std::vector<campaign::MetricInfo> metrics = {
      {"faults.scheduled", "", B::Neither, "host faults in the run's schedule"},
      {"faults.applied", "", B::Neither, "host faults applied"},
      {"faults.effective", "", B::Higher, "applied faults checked to have taken effect"},
      {"faults.recovered", "", B::Higher, "faults after which the guest was back in time"},
      // Host time by nature: QEMU is stopped, so it waits for no CPU (its run delay does not
      // grow) and there is nothing to take off; a load only makes the harness resume late.
      {"faults.paused_ms", "ms", B::Neither,
       "time the harness held the VM paused by faults: the schedule's durations plus the "
       "harness's lateness to resume, host wall time (a stopped QEMU waits for no CPU, so no "
       "starvation is in it to take off); what the harness did, not a figure of the guest",
       C::HostWall},
      {"faults.cut_markers", "", B::Neither, "markers cut short by an injected kill"},
      {"faults.recovery_ms.*", "ms", B::Lower,
       "the fault (reset, kill) or its end (pause, disk_eio) to the guest being back (max, mean)",
       C::HostWall},
      {"faults.*", "ms", B::Lower,
       "per fault type: <type>.recovery_ms.max; link and partition also <type>.detect_ms.max, "
       "the fault's start to the guest reporting it (NET:LINK down, NET:PEER lost), and "
       "<type>.detect_ms_less_starvation.max, <type>.recovery_ms_less_starvation.max: the same "
       "less the time QEMU waited for a host CPU meanwhile (its scheduler run delay)",
       C::HostWall},
      {"disk.acked_writes", "", B::Neither, "DISK:ACK markers (writes the guest acknowledged)"},
      {"disk.acked_checked", "", B::Neither,
       "acknowledged blocks checked on the image after the kills (summed over kills)"},
      {"disk.acked_lost", "", B::Lower, "acknowledged writes missing from the image after a kill"},
  };
  return metrics;
}

namespace {

struct FaultPlanConfig final : campaign::HookConfig {
  explicit FaultPlanConfig(FaultPlan p) : plan(std::move(p)) {}
  nlohmann::json to_json() const override { return inject::to_json(plan); }
  std::string host_timed() const override {
    return "faults: applied at host wall-clock times, not at guest instruction counts";
  }
  FaultPlan plan;
};

}  // namespace

campaign::RunHookInfo fault_injection_hook() {
  return {
      "faults",
      "host-side faults on a seeded schedule: pause, reset, kill and restart, disk EIO, link "
      "down, network partition (docs/inject.md)",
      injector_metrics(),
      [](const nlohmann::json& section, const std::string& origin, double scale) {
        return std::make_shared<const FaultPlanConfig>(parse_fault_plan(section, origin, scale));
      },
      // `config` is what parse above returned (the registry pairs the two).
      [](const campaign::HookConfig& config, const campaign::HookSetup& setup) {
        const FaultPlan& plan = static_cast<const FaultPlanConfig&>(config).plan;
        std::vector<ScheduledFault> schedule = make_schedule(plan, setup.seed);
        return std::make_unique<FaultInjector>(plan, setup.seed, setup.run_index,
                                               pick_disk(schedule, *setup.config), setup.journal);
      }};
}

}  // namespace osh::inject
