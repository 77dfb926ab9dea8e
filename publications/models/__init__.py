from .library import DownloadCount, Partner, Publication, PublicationFile, Theme
from .mailing import Audience, Mailing, Subscriber

__all__ = [
    "Audience",
    "DownloadCount",
    "Mailing",
    "Partner",
    "Publication",
    "PublicationFile",
    "Subscriber",
    "Theme",
]
