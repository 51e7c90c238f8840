#include "harness/campaign/spec.h"

#include <cmath>
#include <cstdlib>

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/campaign/determinism.h"
#include "harness/marker/grammar.h"
#include "harness/oslog/crash_table.h"

namespace osh::campaign {
namespace {

constexpr int64_t kMaxDiskMib = 64 * 1024;  // a sparse image: only what the guest writes is stored

std::string expand_variables(std::string text, const SpecContext& context,
                             const std::filesystem::path& spec_dir) {
  // A spec named without a folder (`osharness run x.json`) is in the current one.
  const std::pair<std::string, std::string> vars[] = {
      {"${bindir}", context.bindir.string()},
      {"${specdir}", spec_dir.empty() ? std::string(".") : spec_dir.string()}};
  for (const auto& [name, value] : vars)
    for (size_t pos; (pos = text.find(name)) != std::string::npos;)
      text.replace(pos, name.size(), value);
  return text;
}

std::filesystem::path resolve_path(const std::string& text, const SpecContext& context,
                                   const std::filesystem::path& spec_dir) {
  std::filesystem::path p = expand_variables(text, context, spec_dir);
  if (p.is_relative() && !spec_dir.empty()) p = spec_dir / p;
  return p.lexically_normal();
}

bool is_scenario_word(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

// A kernel command-line word may not hold spaces, quotes or control bytes.
bool is_cmdline_value(const std::string& s) {
  for (const char c : s)
    if (c <= ' ' || c == '"' || c == '\'' || c == 0x7f) return false;
  return true;
}

std::string param_value(const nlohmann::json& v, JsonReader& params, const std::string& key) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) return v.dump();
  params.fail(key, "expected a string, number or boolean, got " + describe_json(v));
}

std::string scaled(const std::string& value, double scale, JsonReader& params,
                   const std::string& key) {
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (end == value.c_str() || *end != '\0')
    params.fail(key, "listed in scaled_params but \"" + value + "\" is not a number");
  // At least 1: a scaled-down duration or count never vanishes.
  const double s = std::max(1.0, std::round(v * scale));
  return std::to_string(static_cast<uint64_t>(s));
}

const MetricInfo* find_metric(const std::string& metric, const std::vector<MetricInfo>& known) {
  for (const auto& k : known)
    if (metric_matches(k, metric)) return &k;
  return nullptr;
}

std::string join(const std::vector<MetricInfo>& metrics) {
  std::string out;
  for (const auto& m : metrics) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

void read_kernel_report_options(JsonReader& guest, GuestSpec& out) {
  out.crash_reports = guest.string("crash_reports").value_or(out.crash_reports);
  if (out.crash_reports != "none" && !oslog::CrashTable::builtin(out.crash_reports))
    guest.fail("crash_reports", "no crash table \"" + out.crash_reports + "\" (known: " +
                                    oslog::CrashTable::builtin_names() + ", or \"none\")");
  out.kernel_warnings = guest.string("kernel_warnings").value_or(out.kernel_warnings);
  if (out.kernel_warnings != "fail" && out.kernel_warnings != "crash" &&
      out.kernel_warnings != "ignore")
    guest.fail("kernel_warnings",
               "expected \"fail\", \"crash\" or \"ignore\", got \"" + out.kernel_warnings + "\"");
  out.ktap = guest.boolean("ktap").value_or(out.ktap);
}

}  // namespace

double scale_from_environment() {
  const char* text = std::getenv("OSH_SCALE");
  if (!text || !*text) return 1.0;
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (*end != '\0' || !(v > 0) || !std::isfinite(v))
    throw InputError(std::string("OSH_SCALE=\"") + text +
                     "\": expected a positive number (1 = full length, 0.01 = 1%)");
  return v;
}

Spec parse_spec(const nlohmann::json& json, const std::string& origin,
                const std::filesystem::path& spec_dir, const SpecContext& context) {
  JsonReader root(json, origin);
  // For editors and validators (schemas/spec.schema.json, docs/specs.md); osharness reads a spec
  // the same whatever it names, but it must be a string.
  root.string("$schema");
  Spec spec;
  spec.origin = origin;
  spec.name = root.required(root.string("name"), "name");
  if (!is_scenario_word(spec.name))
    root.fail("name",
              "use 1-64 letters, digits, '_' or '-' (it names files), got \"" + spec.name + "\"");
  spec.description = root.string("description").value_or("");
  spec.tags = root.strings("tags").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < spec.tags.size(); ++i)
    if (!is_scenario_word(spec.tags[i]))
      root.fail("tags[" + std::to_string(i) + "]",
                "use 1-64 letters, digits, '_' or '-', got \"" + spec.tags[i] + "\"");

