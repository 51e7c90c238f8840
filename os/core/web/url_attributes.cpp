#include "os/core/web/url_attributes.h"

#include "os/core/web/percent_encoding.h"

namespace rayos::web {
namespace {

constexpr StringView kNames[] = {"href",     "origin", "protocol", "username",
                                 "password", "host",   "hostname", "port",
                                 "pathname", "search", "hash",     "searchParams"};

void append_port(int32_t port, TextSink& out) {
  char digits[8];
  size_t n = 0;
  uint32_t p = static_cast<uint32_t>(port);
  do {
    digits[n++] = static_cast<char>('0' + p % 10);
    p /= 10;
  } while (p);
  while (n) out.push(digits[--n]);
}

// The origin of a URL whose scheme is special and not "file": scheme://host[:port].
void serialize_tuple_origin(const Url& url, TextSink& out) {
  out.append(url.scheme.view());
  out.append("://");
  out.append(url.host.view());
  if (url.port >= 0) {
    out.push(':');
    append_port(url.port, out);
  }
}

UrlStatus origin(const Url& url, TextSink& out) {
  const StringView scheme = url.scheme.view();
  if (scheme == "blob") {
    // A blob URL without an entry (rayos has no blob store) takes its path URL's origin.
    Url path_url;
    const UrlStatus status = parse_url(url.path.view(), nullptr, path_url);
    if (status == UrlStatus::kNeedsIdna || status == UrlStatus::kTooLong) return status;
    const StringView inner = path_url.scheme.view();
    if (status == UrlStatus::kOk && (inner == "http" || inner == "https")) {
      serialize_tuple_origin(path_url, out);
    } else {
      out.append("null");
    }
    return UrlStatus::kOk;
  }
  if (url.is_special() && scheme != "file") {
    serialize_tuple_origin(url, out);
  } else {
    out.append("null");
  }
  return UrlStatus::kOk;
}

// `value` with one leading `c` removed, if it has one.
StringView without_leading(StringView value, char c) {
  return !value.empty() && value[0] == c ? value.substr(1) : value;
}

}  // namespace

bool url_attribute_from_name(StringView name, UrlAttribute& out) {
  for (size_t i = 0; i < sizeof kNames / sizeof kNames[0]; ++i) {
    if (kNames[i] == name) {
      out = static_cast<UrlAttribute>(i);
      return true;
    }
  }
  return false;
}

StringView url_attribute_name(UrlAttribute attribute) {
  return kNames[static_cast<size_t>(attribute)];
}

void reserialize_form_urlencoded(StringView input, TextSink& out) {
  bool first = true;
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('&', start);
    if (end == StringView::npos) end = input.size();
    const StringView sequence = input.substr(start, end - start);
    start = end + 1;
    if (sequence.empty()) continue;
    const size_t eq = sequence.find('=');
    const StringView parts[2] = {sequence.substr(0, eq),
                                 eq == StringView::npos ? StringView() : sequence.substr(eq + 1)};
    if (!first) out.push('&');
    first = false;
    for (int i = 0; i < 2; ++i) {
      if (i == 1) out.push('=');
      FixedText<Url::kComponentCapacity> plus_as_space, decoded;
      for (char c : parts[i]) plus_as_space.push(c == '+' ? ' ' : c);
      percent_decode(plus_as_space.view(), decoded);
      percent_encode(decoded.view(), EncodeSet::kFormUrlencoded, out, true);
    }
  }
}

