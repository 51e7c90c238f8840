#include "inject/fault_schedule.h"

#include <algorithm>
#include <cmath>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"

namespace osh::inject {
namespace {

constexpr std::string_view kTypeNames[] = {"pause",    "reset", "kill",
                                           "disk_eio", "link",  "partition"};

std::string known_types() {
  std::string out;
  for (const auto name : kTypeNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

FaultType read_type(const std::string& text, const JsonReader& reader, std::string_view key) {
  const auto type = fault_type_from_string(text);
  if (!type) reader.fail(key, "unknown fault type \"" + text + "\" (known: " + known_types() + ")");
  return *type;
}

double non_negative(JsonReader& reader, std::string_view key, double fallback) {
  return reader.number_in(key, non_negative_seconds()).value_or(fallback);
}

std::string read_op(JsonReader& reader, std::string_view key, const std::string& fallback,
                    bool allow_random) {
  const std::string op = reader.string(key).value_or(fallback);
  if (op != "read" && op != "write" && !(allow_random && op == "random"))
    reader.fail(key, std::string("expected \"read\", \"write\"") +
                         (allow_random ? " or \"random\"" : "") + ", got \"" + op + "\"");
  return op;
}

// splitmix64: the schedule must not depend on the standard library's generator, whose
// sequence an implementation may change, or the same seed would stop giving the same faults.
class Rng {
 public:
  // Mixed with a constant so the host's draws are not the guest's (the guest gets the same seed).
  explicit Rng(uint64_t seed) : state_(seed ^ 0x6a09e667f3bcc909ull) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [x/2, 3x/2), rounded to milliseconds so that the schedule prints exactly.
  double around(double x) {
    const double unit = static_cast<double>(next() >> 11) / 9007199254740992.0;
    return std::round(x * (0.5 + unit) * 1000) / 1000;
  }

 private:
  uint64_t state_;
};

}  // namespace

bool has_duration(FaultType type) { return type != FaultType::Reset && type != FaultType::Kill; }

std::string_view to_string(FaultType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<FaultType> fault_type_from_string(std::string_view text) {
  for (size_t i = 0; i < std::size(kTypeNames); ++i)
    if (kTypeNames[i] == text) return static_cast<FaultType>(i);
  return std::nullopt;
}

FaultPlan parse_fault_plan(const nlohmann::json& json, const std::string& origin, double scale) {
  if (!json.is_object())
    throw InputError(origin + ": faults: expected an object, got " + describe_json(json));
  JsonReader reader(json, origin, "faults");
  FaultPlan plan;
  plan.recovery_deadline_s = non_negative(reader, "recovery_deadline_s", plan.recovery_deadline_s);
  if (!(plan.recovery_deadline_s > 0))
    reader.fail("recovery_deadline_s", "must be a positive number of seconds");
  if (const auto* list = reader.raw("list")) {
    if (!list->is_array() || list->empty())
      reader.fail("list", "expected a non-empty array of faults, got " + describe_json(*list));
    for (const char* key :
         {"types", "count", "start_s", "interval_s", "duration_s", "eio_op", "scaled"})
      if (reader.has(key))
        reader.fail(key, "belongs to a seeded schedule; a plan with \"list\" gives every fault");
    for (size_t i = 0; i < list->size(); ++i) {
      JsonReader item((*list)[i], origin, "faults.list[" + std::to_string(i) + "]");
      ScheduledFault f;
      f.id = static_cast<int>(i) + 1;
      f.type = read_type(item.required(item.string("type"), "type"), item, "type");
      f.after_s = non_negative(item, "after_s", 0);
      f.duration_s = non_negative(item, "duration_s", 0);
      if (has_duration(f.type) && !(f.duration_s > 0))
        item.fail("duration_s",
                  "a " + std::string(to_string(f.type)) + " fault needs a duration > 0");
      if (f.type == FaultType::DiskEio) {
        f.op = read_op(item, "op", "write", false);
      } else if (item.has("op")) {
        item.fail("op", "only disk_eio faults have an op");
      }
      item.reject_unknown();
      plan.list.push_back(std::move(f));
    }
  } else {
    const auto types = reader.strings("types");
    if (!types || types->empty())
      reader.fail("types", "required: the fault types to draw from (" + known_types() +
                               "), or give \"list\" instead");
    for (size_t i = 0; i < types->size(); ++i)
      plan.types.push_back(read_type((*types)[i], reader, "types[" + std::to_string(i) + "]"));
    plan.count = static_cast<int>(reader.required(reader.integer("count", 1, 100000), "count"));
    if (reader.boolean("scaled").value_or(false))
      plan.count = std::max(1, static_cast<int>(std::lround(plan.count * scale)));
    plan.start_s = non_negative(reader, "start_s", plan.start_s);
    plan.interval_s = non_negative(reader, "interval_s", plan.interval_s);
    plan.duration_s = non_negative(reader, "duration_s", plan.duration_s);
    for (const FaultType t : plan.types)
      if (has_duration(t) && !(plan.duration_s > 0))
        reader.fail("duration_s",
                    "must be > 0 when pause, disk_eio, link or partition faults are drawn");
    plan.eio_op = read_op(reader, "eio_op", plan.eio_op, true);
  }
  reader.reject_unknown();
  return plan;
}

nlohmann::json to_json(const ScheduledFault& fault) {
  nlohmann::json j = {{"id", fault.id},
                      {"type", to_string(fault.type)},
                      {"after_s", fault.after_s},
                      {"duration_s", fault.duration_s}};
  if (!fault.op.empty()) j["op"] = fault.op;
  return j;
}

nlohmann::json to_json(const FaultPlan& plan) {
  nlohmann::json j = {{"recovery_deadline_s", plan.recovery_deadline_s}};
  if (!plan.list.empty()) {
    j["list"] = nlohmann::json::array();
    for (const auto& f : plan.list) {
      auto item = to_json(f);
      item.erase("id");
      j["list"].push_back(std::move(item));
    }
    return j;
  }
  j["types"] = nlohmann::json::array();
  for (const FaultType t : plan.types) j["types"].push_back(to_string(t));
  j["count"] = plan.count;
  j["start_s"] = plan.start_s;
  j["interval_s"] = plan.interval_s;
  j["duration_s"] = plan.duration_s;
  j["eio_op"] = plan.eio_op;
  return j;
}

std::vector<ScheduledFault> make_schedule(const FaultPlan& plan, uint64_t seed) {
  if (!plan.list.empty()) return plan.list;
  Rng rng(seed);
  std::vector<ScheduledFault> schedule;
  for (int i = 0; i < plan.count; ++i) {
    ScheduledFault f;
    f.id = i + 1;
    f.type = plan.types[rng.next() % plan.types.size()];
    f.after_s = (i == 0 ? plan.start_s : 0) + rng.around(plan.interval_s);
    const double duration = rng.around(plan.duration_s);
    if (has_duration(f.type)) f.duration_s = duration;
    if (f.type == FaultType::DiskEio) {
      const bool read = plan.eio_op == "random" ? rng.next() % 2 == 0 : plan.eio_op == "read";
      f.op = read ? "read" : "write";
    }
    schedule.push_back(std::move(f));
  }
  return schedule;
}

}  // namespace osh::inject
