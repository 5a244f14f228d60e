"""``qa meetings [--json|--csv] [--person NAME] [--text TEXT]``: the meeting table on the console."""

from __future__ import annotations

import json
import sys

from ..answer.meetings import as_dict, csv_text
from ..config import Config


def run(args, config: Config, open_bot) -> int:
    """Print what ``Bot.meetings`` returns; exit status 1 when no meeting fits the filters."""
    bot = open_bot(config)
    rows = bot.meetings(person=args.person, text=args.text)
    if args.json:
        print(json.dumps([as_dict(m) for m in rows], ensure_ascii=False, indent=2))
    elif args.csv:
        sys.stdout.write(csv_text(rows))
    else:
        for i, m in enumerate(rows, 1):
            print(_line(i, m))
        print(f"{len(rows)} meetings" + (" (filtered)" if args.person or args.text else ""))
    return 0 if rows else 1


def _line(i: int, m) -> str:
    parts = [f"[{i}] {m.date or '—'}  {m.name}"]
    if m.chair:
        parts.append(f"主持 chair: {m.chair}")
    if m.attendees:
        parts.append(f"参加 attendees: {'、'.join(m.attendees)}")
    if m.speakers:
        parts.append(f"讲话 speakers: {'、'.join(m.speakers)}")
    if m.place:
        parts.append(f"地点 place: {m.place}")
    parts.append("来源 sources: " + "; ".join(f"{s.source} ¶{s.paragraph} [{s.start}:{s.end}]" for s in m.sources))
    if m.mentioned:
        parts.append("(提及 mentioned in passing)")
    return "\n    ".join(parts)
