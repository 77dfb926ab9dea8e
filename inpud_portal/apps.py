from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class InpudPortalConfig(AppConfig):
    name = "inpud_portal"
    verbose_name = "INPUD portal"

    def ready(self):
        from .page_cache import public_pages_invalidate_on_change

        # Any model, so content added later (pages, statements) refreshes the cached
        # public pages without anyone remembering to list it.
        for name, signal in (
            ("post-save", post_save),
            ("post-delete", post_delete),
            ("m2m-changed", m2m_changed),
        ):
            signal.connect(public_pages_invalidate_on_change, dispatch_uid=f"page-cache-{name}")
