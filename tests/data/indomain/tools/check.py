#!/usr/bin/env python3
"""Checks questions.jsonl against docs/: ids unique, kinds valid, every gold answer an exact
substring of its document (or of some document when doc is null), unanswerable => answers []."""
import json, os, sys, collections

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
KINDS = {"who-chaired", "who", "when", "time", "where", "number", "which-meeting", "what",
         "title", "unanswerable"}
docs = {}
for name in sorted(os.listdir(os.path.join(ROOT, "docs"))):
    with open(os.path.join(ROOT, "docs", name), encoding="utf-8") as f:
        docs[name] = f.read()

errors, ids, kinds = [], set(), collections.Counter()
n = 0
with open(os.path.join(ROOT, "questions.jsonl"), encoding="utf-8") as f:
    for lineno, line in enumerate(f, 1):
        if not line.strip():
            continue
        n += 1
        try:
            q = json.loads(line)
        except ValueError as e:
            errors.append("line %d: bad JSON: %s" % (lineno, e)); continue
        qid = q.get("id")
        if not qid or qid in ids:
            errors.append("line %d: missing or duplicate id %r" % (lineno, qid))
        ids.add(qid)
        for key in ("question", "answers", "kind", "doc"):
            if key not in q:
                errors.append("%s: missing field %s" % (qid, key))
        kind, answers, doc = q.get("kind"), q.get("answers", []), q.get("doc")
        kinds[kind] += 1
        if kind not in KINDS:
            errors.append("%s: invalid kind %r" % (qid, kind))
        if not isinstance(answers, list) or not all(isinstance(a, str) and a for a in answers):
            errors.append("%s: answers must be a list of non-empty strings" % qid); continue
        if (kind == "unanswerable") != (answers == []):
            errors.append("%s: kind unanswerable iff answers == []" % qid)
        if "all" in q and q["all"] is not True:
            errors.append("%s: all must be true when present" % qid)
        if doc is not None and doc not in docs:
            errors.append("%s: unknown doc %r" % (qid, doc)); continue
        for a in answers:
            if doc is not None:
                if a not in docs[doc]:
                    errors.append("%s: %r is not a substring of %s" % (qid, a, doc))
            elif not any(a in t for t in docs.values()):
                errors.append("%s: %r is in no document" % (qid, a))

print("%d documents, %d questions" % (len(docs), n))
for k in sorted(kinds):
    print("  %-14s %d" % (k, kinds[k]))
if errors:
    print("%d ERRORS" % len(errors))
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK: all ids unique, kinds valid, every gold answer is an exact substring of its document")
