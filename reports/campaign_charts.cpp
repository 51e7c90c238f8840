#include "reports/campaign_charts.h"

#include <algorithm>
#include <limits>

#include "reports/json_report.h"
#include "reports/report_format.h"
#include "reports/svg_chart.h"

namespace osh::reports {

stats::Series bucket_counts(const std::vector<double>& values, int max_buckets) {
  stats::Series series{"runs", {}};
  if (values.empty()) return series;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  const AxisTicks edges = linear_ticks(*lo, *hi, max_buckets);
  const size_t buckets = edges.values.size() - 1;
  std::vector<double> counts(buckets, 0);
  for (const double v : values) {
    // upper_bound: a value on an edge belongs to the bucket that starts there.
    const auto it = std::upper_bound(edges.values.begin(), edges.values.end(), v);
    const size_t i = static_cast<size_t>(std::distance(edges.values.begin(), it));
    ++counts[std::clamp<size_t>(i, 1, buckets) - 1];
  }
  for (size_t i = 0; i < buckets; ++i) series.points.push_back({edges.values[i], counts[i]});
  return series;
}

std::vector<stats::Chart> campaign_charts(const campaign::CampaignOutcome& outcome) {
  std::vector<stats::Chart> charts;
  if (outcome.runs.empty()) return charts;

  std::vector<double> boots;
  stats::Series boot_series{"boot to BOOT:READY", {}};
  stats::Series duration_series{"run duration", {}};
  for (const auto& r : outcome.runs) {
    const double x = r.index;
    boot_series.points.push_back(
        {x, r.boot_ms ? *r.boot_ms : std::numeric_limits<double>::quiet_NaN()});
    if (r.boot_ms) boots.push_back(*r.boot_ms);
    duration_series.points.push_back({x, r.duration_ms / 1000});
  }

  if (!boots.empty()) {
    stats::Chart c;
    c.id = "campaign.boot_ms";
    c.title = "Boot time per run";
    c.x_label = "run";
    c.y_label = "spawn to BOOT:READY";
    c.y_unit = "ms";
    c.series.push_back(std::move(boot_series));
    charts.push_back(std::move(c));
  }
  if (boots.size() > 1) {
    stats::Chart c;
    c.kind = stats::Chart::Kind::Histogram;
    c.id = "campaign.boot_ms.distribution";
    c.title = "Boot time across runs";
    c.x_label = "spawn to BOOT:READY";
    c.x_unit = "ms";
    c.y_label = "runs";
    c.series.push_back(bucket_counts(boots, 20));
    if (const auto b = boot_summary(outcome))
      c.rules.push_back({b->median, "median " + fixed(b->median, 1) + " ms"});
    charts.push_back(std::move(c));
  }
  stats::Chart d;
  d.id = "campaign.duration";
  d.title = "Run duration per run";
  d.x_label = "run";
  d.y_label = "duration";
  d.y_unit = "s";
  d.series.push_back(std::move(duration_series));
  charts.push_back(std::move(d));
  return charts;
}

}  // namespace osh::reports
