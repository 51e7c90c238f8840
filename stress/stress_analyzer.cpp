#include "stress/stress_analyzer.h"

#include <algorithm>
#include <string>

#include "harness/stats/quantile.h"

namespace osh::stress {
namespace {

using analysis::list_endings;
using analysis::number_field;
using campaign::Verdict;
constexpr auto fmt = analysis::format_number;
// Samples a loaded level needs to take part in latency_ratio.max_step.
constexpr size_t kMinStepSamples = 3;

// Metric names allow lower-case letters, digits, '_' and '.': "2.5" becomes "2_5".
std::string level_label(double level) {
  std::string s = fmt(level);
  std::replace(s.begin(), s.end(), '.', '_');
  std::replace(s.begin(), s.end(), '-', 'm');
  return s;
}

struct LevelFigures {
  double p50 = 0, p99 = 0, max = 0;
};

LevelFigures figures(const StressAnalyzer::Level& l) {
  return {stats::quantile(l.samples, 0.50), stats::quantile(l.samples, 0.99),
          *std::max_element(l.samples.begin(), l.samples.end())};
}

}  // namespace

StressAnalyzer::StressAnalyzer(StressOptions options)
    : options_(options), silence_(options.unresponsive_ms) {}

StressAnalyzer::Level& StressAnalyzer::level_for(double value) {
  for (auto& l : levels_)
    if (l.level == value) return l;
  levels_.push_back({value, level_label(value)});
  return levels_.back();
}

void StressAnalyzer::on_marker(const marker::MarkerEvent& event) {
  if (event.is("SYS", "HEARTBEAT")) {
    if (auto uptime = number_field(event, 0)) silence_.heartbeat(static_cast<uint64_t>(*uptime));
    return;
  }
  if (auto ending = analysis::process_ending(event)) {
    if (ending->crashed || ending->why == "out_of_memory") {
      endings_.push_back(std::move(*ending));
    } else {
      ++other_kills_;  // a load removed at the end of its level, or a limit enforced on it
    }
    return;
  }
  if (event.category != "STRESS") return;
  if (event.event == "START") {
    if (!event.fields.empty()) type_ = std::string(event.fields[0].text);
    target_level_ = number_field(event, 1);
  } else if (event.event == "LOAD_APPLIED") {
    const auto value = number_field(event, 0);
    if (!value) return;
    Level& l = level_for(*value);
    if (auto cpu = number_field(event, 1)) l.cpu_pct = cpu;
    if (auto mem = number_field(event, 2)) l.mem_pct = mem;
    current_ = static_cast<size_t>(&l - levels_.data());
    silence_.open("load level " + fmt(*value));
  } else if (event.event == "LATENCY_SAMPLE") {
    const auto us = number_field(event, 0);
    if (current_ && us) {
      levels_[*current_].samples.push_back(*us);
      silence_.sign();
    } else {
      ++samples_outside_levels_;
    }
  } else if (event.event == "DEGRADATION") {
    const auto value = number_field(event, 0);
    if (!value) return;
    level_for(*value).guest_ratio = number_field(event, 1);
    // The level's measurement is over: the generators may take their time to reach the next.
    silence_.close();
  } else if (event.event == "DISK") {
    const auto value = number_field(event, 0);
    const auto iops = number_field(event, 1), verified = number_field(event, 2),
               errors = number_field(event, 3);
    if (!value || !iops || !verified || !errors) return;
    auto& disk = level_for(*value).disk;
    if (!disk) disk = Disk{};
    disk->iops = *iops;  // the latest figure of the level
    disk->verified += *verified;
    disk->errors += *errors;
  } else if (event.event == "CORRUPTION") {
    if (corruptions_++ == 0 && event.fields.size() >= 2)
      first_corruption_ =
          "block " + std::string(event.fields[0].text) + ": " + std::string(event.fields[1].text);
  } else if (event.event == "DISK_VERIFY") {
    const auto blocks = number_field(event, 0), errors = number_field(event, 1);
    if (blocks && errors) final_verify_ = Disk{0, *blocks - *errors, *errors};
  } else if (event.event == "IO_ERROR") {
    ++io_errors_;
  } else if (event.event == "ERROR") {
    setup_errors_.emplace_back(event.fields.empty() ? "" : event.fields[0].text);
  } else if (event.event == "COMPLETE" && !event.fields.empty()) {
    complete_pass_ = event.fields[0].text == "pass";
    silence_.close();
  }
}

void StressAnalyzer::finish(campaign::RunResult& result) {
  auto& m = result.metrics;
  std::vector<const Level*> sorted;
  for (const auto& l : levels_) sorted.push_back(&l);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Level* a, const Level* b) { return a->level < b->level; });
  // The unloaded reference: level 0 when the guest measured one, else the lightest level.
  const Level* baseline = nullptr;
  for (const auto* l : sorted)
    if (!l->samples.empty()) {
      baseline = l;
      break;
    }

  m["levels"] = static_cast<double>(levels_.size());
  m["samples.outside_levels"] = static_cast<double>(samples_outside_levels_);
  m["unresponsive_ms.max"] = static_cast<double>(silence_.longest_ms());
  m["processes.crashed_or_oom"] = static_cast<double>(endings_.size());
  m["processes.killed_other"] = static_cast<double>(other_kills_);
  double disk_errors = final_verify_ ? final_verify_->errors : 0;
  double disk_verified = final_verify_ ? final_verify_->verified : 0;
  nlohmann::json per_level = nlohmann::json::array();
  std::optional<double> worst_p99, worst_ratio_p99, max_step, max_sample, min_iops;
  // The highest median of the loaded levels so far, each with enough samples: what a step is
  // taken from.
  std::optional<double> anchor;
  std::vector<double> thin_levels;  // too few samples for a step
  for (const auto* l : sorted) {
    const std::string at = ".level" + l->label;
    m["samples" + at] = static_cast<double>(l->samples.size());
    if (l->cpu_pct) m["cpu_pct" + at] = *l->cpu_pct;
    if (l->mem_pct) m["mem_pct" + at] = *l->mem_pct;
    if (l->disk) {
      m["disk_iops" + at] = l->disk->iops;
      disk_errors += l->disk->errors;
      disk_verified += l->disk->verified;
      min_iops = std::min(min_iops.value_or(l->disk->iops), l->disk->iops);
    }
    auto& row =
        per_level.emplace_back(nlohmann::json{{"level", l->level}, {"samples", l->samples.size()}});
    if (l->cpu_pct) row["cpu_pct"] = *l->cpu_pct;
    if (l->mem_pct) row["mem_pct"] = *l->mem_pct;
    if (l->guest_ratio) row["guest_ratio_p50"] = *l->guest_ratio / 1000;
    if (l->samples.empty()) continue;
    const auto f = figures(*l);
    row["p50_us"] = f.p50;
    row["p99_us"] = f.p99;
    m["latency_us" + at + ".p50"] = f.p50;
    m["latency_us" + at + ".p99"] = f.p99;
    m["latency_us" + at + ".max"] = f.max;
    const auto base = figures(*baseline);
    const double ratio50 = f.p50 / std::max(base.p50, options_.ratio_floor_us);
    const double ratio99 = f.p99 / std::max(base.p99, options_.ratio_floor_us);
    m["latency_ratio" + at + ".p50"] = ratio50;
    m["latency_ratio" + at + ".p99"] = ratio99;
    worst_p99 = std::max(worst_p99.value_or(f.p99), f.p99);
    worst_ratio_p99 = std::max(worst_ratio_p99.value_or(ratio99), ratio99);
    max_sample = std::max(max_sample.value_or(f.max), f.max);
    // The first step away from the unloaded level is where any load shows (a busy process
    // costs a time slice); a collapse is a jump between two loaded levels.
    // A median of one or two samples is one probe's luck (under a duty-cycled load a probe may
    // land in the idle tenth and take 50 us where its neighbours took 50 ms): such a level
    // neither makes nor anchors a step, and the analysis says it was left out.
    if (l != baseline && l->samples.size() < kMinStepSamples) {
      thin_levels.push_back(l->level);
      continue;
    }
    // Latency does not fall as the load rises: a median below an earlier level's is probe luck
    // too (in a CI run, two of level 90's three probes came in the idle tenth: 6.6 ms against
    // 33.9 ms at level 75 and 44.0 ms at level 100, a "collapse" of 6.6x). So a step is taken
    // from the highest median before it, not from the level just before.
    if (l == baseline) continue;
    if (anchor) {
      const double step = f.p50 / std::max(*anchor, options_.ratio_floor_us);
      max_step = std::max(max_step.value_or(step), step);
    }
    anchor = std::max(anchor.value_or(f.p50), f.p50);
  }
  if (worst_p99) m["latency_us.p99_worst"] = *worst_p99;
  if (max_sample) m["latency_us.max"] = *max_sample;
  if (worst_ratio_p99) m["latency_ratio.p99_worst"] = *worst_ratio_p99;
  if (max_step) m["latency_ratio.max_step"] = *max_step;
  if (min_iops) m["disk_iops.min"] = *min_iops;
  if (min_iops || final_verify_) {
    m["disk.verified"] = disk_verified;
    m["disk.verify_errors"] = disk_errors;
    m["disk.io_errors"] = static_cast<double>(io_errors_);
  }
  result.analysis["stress"] = {{"type", type_},
                               {"baseline_level", baseline ? baseline->level : 0.0},
                               {"levels", std::move(per_level)}};
  if (target_level_) result.analysis["stress"]["target_level"] = *target_level_;
  if (!thin_levels.empty()) result.analysis["stress"]["left_out_of_max_step"] = thin_levels;
  add_findings(result, sorted);
  add_charts(result, sorted, baseline);
}

