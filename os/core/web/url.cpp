#include "os/core/web/url.h"

#include "os/core/web/code_points.h"
#include "os/core/web/percent_encoding.h"

namespace rayos::web {
namespace {

constexpr uint32_t kEof = kEndOfInput;

struct SchemePort {
  StringView scheme;
  int32_t port;
};
constexpr SchemePort kSpecialSchemes[] = {{"ftp", 21},    {"file", -1}, {"http", 80},
                                          {"https", 443}, {"ws", 80},   {"wss", 443}};

bool is_windows_drive_letter(StringView s) {
  return s.size() == 2 && is_ascii_alpha(static_cast<uint8_t>(s[0])) &&
         (s[1] == ':' || s[1] == '|');
}
bool is_normalized_windows_drive_letter(StringView s) {
  return is_windows_drive_letter(s) && s[1] == ':';
}
bool is_single_dot(StringView s) { return s == "." || equals_ignoring_ascii_case(s, "%2e"); }
bool is_double_dot(StringView s) {
  return s == ".." || equals_ignoring_ascii_case(s, ".%2e") ||
         equals_ignoring_ascii_case(s, "%2e.") || equals_ignoring_ascii_case(s, "%2e%2e");
}

// The input as the parser walks it: leading and trailing C0 controls and spaces trimmed (not
// for a state override), every ASCII tab and newline skipped. Positions are byte offsets that
// never rest on a skipped byte.
class Input {
 public:
  Input(StringView text, bool trim) : text_(text) {
    size_t begin = 0, end = text.size();
    if (trim) {
      while (begin < end && is_c0_control_or_space(static_cast<uint8_t>(text[begin]))) ++begin;
      while (end > begin && is_c0_control_or_space(static_cast<uint8_t>(text[end - 1]))) --end;
    }
    text_ = text.substr(0, end);
    begin_ = skip(begin);
  }
  size_t begin() const { return begin_; }
  // The code point at `pos`, and in `after` the position of the next one.
  uint32_t at(size_t pos, size_t& after) const {
    if (pos >= text_.size()) {
      after = pos;
      return kEof;
    }
    size_t next = pos;
    const uint32_t c = decode_utf8(text_, next);
    after = skip(next);
    return c;
  }
  uint32_t at(size_t pos) const {
    size_t ignored;
    return at(pos, ignored);
  }
  // "The code point substring from pointer to the end of the input starts with a Windows drive
  // letter": two code points forming one, then the end or one of / \ ? #.
  bool starts_with_windows_drive_letter(size_t pos) const {
    size_t second, third;
    const uint32_t a = at(pos, second);
    const uint32_t b = at(second, third);
    if (!is_ascii_alpha(a) || (b != ':' && b != '|')) return false;
    const uint32_t c = at(third);
    return c == kEof || c == '/' || c == '\\' || c == '?' || c == '#';
  }

 private:
  size_t skip(size_t pos) const {
    while (pos < text_.size() && is_ascii_tab_or_newline(static_cast<uint8_t>(text_[pos]))) ++pos;
    return pos;
  }
  StringView text_;
  size_t begin_ = 0;
};

void shorten_path(Url& url) {
  if (url.scheme.view() == "file" && url.path_size() == 1 &&
      is_normalized_windows_drive_letter(url.path.view().substr(1)))
    return;
  const StringView path = url.path.view();
  size_t last = path.size();
  while (last > 0 && path[last - 1] != '/') --last;
  if (last > 0) url.path.truncate(last - 1);
}

void append_segment(Url& url, StringView segment) {
  url.path.push('/');
  url.path.append(segment);
}

void copy_text(TextSink& to, const TextSink& from) { to.assign(from.view()); }

void copy_authority(Url& url, const Url& base) {
  copy_text(url.username, base.username);
  copy_text(url.password, base.password);
  copy_text(url.host, base.host);
  url.host_kind = base.host_kind;
  url.port = base.port;
}

void copy_path(Url& url, const Url& base) {
  copy_text(url.path, base.path);
  url.opaque_path = base.opaque_path;
}

void copy_query(Url& url, const Url& base) {
  copy_text(url.query, base.query);
  url.has_query = base.has_query;
}

void begin_query(Url& url) {
  url.query.clear();
  url.has_query = true;
}
void begin_fragment(Url& url) {
  url.fragment.clear();
  url.has_fragment = true;
}

bool any_overflow(const Url& url, const TextSink& buffer) {
  return url.scheme.overflowed() || url.username.overflowed() || url.password.overflowed() ||
         url.host.overflowed() || url.path.overflowed() || url.query.overflowed() ||
         url.fragment.overflowed() || buffer.overflowed();
}

// The basic URL parser: one state machine over the input's code points, as the standard writes
// it; `next` is the pointer after c ("decrease pointer by 1" reads c again).
class Parser {
 public:
  Parser(StringView input, const Url* base, Url& url, UrlState state_override, uint32_t planted = 0)
      : input_(input, state_override == UrlState::kNone),
        base_(base),
        url_(url),
        override_(state_override),
        state_(state_override == UrlState::kNone ? UrlState::kSchemeStart : state_override),
        planted_(planted) {}

