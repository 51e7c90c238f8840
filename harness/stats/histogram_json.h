#pragma once
// The compact serialization of a Histogram in report.json (docs/statistics.md, "Serialization"):
//
//   {"digits": 3, "lowest": 1, "highest": 3600000000, "count": 2000, "min": 17, "max": 9120,
//    "clamped": 0, "counts": "<base64>"}
//
// `counts` holds the bucket counts up to the last non-empty one as zigzag LEB128 varints, a run
// of empty buckets written as one negative number (its length), in the spirit of
// HdrHistogram's V2 encoding. A few hundred occupied buckets take a few hundred bytes.
#include <nlohmann/json.hpp>
#include <string>

#include "harness/stats/histogram.h"

namespace osh::stats {

nlohmann::json to_json(const Histogram& histogram);

// Throws osh::InputError naming `origin`, the field path `path` and what is wrong, for any
// malformed or inconsistent input: the text comes from files the user gives.
Histogram histogram_from_json(const nlohmann::json& json, const std::string& origin,
                              const std::string& path);

}  // namespace osh::stats
