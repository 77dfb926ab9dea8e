from .library import DownloadCount, Partner, Publication, PublicationFile, Theme
from .mailing import Audience, Mailing, MailingEvent, Subscriber, SuppressedAddress

__all__ = [
    "Audience",
    "DownloadCount",
    "Mailing",
    "MailingEvent",
    "Partner",
    "Publication",
    "PublicationFile",
    "Subscriber",
    "SuppressedAddress",
    "Theme",
]