  UrlStatus run() {
    size_t pos = input_.begin();
    for (;;) {
      size_t next;
      const uint32_t c = input_.at(pos, next);
      next_ = next;
      reread_ = false;
      const Step step = dispatch(c, pos);
      if (step.done) return step.status;
      if (any_overflow(url_, buffer_)) return UrlStatus::kTooLong;
      // The end of input is read again only when a state moved the pointer back.
      if (c == kEof && !reread_) break;
      pos = next_;
    }
    return any_overflow(url_, buffer_) ? UrlStatus::kTooLong : UrlStatus::kOk;
  }

 private:
  struct Step {
    bool done;
    UrlStatus status;
  };
  static constexpr Step kContinue{false, UrlStatus::kOk};
  static constexpr Step kReturn{true, UrlStatus::kOk};  // "return" (a setter's quiet no)
  static constexpr Step kFail{true, UrlStatus::kFailure};
  static Step fail_with(UrlStatus status) { return {true, status}; }

  bool special() const { return url_.is_special(); }
  bool has_override() const { return override_ != UrlState::kNone; }
  // "Decrease pointer by 1": c is read again, by the next state.
  void again(size_t pos) { move_to(pos); }
  void move_to(size_t pos) {
    next_ = pos;
    reread_ = true;
  }
  void skip_one() { input_.at(next_, next_); }  // "increase pointer by 1"
  uint32_t remaining(size_t i = 0) const {
    size_t p = next_;
    uint32_t c = input_.at(p, p);
    for (; i > 0; --i) c = input_.at(p, p);
    return c;
  }

  Step dispatch(uint32_t c, size_t pos) {
    switch (state_) {
      case UrlState::kNone:
      case UrlState::kSchemeStart:
        return scheme_start(c, pos);
      case UrlState::kScheme:
        return scheme(c, pos);
      case UrlState::kNoScheme:
        return no_scheme(c, pos);
      case UrlState::kSpecialRelativeOrAuthority:
        if (c == '/' && remaining() == '/') {
          state_ = UrlState::kSpecialAuthorityIgnoreSlashes;
          skip_one();
        } else {
          state_ = UrlState::kRelative;
          again(pos);
        }
        return kContinue;
      case UrlState::kPathOrAuthority:
        if (c == '/') {
          state_ = UrlState::kAuthority;
          buffer_start_ = next_;
        } else {
          state_ = UrlState::kPath;
          again(pos);
        }
        return kContinue;
      case UrlState::kRelative:
        return relative(c, pos);
      case UrlState::kRelativeSlash:
        if (special() && (c == '/' || c == '\\')) {
          state_ = UrlState::kSpecialAuthorityIgnoreSlashes;
        } else if (c == '/') {
          state_ = UrlState::kAuthority;
          buffer_start_ = next_;
        } else {
          copy_authority(url_, *base_);
          state_ = UrlState::kPath;
          again(pos);
        }
        return kContinue;
      case UrlState::kSpecialAuthoritySlashes:
        state_ = UrlState::kSpecialAuthorityIgnoreSlashes;
        if (c == '/' && remaining() == '/') {
          skip_one();
        } else {
          again(pos);
        }
        return kContinue;
      case UrlState::kSpecialAuthorityIgnoreSlashes:
        if (c != '/' && c != '\\') {
          state_ = UrlState::kAuthority;
          buffer_start_ = pos;
          again(pos);
        }
        return kContinue;
      case UrlState::kAuthority:
        return authority(c);
      case UrlState::kHost:
      case UrlState::kHostname:
        return host(c, pos);
      case UrlState::kPort:
        return port(c, pos);
      case UrlState::kFile:
        return file(c, pos);
      case UrlState::kFileSlash:
        return file_slash(c, pos);
      case UrlState::kFileHost:
        return file_host(c, pos);
      case UrlState::kPathStart:
        return path_start(c, pos);
      case UrlState::kPath:
        return path(c);
      case UrlState::kOpaquePath:
        return opaque_path(c);
      case UrlState::kQuery:
        return query(c);
      case UrlState::kFragment:
        if (c != kEof) percent_encode(c, EncodeSet::kFragment, url_.fragment);
        return kContinue;
    }
    return kFail;
  }