void StressAnalyzer::add_findings(campaign::RunResult& result,
                                  const std::vector<const Level*>& sorted) const {
  auto& f = result.findings;
  if (levels_.empty()) {
    f.push_back({Verdict::Fail, "no STRESS:LOAD_APPLIED marker: no load level was applied",
                 "FAIL stress no-load"});
  }
  for (const auto* l : sorted)
    if (l->samples.empty())
      f.push_back({Verdict::Fail,
                   "no STRESS:LATENCY_SAMPLE at load level " + fmt(l->level) +
                       ": the compositor path never answered under that load",
                   "FAIL stress level-without-samples"});
  for (const auto& gap : silence_.violations())
    f.push_back({Verdict::Fail,
                 "unresponsive: no STRESS:LATENCY_SAMPLE for at least " +
                     fmt(gap.length_ms() / 1000.0) + " s of guest time under " + gap.context +
                     " (heartbeats at uptime " + std::to_string(gap.from_uptime_ms) + ".." +
                     std::to_string(gap.to_uptime_ms) + " ms; limit " +
                     fmt(options_.unresponsive_ms / 1000.0) + " s)",
                 "FAIL stress unresponsive"});
  std::string corrupt;
  for (const auto* l : sorted)
    if (l->disk && l->disk->errors > 0)
      corrupt += (corrupt.empty() ? "" : ", ") + fmt(l->disk->errors) + " at load level " +
                 fmt(l->level) + " (" + fmt(l->disk->verified) + " verified)";
  if (final_verify_ && final_verify_->errors > 0)
    corrupt += (corrupt.empty() ? "" : ", ") + fmt(final_verify_->errors) +
               " in the final re-read (" + fmt(final_verify_->verified) + " verified)";
  if (corruptions_ > 0)
    corrupt += (corrupt.empty() ? "" : "; ") + std::to_string(corruptions_) +
               " STRESS:CORRUPTION marker(s), the first " + first_corruption_;
  if (!corrupt.empty())
    f.push_back({Verdict::Fail, "corruption: disk block(s) failed verification: " + corrupt,
                 "FAIL stress corruption"});
  for (const auto& why : setup_errors_)
    f.push_back(
        {Verdict::Fail, "the guest could not set up its load: " + why, "FAIL stress setup-error"});
  if (!endings_.empty()) {
    const auto& first = endings_.front();
    f.push_back(
        {Verdict::Fail,
         std::to_string(endings_.size()) +
             " process(es) crashed or ran out of memory under stress: " + list_endings(endings_),
         first.crashed ? "FAIL stress process-crashed " + first.why : "FAIL stress out-of-memory"});
  }
  if (!complete_pass_) {
    f.push_back({Verdict::Fail,
                 "the stress run did not complete: no STRESS:COMPLETE marker after " +
                     std::to_string(levels_.size()) + " load level(s)",
                 "FAIL stress incomplete"});
  } else if (!*complete_pass_) {
    f.push_back({Verdict::Fail, "the guest's own stress verdict is fail (STRESS:COMPLETE:fail)",
                 "FAIL stress guest-verdict"});
  }
}