  auto guest = root.object("guest");
  if (!guest) root.fail("guest", "required object is missing (it names at least the kernel)");
  spec.guest.kernel =
      resolve_path(guest->required(guest->string("kernel"), "kernel"), context, spec_dir);
  if (auto initrd = guest->string("initrd"))
    spec.guest.initrd = resolve_path(*initrd, context, spec_dir);
  spec.guest.memory = guest->string("memory").value_or(spec.guest.memory);
  if (const std::string problem = vm::memory_size_problem(spec.guest.memory); !problem.empty())
    guest->fail("memory", "\"" + spec.guest.memory + "\": " + problem);
  spec.guest.cpus = static_cast<int>(guest->integer("cpus", 1, 64).value_or(1));
  if (auto schema = guest->string("schema")) {
    spec.guest.schema = (*schema == "rayos" || *schema == "none")
                            ? *schema
                            : resolve_path(*schema, context, spec_dir).string();
  }
  spec.guest.marker_prefix = guest->string("marker_prefix").value_or(spec.guest.marker_prefix);
  if (!marker::grammar::is_prefix(spec.guest.marker_prefix))
    guest->fail("marker_prefix", "\"" + spec.guest.marker_prefix +
                                     "\" is not a marker prefix (capital letters and digits, "
                                     "starting with a letter: LNXGUEST)");
  if (spec.guest.marker_prefix != "RAYOS" && spec.guest.schema != "none")
    guest->fail("marker_prefix",
                "only schema \"none\" takes a prefix; a schema file names its own (\"prefix\")");
  spec.guest.append = guest->string("append").value_or("");
  if (guest->has("icount")) {
    spec.warnings.push_back(origin + ": " + guest->field_path("icount") + " is deprecated: write " +
                            guest->field_path("deterministic") + " instead");
    spec.guest.deterministic = *guest->boolean("icount");
  }
  spec.guest.deterministic = guest->boolean("deterministic").value_or(spec.guest.deterministic);
  spec.guest.record = guest->boolean("record").value_or(false);
  if (spec.guest.record && !spec.guest.deterministic)
    guest->fail("record",
                "record/replay runs in deterministic mode; set deterministic to true too");
  if (spec.guest.deterministic && spec.guest.cpus > 1)
    guest->fail("cpus",
                "deterministic mode counts instructions on one vCPU (QEMU's icount runs "
                "TCG on one thread); set cpus to 1 or deterministic to false");
  read_kernel_report_options(*guest, spec.guest);
  if (auto disk = guest->object("disk")) {
    spec.guest.disk_mib = static_cast<uint64_t>(
        disk->required(disk->integer("size_mib", 1, kMaxDiskMib), "size_mib"));
    disk->reject_unknown();
  }
  spec.guest.backend = guest->string("backend").value_or(spec.guest.backend);
  const auto* backend = context.plugins.backend(spec.guest.backend);
  if (!backend)
    guest->fail("backend", "unknown VM backend \"" + spec.guest.backend +
                               "\" (known: " + context.plugins.backend_names() + ")");
  std::vector<std::string> backend_warnings;
  spec.guest.backend_options = backend->parse(*guest, backend_warnings);
  for (auto& w : backend_warnings) spec.warnings.push_back(origin + ": " + w);
  guest->reject_unknown();

  spec.scenario = root.required(root.string("scenario"), "scenario");
  if (!is_scenario_word(spec.scenario))
    root.fail("scenario", "use 1-64 letters, digits, '_' or '-', got \"" + spec.scenario + "\"");

