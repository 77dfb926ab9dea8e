"""One zip with everything an invitee needs for a meeting: the agenda as an HTML page
and every paper, named so the files read and sort well once unpacked::

    2027-01-04-annual-board-meeting/
        00-agenda.html
        03-election-rules.pdf        (agenda item 3, "Election rules")

Built in a spooled temporary file (in memory while small, on disk when large), so a
meeting with large papers never sits whole in memory.
"""

import shutil
import tempfile
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .models import Meeting

# Kept in memory up to this size, then on disk.
SPOOL_BYTES = 8 * 1024 * 1024


def meeting_pack_folder(meeting: Meeting) -> str:
    # From the English title whatever the reader's language: the same meeting gives
    # the same folder for everyone, in plain letters any system unpacks.
    title = slugify(meeting.title_en or meeting.title) or "meeting"
    return f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}-{title}"


def _paper_names(agenda) -> dict[int, str]:
    """Paper id -> file name inside the pack: <item position>-<paper title>.<ext>,
    with -2, -3... when two papers of one item share a title."""
    names, taken = {}, set()
    for item in agenda:
        for paper in item.papers.all():
            extension = (
                paper.file.name.rsplit(".", 1)[-1].lower() if "." in paper.file.name else "bin"
            )
            stem = f"{item.position:02d}-{slugify(paper.title) or 'paper'}"
            name, n = f"{stem}.{extension}", 1
            while name in taken:
                n += 1
                name = f"{stem}-{n}.{extension}"
            taken.add(name)
            names[paper.pk] = name
    return names


def meeting_pack(*, meeting: Meeting):
    """The pack as an open binary file positioned at its start, and its file name.
    Render it inside the reader's language: the agenda page is written in it."""
    agenda = list(meeting.agenda.prefetch_related("papers"))
    names = _paper_names(agenda)
    folder = meeting_pack_folder(meeting)
    agenda_html = render_to_string(
        "governance/meeting_pack_agenda.html",
        {"meeting": meeting, "agenda": agenda, "names": names},
    )
    pack = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(pack, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/00-agenda.html", agenda_html)
        for item in agenda:
            for paper in item.papers.all():
                with (
                    paper.file.open("rb") as source,
                    archive.open(f"{folder}/{names[paper.pk]}", "w") as target,
                ):
                    shutil.copyfileobj(source, target)
    pack.seek(0)
    return pack, f"{folder}.zip"