  Step scheme_start(uint32_t c, size_t pos) {
    if (is_ascii_alpha(c)) {
      buffer_.push(static_cast<char>(ascii_lower(c)));
      state_ = UrlState::kScheme;
    } else if (!has_override()) {
      state_ = UrlState::kNoScheme;
      again(pos);
    } else {
      return kFail;
    }
    return kContinue;
  }

  Step scheme(uint32_t c, size_t /*pos*/) {
    if (is_ascii_alphanumeric(c) || c == '+' || c == '-' || c == '.') {
      buffer_.push(static_cast<char>(ascii_lower(c)));
      return kContinue;
    }
    if (c == ':') {
      if (has_override()) {
        const bool buffer_special = is_special_scheme(buffer_.view());
        if (special() != buffer_special) return kReturn;
        if ((url_.includes_credentials() || url_.port >= 0) && buffer_.view() == "file")
          return kReturn;
        if (url_.scheme.view() == "file" && url_.host_kind == HostKind::kEmpty) return kReturn;
      }
      copy_text(url_.scheme, buffer_);
      if (has_override()) {
        if (url_.port >= 0 && url_.port == default_port(url_.scheme.view())) url_.port = -1;
        return kReturn;
      }
      buffer_.clear();
      if (url_.scheme.view() == "file") {
        state_ = UrlState::kFile;
      } else if (special() && base_ && base_->scheme.view() == url_.scheme.view()) {
        state_ = UrlState::kSpecialRelativeOrAuthority;
      } else if (special()) {
        state_ = UrlState::kSpecialAuthoritySlashes;
      } else if (remaining() == '/') {
        state_ = UrlState::kPathOrAuthority;
        skip_one();
      } else {
        url_.path.clear();
        url_.opaque_path = true;
        state_ = UrlState::kOpaquePath;
      }
      return kContinue;
    }
    if (!has_override()) {
      buffer_.clear();
      state_ = UrlState::kNoScheme;
      move_to(input_.begin());  // start over from the first code point
      return kContinue;
    }
    return kFail;
  }

  Step no_scheme(uint32_t c, size_t pos) {
    if (!base_ || (base_->opaque_path && c != '#')) return kFail;
    if (base_->opaque_path && c == '#') {
      copy_text(url_.scheme, base_->scheme);
      copy_path(url_, *base_);
      copy_query(url_, *base_);
      begin_fragment(url_);
      state_ = UrlState::kFragment;
    } else if (base_->scheme.view() != "file") {
      state_ = UrlState::kRelative;
      again(pos);
    } else {
      state_ = UrlState::kFile;
      again(pos);
    }
    return kContinue;
  }

  Step relative(uint32_t c, size_t pos) {
    copy_text(url_.scheme, base_->scheme);
    if (c == '/') {
      state_ = UrlState::kRelativeSlash;
    } else if (special() && c == '\\') {
      state_ = UrlState::kRelativeSlash;
    } else {
      copy_authority(url_, *base_);
      copy_path(url_, *base_);
      copy_query(url_, *base_);
      if (c == '?') {
        begin_query(url_);
        state_ = UrlState::kQuery;
      } else if (c == '#') {
        begin_fragment(url_);
        state_ = UrlState::kFragment;
      } else if (c != kEof) {
        url_.has_query = false;
        url_.query.clear();
        shorten_path(url_);
        state_ = UrlState::kPath;
        again(pos);
      }
    }
    return kContinue;
  }

