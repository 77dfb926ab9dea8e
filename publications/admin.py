import hashlib

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from inpud_portal.translated_admin import (
    AccessibleModelAdmin,
    AccessibleTabularInline,
    TranslatedAdmin,
    in_every_language,
)

from .admin_forms import (
    PublicationAdminForm,
    PublicationFileForm,
    PublicationFileFormSet,
    SubscriberImportForm,
    TestSendForm,
)
from .mail_messages import mailing_languages, mailing_message
from .models import (
    Audience,
    DownloadCount,
    Mailing,
    Partner,
    Publication,
    PublicationFile,
    Subscriber,
    Theme,
)
from .services import mailing as mailing_services
from .services import publishing
from .services import subscribers as subscriber_services
from .upload_handlers import max_upload_bytes, upload_limit_exceeded


@admin.register(Theme)
class ThemeAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug", *in_every_language("name")]


@admin.register(Partner)
class PartnerAdmin(AccessibleModelAdmin):
    list_display = ["name", "website", "record"]
    search_fields = ["name"]
    autocomplete_fields = ["record"]


class PublicationFileInline(AccessibleTabularInline):
    model = PublicationFile
    form = PublicationFileForm
    formset = PublicationFileFormSet
    extra = 1
    fields = ["language", "file", "format", "size", "downloads"]
    readonly_fields = ["format", "size", "downloads"]

    @admin.display(description=_("downloads"))
    def downloads(self, file):
        if not file.pk:
            return "–"
        return file.download_counts.aggregate(total=Sum("count"))["total"] or 0


