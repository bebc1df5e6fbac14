"""The transparency log: an append-only Merkle tree log in the manner of RFC 9162."""

from truceline.ledger.log import (
    AppendResult,
    append_entries,
    append_entry,
    consistency_proof,
    inclusion_proof,
    init_log,
    latest_head,
)
from truceline.ledger.proofs import (
    ConsistencyProof,
    InclusionProof,
    check_consistency_proof,
    check_inclusion_proof,
    head_from_json,
)
from truceline.ledger.records import Entry, TreeHead
from truceline.ledger.verify import VerificationReport, check_log, verify_log

__all__ = [
    "AppendResult",
    "ConsistencyProof",
    "Entry",
    "InclusionProof",
    "TreeHead",
    "VerificationReport",
    "append_entries",
    "append_entry",
    "check_consistency_proof",
    "check_inclusion_proof",
    "check_log",
    "consistency_proof",
    "head_from_json",
    "inclusion_proof",
    "init_log",
    "latest_head",
    "verify_log",
]
