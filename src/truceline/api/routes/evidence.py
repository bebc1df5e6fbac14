"""/cases/{case_id}/evidence: upload a file as evidence (multipart) and list a case's items.

The upload is kept as the CLI keeps a file: copied into the content-addressed evidence
directory under its SHA-256, with a chain-of-custody entry naming the uploading user.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile

from truceline.api import visibility
from truceline.api.deps import StateDep, WindowDep, require
from truceline.api.errors import AUTH_ERRORS, BAD_BODY, CONFLICT, NOT_FOUND, TOO_LARGE
from truceline.api.models.commission import EvidenceListPublic, EvidencePublic
from truceline.api.models.common import Id, Text
from truceline.api.roles import Principal, Role
from truceline.app import evidence as evidence_ops
from truceline.domain.commission import EvidenceKind

router = APIRouter(prefix="/cases/{case_id}/evidence", tags=["evidence"])
UPLOADERS = (Role.MONITOR, Role.ANALYST, Role.COMMISSIONER)
READERS = (Role.ANALYST, Role.COMMISSIONER)
CaseId = Annotated[Id, Path(description="Case id, e.g. C-0001.")]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@router.post(
    "",
    response_model=EvidencePublic,
    status_code=201,
    responses=AUTH_ERRORS | BAD_BODY | NOT_FOUND | CONFLICT | TOO_LARGE,
)
def upload_evidence(
    case_id: CaseId,
    file: Annotated[UploadFile, File(description="The evidence file.")],
    caller: Annotated[Principal, require(*UPLOADERS)],
    state: StateDep,
    description: Annotated[Text, Form(description="What the file shows.")] = "",
) -> EvidencePublic:
    """Add an uploaded file to a case (hashed, kept, custody recorded)."""
    with tempfile.TemporaryDirectory(prefix="truceline-upload-") as tmp:
        path = FilePath(tmp) / safe_file_name(file.filename)
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out)
        with state.writing():
            item = evidence_ops.add_evidence(
                state.engine,
                case_id=case_id,
                actor=caller.name,
                kind=EvidenceKind.FILE,
                target=str(path),
                evidence_dir=state.settings.output_dir / "evidence",
                description=description,
            )
    return EvidencePublic.model_validate(item)


@router.get("", response_model=EvidenceListPublic, responses=AUTH_ERRORS | NOT_FOUND)
def list_evidence(
    case_id: CaseId,
    _caller: Annotated[Principal, require(*READERS)],
    state: StateDep,
    window: WindowDep,
) -> EvidenceListPublic:
    """A case's evidence items, in the order added."""
    page = visibility.evidence(state.engine, case_id, window)
    return EvidenceListPublic(
        data=[EvidencePublic.model_validate(e) for e in page.items], count=page.count
    )


def safe_file_name(name: str | None) -> str:
    """The uploaded file's name reduced to safe characters (never a path).

    >>> safe_file_name("../../etc/passwd")
    'passwd'
    >>> safe_file_name(None)
    'upload'
    """
    base = FilePath((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip("._")[:100]
    return cleaned or "upload"
