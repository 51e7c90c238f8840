#pragma once
#include <filesystem>
#include <string>
#include <string_view>

namespace osh {

// Lower-case hex SHA-256 of a file's contents (OpenSSL). InputError when unreadable.
std::string sha256_file(const std::filesystem::path& path);
// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace osh
