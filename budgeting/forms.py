from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from budgeting.models import Fund, Proposal, Vote
from groups.models import Group
from people.models import Area

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
DATE_HINT = "For example, 1 4 2027 or 2027-04-01"


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, help_text=DATE_HINT, input_formats=DATE_FORMATS)


def _money(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("1"),
        max_digits=12,
        decimal_places=2,
        help_text=help_text,
        error_messages={"invalid": f"Enter {label.lower()} as an amount of money, like 3000 or 2500.50"},
    )


class FundForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, help_text="For example, Estate improvements 2027")
    slug = forms.SlugField(
        label="Web address",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, for example estate-improvements-2027",
    )
    summary = forms.CharField(label="What the money is for", widget=forms.Textarea(attrs={"rows": 4}))
    criteria = forms.CharField(
        label="Criteria an idea must meet",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One on each line, for example: Benefits residents of the estate",
    )
    total = _money("Total in the fund, in pounds")
    max_award = _money(
        "Most one idea can receive, in pounds", required=False, help_text="Leave blank if there is no limit"
    )
    areas = forms.ModelMultipleChoiceField(
        label="Which areas or estates can vote?",
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for every household of the landlord",
    )
    proposals_open = _date("Ideas open")
    proposals_close = _date("Ideas close")
    voting_open = _date("Voting opens")
    voting_close = _date("Voting closes")
    votes_per_household = forms.IntegerField(
        label="Ideas each household can vote for", min_value=1, max_value=10, initial=1
    )
    published = forms.BooleanField(label="Show this fund on the public pages", required=False)
    groups_must_be_recognised = forms.BooleanField(
        label="Take ideas from residents' groups only while the group is recognised", required=False, initial=True
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, fund: Fund) -> dict[str, Any]:
        initial = {name: getattr(fund, name) for name in cls.base_fields if name != "areas"}
        initial["areas"] = list(fund.areas.values_list("pk", flat=True))
        return initial


class ProposalForm(forms.Form):
    title = forms.CharField(
        label="Name of your idea", max_length=150, help_text="For example, New benches by the play area"
    )
    description = forms.CharField(
        label="Describe your idea",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you would like done, where, and who it would help",
    )
    cost = _money("Roughly how much it would cost, in pounds")
    area = forms.ModelChoiceField(label="Where is it?", queryset=Area.objects.none(), required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class StaffProposalForm(ProposalForm):
    group = forms.ModelChoiceField(
        label="Residents' group putting the idea forward",
        queryset=Group.objects.none(),
        required=False,
        help_text="Leave blank if the idea comes from a resident",
    )
    proposer_name = forms.CharField(
        label="Who put the idea forward",
        max_length=200,
        required=False,
        help_text="A resident's name. Leave blank for a group: its name is used",
    )

    def __init__(self, *args: Any, areas: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, areas=areas, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class CheckForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label="Does the idea meet the criteria?",
        choices=[("yes", "Yes, put it on the ballot"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the idea meets the criteria"},
    )
    notes = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when it does not: the person who put it forward will be told",
    )


class ProgressForm(forms.Form):
    text = forms.CharField(label="What has happened", widget=forms.Textarea(attrs={"rows": 4}))
    complete = forms.BooleanField(label="The work is finished", required=False)


class HouseholdForm(forms.Form):
    """A voter says which household they are; all three must match the housing records."""

    tenancy_reference = forms.CharField(
        label="Tenancy reference",
        max_length=40,
        help_text="This is on your rent statement or tenancy agreement",
        error_messages={"required": "Enter your tenancy reference"},
    )
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={"required": "Enter your postcode"})
    last_name = forms.CharField(
        label="Your last name", max_length=100, error_messages={"required": "Enter your last name"}
    )


class BallotForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        label="Which ideas do you vote for?",
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one idea"},
    )

    def __init__(self, *args: Any, fund: Fund, ballot: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposals"]
        field.queryset = ballot  # type: ignore[attr-defined]
        n = fund.votes_per_household
        if n == 1:
            # One vote: radios, so it is impossible to tick two.
            self.fields["proposals"] = forms.ModelChoiceField(
                label="Which idea do you vote for?",
                queryset=ballot,
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Choose an idea"},
            )
        else:
            field.help_text = f"Choose up to {n} ideas"

    def chosen(self) -> list[Proposal]:
        value = self.cleaned_data["proposals"]
        return list(value) if not isinstance(value, Proposal) else [value]


class PaperBallotForm(BallotForm):
    tenancy_reference = forms.CharField(label="Tenancy reference on the ballot paper", max_length=40)
    method = forms.ChoiceField(
        label="How the vote was cast",
        choices=[c for c in Vote.Method.choices if c[0] != Vote.Method.ONLINE],
        widget=forms.RadioSelect,
        initial=Vote.Method.PAPER,
    )
