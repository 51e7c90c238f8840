#include "harness/cli/merge_command.h"

#include "harness/base/errors.h"
#include "harness/base/private_files.h"
#include "harness/campaign/journal.h"
#include "harness/campaign/merge.h"
#include "harness/cli/campaign_session.h"

namespace osh::cli {
namespace {

namespace fs = std::filesystem;

// Hard links where the shards' folders share the file system with the merged one (console logs
// and disk images can be large), a copy where they do not.
void copy_run_folder(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return;  // a run that ended before it had a folder
  make_private_directory(to.parent_path());
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::create_hard_links, ec);
  if (ec) {
    fs::remove_all(to, ec);
    fs::copy(from, to, fs::copy_options::recursive, ec);
  }
  if (ec)
    throw InfraError("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
}

}  // namespace

int merge_command(const MergeArgs& args, const campaign::Plugins& plugins) {
  std::vector<campaign::ShardJournal> shards;
  for (const auto& dir : args.shards) {
    std::error_code ec;
    if (fs::equivalent(dir, args.out, ec))
      throw UsageError("--out " + args.out.string() +
                       " is one of the folders to merge; choose a new folder");
    shards.push_back({dir, read_out_dir(dir)});
  }
  auto merged = campaign::merge_shards(shards, args.argv);
  prepare_out_dir(args.out, args.overwrite, plugins);
  make_private_directory(args.out);
  for (const auto& folder : merged.folders) copy_run_folder(folder.from, args.out / folder.to);

  campaign::Journal journal(args.out / "journal.jsonl");
  journal.append(to_json(merged.outcome.info));
  for (const auto& run : merged.outcome.runs) {
    auto record = to_json(run);
    record["record"] = "run";
    journal.append(record);
  }
  journal.append(campaign::end_record(merged.outcome.info));
  merged.outcome.out_dir = args.out;
  merged.outcome.info.report_url = args.report_url;
  report_and_summarise(merged.outcome, plugins);
  return session_exit_code(merged.outcome);
}

}  // namespace osh::cli
