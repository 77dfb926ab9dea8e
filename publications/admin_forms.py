import re

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .models import PublicationFile

# A BCP 47 tag as the library uses them: language, optional script and region.
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


class PublicationFileForm(forms.ModelForm):
    """Each upload is checked by its content and cleaned before it is stored."""

    class Meta:
        model = PublicationFile
        fields = ["language", "file"]

    def clean_language(self):
        language = self.cleaned_data["language"].strip()
        if not BCP47.match(language):
            raise forms.ValidationError(_("Use a language tag such as en, fr, pt-BR or zh-Hant."))
        return language

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not isinstance(upload, UploadedFile):
            return upload
        from .file_checks import check_publication_file

        checked = check_publication_file(
            data=upload.read(), max_bytes=settings.PUBLICATION_MAX_UPLOAD_BYTES
        )
        self.instance.format = checked.format
        self.instance.size = checked.size
        self.instance.sha256 = checked.sha256
        return ContentFile(checked.content, name=f"upload.{checked.format}")


class PublicationFileFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # self.instance carries the values just submitted for the publication.
        if not self.instance.endorsed:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("file") and not form.cleaned_data.get("DELETE")
        ]
        if kept:
            raise forms.ValidationError(
                _(
                    "An endorsed external resource is a link to the publisher's copy: "
                    "remove its files, or untick “endorsed external resource”."
                )
            )


class PublicationAdminForm(forms.ModelForm):
    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            from .cover_images import cover_cleaned

            return cover_cleaned(data=cover.read(), max_bytes=10 * 1024 * 1024)
        return cover


class SubscriberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: email, name, language, audiences (separated by ;)."),
    )
    consent_record = forms.CharField(
        label=_("Where their consent is recorded"),
        max_length=200,
        help_text=_("e.g. “2026 donors list, consent forms kept by the secretariat”."),
    )


class TestSendForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
