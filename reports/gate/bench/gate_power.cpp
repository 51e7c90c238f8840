// gate_power: how often the gate catches a slowdown, and how often it cries wolf, on simulated
// latency campaigns (reports/gate/sim) — the statistical power behind docs/statistics.md and
// the simulated acceptance figures in docs/performance.md. Prints a Markdown table.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <vector>

#include "reports/gate/sim/acceptance.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Simulated acceptance of `osharness gate`: per configuration, blocks of one "
      "baseline campaign, ten campaigns with the slowdown and ten without."};
  std::vector<int> runs = {5, 10, 20};
  std::vector<double> run_cvs = {0.01, 0.02, 0.03, 0.05};
  int blocks = 20;
  int samples = 2000;
  double slowdown = 0.10, confidence = 0.95;
  uint64_t seed = 1;
  app.add_option("--runs", runs, "Runs per campaign (several allowed)");
  app.add_option("--run-cv", run_cvs, "Run-to-run noise, lognormal sigma (several allowed)");
  app.add_option("--blocks", blocks, "Repetitions of the 1 + 10 + 10 protocol")
      ->check(CLI::PositiveNumber);
  app.add_option("--samples", samples, "Operations per run")->check(CLI::PositiveNumber);
  app.add_option("--slowdown", slowdown, "The knob: 0.10 is 10% slower");
  app.add_option("--confidence", confidence, "Confidence of the gate")
      ->check(CLI::Range(0.5, 0.999));
  app.add_option("--seed", seed, "Seed of the simulation");
  CLI11_PARSE(app, argc, argv);

  std::printf(
      "| runs/campaign | run-to-run noise | slow flagged | fewest in a block of 10 | "
      "clean flagged | most in a block of 10 |\n|---|---|---|---|---|---|\n");
  for (const int n : runs) {
    for (const double cv : run_cvs) {
      const auto c = osh::gate::sim::run_acceptance(
          {.run_cv = cv, .samples_per_run = samples, .slowdown = slowdown}, n, blocks, seed,
          confidence);
      std::printf("| %d | %.0f%% | %d / %d | %d | %d / %d | %d |\n", n, cv * 100, c.flagged_slow,
                  10 * blocks, c.worst_block_slow, c.flagged_clean, 10 * blocks,
                  c.worst_block_clean);
      std::fflush(stdout);
    }
  }
  return 0;
}
