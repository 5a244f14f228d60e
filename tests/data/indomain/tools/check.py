#!/usr/bin/env python3
"""Check questions.jsonl against docs/: exact-substring gold answers, unique ids, valid kinds."""
import json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = {"who-chaired", "who", "when", "time", "where", "number", "which-meeting",
         "what", "title", "unanswerable"}
docs = {}
for name in sorted(os.listdir(os.path.join(ROOT, "docs"))):
    with open(os.path.join(ROOT, "docs", name), encoding="utf-8") as f:
        docs[name] = f.read()

errors, ids, counts = [], set(), {}
n_en = n_trad = 0
TRAD = set("這個們來時會議誰說區縣鄉鎮長書記幾點開為與國發經實預計舉審議過參處級資項單")
with open(os.path.join(ROOT, "questions.jsonl"), encoding="utf-8") as f:
    lines = [l for l in f if l.strip()]
for i, line in enumerate(lines, 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        errors.append("line %d: bad JSON (%s)" % (i, e)); continue
    qid = o.get("id")
    if not qid or qid in ids:
        errors.append("line %d: missing or duplicate id %r" % (i, qid))
    ids.add(qid)
    kind = o.get("kind")
    if kind not in KINDS:
        errors.append("%s: invalid kind %r" % (qid, kind))
    counts[kind] = counts.get(kind, 0) + 1
    q, ans, doc = o.get("question", ""), o.get("answers"), o.get("doc")
    if not q or not isinstance(ans, list):
        errors.append("%s: missing question or answers list" % qid); continue
    if all(ord(c) < 128 for c in q):
        n_en += 1
    elif any(c in TRAD for c in q):
        n_trad += 1
    if kind == "unanswerable":
        if ans or doc:
            errors.append("%s: unanswerable must have answers [] and doc null" % qid)
        continue
    if not ans:
        errors.append("%s: answerable question without gold" % qid)
    if o.get("all") and kind != "which-meeting" and len(ans) < 2:
        errors.append("%s: 'all' with a single answer outside which-meeting" % qid)
    if doc is not None and doc not in docs:
        errors.append("%s: unknown doc %r" % (qid, doc)); continue
    for a in ans:
        if doc is not None:
            if a not in docs[doc]:
                errors.append("%s: gold %r not in %s" % (qid, a, doc))
        elif not any(a in t for t in docs.values()):
            errors.append("%s: gold %r not in any document" % (qid, a))

print("documents: %d" % len(docs))
print("questions: %d (English %d, traditional %d)" % (len(lines), n_en, n_trad))
for k in sorted(counts):
    print("  %-14s %d" % (k, counts[k]))
if errors:
    print("ERRORS (%d):" % len(errors)); print("\n".join("  " + e for e in errors)); sys.exit(1)
print("OK: all gold answers are exact substrings; ids unique; kinds valid")
