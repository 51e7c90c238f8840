#include "harness/vm/qemu/qemu_options.h"

namespace osh::vm::qemu {

std::string_view to_string(Accel accel) {
  switch (accel) {
    case Accel::Tcg:
      return "tcg";
    case Accel::Kvm:
      return "kvm";
  }
  return "unknown";
}

nlohmann::json QemuOptions::to_json() const {
  return {
      {"qemu", {{"machine", machine}, {"accel", accel}, {"args", args}, {"exit_port", exit_port}}}};
}

namespace {

std::string read_accel(JsonReader& reader, std::string_view key, std::string fallback) {
  std::string accel = reader.string(key).value_or(std::move(fallback));
  if (accel != "auto" && accel != "tcg" && accel != "kvm")
    reader.fail(key, "expected \"auto\", \"tcg\" or \"kvm\", got \"" + accel + "\"");
  return accel;
}

}  // namespace

QemuOptions parse_qemu_options(JsonReader& guest, std::vector<std::string>& warnings) {
  QemuOptions o;
  // Older specs: guest.machine, guest.accel, guest.qemu_args. Still read, so that no spec
  // breaks, but each one is named so that it gets moved.
  const auto legacy = [&](std::string_view key, std::string_view now) {
    if (!guest.has(key)) return false;
    warnings.push_back(guest.field_path(key) + " is deprecated: write " + guest.field_path("qemu") +
                       "." + std::string(now) + " instead");
    return true;
  };
  if (legacy("machine", "machine")) o.machine = *guest.string("machine");
  if (legacy("accel", "accel")) o.accel = read_accel(guest, "accel", o.accel);
  if (legacy("qemu_args", "args")) o.args = *guest.strings("qemu_args");

  if (auto q = guest.object("qemu")) {
    o.machine = q->string("machine").value_or(o.machine);
    if (o.machine != "microvm" && o.machine != "pc" && o.machine != "q35")
      q->fail("machine", "unknown machine \"" + o.machine + "\"; use microvm, pc or q35");
    o.accel = read_accel(*q, "accel", o.accel);
    o.args = q->strings("args").value_or(o.args);
    o.exit_port = static_cast<int>(q->integer("exit_port", 1, 0xffff).value_or(o.exit_port));
    q->reject_unknown();
  }
  return o;
}

}  // namespace osh::vm::qemu