  Step authority(uint32_t c) {
    if (c == '@') {
      // The buffer so far is userinfo; a second '@' was part of it.
      if (at_sign_seen_) {
        FixedText<Url::kComponentCapacity + 3> with_at;
        with_at.append("%40");
        with_at.append(buffer_.view());
        buffer_.assign(with_at.view());
      }
      at_sign_seen_ = true;
      const StringView userinfo = buffer_.view();
      size_t p = 0;
      for (uint32_t cp; (cp = decode_utf8(userinfo, p)) != kEof;) {
        if (cp == ':' && !password_token_seen_) {
          password_token_seen_ = true;
          continue;
        }
        percent_encode(cp, EncodeSet::kUserinfo,
                       password_token_seen_ ? url_.password : url_.username);
      }
      buffer_.clear();
      buffer_start_ = next_;
      return kContinue;
    }
    if (c == kEof || c == '/' || c == '?' || c == '#' || (special() && c == '\\')) {
      if (at_sign_seen_ && buffer_.empty()) return kFail;
      move_to(buffer_start_);  // back to the first code point of the buffer
      buffer_.clear();
      state_ = UrlState::kHost;
      return kContinue;
    }
    buffer_.append_code_point(c);
    return kContinue;
  }

  Step set_host_from_buffer() {
    HostKind kind = HostKind::kNull;
    FixedText<Url::kComponentCapacity> parsed;
    const UrlStatus status = parse_host(buffer_.view(), !special(), parsed, kind, planted_);
    if (status != UrlStatus::kOk) return fail_with(status);
    copy_text(url_.host, parsed);
    url_.host_kind = kind;
    buffer_.clear();
    return kContinue;
  }

  Step host(uint32_t c, size_t pos) {
    if (has_override() && url_.scheme.view() == "file") {
      again(pos);
      state_ = UrlState::kFileHost;
      return kContinue;
    }
    if (c == ':' && !inside_brackets_) {
      if (buffer_.empty()) return kFail;
      if (override_ == UrlState::kHostname) return kReturn;
      const Step step = set_host_from_buffer();
      if (step.done) return step;
      state_ = UrlState::kPort;
      return kContinue;
    }
    if (c == kEof || c == '/' || c == '?' || c == '#' || (special() && c == '\\')) {
      again(pos);
      if (special() && buffer_.empty()) return kFail;
      if (has_override() && buffer_.empty() && (url_.includes_credentials() || url_.port >= 0))
        return kReturn;
      const Step step = set_host_from_buffer();
      if (step.done) return step;
      state_ = UrlState::kPathStart;
      if (has_override()) return kReturn;
      return kContinue;
    }
    if (c == '[') inside_brackets_ = true;
    if (c == ']') inside_brackets_ = false;
    buffer_.append_code_point(c);
    return kContinue;
  }

  Step port(uint32_t c, size_t pos) {
    if (is_ascii_digit(c)) {
      // Leading zeros are fine; a value past 65535 fails however long it is.
      if (!(buffer_.empty() && c == '0')) buffer_.push(static_cast<char>(c));
      if (buffer_.size() > 5) return kFail;
      port_digits_ = true;
      return kContinue;
    }
    if (c == kEof || c == '/' || c == '?' || c == '#' || (special() && c == '\\') ||
        has_override()) {
      if (port_digits_) {
        int32_t value = 0;
        for (char d : buffer_.view()) value = value * 10 + (d - '0');
        if (value > 65535) return kFail;
        url_.port = value == default_port(url_.scheme.view()) ? -1 : value;
        buffer_.clear();
        port_digits_ = false;
        if (has_override()) return kReturn;
      }
      if (has_override()) return kFail;
      state_ = UrlState::kPathStart;
      again(pos);
      return kContinue;
    }
    return kFail;
  }

