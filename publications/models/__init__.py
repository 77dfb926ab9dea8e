from .library import DownloadCount, Partner, Publication, PublicationFile, Theme
from .mailing import Audience, Delivery, Mailing, Subscriber

__all__ = [
    "Audience",
    "Delivery",
    "DownloadCount",
    "Mailing",
    "Partner",
    "Publication",
    "PublicationFile",
    "Subscriber",
    "Theme",
]
