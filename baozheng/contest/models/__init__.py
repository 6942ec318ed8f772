"""The contest's models, by concern: structure and people, score sheets, draws and results."""

from baozheng.contest.models.results import (
    Draw,
    DrawKind,
    Notice,
    Objection,
    ObjectionStatus,
    ResultSnapshot,
)
from baozheng.contest.models.scoring import Correction, CorrectionStatus, ScoreLine, ScoreSheet
from baozheng.contest.models.structure import (
    AssignmentSource,
    Contest,
    Contestant,
    Division,
    Judge,
    JudgeGroup,
    Nomination,
    PanelSeat,
    Room,
    Rubric,
    RubricItem,
    SchoolStage,
    SchoolTeachers,
    Session,
    Stage,
    StageKind,
    TeachingClass,
    Topic,
    Venue,
    Zone,
)

__all__ = [
    "AssignmentSource", "Contest", "Contestant", "Correction", "CorrectionStatus", "Division",
    "Draw", "DrawKind", "Judge", "JudgeGroup", "Nomination", "Notice", "Objection",
    "ObjectionStatus", "PanelSeat", "ResultSnapshot", "Room", "Rubric", "RubricItem",
    "SchoolStage", "SchoolTeachers", "ScoreLine", "ScoreSheet", "Session", "Stage", "StageKind",
    "TeachingClass", "Topic", "Venue", "Zone",
]