  Step file(uint32_t c, size_t pos) {
    url_.scheme.assign("file");
    url_.host.clear();
    url_.host_kind = HostKind::kEmpty;
    if (c == '/' || c == '\\') {
      state_ = UrlState::kFileSlash;
    } else if (base_ && base_->scheme.view() == "file") {
      copy_text(url_.host, base_->host);
      url_.host_kind = base_->host_kind;
      copy_path(url_, *base_);
      copy_query(url_, *base_);
      if (c == '?') {
        begin_query(url_);
        state_ = UrlState::kQuery;
      } else if (c == '#') {
        begin_fragment(url_);
        state_ = UrlState::kFragment;
      } else if (c != kEof) {
        url_.has_query = false;
        url_.query.clear();
        if (!input_.starts_with_windows_drive_letter(pos)) {
          shorten_path(url_);
        } else {
          url_.path.clear();
        }
        state_ = UrlState::kPath;
        again(pos);
      }
    } else {
      state_ = UrlState::kPath;
      again(pos);
    }
    return kContinue;
  }

  Step file_slash(uint32_t c, size_t pos) {
    if (c == '/' || c == '\\') {
      state_ = UrlState::kFileHost;
      return kContinue;
    }
    if (base_ && base_->scheme.view() == "file") {
      copy_text(url_.host, base_->host);
      url_.host_kind = base_->host_kind;
      if (!input_.starts_with_windows_drive_letter(pos) && base_->path_size() > 0 &&
          !base_->opaque_path) {
        const StringView base_path = base_->path.view();
        size_t end = 1;
        while (end < base_path.size() && base_path[end] != '/') ++end;
        const StringView first = base_path.substr(1, end - 1);
        if (is_normalized_windows_drive_letter(first)) append_segment(url_, first);
      }
    }
    state_ = UrlState::kPath;
    again(pos);
    return kContinue;
  }

  Step file_host(uint32_t c, size_t pos) {
    if (c == kEof || c == '/' || c == '\\' || c == '?' || c == '#') {
      again(pos);
      if (!has_override() && is_windows_drive_letter(buffer_.view())) {
        state_ = UrlState::kPath;  // the buffer is the path's first segment
      } else if (buffer_.empty()) {
        url_.host.clear();
        url_.host_kind = HostKind::kEmpty;
        if (has_override()) return kReturn;
        state_ = UrlState::kPathStart;
      } else {
        const Step step = set_host_from_buffer();
        if (step.done) return step;
        if (url_.host.view() == "localhost") {
          url_.host.clear();
          url_.host_kind = HostKind::kEmpty;
        }
        if (has_override()) return kReturn;
        state_ = UrlState::kPathStart;
      }
      return kContinue;
    }
    buffer_.append_code_point(c);
    return kContinue;
  }

  Step path_start(uint32_t c, size_t pos) {
    if (special()) {
      state_ = UrlState::kPath;
      if (c != '/' && c != '\\') again(pos);
    } else if (!has_override() && c == '?') {
      begin_query(url_);
      state_ = UrlState::kQuery;
    } else if (!has_override() && c == '#') {
      begin_fragment(url_);
      state_ = UrlState::kFragment;
    } else if (c != kEof) {
      state_ = UrlState::kPath;
      if (c != '/') again(pos);
    } else if (has_override() && url_.host_kind == HostKind::kNull) {
      append_segment(url_, "");
    }
    return kContinue;
  }

  Step path(uint32_t c) {
    const bool slash = c == '/' || (special() && c == '\\');
    if (c == kEof || slash || (!has_override() && (c == '?' || c == '#'))) {
      const StringView segment = buffer_.view();
      if (is_double_dot(segment)) {
        shorten_path(url_);
        if (!slash) append_segment(url_, "");
      } else if (is_single_dot(segment) && !slash) {
        append_segment(url_, "");
      } else if (!is_single_dot(segment)) {
        if (url_.scheme.view() == "file" && url_.path_size() == 0 &&
            is_windows_drive_letter(segment)) {
          char drive[2] = {segment[0], ':'};
          append_segment(url_, StringView(drive, 2));
        } else {
          append_segment(url_, segment);
        }
      }
      buffer_.clear();
      if (c == '?') {
        begin_query(url_);
        state_ = UrlState::kQuery;
      }
      if (c == '#') {
        begin_fragment(url_);
        state_ = UrlState::kFragment;
      }
      return kContinue;
    }
    percent_encode(c, EncodeSet::kPath, buffer_);
    return kContinue;
  }

