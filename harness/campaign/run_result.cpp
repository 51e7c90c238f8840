#include "harness/campaign/run_result.h"

#include <charconv>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/json_reader.h"

namespace osh::campaign {
namespace {

std::string_view to_string(marker::LineKind kind) {
  switch (kind) {
    case marker::LineKind::Noise:
      return "noise";
    case marker::LineKind::Marker:
      return "marker";
    case marker::LineKind::Malformed:
      return "malformed";
    case marker::LineKind::Corrupt:
      return "corrupt";
  }
  return "?";
}

marker::LineKind line_kind_from(const std::string& text) {
  if (text == "corrupt") return marker::LineKind::Corrupt;
  if (text == "noise") return marker::LineKind::Noise;
  if (text == "marker") return marker::LineKind::Marker;
  return marker::LineKind::Malformed;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// "0x..." as hex() writes it (absent: 0).
uint64_t hex_address(JsonReader& r, const char* key) {
  const std::string text = r.string(key).value_or("0x0");
  const bool prefixed = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const char* begin = text.data() + (prefixed ? 2 : 0);
  const char* end = text.data() + text.size();
  uint64_t value = 0;
  const auto [stop, error] = std::from_chars(begin, end, value, 16);
  if (begin == end || error != std::errc() || stop != end) {
    r.fail(key, "expected a hex address like \"0x1000\" (at most 64 bits), got \"" +
                    escape_text_truncated(text, 40) + "\"");
  }
  return value;
}

Verdict verdict_field(JsonReader& r, const char* key) {
  const auto text = r.required(r.string(key), key);
  const auto v = verdict_from_string(text);
  if (!v) r.fail(key, "unknown verdict \"" + text + "\"");
  return *v;
}

}  // namespace

nlohmann::json to_json(const RunResult& run) {
  using nlohmann::json;
  json params = json::object();
  for (const auto& [k, v] : run.params) params[k] = v;
  json findings = json::array();
  for (const auto& f : run.findings)
    findings.push_back(
        {{"verdict", to_string(f.verdict)}, {"reason", f.reason}, {"signature", f.signature}});
  json problems = json::array();
  for (const auto& p : run.problems)
    problems.push_back(
        {{"line", p.line_no}, {"kind", to_string(p.kind)}, {"reason", p.reason}, {"text", p.text}});
  json criteria = json::array();
  for (const auto& c : run.criteria) {
    criteria.push_back({{"criterion", c.text},
                        {"metric", c.metric},
                        {"value", c.value ? json(*c.value) : json(nullptr)},
                        {"bound", c.bound},
                        {"passed", c.passed},
                        {"gating", c.gating}});
    if (c.load_sensitive) criteria.back()["load_sensitive"] = true;
  }
  json tests = json::array();
  for (const auto& t : run.guest_tests) {
    tests.push_back({{"name", t.name},
                     {"verdict", to_string(t.verdict)},
                     {"reason", t.reason},
                     {"duration_ms", t.duration_ms}});
    if (t.skipped) tests.back()["skipped"] = true;
  }
  json exit = {{"how", run.exit.how},
               {"status", run.exit.status},
               {"signal", run.exit.signal},
               {"guest_exit_code",
                run.exit.guest_exit_code ? json(*run.exit.guest_exit_code) : json(nullptr)},
               {"shutdown_reason", run.exit.shutdown_reason}};
  json crash = nullptr;
  if (run.crash) {
    json frames = json::array();
    for (const auto& f : run.crash->frames)
      frames.push_back({{"index", f.index}, {"address", hex(f.address)}, {"symbol", f.symbol}});
    crash = {{"kind", run.crash->kind}, {"detail", run.crash->detail}, {"frames", frames}};
  }
  const auto& m = run.markers;
  return {
      {"index", run.index},
      {"name", run.name},
      {"repeat", run.repeat},
      {"repeats", run.repeats},
      {"scenario", run.scenario},
      {"params", params},
      {"seed", run.seed},
      {"spec", run.spec_origin},
      {"started_unix_ms", run.started_unix_ms},
      {"verdict", to_string(run.verdict)},
      {"reason", run.reason},
      {"signature", run.signature},
      {"findings", findings},
      {"boot_ms", run.boot_ms ? json(*run.boot_ms) : json(nullptr)},
      {"boot_ms_raw", run.boot_ms_raw ? json(*run.boot_ms_raw) : json(nullptr)},
      {"duration_ms", run.duration_ms},
      {"markers",
       {{"total", m.total},
        {"lost", m.lost},
        {"corrupt", m.corrupt},
        {"malformed", m.malformed},
        {"noise_lines", m.noise_lines},
        {"lines", m.lines},
        {"bytes", m.bytes},
        {"boots", m.boots}}},
      {"problems", problems},
      {"exit", exit},
      {"crash", crash},
      {"criteria", criteria},
      {"metrics", run.metrics},
      {"guest_tests", tests},
      {"analysis", run.analysis},
      {"deadline_extension_s", run.deadline_extension_s},
      {"deterministic", run.deterministic},
      {"determinism", run.determinism},
      {"accel", run.accel},
      {"accel_reason", run.accel_reason},
      {"marker_prefix", run.marker_prefix},
      {"command_line", run.command_line},
      {"console_log", run.console_log},
      {"repro_bundle", run.repro_bundle},
  };
}

RunResult run_result_from_json(const nlohmann::json& j, const std::string& origin) {
  JsonReader r(j, origin);
  RunResult run;
  run.index = static_cast<int>(r.required(r.integer("index", 0, INT32_MAX), "index"));
  run.name = r.required(r.string("name"), "name");
  // Older journals have neither: one run of its spec.
  run.repeats = static_cast<int>(r.integer("repeats", 1, INT32_MAX).value_or(1));
  run.repeat = static_cast<int>(r.integer("repeat", 0, run.repeats - 1).value_or(0));
  run.scenario = r.string("scenario").value_or("");
  if (const auto* params = r.raw("params"); params && params->is_object())
    for (const auto& [k, v] : params->items())
      run.params.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  run.seed = r.required(r.unsigned_integer("seed"), "seed");
  run.spec_origin = r.string("spec").value_or("");
  run.started_unix_ms = r.integer("started_unix_ms", 0, INT64_MAX).value_or(0);
  run.verdict = verdict_field(r, "verdict");
  run.reason = r.string("reason").value_or("");
  run.signature = r.string("signature").value_or("");
  for (JsonReader& f : r.objects("findings")) {
    run.findings.push_back({verdict_field(f, "verdict"), f.string("reason").value_or(""),
                            f.string("signature").value_or("")});
  }
  run.boot_ms = r.number("boot_ms");
  run.boot_ms_raw = r.number("boot_ms_raw");
  run.duration_ms = r.number("duration_ms").value_or(0);
  if (auto m = r.object("markers")) {
    auto& c = run.markers;
    c.total = m->unsigned_integer("total").value_or(0);
    c.lost = m->unsigned_integer("lost").value_or(0);
    c.corrupt = m->unsigned_integer("corrupt").value_or(0);
    c.malformed = m->unsigned_integer("malformed").value_or(0);
    c.noise_lines = m->unsigned_integer("noise_lines").value_or(0);
    c.lines = m->unsigned_integer("lines").value_or(0);
    c.bytes = m->unsigned_integer("bytes").value_or(0);
    c.boots = m->unsigned_integer("boots").value_or(0);
  }
  for (JsonReader& p : r.objects("problems")) {
    run.problems.push_back({p.unsigned_integer("line").value_or(0),
                            line_kind_from(p.string("kind").value_or("")),
                            p.string("reason").value_or(""), p.string("text").value_or("")});
  }
  if (auto e = r.object("exit")) {
    run.exit.how = e->string("how").value_or("");
    run.exit.status = static_cast<int>(e->integer("status", INT32_MIN, INT32_MAX).value_or(0));
    run.exit.signal = static_cast<int>(e->integer("signal", 0, 128).value_or(0));
    if (auto code = e->integer("guest_exit_code", INT32_MIN, INT32_MAX))
      run.exit.guest_exit_code = static_cast<int>(*code);
    run.exit.shutdown_reason = e->string("shutdown_reason").value_or("");
  }
  if (auto c = r.object("crash")) {
    CrashInfo crash{c->string("kind").value_or(""), c->string("detail").value_or(""), {}};
    for (JsonReader& f : c->objects("frames")) {
      crash.frames.push_back({static_cast<int>(f.integer("index", 0, INT32_MAX).value_or(0)),
                              hex_address(f, "address"), f.string("symbol").value_or("")});
    }
    run.crash = std::move(crash);
  }
  for (JsonReader& c : r.objects("criteria")) {
    run.criteria.push_back({c.string("criterion").value_or(""), c.string("metric").value_or(""),
                            c.number("value"), c.number("bound").value_or(0),
                            c.boolean("passed").value_or(false), c.boolean("gating").value_or(true),
                            c.boolean("load_sensitive").value_or(false)});
  }
  if (const auto* metrics = r.raw("metrics"); metrics && metrics->is_object())
    for (const auto& [k, v] : metrics->items())
      if (v.is_number()) run.metrics[k] = v.get<double>();
  for (JsonReader& t : r.objects("guest_tests")) {
    run.guest_tests.push_back({t.string("name").value_or(""), verdict_field(t, "verdict"),
                               t.string("reason").value_or(""), t.number("duration_ms").value_or(0),
                               t.boolean("skipped").value_or(false)});
  }
  if (const auto* analysis = r.raw("analysis")) run.analysis = *analysis;
  run.deadline_extension_s = r.number("deadline_extension_s").value_or(0);
  run.deterministic = r.boolean("deterministic").value_or(false);
  run.determinism = r.string("determinism").value_or("");
  run.accel = r.string("accel").value_or("");
  run.accel_reason = r.string("accel_reason").value_or("");
  run.marker_prefix = r.string("marker_prefix").value_or("");
  run.command_line = r.strings("command_line").value_or(std::vector<std::string>{});
  run.console_log = r.string("console_log").value_or("");
  run.repro_bundle = r.string("repro_bundle").value_or("");
  return run;
}

}  // namespace osh::campaign
