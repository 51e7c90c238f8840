#include "reports/html_assets.h"

#include <openssl/evp.h>

#include "reports/html_text.h"

namespace osh::reports {
namespace {

constexpr std::string_view kStyle = R"css(
:root{--fg:#1d2126;--muted:#59636e;--line:#d8dde3;--soft:#eef0f3;--PASS:#1a7f37;--FAIL:#cf222e;
--CRASH:#8250df;--HANG:#bc4c00;--TIMEOUT:#9a6700;--INFRA_ERROR:#57606a;--FLAKY:#0969da}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:#f5f6f8;color:var(--fg);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1200px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:17px;margin:28px 0 10px}
h3{font-size:14px;margin:16px 0 6px}
section.card,header.banner,details.run{background:#fff;border:1px solid var(--line);border-radius:8px}
section.card{padding:12px 16px;overflow-x:auto}
header.banner{display:flex;gap:18px;align-items:center;padding:14px 18px;border-left-width:10px}
header.banner .verdict{font-size:28px;font-weight:700;letter-spacing:.02em}
header.banner p{margin:0;color:var(--muted)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;min-width:0}
table{border-collapse:collapse;width:100%;font-size:13px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--soft);vertical-align:top}
th{font-weight:600;color:var(--muted);border-bottom:1px solid var(--line);white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.reason{min-width:240px;max-width:420px;overflow-wrap:anywhere}
td.name{max-width:220px;overflow-wrap:anywhere}
tr.bad td{background:#fff4f4}
code,.mono{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,monospace;overflow-wrap:anywhere}
.badge{display:inline-block;min-width:44px;text-align:center;padding:1px 7px;border-radius:10px;
font-size:11px;font-weight:700;color:#fff;background:var(--v,var(--INFRA_ERROR));white-space:nowrap}
.v-PASS{--v:var(--PASS)}.v-FAIL{--v:var(--FAIL)}.v-CRASH{--v:var(--CRASH)}.v-HANG{--v:var(--HANG)}
.v-TIMEOUT{--v:var(--TIMEOUT)}.v-INFRA_ERROR{--v:var(--INFRA_ERROR)}.v-FLAKY{--v:var(--FLAKY)}
header.banner{border-left-color:var(--v)}
header.banner .verdict{color:var(--v)}
.muted{color:var(--muted)}
.warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;margin:6px 0}
.charts{display:flex;flex-wrap:wrap;gap:12px}
.charts figure{margin:0;background:#fff;border:1px solid var(--soft);border-radius:6px;padding:4px}
svg.chart{display:block;max-width:100%;height:auto}
.shots{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;margin:8px 0}
.shots>p{flex-basis:100%;margin:0;font-weight:600}
.shots figure{margin:0;border:1px solid var(--soft);border-radius:6px;padding:4px}
.shots img{display:block;width:320px;image-rendering:pixelated}
details.run{margin:10px 0;padding:0 16px}
details.run>summary{cursor:pointer;padding:10px 0;font-weight:600;overflow-wrap:anywhere}
details.run>summary .badge{margin-right:6px}
details.run[open]>summary{border-bottom:1px solid var(--soft)}
details.run .body{padding:4px 0 14px}
ul.findings{margin:0;padding-left:0;list-style:none}
ul.findings li{margin:3px 0}
ul.metrics{columns:3 220px;margin:0;padding-left:0;list-style:none}
pre.console{font:12px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,monospace;background:#1d2126;
color:#e6e8eb;padding:8px 10px;border-radius:6px;overflow-x:auto;max-height:32em;margin:0}
.filter{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px}
.filter button{font:inherit;font-size:12px;border:1px solid var(--line);background:#fff;
border-radius:14px;padding:2px 10px;cursor:pointer}
.filter button[aria-pressed=true]{background:var(--fg);color:#fff;border-color:var(--fg)}
footer{margin-top:28px;color:var(--muted);font-size:12px}
)css";

constexpr std::string_view kHeadScript = R"js(
(function () {
  var root = document.documentElement;
  root.dataset.errors = "0";
  function record(what) {
    root.dataset.errors = String(Number(root.dataset.errors) + 1);
    root.dataset.errorLog = (root.dataset.errorLog || "") + what + "\n";
  }
  window.addEventListener("error", function (e) {
    record("error: " + (e.message || (e.target && e.target.tagName) || "unknown"));
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    record("unhandled rejection: " + e.reason);
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    record("blocked by the content security policy: " + e.violatedDirective);
  });
})();
)js";

constexpr std::string_view kTailScript = R"js(
(function () {
  var bar = document.getElementById("filter");
  if (bar) {
    var buttons = bar.querySelectorAll("button");
    var rows = document.querySelectorAll("#runs-table tbody tr");
    var show = function (verdict) {
      rows.forEach(function (r) {
        r.hidden = verdict !== "ALL" && r.dataset.verdict !== verdict;
      });
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.dataset.filter === verdict));
      });
    };
    buttons.forEach(function (b) {
      b.addEventListener("click", function () { show(b.dataset.filter); });
    });
    bar.hidden = false;
  }
  document.documentElement.dataset.rendered = "1";
})();
)js";

// 'sha256-<base64>' of an inline script or style, as CSP level 2 defines it.
std::string csp_hash(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(b64, digest, static_cast<int>(len));
  return "'sha256-" + std::string(reinterpret_cast<char*>(b64), static_cast<size_t>(n)) + "'";
}

}  // namespace

std::string_view verdict_color(campaign::Verdict verdict) {
  // The same as :root's --<VERDICT> in kStyle (a test holds them together).
  switch (verdict) {
    case campaign::Verdict::Pass:
      return "#1a7f37";
    case campaign::Verdict::Fail:
      return "#cf222e";
    case campaign::Verdict::Crash:
      return "#8250df";
    case campaign::Verdict::Hang:
      return "#bc4c00";
    case campaign::Verdict::Timeout:
      return "#9a6700";
    case campaign::Verdict::InfraError:
      return "#57606a";
    case campaign::Verdict::Flaky:
      return "#0969da";
  }
  return "#57606a";
}

std::string_view html_style() { return kStyle; }
std::string_view html_head_script() { return kHeadScript; }
std::string_view html_tail_script() { return kTailScript; }

const std::string& html_content_security_policy() {
  static const std::string policy = "default-src 'none'; script-src " + csp_hash(kHeadScript) +
                                    " " + csp_hash(kTailScript) + "; style-src " +
                                    csp_hash(kStyle) + "; base-uri 'none'; form-action 'none'";
  return policy;
}

std::string html_page_start(std::string_view title) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
         html(html_content_security_policy()) +
         "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" +
         html(title) + "</title>\n<script>" + std::string(html_head_script()) +
         "</script>\n<style>" + std::string(html_style()) + "</style>\n</head>\n<body>\n<main>\n";
}

std::string html_page_end(const std::string& footer_html) {
  return "<footer>" + footer_html + "</footer>\n</main>\n<script>" +
         std::string(html_tail_script()) + "</script>\n</body>\n</html>\n";
}

}  // namespace osh::reports