  Step opaque_path(uint32_t c) {
    if (c == '?') {
      begin_query(url_);
      state_ = UrlState::kQuery;
    } else if (c == '#') {
      begin_fragment(url_);
      state_ = UrlState::kFragment;
    } else if (c == ' ') {
      // A space right before the query or fragment is encoded, so that it survives a round trip.
      const uint32_t after = remaining();
      url_.path.append(after == '?' || after == '#' ? "%20" : " ");
    } else if (c != kEof) {
      percent_encode(c, EncodeSet::kC0Control, url_.path);
    }
    return kContinue;
  }

  Step query(uint32_t c) {
    if ((!has_override() && c == '#') || c == kEof) {
      percent_encode(buffer_.view(), special() ? EncodeSet::kSpecialQuery : EncodeSet::kQuery,
                     url_.query);
      buffer_.clear();
      if (c == '#') {
        begin_fragment(url_);
        state_ = UrlState::kFragment;
      }
    } else {
      buffer_.append_code_point(c);
    }
    return kContinue;
  }

  Input input_;
  const Url* base_;
  Url& url_;
  UrlState override_;
  UrlState state_;
  FixedText<Url::kComponentCapacity> buffer_;
  size_t next_ = 0;
  bool reread_ = false;
  size_t buffer_start_ = 0;  // where the authority state's buffer began
  bool at_sign_seen_ = false;
  bool inside_brackets_ = false;
  bool password_token_seen_ = false;
  bool port_digits_ = false;
  uint32_t planted_;
};

}  // namespace

bool is_special_scheme(StringView scheme) {
  for (const auto& s : kSpecialSchemes)
    if (s.scheme == scheme) return true;
  return false;
}

int32_t default_port(StringView scheme) {
  for (const auto& s : kSpecialSchemes)
    if (s.scheme == scheme) return s.port;
  return -1;
}

void Url::copy_from(const Url& other) {
  copy_text(scheme, other.scheme);
  copy_text(username, other.username);
  copy_text(password, other.password);
  copy_text(host, other.host);
  copy_text(path, other.path);
  copy_text(query, other.query);
  copy_text(fragment, other.fragment);
  host_kind = other.host_kind;
  port = other.port;
  opaque_path = other.opaque_path;
  has_query = other.has_query;
  has_fragment = other.has_fragment;
}

void Url::reset() {
  scheme.clear();
  username.clear();
  password.clear();
  host.clear();
  path.clear();
  query.clear();
  fragment.clear();
  host_kind = HostKind::kNull;
  port = -1;
  opaque_path = has_query = has_fragment = false;
}

bool Url::is_special() const { return is_special_scheme(scheme.view()); }

bool Url::cannot_have_username_password_port() const {
  return host_kind == HostKind::kNull || host_kind == HostKind::kEmpty || scheme.view() == "file";
}

size_t Url::path_size() const {
  size_t n = 0;
  for (char c : path.view()) n += c == '/';
  return n;
}

UrlStatus parse_url(StringView input, const Url* base, Url& url, uint32_t planted) {
  url.reset();
  return Parser(input, base, url, UrlState::kNone, planted).run();
}

UrlStatus parse_url_with_override(StringView input, Url& url, UrlState state_override) {
  return Parser(input, nullptr, url, state_override).run();
}

void serialize_url(const Url& url, TextSink& out, bool exclude_fragment) {
  out.append(url.scheme.view());
  out.push(':');
  if (url.host_kind != HostKind::kNull) {
    out.append("//");
    if (url.includes_credentials()) {
      out.append(url.username.view());
      if (!url.password.empty()) {
        out.push(':');
        out.append(url.password.view());
      }
      out.push('@');
    }
    out.append(url.host.view());
    if (url.port >= 0) {
      char digits[8];
      size_t n = 0;
      uint32_t p = static_cast<uint32_t>(url.port);
      do {
        digits[n++] = static_cast<char>('0' + p % 10);
        p /= 10;
      } while (p);
      out.push(':');
      while (n) out.push(digits[--n]);
    }
  }
  // A path starting with an empty segment would read as an authority without this.
  if (url.host_kind == HostKind::kNull && !url.opaque_path && url.path_size() > 1 &&
      url.path.view().starts_with("//"))
    out.append("/.");
  out.append(url.path.view());
  if (url.has_query) {
    out.push('?');
    out.append(url.query.view());
  }
  if (!exclude_fragment && url.has_fragment) {
    out.push('#');
    out.append(url.fragment.view());
  }
}

}  // namespace rayos::web
