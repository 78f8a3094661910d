"""Ready-made procedures a landlord loads and then edits (`services.procedure_load_preset`).

- `chc-2024`: the Housing Ombudsman's Complaint Handling Code (2024): exactly two stages. Stage 1
  acknowledged within 5 working days of receipt and answered within 10 working days of the
  acknowledgement, extendable by up to 10; stage 2 acknowledged within 5 working days of the
  escalation request and answered within 20 working days of the acknowledgement, extendable by up
  to 20, decided by someone other than the stage 1 decider. An extension is told to the resident
  in writing, with reasons, before the original deadline. Complaints are accepted within 12 months
  of the issue. Then the Ombudsman.
- `oxford-concerns`: the Oxford tenant compact's concerns process (seed 000): step 1 answered in
  10 working days; then either 2a, the Involvement Monitoring Panel at its next meeting with a
  written response within 10 working days of that meeting, or 2b, a Customer Services Officer in
  10 working days.
- `poole`: Poole's procedure (seed 003): the Resident Involvement Officer, then the Chair of the
  Housing Strategy Panel at a panel meeting the resident is invited to, then the complaints
  procedure's stages 1 to 3 (Complaints Officer, Senior Manager, Chief Executive), then the
  Ombudsman. Poole's compact gives no timescales of its own for the first two steps, so the
  Code's are used; the landlord edits them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from complaints.models import Procedure, Stage

K = Procedure.Kind
C = Stage.Clock


@dataclass(frozen=True)
class StageSpec:
    code: str
    name: str
    handler: str
    acknowledge_days: int | None = None
    respond_days: int | None = None
    respond_from: str = C.RECEIPT
    extension_days: int = 0
    extension_needs_reasons: bool = False
    different_decider: bool = False
    external: bool = False
    next_stages: tuple[str, ...] = ()
    # The name of the landlord's group that considers cases at this stage (matched by name).
    group_name: str = ""
    # Which of the Code's stages it counts as in the TSM return (CH01, CH02).
    tsm_stage: int | None = None


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    kind: str
    stages: tuple[StageSpec, ...]
    accept_within_months: int | None = None
    description: str = field(default="", compare=False)


# The Code's two stages; Poole's complaints procedure uses the same timescales for its stages 1 and 2.
CODE_STAGE_1 = StageSpec(
    "stage-1",
    "Stage 1",
    "Complaints Officer",
    acknowledge_days=5,
    respond_days=10,
    respond_from=C.ACKNOWLEDGEMENT,
    extension_days=10,
    extension_needs_reasons=True,
    next_stages=("stage-2",),
    tsm_stage=1,
)
CODE_STAGE_2 = StageSpec(
    "stage-2",
    "Stage 2",
    "A senior manager who did not decide stage 1",
    acknowledge_days=5,
    respond_days=20,
    respond_from=C.ACKNOWLEDGEMENT,
    extension_days=20,
    extension_needs_reasons=True,
    different_decider=True,
    next_stages=("ombudsman",),
    tsm_stage=2,
)

OMBUDSMAN = StageSpec(
    "ombudsman", "Housing Ombudsman", "Housing Ombudsman Service (outside the landlord)", external=True
)

PRESETS: dict[str, ProcedureSpec] = {
    "chc-2024": ProcedureSpec(
        "complaints",
        "Complaints (Housing Ombudsman's Complaint Handling Code, 2024)",
        K.COMPLAINTS,
        (
            CODE_STAGE_1,
            CODE_STAGE_2,
            OMBUDSMAN,
        ),
        accept_within_months=12,
    ),
    "oxford-concerns": ProcedureSpec(
        "compact-concerns",
        "Concerns that the tenant compact is not being kept",
        K.CONCERNS,
        (
            StageSpec(
                "step-1",
                "Step 1",
                "The officer responsible for the commitment",
                respond_days=10,
                next_stages=("step-2a", "step-2b"),
            ),
            StageSpec(
                "step-2a",
                "Step 2a: Involvement Monitoring Panel",
                "Involvement Monitoring Panel, at its next meeting",
                respond_days=10,
                respond_from=C.MEETING,
                group_name="Involvement Monitoring Panel",
            ),
            StageSpec("step-2b", "Step 2b: Customer Services", "Customer Services Officer", respond_days=10),
        ),
    ),
    "poole": ProcedureSpec(
        "poole-concerns",
        "Concerns and complaints (Poole procedure)",
        K.COMPLAINTS,
        (
            StageSpec(
                "officer",
                "Resident Involvement Officer",
                "Resident Involvement Officer",
                acknowledge_days=5,
                respond_days=10,
                next_stages=("panel-chair",),
            ),
            StageSpec(
                "panel-chair",
                "Chair of the Housing Strategy Panel",
                "Chair of the Housing Strategy Panel, at a panel meeting the resident is invited to",
                respond_days=10,
                respond_from=C.MEETING,
                group_name="Housing Strategy Panel",
                next_stages=("stage-1",),
            ),
            replace(CODE_STAGE_1, name="Complaints stage 1"),
            replace(CODE_STAGE_2, name="Complaints stage 2", handler="Senior Manager", next_stages=("stage-3",)),
            StageSpec(
                "stage-3",
                "Complaints stage 3",
                "Chief Executive",
                acknowledge_days=5,
                respond_days=20,
                respond_from=C.ACKNOWLEDGEMENT,
                different_decider=True,
                next_stages=("ombudsman",),
            ),
            OMBUDSMAN,
        ),
        accept_within_months=12,
    ),
}
