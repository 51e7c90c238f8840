#pragma once
// The last step of every run: from what the observers collected to one verdict (docs/specs.md,
// "Verdicts"). Pure functions of the result and the spec, so every rule is unit-tested.
#include "harness/campaign/run_result.h"
#include "harness/campaign/spec.h"

namespace osh::campaign {

// The metrics every run has (duration, marker counts, exit code).
void add_base_metrics(RunResult& result);

// A run passes only without lost, corrupt or malformed markers: one finding per kind, naming the
// first problem's line.
void add_marker_findings(RunResult& result);

// Checks the spec's criteria and targets against the run's metrics: a failed criterion is a FAIL
// finding; a failed target is one too, except when the run was under TCG (result.accel), where it
// is only recorded (CriterionResult::gating false) and named in the PASS reason.
void evaluate_criteria(const Spec& spec, RunResult& result);

// The worst verdict among the findings wins; its first finding gives the reason and signature.
void decide_verdict(RunResult& result);

// All of the above, in that order.
void judge(const Spec& spec, RunResult& result);

}  // namespace osh::campaign
