# Checks questions.jsonl against docs/: every gold answer is an exact substring of its
# document (for which-meeting/all questions: of at least one of the listed documents,
# and every listed document holds at least one gold string); prints counts per kind.
import json, os, collections, re
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
docs = {n: open(os.path.join(root, "docs", n), encoding="utf-8").read()
        for n in sorted(os.listdir(os.path.join(root, "docs")))}
rows = [json.loads(l) for l in open(os.path.join(root, "questions.jsonl"), encoding="utf-8")]
bad = 0
kinds = collections.Counter()
ids = set()
english = 0
KINDS = {"who-chaired","who","when","time","where","number","which-meeting","what","title","unanswerable"}
for r in rows:
    kinds[r["kind"]] += 1
    assert r["id"] not in ids, r["id"]; ids.add(r["id"])
    assert r["kind"] in KINDS, r
    if re.match(r"[A-Za-z]", r["question"]): english += 1
    if r["kind"] == "unanswerable":
        if r["answers"] or r["doc"] is not None:
            print("BAD unanswerable row", r["id"]); bad += 1
        continue
    if not r["answers"]:
        print("BAD no answers", r["id"]); bad += 1; continue
    names = r.get("docs") or [r["doc"]]
    for n in names:
        if n not in docs:
            print("BAD doc name", r["id"], n); bad += 1
    if r.get("all"):
        for a in r["answers"]:
            if not any(a in docs[n] for n in names):
                print("BAD", r["id"], repr(a), "not in any of", names); bad += 1
    else:
        for a in r["answers"]:
            if a not in docs[r["doc"]]:
                print("BAD", r["id"], repr(a), "not in", r["doc"]); bad += 1
        for n in names:
            if not any(a in docs[n] for a in r["answers"]):
                print("BAD", r["id"], "no gold string in", n); bad += 1
print("documents:", len(docs))
print("questions:", len(rows), " english:", english)
for k, v in sorted(kinds.items()): print("  %-14s %d" % (k, v))
print("substring check:", "OK, all gold answers found" if not bad else "%d problems" % bad)
