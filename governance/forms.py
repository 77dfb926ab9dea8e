from django import forms
from django.utils.translation import gettext_lazy as _

from inpud_portal.text import list_separator

from .models import Candidate, Election


class NominationForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Candidate"), queryset=None, empty_label=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: p.display_name


class CandidacyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I accept and stand")), ("decline", _("I decline"))],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Candidate statement"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Shown to voters; written in the language of this page."),
    )


class BallotForm(forms.Form):
    """One ballot form for every method: a single choice, approvals, or ranks."""

    def __init__(self, *args, election: Election, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.candidates = candidates
        options = [(str(c.pk), c.person.display_name) for c in candidates]
        if election.method == Election.Method.PLURALITY:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Your choice"), choices=options, widget=forms.RadioSelect
            )
        elif election.method == Election.Method.APPROVAL:
            self.fields["choice"] = forms.MultipleChoiceField(
                label=_("Candidates you approve of"),
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Tick every candidate you would accept."),
            )
        else:
            ranks = [("", "–")] + [(str(n), str(n)) for n in range(1, len(candidates) + 1)]
            for candidate in candidates:
                self.fields[f"rank_{candidate.pk}"] = forms.TypedChoiceField(
                    label=candidate.person.display_name,
                    choices=ranks,
                    coerce=int,
                    required=False,
                    empty_value=None,
                )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.election.method == Election.Method.PLURALITY:
            data["choices"] = [int(data["choice"])]
        elif self.election.method == Election.Method.APPROVAL:
            data["choices"] = [int(pk) for pk in data["choice"]]
        else:
            data["choices"] = self._ranking(data)
        return data

    def _ranking(self, data) -> list[int]:
        ranked = {
            c.pk: data[f"rank_{c.pk}"]
            for c in self.candidates
            if data.get(f"rank_{c.pk}") is not None
        }
        ranks = sorted(ranked.values())
        if not ranks:
            raise forms.ValidationError(_("Rank at least one candidate (1 is your first choice)."))
        if len(set(ranks)) != len(ranks):
            self._name_clashes(ranked)
            return []
        if ranks != list(range(1, len(ranks) + 1)):
            raise forms.ValidationError(_("Ranks must follow each other without gaps: 1, 2, 3…"))
        return [pk for pk, _rank in sorted(ranked.items(), key=lambda item: item[1])]

    def _name_clashes(self, ranked: dict[int, int]) -> None:
        """Each candidate sharing a rank gets the error on their own field, naming the
        others, so a voter (and a screen reader) finds every field to change."""
        names = {c.pk: c.person.display_name for c in self.candidates}
        for rank in sorted(set(ranked.values())):
            sharing = [pk for pk, r in ranked.items() if r == rank]
            if len(sharing) < 2:
                continue
            for pk in sharing:
                others = list_separator().join(names[o] for o in sharing if o != pk)
                self.add_error(
                    f"rank_{pk}",
                    _(
                        "Rank %(rank)d is also given to %(others)s. "
                        "Each rank can be given to one candidate only."
                    )
                    % {"rank": rank, "others": others},
                )


class TrusteeKeyForm(forms.Form):
    key = forms.CharField(
        label=_("Your trustee key"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The key you collected before voting opened, as you wrote it down."),
    )
