#include "harness/cli/run_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"
#include "harness/campaign/selection.h"
#include "harness/cli/campaign_session.h"
#include "harness/cli/plan_listing.h"

namespace osh::cli {
namespace {

// The flags that choose the VM (backend, QEMU accelerator, libvirt URI) go into the spec's JSON
// before it is read, so that the backend reads them with the same checks as a spec file's own.
void apply_vm_flags(const RunArgs& a, nlohmann::json& guest) {
  if (a.backend) guest["backend"] = *a.backend;
  if (a.connect) guest["libvirt"]["uri"] = *a.connect;
  if (a.record) guest["record"] = true;
  if (a.deterministic || a.record) {
    guest.erase("icount");  // the deprecated name
    guest["deterministic"] = true;
  }
  if (a.accel) {
    guest.erase("accel");  // the deprecated place
    guest["qemu"]["accel"] = *a.accel;
  }
}

// --param k=v as a spec's params object.
nlohmann::json param_flags(const RunArgs& a) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : a.params) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--param \"" + p + "\": expected key=value");
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return params;
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
  if (a.cpus) guest["cpus"] = *a.cpus;
  if (a.disk_mib) guest["disk"] = {{"size_mib", *a.disk_mib}};
  if (!a.qemu_args.empty()) guest["qemu"]["args"] = a.qemu_args;
  apply_vm_flags(a, guest);
  const nlohmann::json params = param_flags(a);
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
  if (std::filesystem::is_directory(path))
    throw InputError(path.string() +
                     " is a folder, not a spec file; give the campaign spec's .json file (see "
                     "docs/specs.md)");
  nlohmann::json json = load_json_file(path.string());
  if (json.is_object() && json.contains("guest") && json["guest"].is_object())
    apply_vm_flags(args, json["guest"]);
  // --param adds to (or replaces in) the spec's params, read with the same checks as its own.
  if (json.is_object() && !args.params.empty() &&
      (!json.contains("params") || json["params"].is_object()))
    json["params"].update(param_flags(args));
  auto spec = campaign::parse_spec(json, path.string(), path.parent_path(), context);
  // Flags that apply to spec files too.
  if (args.seed) spec.seed = *args.seed;
  if (args.repeat) spec.repeat = *args.repeat;
  if (args.timeout_s) spec.timeouts.deadline_s = *args.timeout_s;
  if (args.idle_timeout_s) spec.timeouts.idle_s = *args.idle_timeout_s;
  if (args.heartbeat_timeout_s) spec.timeouts.heartbeat_s = *args.heartbeat_timeout_s;
  return spec;
}

// Whether any flag would make another campaign than the one a journal planned.
bool changes_the_campaign(const RunArgs& a) {
  return !a.specs.empty() || a.kernel || a.scenario || !a.params.empty() || a.seed || a.machine ||
         a.memory || a.cpus || a.disk_mib || a.accel || a.backend || a.connect || a.timeout_s ||
         a.idle_timeout_s || a.heartbeat_timeout_s || a.expect_exit || a.repeat ||
         !a.criteria.empty() || !a.analyzers.empty() || !a.qemu_args.empty() || a.out ||
         a.overwrite || a.shard || !a.filters.empty() || a.list || a.dry_run;
}

SessionOptions session_options(const RunArgs& a, campaign::Shard shard,
                               std::optional<std::vector<campaign::PlannedRun>> runs = {}) {
  return {a.jobs,
          a.reruns,
          a.quiet,
          a.argv,
          shard,
          std::move(runs),
          campaign::parse_keep(a.keep),
          a.report_url,
          a.compress_logs};
}

// The specs of the plan in `previous`'s journal, as the campaign read them.
std::vector<campaign::Spec> plan_specs(const campaign::CampaignOutcome& previous,
                                       const campaign::Plugins& plugins) {
  const std::string journal = (previous.out_dir / "journal.jsonl").string();
  if (!previous.info.plan)
    throw InputError(journal +
                     ": no plan in its campaign record (an older osharness wrote it, or the "
                     "harness was killed before it): its runs and seeds cannot be known; run the "
                     "campaign again");
  const auto context = spec_context(plugins);
  std::vector<campaign::Spec> specs;
  const auto& planned = previous.info.plan->specs;
  for (size_t i = 0; i < planned.size(); ++i) {
    specs.push_back(campaign::parse_spec(
        planned[i], journal + ": plan.specs[" + std::to_string(i) + "]", {}, context));
    if (i < previous.info.specs.size()) specs.back().origin = previous.info.specs[i];
  }
  return specs;
}

// Whether the specs (their guest images by content) differ from those `previous` ran.
bool specs_changed(const std::vector<campaign::Spec>& specs,
                   const campaign::CampaignOutcome& previous) {
  return !previous.info.identity.is_null() &&
         campaign::campaign_identity(specs, {}).at("specs") != previous.info.identity.at("specs");
}