void StressAnalyzer::add_charts(campaign::RunResult& result,
                                const std::vector<const Level*>& sorted,
                                const Level* baseline) const {
  if (!baseline) return;
  const auto base = figures(*baseline);
  stats::Chart curve, ratio, load;
  curve.id = "stress.degradation";
  curve.title = "Degradation curve: compositor latency per load level";
  ratio.id = "stress.ratio";
  ratio.title = "Latency relative to the unloaded level " + fmt(baseline->level);
  load.id = "stress.load";
  load.title = "Load measured by the guest per level";
  for (auto* c : {&curve, &ratio, &load}) {
    c->x_label = "load level" + (type_.empty() ? std::string() : " (" + type_ + ")");
  }
  curve.y_label = "latency";
  curve.y_unit = "us";
  ratio.y_label = "ratio";
  load.y_label = "load";
  load.y_unit = "%";
  curve.series = {{"p50", {}}, {"p99", {}}};
  ratio.series = {{"p50 ratio", {}}, {"p99 ratio", {}}};
  load.series = {{"cpu", {}}, {"memory", {}}};
  for (const auto* l : sorted) {
    if (l->cpu_pct) load.series[0].points.push_back({l->level, *l->cpu_pct});
    if (l->mem_pct) load.series[1].points.push_back({l->level, *l->mem_pct});
    if (l->samples.empty()) continue;
    const auto f = figures(*l);
    curve.series[0].points.push_back({l->level, f.p50});
    curve.series[1].points.push_back({l->level, f.p99});
    ratio.series[0].points.push_back(
        {l->level, f.p50 / std::max(base.p50, options_.ratio_floor_us)});
    ratio.series[1].points.push_back(
        {l->level, f.p99 / std::max(base.p99, options_.ratio_floor_us)});
  }
  for (const auto* c : {&curve, &ratio, &load}) analysis::add_chart(result.analysis, *c);
}

