"""Citation records in RIS and BibTeX, for reference managers."""

import re

from .models import Publication

RIS_TYPES = {
    Publication.Kind.REPORT: "RPRT",
    Publication.Kind.ANNUAL_REPORT: "RPRT",
    Publication.Kind.FILM: "VIDEO",
}


def ris(publication: Publication, *, url: str) -> str:
    lines = [f"TY  - {RIS_TYPES.get(publication.kind, 'GEN')}", f"TI  - {publication.title}"]
    lines += [f"AU  - {author}" for author in publication.author_names]
    lines += [
        f"PY  - {publication.published_on:%Y}",
        f"DA  - {publication.published_on:%Y/%m/%d}",
        "PB  - International Network of People who Use Drugs",
        f"UR  - {url}",
    ]
    if publication.summary:
        lines.append(f"AB  - {' '.join(publication.summary.split())}")
    if publication.isbn:
        lines.append(f"SN  - {publication.isbn}")
    if publication.doi:
        lines.append(f"DO  - {publication.doi}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}\\&%$#_])", r"\\\1", text)


def bibtex(publication: Publication, *, url: str) -> str:
    entry = "techreport" if publication.kind in RIS_TYPES else "misc"
    fields = {
        "title": "{" + _bibtex_escape(publication.title) + "}",
        "author": " and ".join("{" + _bibtex_escape(a) + "}" for a in publication.author_names),
        "year": f"{publication.published_on:%Y}",
        "month": f"{publication.published_on:%b}".lower(),
        "publisher": "{International Network of People who Use Drugs}",
        "url": "{" + url + "}",
    }
    if entry == "techreport":
        fields["institution"] = fields.pop("publisher")
    if publication.isbn:
        fields["isbn"] = "{" + publication.isbn + "}"
    if publication.doi:
        fields["doi"] = "{" + publication.doi + "}"
    key = (
        re.sub(r"[^a-z0-9]+", "", publication.slug.lower())[:30] + f"{publication.published_on:%Y}"
    )
    body = ",\n".join(f"  {name} = {value}" for name, value in fields.items())
    return f"@{entry}{{{key},\n{body}\n}}\n"