int resume(const RunArgs& args, const campaign::Plugins& plugins) {
  if (changes_the_campaign(args) || args.only_failed)
    throw UsageError(
        "--resume DIR finishes the campaign in DIR as its journal planned it (specs, seeds, "
        "shard): give it alone, with --jobs, --reruns or --quiet at most");
  const std::filesystem::path& dir = *args.resume;
  const auto previous = read_out_dir(dir);
  const std::string journal = (dir / "journal.jsonl").string();
  const auto specs = plan_specs(previous, plugins);
  // The guest images by content: a rebuilt kernel would make the missing runs another campaign.
  if (specs_changed(specs, previous))
    throw InputError(journal +
                     ": the campaign's guest images or specs changed since it started (their "
                     "SHA-256 or fields differ from its campaign record): resuming would mix two "
                     "campaigns; run it again into a new --out");
  if (previous.info.incomplete.empty()) {
    std::printf("osharness: %s holds a complete campaign: nothing to resume\n", dir.c_str());
    report_and_summarise(previous, plugins);
    return session_exit_code(previous);
  }
  const auto outcome = run_session(specs, dir, session_options(args, {}), plugins, &previous);
  return session_exit_code(outcome);
}

// The runs that did not pass in `previous` (and whose spec a --filter pattern matches), with
// their spec's position in `specs`, their index and seed.
std::vector<campaign::PlannedRun> failed_runs(const campaign::CampaignOutcome& previous,
                                              const std::vector<campaign::Spec>& specs,
                                              const std::vector<std::string>& filters) {
  std::map<int, size_t> spec_of;  // run index -> spec position, from the plan
  for (const auto& planned : previous.info.plan->runs) spec_of[planned.index] = planned.spec;
  std::vector<campaign::PlannedRun> runs;
  for (const auto& r : previous.runs) {
    const auto it = spec_of.find(r.index);
    if (r.verdict == campaign::Verdict::Pass || it == spec_of.end()) continue;
    const auto& spec = specs.at(it->second);
    if (!filters.empty() && std::none_of(filters.begin(), filters.end(), [&](const std::string& p) {
          return campaign::matches_filter(spec, p);
        }))
      continue;
    runs.push_back({it->second, r.index, r.seed});
  }
  return runs;
}

// --only-failed DIR: DIR's runs that did not pass, again with their seeds and indexes, as a
// campaign of DIR's specs in a new output folder. The specs' guest images are read afresh: the
// point is to see whether a rebuilt kernel fixed them.
int only_failed(const RunArgs& args, const campaign::Plugins& plugins) {
  if (!args.specs.empty() || args.kernel || args.scenario || !args.params.empty() || args.seed ||
      args.repeat || args.shard)
    throw UsageError(
        "--only-failed DIR reruns DIR's failed runs with DIR's specs and seeds: give no spec "
        "files, --kernel, --scenario, --param, --seed, --repeat or --shard with it");
  const std::filesystem::path& dir = *args.only_failed;
  const auto previous = read_out_dir(dir);
  const auto specs = plan_specs(previous, plugins);
  const auto runs = failed_runs(previous, specs, args.filters);
  if (runs.empty()) {
    std::printf("osharness: no run of %s failed%s: nothing to rerun\n",
                escape_text(dir.string()).c_str(),
                args.filters.empty() ? "" : " among the specs --filter selects");
    return 0;
  }
  if (specs_changed(specs, previous))
    std::fprintf(stderr,
                 "osharness: the guest images or specs changed since %s ran: the reruns boot "
                 "the current ones\n",
                 escape_text(dir.string()).c_str());
  if (args.list) {
    std::set<size_t> listed;
    std::vector<campaign::Spec> with_failures;
    for (const auto& r : runs)
      if (listed.insert(r.spec).second) with_failures.push_back(specs[r.spec]);
    print_spec_list(with_failures, std::cout);
    return 0;
  }
  check_guest_images(specs);
  if (args.dry_run) {
    print_dry_run(specs, runs, false, std::cout);
    return 0;
  }
  const auto out = args.out ? *args.out : default_out_dir("failed");
  prepare_out_dir(out, args.overwrite, plugins);
  const auto outcome = run_session(specs, out, session_options(args, {}, runs), plugins);
  return session_exit_code(outcome);
}

}  // namespace

int run_command(const RunArgs& args, const campaign::Plugins& plugins) {
  if (args.resume) return resume(args, plugins);
  if (args.only_failed) return only_failed(args, plugins);
  const auto context = spec_context(plugins);
  std::vector<campaign::Spec> specs;
  if (args.specs.empty()) {
    specs.push_back(adhoc_spec(args, context));
  } else {
    if (args.kernel || args.scenario || args.initrd || args.append || args.schema ||
        args.marker_prefix || args.ktap)
      throw UsageError(
          "--kernel, --scenario, --initrd, --append, --schema, --prefix and --ktap make an ad-hoc "
          "spec; do not mix them with spec files");
    for (const auto& path : args.specs) specs.push_back(spec_file(args, path, context));
  }
  const auto selection = campaign::select_specs(specs, args.filters);
  specs = selection.specs;
  for (const auto& pattern : selection.unmatched)
    std::fprintf(stderr, "osharness: warning: --filter \"%s\" matches no spec\n",
                 escape_text(pattern).c_str());
  print_spec_warnings(specs);
  if (args.list) {
    print_spec_list(specs, std::cout);
    return 0;
  }
  check_guest_images(specs);
  const auto shard = args.shard ? campaign::parse_shard(*args.shard) : campaign::Shard{};
  if (args.dry_run) {
    print_dry_run(specs, campaign::plan_campaign(specs, shard).runs, true, std::cout);
    return 0;
  }
  const auto out =
      args.out ? *args.out : default_out_dir(specs.size() == 1 ? specs[0].name : "campaign");
  prepare_out_dir(out, args.overwrite, plugins);
  const auto outcome = run_session(specs, out, session_options(args, shard), plugins);
  return session_exit_code(outcome);
}

}  // namespace osh::cli