  spec.scaled_params = root.strings("scaled_params").value_or(std::vector<std::string>{});
  if (const auto* params = root.raw("params")) {
    JsonReader reader(*params, origin, "params");
    for (const auto& [key, value] : params->items()) {
      reader.raw(key);
      if (!is_scenario_word(key) || key.starts_with("osh."))
        reader.fail(key, "parameter names are letters, digits, '_' or '-' and not osh.*");
      std::string text = param_value(value, reader, key);
      if (!is_cmdline_value(text))
        reader.fail(key, "value \"" + text +
                             "\" would break the kernel command line (no spaces or quotes)");
      for (const auto& s : spec.scaled_params)
        if (s == key) text = scaled(text, context.scale, reader, key);
      spec.params.emplace_back(key, text);
    }
  }
  for (size_t i = 0; i < spec.scaled_params.size(); ++i) {
    bool found = false;
    for (const auto& [k, v] : spec.params) found = found || k == spec.scaled_params[i];
    if (!found)
      root.fail("scaled_params[" + std::to_string(i) + "]",
                "\"" + spec.scaled_params[i] + "\" is not one of the params");
  }

  if (const auto* seed = root.raw("seed")) {
    if (seed->is_string() && seed->get<std::string>() == "random") {
      spec.seed = std::nullopt;
    } else if (is_non_negative_integer(*seed)) {
      spec.seed = seed->get<uint64_t>();
    } else {
      root.fail("seed",
                "expected a non-negative integer or \"random\", got " + describe_json(*seed));
    }
  }
  spec.repeat = static_cast<int>(root.integer("repeat", 1, 100000).value_or(1));

  if (auto t = root.object("timeouts")) {
    const auto seconds = [&](const char* key, double fallback) {
      return t->number_in(key, positive_seconds()).value_or(fallback);
    };
    spec.timeouts.idle_s = seconds("idle_s", spec.timeouts.idle_s);
    spec.timeouts.heartbeat_s = seconds("heartbeat_s", spec.timeouts.heartbeat_s);
    spec.timeouts.deadline_s = seconds("deadline_s", spec.timeouts.deadline_s);
    t->reject_unknown();
  }
  // A scaled campaign gets a scaled deadline; the idle and heartbeat limits stay what they are.
  if (!spec.scaled_params.empty()) {
    const double scaled_deadline = std::max(30.0, spec.timeouts.deadline_s * context.scale);
    if (!positive_seconds().contains(scaled_deadline))
      root.fail("timeouts.deadline_s", "scaled by OSH_SCALE=" + std::to_string(context.scale) +
                                           " it is " + std::to_string(scaled_deadline) +
                                           " s; it must be " + positive_seconds().describe());
    spec.timeouts.deadline_s = scaled_deadline;
  }

