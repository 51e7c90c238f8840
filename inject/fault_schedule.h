#pragma once
// The host-side fault schedule of a run (docs/inject.md): either drawn from the run's seed,
// Jepsen-style (a quiet interval, a fault that starts and later stops, again, then a final
// heal), or listed explicitly in the spec's "faults" object. The same plan and seed always give
// the same schedule, so a failing run's faults come back with its seed.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osh::inject {

enum class FaultType : uint8_t {
  Pause,    // QMP stop, hold for the duration, cont
  Reset,    // QMP system_reset: the guest boots again
  Kill,     // SIGKILL QEMU, then a new QEMU on the same disk image(s)
  DiskEio,  // blkdebug returns EIO for the duration, on reads or writes
  // The VM's network links down for the duration (QMP set_link), then up: seen by the guest
  // only through a NIC that reports link state (NET:LINK)
  Link,
  // Every frame to and from the VM's NICs dropped for the duration, links up: a partition from
  // its network peer, seen by the guest only as silence (NET:PEER)
  Partition,
};
// Faults that hold for a duration and then stop (pause, disk_eio, link, partition), as opposed
// to those that hit at once (reset, kill).
bool has_duration(FaultType type);
std::string_view to_string(FaultType type);
std::optional<FaultType> fault_type_from_string(std::string_view text);

struct ScheduledFault {
  int id = 0;  // 1, 2, ... in schedule order
  FaultType type = FaultType::Pause;
  // Quiet time before this fault starts, counted from the end of the previous fault (from the
  // first BOOT:READY for the first one): Jepsen's nemesis loop of sleep, start, sleep, stop.
  double after_s = 0;
  double duration_s = 0;  // pause hold and EIO window; reset and kill are instantaneous
  std::string op;         // disk_eio: "read" or "write"
};

struct FaultPlan {
  // Seeded mode: `count` faults of `types`, quiet intervals of interval_s and durations of
  // duration_s, each drawn uniformly in [x/2, 3x/2).
  std::vector<FaultType> types;
  int count = 0;
  double start_s = 1;
  double interval_s = 2;
  double duration_s = 1;
  std::string eio_op = "write";  // read | write | random
  // Explicit mode: the spec's list, used as it is (ids assigned in order).
  std::vector<ScheduledFault> list;
  // Each fault must have taken effect and the guest must be back (see docs/inject.md) within
  // this long after the fault ends.
  double recovery_deadline_s = 5;
};

// `json` is the spec's "faults" object; `scale` ($OSH_SCALE) multiplies a seeded count when the
// plan says "scaled": true (never below 1). Throws osh::InputError naming origin and field.
FaultPlan parse_fault_plan(const nlohmann::json& json, const std::string& origin, double scale);
// The plan as JSON (the applied scale included); parse_fault_plan(to_json(p), ..., 1) == p.
nlohmann::json to_json(const FaultPlan& plan);

std::vector<ScheduledFault> make_schedule(const FaultPlan& plan, uint64_t seed);
nlohmann::json to_json(const ScheduledFault& fault);

}  // namespace osh::inject
