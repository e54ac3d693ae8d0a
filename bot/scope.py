"""Out-of-scope topics: personal finance, social insurance, tips, small talk.

Near-domain questions (个人房贷, 公积金, 个税) score like real ones on both dense and
sparse retrieval, so no threshold separates them (see the issue-3 notes). A curated,
admin-extendable list does: a question naming such a topic, and no enterprise matter,
is declined rather than answered with the nearest policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


class ScopeFileError(ValueError):
    """A scope file that cannot be read; the message names the file."""


def read_string_lists(
    paths: Sequence[Path], keys: Sequence[str], what: str
) -> dict[str, list[str]]:
    """The named lists of every existing file, in order: stripped, non-empty strings.

    The bundled file comes first and an admin's file in the data dir extends it, so a
    missing file is skipped; a broken one stops start-up with a message naming it.
    """
    lists: dict[str, list[str]] = {key: [] for key in keys}
    for path in paths:
        if not path.exists():
            continue
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ScopeFileError(f"{path}: cannot read {what} ({exc.__class__.__name__})") from None
        if not isinstance(data, dict):
            raise ScopeFileError(f"{path}: expected keys {' and '.join(keys)}")
        for key in keys:
            lists[key] += [str(x).strip() for x in data.get(key) or [] if str(x).strip()]
    return lists


@dataclass(frozen=True)
class Scope:
    out_of_scope: tuple[str, ...] = ()
    in_scope_markers: tuple[str, ...] = ()

    @classmethod
    def load(cls, *paths: Path) -> Scope:
        lists = read_string_lists(paths, ("out_of_scope", "in_scope_markers"), "scope file")
        out = [x.lower() for x in lists["out_of_scope"]]
        markers = [x.lower() for x in lists["in_scope_markers"]]
        return cls(tuple(dict.fromkeys(out)), tuple(dict.fromkeys(markers)))

    def topic(self, question: str) -> str | None:
        """The out-of-scope topic a question is about, unless it also names an enterprise matter."""
        q = question.lower()
        hit = next((t for t in self.out_of_scope if t in q), None)
        if hit is None:
            return None
        if any(m in q for m in self.in_scope_markers):
            return None
        return hit