  if (auto expect = root.object("expect")) {
    spec.expect_exit_code = static_cast<int>(expect->integer("exit_code", 0, 255).value_or(0));
    expect->reject_unknown();
  }
  std::vector<MetricInfo> metrics = base_metrics();
  for (const auto& hook : context.plugins.run_hooks) {
    const auto* section = root.raw(hook.name);
    if (!section) continue;
    spec.hooks.emplace_back(hook.name, hook.parse(*section, origin, context.scale));
    metrics.insert(metrics.end(), hook.metrics.begin(), hook.metrics.end());
    if (const int runs = spec.hooks.back().second->runs(); runs > 0) {
      if (root.has("repeat") && spec.repeat != runs)
        root.fail("repeat", "is " + std::to_string(spec.repeat) + " but the " + hook.name +
                                " section asks for " + std::to_string(runs) +
                                " runs: give one of the two");
      spec.repeat = runs;
    }
  }
  const auto d = determinism_of(spec);
  if (const auto why = host_timed_hooks(spec); spec.guest.record && !why.empty())
    root.fail("guest.record", "a recorded run must be deterministic, and this one cannot be (" +
                                  why + "); record without that section");
  else if (spec.guest.deterministic && !d.deterministic)
    spec.warnings.push_back(origin + ": guest.deterministic: its runs cannot be deterministic (" +
                            d.reason + "); they run under icount and are marked non-deterministic");
  spec.analyzers = root.strings("analyzers").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < spec.analyzers.size(); ++i) {
    const auto* info = context.plugins.analyzer(spec.analyzers[i]);
    if (!info)
      root.fail("analyzers[" + std::to_string(i) + "]",
                "unknown analyzer \"" + spec.analyzers[i] +
                    "\" (known: " + context.plugins.analyzer_names() + ")");
    metrics.insert(metrics.end(), info->metrics.begin(), info->metrics.end());
  }
  for (auto [field, out] : {std::pair{"criteria", &spec.criteria}, {"targets", &spec.targets}}) {
    const auto texts = root.strings(field).value_or(std::vector<std::string>{});
    for (size_t i = 0; i < texts.size(); ++i) {
      const std::string where = std::string(field) + "[" + std::to_string(i) + "]";
      auto c = parse_criterion(texts[i], origin + ": " + where);
      const MetricInfo* info = find_metric(c.metric, metrics);
      if (!info)
        root.fail(where, "no run measures \"" + c.metric +
                             "\" with these analyzers (measured: " + join(metrics) + ")");
      c.load_sensitive = clock_of(*info, c.metric) == MetricInfo::Clock::HostWall;
      out->push_back(std::move(c));
    }
  }
  root.reject_unknown();
  return spec;
}

Spec load_spec(const std::filesystem::path& path, const SpecContext& context) {
  const auto json = load_json_file(path.string());
  return parse_spec(json, path.string(), path.parent_path(), context);
}

nlohmann::json to_json(const Spec& spec) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : spec.params) params[k] = v;
  nlohmann::json criteria = nlohmann::json::array();
  for (const auto& c : spec.criteria) criteria.push_back(c.text);
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& c : spec.targets) targets.push_back(c.text);
  nlohmann::json j = {
      {"name", spec.name},
      {"guest",
       {{"kernel", spec.guest.kernel.string()},
        {"memory", spec.guest.memory},
        {"cpus", spec.guest.cpus},
        {"schema", spec.guest.schema},
        {"marker_prefix", spec.guest.marker_prefix},
        {"append", spec.guest.append},
        {"record", spec.guest.record},
        {"deterministic", spec.guest.deterministic},
        {"crash_reports", spec.guest.crash_reports},
        {"kernel_warnings", spec.guest.kernel_warnings},
        {"ktap", spec.guest.ktap},
        {"backend", spec.guest.backend}}},
      {"scenario", spec.scenario},
      {"params", params},
      {"repeat", spec.repeat},
      {"timeouts",
       {{"idle_s", spec.timeouts.idle_s},
        {"heartbeat_s", spec.timeouts.heartbeat_s},
        {"deadline_s", spec.timeouts.deadline_s}}},
      {"expect", {{"exit_code", spec.expect_exit_code}}},
      {"criteria", criteria},
      {"targets", targets},
      {"analyzers", spec.analyzers},
  };
  if (!spec.description.empty()) j["description"] = spec.description;
  if (!spec.tags.empty()) j["tags"] = spec.tags;
  if (spec.seed) j["seed"] = *spec.seed;
  if (!spec.guest.initrd.empty()) j["guest"]["initrd"] = spec.guest.initrd.string();
  if (spec.guest.disk_mib) j["guest"]["disk"] = {{"size_mib", spec.guest.disk_mib}};
  if (spec.guest.backend_options) j["guest"].update(spec.guest.backend_options->to_json());
  for (const auto& [name, config] : spec.hooks) j[name] = config->to_json();
  return j;
}

std::string schema_key(const GuestSpec& guest) {
  return guest.schema == "none" ? "none:" + guest.marker_prefix : guest.schema;
}

std::string kernel_command_line(const Spec& spec, uint64_t seed) {
  std::string line = "osh.scenario=" + spec.scenario + " osh.seed=" + std::to_string(seed);
  for (const auto& [k, v] : spec.params) line += " " + k + "=" + v;
  if (!spec.guest.append.empty()) line += " " + spec.guest.append;
  return line;
}

}  // namespace osh::campaign
