// osh_gen_console_log: writes the deterministic mixed console log of console_log_gen.h, and the
// counts a correct parser must report as JSON (--expect), for benchmarks and cross-checks.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "harness/base/errors.h"
#include "harness/marker/console_log_gen.h"

namespace {

uint64_t parse_size(const std::string& text) {
  size_t used = 0;
  const uint64_t n = std::stoull(text, &used);
  const std::string unit = text.substr(used);
  if (unit.empty()) return n;
  if (unit == "K") return n << 10;
  if (unit == "M") return n << 20;
  if (unit == "G") return n << 30;
  throw osh::UsageError("--bytes " + text + ": use a number with an optional K, M or G");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write a deterministic console log of markers and kernel-style noise"};
  std::string schema_path, out_path, expect_path, size = "100M";
  osh::marker::LogGenOptions options;
  app.add_option("--schema", schema_path, "marker schema (JSON) with a BOOT:START marker")
      ->required();
  app.add_option("--out", out_path, "log file to write")->required();
  app.add_option("--bytes", size, "size of the log, e.g. 100M")->capture_default_str();
  app.add_option("--seed", options.seed, "seed of every random choice")->capture_default_str();
  app.add_option("--marker-fraction", options.marker_fraction,
                 "share of lines that are markers, e.g. 0.75")
      ->capture_default_str();
  app.add_option("--fault-rate", options.fault_rate,
                 "lost/corrupt/malformed share of markers; 0: every marker valid")
      ->capture_default_str();
  app.add_option("--markers-per-boot", options.markers_per_boot)->capture_default_str();
  app.add_flag("--crlf", options.crlf, "end lines with CR LF");
  app.add_option("--expect", expect_path, "write the expected counts here (JSON)");
  CLI11_PARSE(app, argc, argv);
  try {
    options.bytes = parse_size(size);
    const auto schema = osh::marker::Schema::load(schema_path);
    std::ofstream out(out_path, std::ios::binary);
    if (!out) throw osh::InputError(out_path + ": cannot create the log");
    const auto result = osh::marker::generate_console_log(schema, options, out);
    out.close();
    if (!out) throw osh::InputError(out_path + ": cannot write the log");
    if (!expect_path.empty()) {
      const auto& c = result.expected;
      nlohmann::json faults = nlohmann::json::array();
      for (const auto& f : result.faults) faults.push_back({{"line", f.line_no}, {"kind", f.kind}});
      nlohmann::json markers = nlohmann::json::object();
      for (const auto& [name, n] : result.markers) markers[name] = n;
      const nlohmann::json expect = {{"counts",
                                      {{"bytes", c.bytes},
                                       {"lines", c.lines},
                                       {"markers", c.total},
                                       {"lost", c.lost},
                                       {"corrupt", c.corrupt},
                                       {"malformed", c.malformed},
                                       {"noise", c.noise_lines},
                                       {"boots", c.boots}}},
                                     {"markers", markers},
                                     {"faults", faults}};
      std::ofstream(expect_path) << expect.dump(2) << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "osh_gen_console_log: " << e.what() << "\n";
    return 65;
  }
  return 0;
}
