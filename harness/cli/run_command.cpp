#include "harness/cli/run_command.h"

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/cli/campaign_session.h"

namespace osh::cli {
namespace {

// The flags that choose the VM (backend, QEMU accelerator, libvirt URI) go into the spec's JSON
// before it is read, so that the backend reads them with the same checks as a spec file's own.
void apply_vm_flags(const RunArgs& a, nlohmann::json& guest) {
  if (a.backend) guest["backend"] = *a.backend;
  if (a.connect) guest["libvirt"]["uri"] = *a.connect;
  if (a.accel) {
    guest.erase("accel");  // the deprecated place
    guest["qemu"]["accel"] = *a.accel;
  }
}

// The ad-hoc form: the flags become a spec, checked by the same rules as a spec file.
campaign::Spec adhoc_spec(const RunArgs& a, const campaign::SpecContext& context) {
  if (!a.kernel || !a.scenario)
    throw UsageError("give spec files, or --kernel and --scenario for an ad-hoc run");
  nlohmann::json guest = {{"kernel", std::filesystem::absolute(*a.kernel).string()}};
  if (a.initrd) guest["initrd"] = std::filesystem::absolute(*a.initrd).string();
  if (a.append) guest["append"] = *a.append;
  if (a.schema) guest["schema"] = *a.schema;
  if (a.marker_prefix) guest["marker_prefix"] = *a.marker_prefix;
  if (a.ktap) guest["ktap"] = true;
  if (a.machine) guest["qemu"]["machine"] = *a.machine;
  if (a.memory) guest["memory"] = *a.memory;
  if (a.disk_mib) guest["disk"] = {{"size_mib", *a.disk_mib}};
  if (!a.qemu_args.empty()) guest["qemu"]["args"] = a.qemu_args;
  apply_vm_flags(a, guest);
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : a.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--param \"" + p + "\": expected key=value");
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  nlohmann::json timeouts = nlohmann::json::object();
  if (a.timeout_s) timeouts["deadline_s"] = *a.timeout_s;
  if (a.idle_timeout_s) timeouts["idle_s"] = *a.idle_timeout_s;
  if (a.heartbeat_timeout_s) timeouts["heartbeat_s"] = *a.heartbeat_timeout_s;
  nlohmann::json spec = {{"name", *a.scenario},     {"guest", guest},
                         {"scenario", *a.scenario}, {"params", params},
                         {"timeouts", timeouts},    {"criteria", a.criteria},
                         {"analyzers", a.analyzers}};
  if (a.seed) spec["seed"] = *a.seed;
  if (a.repeat) spec["repeat"] = *a.repeat;
  if (a.expect_exit) spec["expect"] = {{"exit_code", *a.expect_exit}};
  return campaign::parse_spec(spec, "command line", {}, context);
}

campaign::Spec spec_file(const RunArgs& args, const std::filesystem::path& path,
                         const campaign::SpecContext& context) {
  nlohmann::json json = load_json_file(path.string());
  if (json.is_object() && json.contains("guest") && json["guest"].is_object())
    apply_vm_flags(args, json["guest"]);
  auto spec = campaign::parse_spec(json, path.string(), path.parent_path(), context);
  // Flags that apply to spec files too.
  if (args.seed) spec.seed = *args.seed;
  if (args.repeat) spec.repeat = *args.repeat;
  if (args.timeout_s) spec.timeouts.deadline_s = *args.timeout_s;
  if (args.idle_timeout_s) spec.timeouts.idle_s = *args.idle_timeout_s;
  if (args.heartbeat_timeout_s) spec.timeouts.heartbeat_s = *args.heartbeat_timeout_s;
  return spec;
}

}  // namespace

int run_command(const RunArgs& args, const campaign::Plugins& plugins) {
  const auto context = spec_context(plugins);
  std::vector<campaign::Spec> specs;
  if (args.specs.empty()) {
    specs.push_back(adhoc_spec(args, context));
  } else {
    if (args.kernel || args.scenario || !args.params.empty() || args.initrd || args.append ||
        args.schema || args.marker_prefix || args.ktap)
      throw UsageError(
          "--kernel, --scenario, --param, --initrd, --append, --schema, --prefix and --ktap make "
          "an ad-hoc spec; do not mix them with spec files");
    for (const auto& path : args.specs) specs.push_back(spec_file(args, path, context));
  }
  print_spec_warnings(specs);
  const auto shard = args.shard ? campaign::parse_shard(*args.shard) : campaign::Shard{};
  const auto out =
      args.out ? *args.out : default_out_dir(specs.size() == 1 ? specs[0].name : "campaign");
  prepare_out_dir(out, args.overwrite, plugins);
  const auto outcome =
      run_session(specs, out, {args.jobs, args.reruns, args.quiet, args.argv, shard}, plugins);
  return session_exit_code(outcome);
}

}  // namespace osh::cli