UrlStatus get_url_attribute(const Url& url, UrlAttribute attribute, TextSink& out) {
  switch (attribute) {
    case UrlAttribute::kHref:
      serialize_url(url, out);
      break;
    case UrlAttribute::kOrigin:
      return origin(url, out);
    case UrlAttribute::kProtocol:
      out.append(url.scheme.view());
      out.push(':');
      break;
    case UrlAttribute::kUsername:
      out.append(url.username.view());
      break;
    case UrlAttribute::kPassword:
      out.append(url.password.view());
      break;
    case UrlAttribute::kHost:
      out.append(url.host.view());
      if (url.host_kind != HostKind::kNull && url.port >= 0) {
        out.push(':');
        append_port(url.port, out);
      }
      break;
    case UrlAttribute::kHostname:
      out.append(url.host.view());
      break;
    case UrlAttribute::kPort:
      if (url.port >= 0) append_port(url.port, out);
      break;
    case UrlAttribute::kPathname:
      out.append(url.path.view());
      break;
    case UrlAttribute::kSearch:
      if (url.has_query && !url.query.empty()) {
        out.push('?');
        out.append(url.query.view());
      }
      break;
    case UrlAttribute::kHash:
      if (url.has_fragment && !url.fragment.empty()) {
        out.push('#');
        out.append(url.fragment.view());
      }
      break;
    case UrlAttribute::kSearchParams:
      if (url.has_query) reserialize_form_urlencoded(url.query.view(), out);
      break;
  }
  return out.overflowed() ? UrlStatus::kTooLong : UrlStatus::kOk;
}

UrlStatus set_url_attribute(Url& url, UrlAttribute attribute, StringView value) {
  // What a setter's parse says is not the setter's result: the API ignores a value the parser
  // refuses. Only what rayos cannot decide (IDNA) or hold (too long) is passed on.
  const auto settle = [](UrlStatus status) {
    return status == UrlStatus::kFailure ? UrlStatus::kOk : status;
  };
  switch (attribute) {
    case UrlAttribute::kHref: {
      Url parsed;
      const UrlStatus status = parse_url(value, nullptr, parsed);
      if (status == UrlStatus::kOk) url.copy_from(parsed);
      return status;
    }
    case UrlAttribute::kOrigin:
    case UrlAttribute::kSearchParams:
      return UrlStatus::kFailure;
    case UrlAttribute::kProtocol: {
      FixedText<Url::kComponentCapacity + 1> input;
      input.append(value);
      input.push(':');
      if (input.overflowed()) return UrlStatus::kTooLong;
      return settle(parse_url_with_override(input.view(), url, UrlState::kSchemeStart));
    }
    case UrlAttribute::kUsername:
    case UrlAttribute::kPassword: {
      if (url.cannot_have_username_password_port()) return UrlStatus::kOk;
      TextSink& target = attribute == UrlAttribute::kUsername ? url.username : url.password;
      target.clear();
      percent_encode(value, EncodeSet::kUserinfo, target);
      return target.overflowed() ? UrlStatus::kTooLong : UrlStatus::kOk;
    }
    case UrlAttribute::kHost:
    case UrlAttribute::kHostname:
      if (url.opaque_path) return UrlStatus::kOk;
      return settle(parse_url_with_override(
          value, url, attribute == UrlAttribute::kHost ? UrlState::kHost : UrlState::kHostname));
    case UrlAttribute::kPort:
      if (url.cannot_have_username_password_port()) return UrlStatus::kOk;
      if (value.empty()) {
        url.port = -1;
        return UrlStatus::kOk;
      }
      return settle(parse_url_with_override(value, url, UrlState::kPort));
    case UrlAttribute::kPathname:
      if (url.opaque_path) return UrlStatus::kOk;
      url.path.clear();
      return settle(parse_url_with_override(value, url, UrlState::kPathStart));
    case UrlAttribute::kSearch:
      url.query.clear();
      url.has_query = !value.empty();
      if (value.empty()) return UrlStatus::kOk;
      return settle(parse_url_with_override(without_leading(value, '?'), url, UrlState::kQuery));
    case UrlAttribute::kHash:
      url.fragment.clear();
      url.has_fragment = !value.empty();
      if (value.empty()) return UrlStatus::kOk;
      return settle(parse_url_with_override(without_leading(value, '#'), url, UrlState::kFragment));
  }
  return UrlStatus::kFailure;
}

}  // namespace rayos::web
