#pragma once
// Standard base64 (RFC 4648, with padding), to carry binary data in JSON strings.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osh::stats {

std::string base64_encode(const std::vector<unsigned char>& bytes);
// nullopt when `text` is not canonical padded base64 (bad character, length, padding).
std::optional<std::vector<unsigned char>> base64_decode(std::string_view text);

}  // namespace osh::stats
