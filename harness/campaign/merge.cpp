#include "harness/campaign/merge.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "harness/base/errors.h"
#include "harness/base/escape.h"

namespace osh::campaign {
namespace {

using nlohmann::json;

// The end of the warning that names missing shards. A merged campaign merged again with its
// missing shards says afresh what is still missing, so the old warning is not carried over.
constexpr std::string_view kNotMerged =
    " not merged: their runs are not in this campaign (merge their output folders with this one "
    "to complete it)";

struct SpecEntry {
  std::string name;
  int repeat = 0;
  json spec;
  int first_index = 0;  // of its first run, in that journal's campaign
};

std::string journal_of(const ShardJournal& s) { return (s.dir / "journal.jsonl").string(); }

// The specs of a shard's campaign record, in its order, with the index of each one's first run.
std::vector<SpecEntry> spec_entries(const ShardJournal& s) {
  const json& identity = s.outcome.info.identity;
  if (!identity.is_object() || !identity.contains("specs"))
    throw InputError(journal_of(s) +
                     ": its campaign record does not say which specs the campaign " +
                     "has (written by osharness " + s.outcome.info.harness_version +
                     ", before shards could be merged); rerun it with this osharness");
  std::vector<SpecEntry> entries;
  int index = 0;
  try {
    for (const json& e : identity.at("specs")) {
      SpecEntry entry{e.at("name").get<std::string>(), e.at("repeat").get<int>(), e.at("spec"),
                      index};
      if (entry.repeat < 0) throw std::out_of_range("negative repeat");
      index += entry.repeat;
      entries.push_back(std::move(entry));
    }
  } catch (const std::exception& e) {
    throw InputError(journal_of(s) + ": malformed campaign identity (" + e.what() + ")");
  }
  return entries;
}

struct Shards {
  int count = 1;
  std::vector<int> covered;
};

Shards shards_of(const ShardJournal& s) {
  try {
    const json& shards = s.outcome.info.identity.at("shards");
    Shards out{shards.at("count").get<int>(), shards.at("covered").get<std::vector<int>>()};
    for (int c : out.covered)
      if (c < 1 || c > out.count) throw std::out_of_range("shard " + std::to_string(c));
    return out;
  } catch (const std::exception& e) {
    throw InputError(journal_of(s) + ": malformed shard list in its campaign identity (" +
                     e.what() + ")");
  }
}

std::string shard_list(const std::vector<int>& shards, int count) {
  std::string text;
  for (int c : shards)
    text += (text.empty() ? "" : ", ") + std::to_string(c) + "/" + std::to_string(count);
  return text;
}

// A value of a spec for a message: short, and escaped (a journal is the user's file).
std::string shown(const json& spec, const json::json_pointer& where) {
  if (!spec.contains(where)) return "absent";
  std::string text = spec.at(where).dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return escape_text(text);
}

// Says where two different specs first differ.
std::string first_difference(const json& a, const std::string& name_a, const json& b,
                             const std::string& name_b) {
  const json patch = json::diff(a, b);
  const json::json_pointer where(patch.at(0).at("path").get<std::string>());
  return where.to_string() + " is " + shown(a, where) + " in " + name_a + " and " +
         shown(b, where) + " in " + name_b;
}

void check_same_campaign(const ShardJournal& first, const std::vector<SpecEntry>& first_specs,
                         const ShardJournal& s, const std::vector<SpecEntry>& specs) {
  const std::string pair = first.dir.string() + " and " + s.dir.string();
  if (s.outcome.info.harness_version != first.outcome.info.harness_version)
    throw InputError(pair + " were run by different osharness versions (" +
                     first.outcome.info.harness_version + " and " + s.outcome.info.harness_version +
                     "): the shards of a campaign must run one osharness, built from one commit");
  std::map<std::string, const SpecEntry*> theirs;
  for (const auto& e : specs) theirs[e.name] = &e;
  for (const auto& mine : first_specs) {
    const auto it = theirs.find(mine.name);
    if (it == theirs.end())
      throw InputError(pair + " are not shards of one campaign: spec \"" + escape_text(mine.name) +
                       "\" is only in " + first.dir.string());
    if (it->second->spec != mine.spec)
      throw InputError(
          pair + " are not shards of one campaign: spec \"" + escape_text(mine.name) +
          "\" differs (" +
          first_difference(mine.spec, first.dir.string(), it->second->spec, s.dir.string()) + ")");
    theirs.erase(it);
  }
  if (!theirs.empty())
    throw InputError(pair + " are not shards of one campaign: spec \"" +
                     escape_text(theirs.begin()->first) + "\" is only in " + s.dir.string());
}

// "runs/003-hello-s1/console.log" -> "runs/003-hello-s1"; InputError for a path that leaves
// the output folder's runs/ (the journal is the user's file, and the folder is copied).
std::filesystem::path run_folder_of(const std::string& artefact, const ShardJournal& s,
                                    const RunResult& r) {
  const std::filesystem::path p(artefact);
  auto it = p.begin();
  const bool ok = it != p.end() && *it == "runs" && ++it != p.end() && *it != "." && *it != ".." &&
                  std::none_of(p.begin(), p.end(), [](const auto& c) { return c == ".."; });
  if (!ok)
    throw InputError(journal_of(s) + ": run #" + std::to_string(r.index) + " names artefact \"" +
                     escape_text(artefact) + "\" outside runs/<run>/ of its output folder");
  return std::filesystem::path("runs") / *it;
}

// The same folder name with the run's new index: "003-hello-s1" -> "007-hello-s1".
std::filesystem::path renumbered(const std::filesystem::path& folder, int index) {
  const std::string name = folder.filename().string();
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%03d-", index);
  const auto dash = name.find('-');
  return folder.parent_path() /
         (prefix + (dash == std::string::npos ? name : name.substr(dash + 1)));
}

std::string moved(const std::string& artefact, const std::filesystem::path& from,
                  const std::filesystem::path& to) {
  if (artefact.empty()) return artefact;
  return (to / std::filesystem::path(artefact).lexically_relative(from)).string();
}

}  // namespace

MergedCampaign merge_shards(const std::vector<ShardJournal>& shards,
                            const std::vector<std::string>& command) {
  if (shards.empty()) throw UsageError("merge needs the output folder of at least one shard");
  const ShardJournal& first = shards.front();
  const auto first_specs = spec_entries(first);
  const int count = shards_of(first).count;
  std::map<std::string, int> new_offset;
  for (const auto& e : first_specs) new_offset[e.name] = e.first_index;

  MergedCampaign merged;
  CampaignInfo& info = merged.outcome.info;
  info.harness_version = first.outcome.info.harness_version;
  info.command = command;
  info.specs = first.outcome.info.specs;
  info.started_unix_ms = INT64_MAX;
  std::set<std::string> hosts;
  std::map<int, std::filesystem::path> covered;  // shard -> the folder that has it
  std::map<std::pair<std::string, int>, std::filesystem::path> seen;  // (spec, repeat) -> folder

  for (const ShardJournal& s : shards) {
    if (!s.outcome.info.incomplete.empty())
      throw InputError(s.dir.string() + " holds an incomplete shard (" +
                       s.outcome.info.incomplete.front() + "): finish it with `osharness run " +
                       "--resume " + s.dir.string() + "`, then merge");
    const auto specs = spec_entries(s);
    check_same_campaign(first, first_specs, s, specs);
    const Shards these = shards_of(s);
    if (these.count != count)
      throw InputError(first.dir.string() + " and " + s.dir.string() +
                       " split the campaign differently (into " + std::to_string(count) + " and " +
                       std::to_string(these.count) +
                       " shards): merge shards of one split, run with the same --shard i/n");
    for (int c : these.covered) {
      const auto [it, fresh] = covered.emplace(c, s.dir);
      if (!fresh)
        throw InputError(it->second.string() + " and " + s.dir.string() + " both hold shard " +
                         std::to_string(c) + "/" + std::to_string(count) +
                         " (overlapping runs): give each shard once");
    }
    info.started_unix_ms = std::min(info.started_unix_ms, s.outcome.info.started_unix_ms);
    info.finished_unix_ms = std::max(info.finished_unix_ms, s.outcome.info.finished_unix_ms);
    info.interrupted |= s.outcome.info.interrupted;
    if (!s.outcome.info.host.empty()) hosts.insert(s.outcome.info.host);
    for (const auto& w : s.outcome.info.warnings)
      if (!w.ends_with(kNotMerged)) info.warnings.push_back(s.dir.string() + ": " + w);

    for (const RunResult& r : s.outcome.runs) {
      const auto spec = std::find_if(specs.begin(), specs.end(), [&](const SpecEntry& e) {
        return r.index >= e.first_index && r.index < e.first_index + e.repeat;
      });
      if (spec == specs.end() || spec->name != r.name)
        throw InputError(journal_of(s) + ": run #" + std::to_string(r.index) + " (\"" +
                         escape_text(r.name) +
                         "\") is not a run of the campaign its journal describes");
      const int repeat = r.index - spec->first_index;
      const auto [it, fresh] = seen.emplace(std::pair(r.name, repeat), s.dir);
      if (!fresh)
        throw InputError(it->second.string() + " and " + s.dir.string() + " both hold run " +
                         std::to_string(repeat) + " of spec \"" + escape_text(r.name) +
                         "\" (overlapping runs): give each shard once");
      RunResult run = r;
      run.index = new_offset.at(r.name) + repeat;
      run.repeat = repeat;
      run.repeats = spec->repeat;
      if (!r.console_log.empty()) {
        const auto folder = run_folder_of(r.console_log, s, r);
        if (!r.repro_bundle.empty() && run_folder_of(r.repro_bundle, s, r) != folder)
          throw InputError(journal_of(s) + ": run #" + std::to_string(r.index) +
                           " keeps its console log and repro bundle in different folders");
        const auto to = renumbered(folder, run.index);
        run.console_log = moved(r.console_log, folder, to);
        run.repro_bundle = moved(r.repro_bundle, folder, to);
        merged.folders.push_back({s.dir / folder, to});
      }
      merged.outcome.runs.push_back(std::move(run));
    }
  }

  std::vector<int> all;
  std::vector<int> missing;
  for (int c = 1; c <= count; ++c) (covered.count(c) ? all : missing).push_back(c);
  if (!missing.empty())
    info.warnings.push_back("shard" + std::string(missing.size() > 1 ? "s " : " ") +
                            shard_list(missing, count) + std::string(kNotMerged));
  for (const auto& h : hosts) info.host += (info.host.empty() ? "" : ", ") + h;
  info.identity = {{"shards", {{"count", count}, {"covered", all}}},
                   {"specs", first.outcome.info.identity.at("specs")}};
  info.finished = true;
  std::sort(merged.outcome.runs.begin(), merged.outcome.runs.end(),
            [](const RunResult& a, const RunResult& b) { return a.index < b.index; });
  return merged;
}

}  // namespace osh::campaign