@admin.register(Publication)
class PublicationAdmin(TranslatedAdmin):
    list_display = ["title", "kind", "status", "published_on", "featured", "endorsed"]
    list_filter = ["status", "kind", "themes", "featured", "endorsed", "files__language"]
    search_fields = ["slug", "authors", *in_every_language("title", "summary")]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ("title_en",)}
    filter_horizontal = ["themes", "co_publishing_networks", "co_publishing_partners"]
    inlines = [PublicationFileInline]
    actions = ["publish", "unpublish", "disseminate"]
    change_list_template = "admin/publications/publication/change_list.html"
    form = PublicationAdminForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The upload handler stopped a file over the limit before it was stored; the
        # rest of the form was cut off with it, so nothing is saved and staff are told
        # why, instead of seeing "this field is required".
        if (
            request.method == "POST"
            and request.FILES is not None
            and upload_limit_exceeded(request)
        ):
            self.message_user(
                request,
                _(
                    "The upload was stopped: a file is too large (the limit is %(limit)s). "
                    "Nothing was saved."
                )
                % {"limit": filesizeformat(max_upload_bytes())},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "translations/",
                self.admin_site.admin_view(self.translation_matrix),
                name="publications_publication_translations",
            ),
            *super().get_urls(),
        ]

    def translation_matrix(self, request):
        """Publication × language: which of title, summary and file exist."""
        languages = [code for code, _name in settings.LANGUAGES]
        rows = []
        for publication in Publication.objects.prefetch_related("files").order_by("-published_on")[
            :500
        ]:
            files = {f.page_language for f in publication.files.all()}
            rows.append(
                (
                    publication,
                    [
                        (
                            bool(getattr(publication, build_localized_fieldname("title", code))),
                            bool(getattr(publication, build_localized_fieldname("summary", code))),
                            code in files,
                        )
                        for code in languages
                    ],
                )
            )
        return TemplateResponse(
            request,
            "admin/publications/publication/translations.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Translation matrix"),
                "languages": languages,
                "rows": rows,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        count = publishing.publications_set_status(
            queryset=queryset, status=Publication.Status.PUBLISHED
        )
        self.message_user(request, _("%(count)d published.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = publishing.publications_set_status(
            queryset=queryset, status=Publication.Status.DRAFT
        )
        self.message_user(request, _("%(count)d unpublished.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Disseminate: prepare a mailing"), permissions=["change"])
    def disseminate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one publication to disseminate."), messages.ERROR)
            return None
        try:
            mailing = publishing.mailing_for_publication(
                publication=queryset.get(), actor=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            _("A draft mailing was prepared: choose its audiences and send it."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:publications_mailing_change", args=[mailing.pk]))


@admin.register(Audience)
class AudienceAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "public_signup", "subscriber_count"]
    prepopulated_fields = {"slug": ("name_en",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("subscribers"))

    @admin.display(description=_("subscribers"), ordering="n")
    def subscriber_count(self, audience):
        return audience.n


@admin.register(Subscriber)
class SubscriberAdmin(AccessibleModelAdmin):
    list_display = ["email", "name", "preferred_language", "status", "confirmed_at"]
    list_filter = [
        "status",
        "preferred_language",
        "audiences",
        ("confirmed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "name"]
    filter_horizontal = ["audiences"]
    readonly_fields = ["created_at", "status_changed_at", "soft_bounces"]
    change_list_template = "admin/publications/subscriber/change_list.html"
    actions = ["record_hard_bounce", "record_complaint", "erase"]

    def get_actions(self, request):
        # Erasure (below) is the one way to delete a subscriber: it shows what goes
        # and keeps a suppressed address suppressed.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        subscriber_services.subscriber_erase(subscriber=obj)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            subscriber_services.subscriber_erase(subscriber=subscriber)

    @admin.action(
        description=_("Erase the selected subscribers (a suppression is kept)"),
        permissions=["delete"],
    )
    def erase(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/publications/subscriber/confirm_erase.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase these subscribers?"),
                    "previews": [
                        subscriber_services.subscriber_erasure_preview(subscriber=s)
                        for s in queryset.prefetch_related("audiences")
                    ],
                    "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                    "opts": self.model._meta,
                },
            )
        erased = kept = 0
        for subscriber in queryset:
            kept += subscriber.status == Subscriber.Status.SUPPRESSED
            subscriber_services.subscriber_erase(subscriber=subscriber)
            erased += 1
        message = ngettext(
            "Erased %(count)d subscriber.", "Erased %(count)d subscribers.", erased
        ) % {"count": erased}
        if kept:
            message += " " + ngettext(
                "%(count)d address stays suppressed, kept as a keyed hash only.",
                "%(count)d addresses stay suppressed, kept as keyed hashes only.",
                kept,
            ) % {"count": kept}
        self.message_user(request, message, messages.SUCCESS)
        return None

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="publications_subscriber_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Check a CSV, show what would be rejected, then import the rest at once."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SubscriberImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                data = form.cleaned_data["file"].read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file must be UTF-8 text (CSV)."))
            else:
                checked = hashlib.sha256(data.encode()).hexdigest()
                confirmed = request.POST.get("confirm") == "yes"
                if confirmed and request.POST.get("checked") != checked:
                    # Import only the file whose report staff have seen.
                    confirmed = False
                    self.message_user(
                        request,
                        _("This is not the file you checked. Here is its report."),
                        messages.WARNING,
                    )
                try:
                    if confirmed:
                        report = subscriber_services.subscribers_import(
                            data=data, consent_record=form.cleaned_data["consent_record"]
                        )
                        self.message_user(
                            request,
                            _("%(count)d subscribers imported.") % {"count": report.imported},
                            messages.SUCCESS,
                        )
                    else:
                        report = subscriber_services.subscribers_import_check(data=data)
                        report.checked = checked
                except ValidationError as error:
                    form.add_error("file", error)
        return TemplateResponse(
            request,
            "admin/publications/subscriber/import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Import subscribers"),
                "form": form,
                "report": report,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Record a hard bounce (suppress)"), permissions=["change"])
    def record_hard_bounce(self, request, queryset):
        for subscriber in queryset:
            subscriber_services.subscriber_record_bounce(email=subscriber.email, kind="hard")

    @admin.action(description=_("Record a complaint (suppress)"), permissions=["change"])
    def record_complaint(self, request, queryset):
        for subscriber in queryset:
            subscriber_services.subscriber_record_bounce(email=subscriber.email, kind="complaint")


@admin.register(Mailing)
class MailingAdmin(TranslatedAdmin):
    list_display = ["subject", "status", "scheduled_at", "started_at", "finished_at"]
    list_filter = ["status"]
    search_fields = in_every_language("subject")
    filter_horizontal = ["audiences"]
    autocomplete_fields = ["publication"]
    readonly_fields = ["status", "started_at", "finished_at", "history"]
    actions = ["send_now", "schedule", "pause_sending", "resume_sending", "cancel_sending"]
    change_form_template = "admin/publications/mailing/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Previews in the languages the mailing is written in, not in every language.
        mailing = Mailing.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        languages = mailing_languages(mailing) if mailing else []
        extra_context = {
            **(extra_context or {}),
            "preview_languages": [
                (code, name) for code, name in settings.LANGUAGES if code in languages
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.status not in (Mailing.Status.DRAFT, Mailing.Status.SCHEDULED):
            return [f.name for f in Mailing._meta.fields if f.name != "id"] + [
                "audiences",
                "history",
            ]
        return self.readonly_fields

    @admin.display(description=_("mailing events"))
    def history(self, obj):
        # Written by the services only, so shown read-only rather than as an inline.
        events = obj.events.select_related("actor") if obj.pk else []
        return (
            format_html_join(
                format_html("<br>"),
                "{} · {} → {} · {}",
                (
                    (
                        date_format(localtime(e.created_at), "SHORT_DATETIME_FORMAT"),
                        e.get_from_status_display(),
                        e.get_to_status_display(),
                        e.actor or "—",
                    )
                    for e in events
                ),
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="publications_mailing_progress",
            ),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="publications_mailing_preview",
            ),
            path(
                "<int:pk>/test-send/",
                self.admin_site.admin_view(self.test_send_view),
                name="publications_mailing_test_send",
            ),
            *super().get_urls(),
        ]

    def progress_view(self, request, pk):
        mailing = get_object_or_404(Mailing, pk=pk)
        return TemplateResponse(
            request,
            "admin/publications/mailing/progress.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Sending progress"),
                "mailing": mailing,
                "progress": mailing_services.mailing_progress(mailing=mailing),
                "opts": self.model._meta,
                "refresh": mailing.status == Mailing.Status.SENDING,
            },
        )

    def preview_view(self, request, pk):
        """The mailing as a subscriber in that language would see it (HTML part)."""
        mailing = get_object_or_404(Mailing, pk=pk)
        language = request.GET.get("language", settings.LANGUAGE_CODE)
        if language not in mailing_languages(mailing):
            language = settings.LANGUAGE_CODE
        example = Subscriber(pk=0, email=request.user.email, preferred_language=language)
        message = mailing_message(mailing=mailing, subscriber=example, language=language)
        response = HttpResponse(message.alternatives[0][0])
        # The preview shows staff-written HTML: keep it inert.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:"
        return response

    def test_send_view(self, request, pk):
        mailing = get_object_or_404(Mailing, pk=pk)
        form = TestSendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            language = form.cleaned_data["language"]
            mailing_services.mailing_test_send(
                mailing=mailing, email=request.user.email, language=language
            )
            self.message_user(
                request, _("A test was sent to %(email)s.") % {"email": request.user.email}
            )
            return HttpResponseRedirect(reverse("admin:publications_mailing_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/publications/mailing/test_send.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Send a test to yourself"),
                "form": form,
                "mailing": mailing,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Send now"), permissions=["change"])
    def send_now(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/publications/mailing/confirm_send.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Send these mailings now?"),
                    "mailings": [
                        (m, mailing_services.mailing_recipients(mailing=m).count())
                        for m in queryset
                    ],
                    "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                    "opts": self.model._meta,
                },
            )
        for mailing in queryset:
            try:
                started = mailing_services.mailing_send_now(mailing=mailing, actor=request.user)
            except mailing_services.MailingError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            if started:
                self.message_user(
                    request, _("%(m)s: sending started.") % {"m": mailing}, messages.SUCCESS
                )
            else:
                self.message_user(
                    request, _("%(m)s: already sending or sent.") % {"m": mailing}, messages.WARNING
                )
        return None

    @admin.action(description=_("Schedule at the chosen time"), permissions=["change"])
    def schedule(self, request, queryset):
        for mailing in queryset:
            if not mailing.scheduled_at:
                self.message_user(
                    request, _("%(m)s: set “send at” first.") % {"m": mailing}, messages.ERROR
                )
                continue
            try:
                mailing_services.mailing_schedule(
                    mailing=mailing, at=mailing.scheduled_at, actor=request.user
                )
            except mailing_services.MailingError as error:
                self.message_user(request, str(error), messages.ERROR)

    def _each(self, request, queryset, change, done, not_done):
        for mailing in queryset:
            if change(mailing=mailing, actor=request.user):
                self.message_user(request, done % {"m": mailing}, messages.SUCCESS)
            else:
                self.message_user(request, not_done % {"m": mailing}, messages.WARNING)

    @admin.action(description=_("Pause sending"), permissions=["change"])
    def pause_sending(self, request, queryset):
        self._each(
            request,
            queryset,
            mailing_services.mailing_pause,
            _("%(m)s: paused; nothing more is sent until it is resumed."),
            _("%(m)s: only a mailing that is sending can be paused."),
        )

    @admin.action(description=_("Resume sending"), permissions=["change"])
    def resume_sending(self, request, queryset):
        self._each(
            request,
            queryset,
            mailing_services.mailing_resume,
            _("%(m)s: sending resumed."),
            _("%(m)s: only a paused mailing can be resumed."),
        )

    @admin.action(description=_("Cancel sending"), permissions=["change"])
    def cancel_sending(self, request, queryset):
        self._each(
            request,
            queryset,
            mailing_services.mailing_cancel,
            _("%(m)s: cancelled; nothing more of it is sent."),
            _("%(m)s: already sent or cancelled."),
        )


@admin.register(DownloadCount)
class DownloadCountAdmin(AccessibleModelAdmin):
    list_display = ["file", "day", "count"]
    list_filter = ["day"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
