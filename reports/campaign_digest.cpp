#include "reports/campaign_digest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/campaign/analyzer.h"
#include "harness/campaign/crash_detector.h"
#include "harness/stats/quantile.h"
#include "reports/report_format.h"

namespace osh::reports {
namespace {

using campaign::RunResult;
using campaign::Verdict;

constexpr size_t kFramesInKey = 3;

std::vector<std::string> top_frames(const RunResult& r) {
  std::vector<std::string> frames;
  if (!r.crash) return frames;
  for (const auto& f : r.crash->frames) {
    if (f.symbol.empty()) continue;
    frames.push_back(campaign::function_of(f.symbol));
    if (frames.size() == kFramesInKey) break;
  }
  return frames;
}

}  // namespace

double percentile(const std::vector<double>& sorted, double percent) {
  return sorted[stats::nearest_rank(percent, sorted.size()) - 1];
}

std::vector<FailureGroup> failure_groups(const campaign::CampaignOutcome& outcome) {
  std::vector<FailureGroup> groups;
  std::map<std::string, size_t> by_key;
  for (const auto& r : outcome.runs) {
    if (r.verdict == Verdict::Pass) continue;
    auto frames = top_frames(r);
    std::string key =
        r.signature.empty() ? std::string(campaign::to_string(r.verdict)) : r.signature;
    for (size_t i = 0; i < frames.size(); ++i) key += (i ? " < " : " | ") + frames[i];
    auto [it, fresh] = by_key.emplace(key, groups.size());
    if (fresh) {
      FailureGroup g;
      g.key = key;
      g.signature = r.signature;
      g.frames = std::move(frames);
      g.verdict = r.verdict;
      g.reason = r.reason;
      groups.push_back(std::move(g));
    }
    groups[it->second].runs.push_back(&r);
  }
  // outcome.runs are in index order, and so are each group's runs.
  for (auto& g : groups) {
    for (const auto* r : g.runs)
      if (!r->repro_bundle.empty()) {
        g.repro_command = "osharness repro " + (outcome.out_dir / r->repro_bundle).string();
        break;
      }
  }
  std::stable_sort(groups.begin(), groups.end(), [](const FailureGroup& a, const FailureGroup& b) {
    return a.runs.size() != b.runs.size() ? a.runs.size() > b.runs.size()
                                          : a.runs.front()->index < b.runs.front()->index;
  });
  return groups;
}

std::vector<SpecRuns> runs_by_spec(const campaign::CampaignOutcome& outcome) {
  std::vector<SpecRuns> specs;
  std::map<std::string, size_t> at;
  for (const auto& r : outcome.runs) {
    const auto [it, fresh] = at.emplace(r.name, specs.size());
    if (fresh) specs.push_back({r.name, {}});
    specs[it->second].second.push_back(&r);
  }
  return specs;
}

std::vector<std::string> key_metrics(const std::vector<const RunResult*>& runs) {
  std::vector<std::string> metrics{"boot_ms"};
  for (const auto* r : runs)
    for (const auto& c : r->criteria)
      if (std::find(metrics.begin(), metrics.end(), c.metric) == metrics.end())
        metrics.push_back(c.metric);
  return metrics;
}

std::optional<double> metric_value(const RunResult& r, const std::string& metric) {
  if (metric == "boot_ms") return r.boot_ms;
  if (metric == "duration_ms") return r.duration_ms;
  if (const auto it = r.metrics.find(metric); it != r.metrics.end() && std::isfinite(it->second))
    return it->second;
  return std::nullopt;
}

std::string metric_unit(const std::string& metric) {
  for (const auto& info : campaign::base_metrics())
    if (campaign::metric_matches(info, metric)) return info.unit;
  return "";
}

std::vector<SpecDigest> spec_digests(const campaign::CampaignOutcome& outcome) {
  std::vector<SpecDigest> specs;
  for (const auto& [name, runs] : runs_by_spec(outcome)) {
    SpecDigest s{.name = name, .runs = runs.size()};
    std::map<Verdict, size_t> counts;
    for (const auto* r : runs) ++counts[r->verdict];
    s.passed = counts[Verdict::Pass];
    for (const auto& [v, n] : counts)
      if (n) s.by_verdict.emplace_back(v, n);
    for (const auto& metric : key_metrics(runs)) {
      std::vector<double> values;
      for (const auto* r : runs)
        if (const auto v = metric_value(*r, metric)) values.push_back(*v);
      if (values.empty()) continue;
      std::sort(values.begin(), values.end());
      s.figures.push_back({metric, values.size(), percentile(values, 50), percentile(values, 99)});
    }
    specs.push_back(std::move(s));
  }
  return specs;
}

std::string verdict_tally(const std::vector<std::pair<Verdict, size_t>>& counts) {
  std::string s;
  for (const auto& [v, n] : counts)
    s += (s.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(campaign::to_string(v));
  return s;
}

campaign::ReportTable failure_group_table(const std::vector<FailureGroup>& groups,
                                          size_t max_seeds_listed) {
  campaign::ReportTable t{
      "",
      {"runs", "signature", "reason (first run)", "first run", "last run", "seeds", "reproduce"},
      {true, false, false, false, false, false, false},
      {}};
  for (const auto& g : groups) {
    std::string seeds;
    for (size_t i = 0; i < g.runs.size() && i < max_seeds_listed; ++i)
      seeds += (i ? ", " : "") + std::to_string(g.runs[i]->seed);
    if (g.runs.size() > max_seeds_listed) seeds += ", …";
    const auto run_id = [](const RunResult* r) {
      return "#" + std::to_string(r->index) + " " + r->name;
    };
    t.rows.push_back({std::to_string(g.runs.size()), g.key, g.reason, run_id(g.runs.front()),
                      run_id(g.runs.back()), seeds, g.repro_command});
  }
  return t;
}

campaign::ReportTable spec_table(const std::vector<SpecDigest>& specs) {
  campaign::ReportTable t{"",
                          {"spec", "runs", "pass rate", "verdicts", "key figures (p50 / p99)"},
                          {false, true, true, false, false},
                          {}};
  for (const auto& s : specs) {
    std::string figures;
    for (const auto& f : s.figures)
      figures +=
          (figures.empty() ? "" : "; ") + f.metric + " " + number(f.p50) + " / " + number(f.p99);
    t.rows.push_back(
        {s.name, std::to_string(s.runs),
         fixed(100.0 * static_cast<double>(s.passed) / static_cast<double>(s.runs), 1) + " %",
         verdict_tally(s.by_verdict), figures});
  }
  return t;
}

}  // namespace osh::reports