campaign::AnalyzerInfo stress_analyzer_info() {
  using B = campaign::MetricInfo::Better;
  using C = campaign::MetricInfo::Clock;
  return {
      "stress",
      "STRESS:* markers: latency per load level, degradation curve, responsiveness, disk "
      "verification",
      {
          {"levels", "", B::Neither, "load levels applied (distinct STRESS:LOAD_APPLIED levels)"},
          {"samples.*", "", B::Neither,
           "samples.level<L>: latency samples at level L; samples.outside_levels: before any load"},
          {"latency_us.*", "us", B::Lower,
           "latency_us.level<L>.p50/.p99/.max per level; latency_us.p99_worst (highest level p99), "
           "latency_us.max (largest sample)",
           C::Guest},
          {"latency_ratio.*", "", B::Lower,
           "latency_ratio.level<L>.p50/.p99 against the unloaded level; latency_ratio.p99_worst; "
           "latency_ratio.max_step (largest p50 ratio of a loaded level to the highest before it)"},
          {"cpu_pct.*", "%", B::Neither, "cpu_pct.level<L>: CPU busy as measured by the guest"},
          {"mem_pct.*", "%", B::Neither,
           "mem_pct.level<L>: memory in use as measured by the guest"},
          {"disk_iops.*", "ops/s", B::Higher, "disk_iops.level<L>, disk_iops.min"},
          {"disk.verified", "", B::Neither,
           "disk block reads that passed verification (levels and final re-read)"},
          {"disk.verify_errors", "", B::Lower,
           "disk blocks that failed verification (levels and final re-read)"},
          {"disk.io_errors", "", B::Lower,
           "failed disk requests, retries included (STRESS:IO_ERROR)"},
          {"unresponsive_ms.max", "ms", B::Lower,
           "longest guest time under load without a latency sample (heartbeat-measured lower "
           "bound)",
           C::Guest},
          {"processes.crashed_or_oom", "", B::Lower,
           "PROC:CRASHED and out-of-memory PROC:KILLED markers"},
          {"processes.killed_other", "", B::Neither,
           "other PROC:KILLED markers (limits enforced on load generators)"},
      },
      [](const campaign::AnalyzerSetup&) { return std::make_unique<StressAnalyzer>(); },
  };
}

}  // namespace osh::stress
