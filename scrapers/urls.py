"""URL canonicalisation: one spelling per article, so copies collapse by URL.

The rules are deliberately conservative: they only remove what never changes which
document a server returns (tracking parameters, fragments, default ports, spelling of
percent-escapes), plus two normalisations that are nearly always safe for news sites
(sorted query, no trailing slash).
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from urllib.parse import quote, unquote_to_bytes, urljoin, urlsplit, urlunsplit

from scrapers.errors import InvalidURLError

DEFAULT_PORTS = {"http": 80, "https": 443}

# Exact parameter names that only say where a click came from. Compared lower-cased.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "yclid",
        "spm",
        "scm",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "_hsenc",
        "_hsmi",
        "hsctatracking",
        "cmpid",
        "ncid",
        "sr_share",
        "at_medium",
        "at_campaign",
        "smid",
    }
)
# Prefixes of whole parameter families (Google Analytics, Matomo/Piwik, HubSpot).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs", "itm_")

# RFC 3986 unreserved characters: escaping them never changes meaning, so we unescape.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left literal in a path (unreserved + sub-delims + ":@/"); the rest are escaped.
_PATH_SAFE = "-._~!$&'()*+,;=:@/"
# In query keys and values '&', '=', '+' and '#' carry structure, so they stay escaped.
_QUERY_SAFE = "-._~!$'()*,:@/?"
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")
# A path made only of characters left literal (and no '%') needs no rewriting: the common case.
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$")


def _is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _normalise_escapes(component: str, safe: str) -> str:
    """Decode escapes of unreserved characters, upper-case the others, escape the unsafe.

    Works on bytes so that escapes of non-UTF-8 bytes (old Latin-1 URLs) survive intact.
    """
    raw = component.encode("utf-8", "surrogatepass")
    out: list[str] = []
    index = 0
    while index < len(raw):
        byte = raw[index]
        if byte == 0x25:  # '%'
            match = _ESCAPE.match(raw, index)
            if match:
                value = int(match.group(1), 16)
                out.append(chr(value) if value in _UNRESERVED else f"%{value:02X}")
                index += 3
                continue
            out.append("%25")  # a lone '%' is not an escape; make it one
            index += 1
            continue
        out.append(quote(bytes([byte]), safe=safe))
        index += 1
    return "".join(out)


def _idna_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        raise InvalidURLError("URL has no host")
    if host.startswith("["):
        try:
            return "[" + ipaddress.IPv6Address(host.strip("[]")).compressed + "]"
        except ValueError as exc:
            raise InvalidURLError(f"malformed IPv6 host {host!r}") from exc
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidURLError(f"host {host!r} is not a valid internationalised domain name") from exc


def _normalise_path(path: str) -> str:
    if not path:
        return "/"
    if not _PLAIN_PATH.match(path):
        path = _normalise_escapes(path, _PATH_SAFE)
    # normpath also drops the trailing slash: /story/ and /story are one article.
    normalised = posixpath.normpath(path)
    if normalised.startswith("//"):  # normpath keeps a leading '//' (POSIX rule), URLs should not
        normalised = "/" + normalised.lstrip("/")
    if normalised == ".":
        normalised = "/"
    return normalised if normalised.startswith("/") else "/" + normalised


def _normalise_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        name, sep, value = part.partition("=")
        decoded_name = unquote_to_bytes(name.replace("+", " "))
        if _is_tracking_param(decoded_name.decode("utf-8", "replace")):
            continue
        encoded_name = quote(decoded_name, safe=_QUERY_SAFE)
        if sep:
            encoded_value = quote(unquote_to_bytes(value.replace("+", " ")), safe=_QUERY_SAFE)
            pairs.append((encoded_name, "=" + encoded_value))
        else:
            pairs.append((encoded_name, ""))
    pairs.sort()
    return "&".join(name + value for name, value in pairs)


def canonicalize_url(url: str, *, base: str | None = None) -> str:
    """Return the canonical spelling of an absolute http(s) URL.

    `base` resolves relative links first (feed entries, <link rel=canonical>).
    Raises InvalidURLError for anything that is not http(s) with a host.
    """
    text = (url or "").strip()
    if not text:  # urljoin(base, "") would silently return the base itself
        raise InvalidURLError("empty URL")
    if base:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(f"malformed URL {text!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURLError(f"not an http(s) URL: {text!r}")
    host = _idna_host(parts.hostname or "")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, _normalise_path(parts.path), _normalise_query(parts.query), ""))


def url_host(url: str) -> str:
    """Lower-case host of a URL (IDNA-encoded, no port, no brackets), '' when absent."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    try:
        return _idna_host(host).strip("[]") if host else ""
    except InvalidURLError:
        return host.lower()


def strip_www(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def registrable_domain(url_or_host: str) -> str:
    """The site a URL belongs to: 'www.news.example', 'amp.news.example' -> 'news.example'.

    Uses the public suffix list (via `tld`, which trafilatura already depends on) so
    'bbc.co.uk' stays whole; unknown suffixes such as the reserved '.example' fall back
    to the last two labels. IP addresses are returned as they are.
    """
    host = url_host(url_or_host) if "/" in url_or_host else url_or_host.strip().lower().rstrip(".")
    host = strip_www(host.strip("[]"))
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    try:
        from tld import get_fld

        found = get_fld(host, fix_protocol=True, fail_silently=True)
    except ImportError:  # pragma: no cover - tld ships with trafilatura's dependencies
        found = None
    if found:
        return str(found)
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs belong to the same registrable domain."""
    site_a = registrable_domain(url_a)
    return bool(site_a) and site_a == registrable_domain(url_b)
