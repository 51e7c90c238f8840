#pragma once
// A portable repro bundle (`osharness repro --pack BUNDLE -o FILE`, docs/trust.md): one file
// that carries a failed run's bundle with the guest images it booted (kernel, initrd, a schema
// file), its console log and its recording, so that another host reruns it with `osharness repro
// FILE`. The file is CBOR (RFC 8949): {"format": "osharness-repro-pack", "version", "bundle",
// "files": {name: bytes}}; its file names are the harness's own, never taken from the pack.
#include <filesystem>

namespace osh::campaign {

// Packs the bundle at `bundle_path` into `pack_path`. InputError when a guest image is gone or
// is no longer the image of the failure (by SHA-256): a pack carries what failed.
void pack_bundle(const std::filesystem::path& bundle_path, const std::filesystem::path& pack_path);

// Whether `path` is a pack rather than a bundle's JSON (by its first byte: a CBOR map).
bool is_pack(const std::filesystem::path& path);

// Writes the pack's files into `dir` (created 0700) under fixed names and its bundle as
// `dir`/repro.json with paths relative to `dir`; returns that bundle's path. InputError naming the
// pack when it is malformed or an image does not match its recorded SHA-256.
std::filesystem::path unpack_bundle(const std::filesystem::path& pack_path,
                                    const std::filesystem::path& dir);

}  // namespace osh::campaign
