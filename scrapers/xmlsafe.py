"""Screening of untrusted XML before any parser that might expand entities sees it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as std_etree
import zlib

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring
from lxml import etree

from scrapers.detect import GZIP_MAGIC
from scrapers.errors import HostileContentError, ParseError, TooLargeError

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
# Sitemaps may hold 50 MB uncompressed (sitemaps.org); more than that from a .gz is a bomb.
MAX_GUNZIPPED_BYTES = 50 * 1024 * 1024


def screen_xml(content: bytes, *, url: str = "") -> None:
    """Raise HostileContentError when the document declares entities or external references.

    Feeds and sitemaps never need a DTD with entity declarations; those are how
    "billion laughs" expansion bombs and external-entity (XXE) file reads are built.
    The byte scan is cheap and catches ASCII-compatible encodings; documents with a
    DOCTYPE or in UTF-16 get a full defusedxml parse as well.
    """
    if _ENTITY_DECLARATION.search(content):
        raise HostileContentError(
            "refused XML that declares entities (<!ENTITY ...>): feeds never need them, and they are "
            "how entity-expansion bombs and external-entity file reads work",
            url=url or None,
        )
    head = content[:1024]
    if b"<!DOCTYPE" not in content[:4096].upper() and b"\x00" not in head:
        return
    try:
        defused_fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise HostileContentError(
            f"refused XML with entity declarations or external references: {exc}", url=url or None
        ) from exc
    except DTDForbidden:  # pragma: no cover - forbid_dtd is off; a DTD alone is harmless
        return
    except (std_etree.ParseError, DefusedXmlException, ValueError):
        return  # malformed: the caller's lenient parser decides what can be recovered


def gunzip_capped(content: bytes, *, url: str = "", limit: int | None = None) -> bytes:
    """Decompress a .gz body without ever holding more than `limit` bytes of output."""
    if not content.startswith(GZIP_MAGIC):
        return content
    limit = MAX_GUNZIPPED_BYTES if limit is None else limit
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        data = decompressor.decompress(content, limit + 1)
    except zlib.error as exc:
        raise ParseError(f"the gzip data is corrupt: {exc}", url=url or None) from exc
    if len(data) > limit:
        raise TooLargeError(f"gzipped document expands past {limit:,} bytes", url=url or None)
    return data


def safe_xml_parser(*, recover: bool = False) -> etree.XMLParser:
    """lxml parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
    )
