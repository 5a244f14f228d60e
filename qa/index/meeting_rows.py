"""Meeting rows in an index generation's SQLite: written per file, read all at once.

Each file's meetings (qa.ingest.meetings) are stored as JSON rows under the file's name, so an
incremental update replaces the rows of the files it re-reads and keeps the others. Rows are
stored unmerged; reprints merge when the table is read (qa.ingest.meeting_merge). These few
functions are all a backend needs to hold meetings (a Milvus backend can keep the same rows).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

from ..ingest.meetings import EXTRACTOR_VERSION, Meeting, MeetingSource

SCHEMA = """
CREATE TABLE IF NOT EXISTS meetings (source TEXT, position INTEGER, row TEXT);
CREATE INDEX IF NOT EXISTS meetings_source ON meetings (source);
CREATE TABLE IF NOT EXISTS meeting_files (source TEXT PRIMARY KEY, version INTEGER);
"""


def ensure_tables(db: sqlite3.Connection) -> None:
    db.executescript(SCHEMA)


def write_meetings(db: sqlite3.Connection, source: str, meetings: list[Meeting] | None) -> None:
    """Replace the rows of ``source``; ``None`` forgets the file (removed), ``[]`` = none found."""
    db.execute("DELETE FROM meetings WHERE source = ?", (source,))
    db.execute("DELETE FROM meeting_files WHERE source = ?", (source,))
    if meetings is None:
        return
    db.executemany("INSERT INTO meetings VALUES (?,?,?)",
                   [(source, i, json.dumps(asdict(m), ensure_ascii=False)) for i, m in enumerate(meetings)])
    db.execute("INSERT INTO meeting_files VALUES (?, ?)", (source, EXTRACTOR_VERSION))


def read_meetings(db: sqlite3.Connection) -> list[Meeting]:
    """Every file's rows, in file and document order (unmerged). An index without the table has none."""
    try:
        rows = db.execute("SELECT row FROM meetings ORDER BY source, position").fetchall()
    except sqlite3.OperationalError:  # a generation written before meetings were stored
        return []
    return [meeting_from_dict(json.loads(r[0])) for r in rows]


def stale_sources(db: sqlite3.Connection) -> list[str]:
    """Indexed files whose meetings were never extracted, or by an older extractor."""
    rows = db.execute(
        "SELECT f.source FROM files f LEFT JOIN meeting_files m ON m.source = f.source "
        "WHERE m.version IS NULL OR m.version != ? ORDER BY f.source", (EXTRACTOR_VERSION,))
    return [r[0] for r in rows]


def meeting_from_dict(data: dict) -> Meeting:
    def sources(key: str) -> list[MeetingSource]:
        return [MeetingSource(**{**s, "chair_span": tuple(s["chair_span"]) if s.get("chair_span") else None})
                for s in data.get(key, [])]

    return Meeting(**{**data, "sources": sources("sources"), "evidence": sources("evidence")})
