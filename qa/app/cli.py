"""The ``qa`` command: index, ask, serve, eval, status. A thin layer over :class:`qa.Bot`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from ..config import Config, start_corpus
from .progress import console_progress


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is ever fetched from a hub at run time
    config = Config.from_env(corpus=args.corpus, index=args.index, model=args.model, device=args.device)
    from ..index.store import IndexProblem

    if args.run in (_index, _ask, _chat, _serve, _meetings) and (started := start_corpus(config)) is not None:
        print(f"qa: your documents folder {config.corpus} was started with a copy of the {started} documents in "
              f"{config.seeds} (files you add go to {config.corpus})", file=sys.stderr)

    try:
        code = args.run(args, config)
        sys.stdout.flush()  # here, so a reader that went away (`| head`) is seen inside the try
        return code
    except (IndexProblem, FileNotFoundError) as exc:
        print(f"qa: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `qa ask --json | head`: the reader has what it wanted. No traceback; stdout goes to
        # /dev/null so the interpreter's last flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_EXIT


#: What a shell reports for a command ended by SIGPIPE (128 + 13): the reader of its output closed it.
SIGPIPE_EXIT = 141


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Answer questions about Chinese documents with quotes.")
    p.add_argument("--corpus", type=Path,
                   help="folder of documents (default: data, started from seeds on the first run; env QA_CORPUS)")
    p.add_argument("--index", type=Path, help="index folder (default: embeddings, env QA_INDEX)")
    p.add_argument("--model", help="sentence-transformers model name or path (env QA_MODEL)")
    p.add_argument("--device", help="torch device (default: cpu)")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    s = sub.add_parser("index", help="bring the index up to date with the corpus folder")
    s.add_argument("--full", action="store_true", help="rebuild everything instead of only what changed")
    s.add_argument("--watch", action="store_true", help="keep watching the folder and update on changes")
    s.add_argument("--interval", type=float, default=2.0, help="seconds between checks with --watch")
    s.add_argument("--wait", type=float, default=-1,
                   help="seconds to wait for another writer (-1: wait as long as it takes; 0: fail at once)")
    s.set_defaults(run=_index)

    s = sub.add_parser("ask", help="ask one question")
    s.add_argument("question")
    s.add_argument("-k", type=int, default=None, help="how many quotes")
    s.add_argument("--json", action="store_true", help="print the answer as JSON")
    s.set_defaults(run=_ask)

    s = sub.add_parser("chat", help="a conversation in the terminal (follow-up questions work)")
    s.add_argument("-k", type=int, default=None, help="how many quotes")
    s.add_argument("--no-color", action="store_true", help="no colours (also: NO_COLOR=1)")
    s.set_defaults(run=_chat)

    s = sub.add_parser("serve", help="start the chat page")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (0.0.0.0 opens it to the network)")
    s.add_argument("--port", type=int, default=7860)
    s.add_argument("--auth", default=None, metavar="USERS",
                   help="require a login: user:password[:editor] entries, comma-separated, or a file of them "
                        "(env QA_AUTH); only editors may add, remove or rebuild")
    s.add_argument("--allow-edits", action="store_true", default=None,
                   help="allow changing the documents without a login even beyond loopback; with --auth, "
                        "every user may (env QA_ALLOW_EDITS)")
    s.set_defaults(run=_serve)

    s = sub.add_parser("eval", help="benchmark on a SQuAD-style JSON or a seed-questions JSONL")
    s.add_argument("dataset", type=Path)
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=int, default=None, help="a fixed random sample of N questions")
    s.add_argument("--seed", type=int, default=0, help="which random sample --limit takes")
    s.add_argument("--no-answer", action="store_true", help="index half the paragraphs: refused / false_answer")
    s.add_argument("--reader-model", default=None,
                   help="reader model folder (from `qa train`; default: the shipped one)")
    s.set_defaults(run=_eval)

    s = sub.add_parser("meetings", help="the meeting table: who chaired which meeting, when, where")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true", help="print the table as JSON")
    g.add_argument("--csv", action="store_true", help="print the table as CSV")
    s.add_argument("--person", help="only meetings naming this person (chair, attendee or speaker)")
    s.add_argument("--text", help="only rows containing this text")
    s.set_defaults(run=_meetings)

    s = sub.add_parser("bench", help="speed at scale: encoder paths, ask latency by corpus size, memory, cold start")
    s.add_argument("datasets", type=Path, nargs="+", help="SQuAD-style dev sets (the first one makes the corpora)")
    s.add_argument("--out", type=Path, default=Path("bench-results"), help="folder for bench.json/.md/.png")
    s.add_argument("--sizes", default="10000,100000,1000000", help="corpus sizes, comma-separated ('' for none)")
    s.add_argument("--questions", type=int, default=200, help="questions asked per size and index kind")
    s.add_argument("--encode-sample", type=int, default=256, help="passages encoded by each encoder path")
    s.add_argument("--recall-limit", type=int, default=None, help="only the first N questions for R@1")
    s.add_argument("--skip-encoders", action="store_true", help="no throughput/R@1 of the encoder paths")
    s.add_argument("--skip-recall", action="store_true", help="throughput only, no R@1 per encoder path")
    s.add_argument("--random-from", type=int, default=2_000_000, help="random unit vectors from this size on")
    s.add_argument("--milvus", action="store_true",
                   help="also build each size in a Milvus Lite file and time asking it (needs the 'milvus' extra)")
    s.add_argument("--cold-start-size", type=int, default=100_000, help="measure qa serve's cold start at this size")
    s.add_argument("--index-contexts", type=int, default=400,
                   help="index this many contexts of the first dataset end to end, by stage (0: skip)")
    s.set_defaults(run=_bench)

    s = sub.add_parser("train", help="fit the reader's models on SQuAD-style sets (needs scikit-learn)")
    s.add_argument("datasets", type=Path, nargs="+")
    s.add_argument("--out", type=Path, default=None, help="model folder (default: the shipped qa/answer/models)")
    s.add_argument("--limit", type=int, default=None, help="a fixed random sample of N questions per set")
    s.add_argument("--span-reader", action="store_true",
                   help="train the neural span reader (a delta on the bundled encoder; needs no scikit-learn) "
                        "instead of the feature models")
    s.add_argument("--epochs", type=float, default=2.0, help="passes over the windows (--span-reader)")
    s.add_argument("--score", type=Path, default=None,
                   help="with --span-reader: then read a fixed sample of this (other) set's windows and report")
    s.set_defaults(run=_train)

    s = sub.add_parser("soak", help="load test: N HTTP clients ask qa serve for T minutes while files change")
    s.add_argument("--clients", type=int, default=16)
    s.add_argument("--minutes", type=float, default=10.0)
    s.add_argument("--every", type=float, default=5.0, help="seconds between the writer's rounds (add a file, remove an older one); qa index --watch updates the index")
    s.add_argument("--questions", type=Path, default=Path("tests/seed_questions.jsonl"),
                   help="seed questions with gold answers (JSONL: question, answers)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=_soak)

    s = sub.add_parser("status", help="what the index holds, and the last changes made from the page")
    s.add_argument("--json", action="store_true")
    s.add_argument("--changes", type=int, default=5, help="how many of the last uploads/removals/rebuilds to show")
    s.set_defaults(run=_status)
    return p


def _open_bot(config: Config):
    from ..bot import Bot

    return Bot.open(config=config, progress=console_progress())


def _index(args, config: Config) -> int:
    from ..answer.example_cache import store_examples
    from ..index.embed import Embedder
    from ..index.indexer import update_index

    embedder = Embedder.from_config(config)
    progress = console_progress()
    first, skipped = True, None
    while True:
        report = update_index(config, embedder, full=args.full, progress=progress, wait=args.wait)
        # A file newly skipped (say, caught half-written) is a change too: the index was rewritten.
        if first or report.changed_anything or sorted(report.skipped) != skipped:
            store_examples(config.index)  # now rather than at the next start of `qa serve` (seconds of jieba)
            _print_report(report)
        if not args.watch:
            return 0
        if first:
            print(f"watching {config.corpus} for changes (every {args.interval:g} s) … Ctrl+C to stop", flush=True)
            # From now on only changes are news: no "reading files" line for every look at the folder.
            progress = _without_stage(console_progress(), "read")
        first, args.full, skipped = False, False, sorted(report.skipped)
        time.sleep(args.interval)


def _without_stage(progress, stage: str):
    return lambda name, done, total: None if name == stage else progress(name, done, total)


def _print_report(report) -> None:
    for label, items in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        for source in items:
            print(f"{label:8} {source}")
    for source, reason in report.skipped:
        print(f"skipped  {source}: {reason}")
    print(
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{len(report.skipped)} skipped, {report.unchanged} unchanged; {report.embedded} passages embedded; "
        f"index {report.generation}: {report.files} files, {report.passages} passages", flush=True
    )


#: ``qa ask`` exits 0 when the documents answer, 1 when they do not, 2 when the question itself
#: is unusable (empty, too long): the same with and without --json, so scripts can branch on it.
ANSWERED, NOT_ANSWERED, BAD_QUESTION = 0, 1, 2


def _ask(args, config: Config) -> int:
    bot = _open_bot(config)
    answer = bot.ask(args.question, k=args.k)
    code = ANSWERED if answer.found else BAD_QUESTION if answer.kind == "invalid" else NOT_ANSWERED
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return code
    if code == BAD_QUESTION:
        print(f"qa: {answer.message}", file=sys.stderr)
        return code
    if not answer.found:
        print(answer.message)
        return code
    print(f"答案: {answer.answer}" if answer.answer else "答案: (见引文 / see the quotes)")
    for i, q in enumerate(answer.quotes, 1):
        marked = _mark(q.text, q.highlights, q.sentence_span)
        where = "; ".join(f"{s.source} ¶{s.paragraph}" for s in q.sources)
        print(f"\n[{i}] {where}  (score {q.score:.2f})\n    {marked}")
    return 0


def _mark(text: str, spans: list[tuple[int, int]], sentence: tuple[int, int]) -> str:
    """The quoted sentence with the answer in 【】 (plain text: works in any terminal)."""
    s, e = sentence
    out, pos = [], s
    for a, b in sorted(spans):
        if a < pos or b > e:
            continue
        out += [text[pos:a], "【", text[a:b], "】"]
        pos = b
    out.append(text[pos:e])
    return "".join(out)


def _chat(args, config: Config) -> int:
    from .chat import chat

    return chat(_open_bot(config), k=args.k, color=False if args.no_color else None)


def _serve(args, config: Config) -> int:
    from .access import Access, AuthError

    started = time.monotonic()
    config = config.replace(auth=args.auth, allow_edits=args.allow_edits)
    try:
        access = Access.from_config(config, args.host)
    except AuthError as exc:
        print(f"qa: --auth: {exc}", file=sys.stderr)
        return 2
    from .startup import port_problem

    if problem := port_problem(args.host, args.port):  # before minutes of index building, not after
        print(f"qa: {problem}", file=sys.stderr)
        return 2
    print(f"qa: {access.describe()}", file=sys.stderr, flush=True)
    print(f"qa: opening the index {config.index} for {config.corpus} …", file=sys.stderr, flush=True)
    from .startup import start

    ready = start(config, console_progress(), access)  # before web: its Gradio import overlaps the index and model loading
    from .web import serve

    return serve(ready, started, host=args.host, port=args.port)


def _eval(args, config: Config) -> int:
    from ..bench.evaluate import evaluate_no_answer, evaluate_seeds, evaluate_squad, format_squad, load_seed_questions

    config = config.replace(reader_model=args.reader_model)
    if args.dataset.suffix == ".jsonl":
        report = evaluate_seeds(_open_bot(config), load_seed_questions(args.dataset))
        if args.json:
            print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        else:
            for r in report.failures:
                print(f"FAIL {r.id} [{r.kind}] {r.question}\n     expected {r.expected}, got {r.got!r}")
            print(f"{'kind':<14} {'asked':>5} {'passed':>6} {'shown':>5} {'wrong':>5}")
            for kind, n, passed, shown, wrong in report.by_kind():
                print(f"{kind:<14} {n:>5} {passed:>6} {shown:>5} {wrong:>5}")
            print(f"passed {report.passed}/{report.total}; short answers shown wrong {report.wrong_shown:.3f}; "
                  f"unanswerable answered {report.unanswerable_answered:.3f}")
        return 0
    if args.no_answer:
        report = evaluate_no_answer(args.dataset, config, progress=console_progress(), limit=args.limit,
                                    seed=args.seed)
        print(json.dumps(asdict(report), indent=2) if args.json else
              f"refused={report.refused:.3f} ({report.answerable} answerable)  false_answer="
              f"{report.false_answer:.3f} ({report.unanswerable} unanswerable)  indexed {report.indexed_paragraphs}")
        return 0
    report = evaluate_squad(args.dataset, config, progress=console_progress(), limit=args.limit, seed=args.seed)
    print(json.dumps(asdict(report), indent=2) if args.json else format_squad(report))
    return 0


def _train(args, config: Config) -> int:
    from ..answer.model import SHIPPED

    if args.span_reader:
        from ..bench.span_training import train_span_reader

        report = train_span_reader(args.datasets, args.out or SHIPPED, epochs=args.epochs, limit=args.limit,
                                   score_on=args.score, say=lambda line: print(line, file=sys.stderr, flush=True))
        print(json.dumps(report, indent=2))
        return 0
    from ..bench.train import train_command

    report = train_command(args.datasets, args.out or SHIPPED, config, args.limit, console_progress())
    print(json.dumps(asdict(report), indent=2))
    return 0


def _meetings(args, config: Config) -> int:
    from .meetings_cli import run

    return run(args, config, _open_bot)


def _bench(args, config: Config) -> int:
    from ..bench.run import Options, run

    options = Options(datasets=args.datasets, out=args.out, questions=args.questions,
                      sizes=[int(x) for x in args.sizes.split(",") if x.strip()], encode_sample=args.encode_sample,
                      recall_limit=args.recall_limit, skip_encoders=args.skip_encoders, skip_recall=args.skip_recall,
                      random_from=args.random_from, cold_start_size=args.cold_start_size,
                      milvus=args.milvus, index_contexts=args.index_contexts)
    results = run(config, options, progress=console_progress())
    if results.get("indexing"):
        from ..bench.indexing import markdown

        print("\n".join(markdown(results["indexing"])))
    print("\n".join(results["files"]))
    return 0


def _soak(args, config: Config) -> int:
    from ..bench.soak import command

    return command(args, config)


def _status(args, config: Config) -> int:
    from ..bot import IndexStatus, format_time
    from ..index.store import Store
    from .audit import recent

    generation = Store(config.index).load()
    status = IndexStatus.of(generation, config)
    generation.close()
    if args.json:
        changes = [asdict(c) for c in recent(config.index, args.changes)]
        print(json.dumps({**asdict(status), "changes": changes}, ensure_ascii=False, indent=2))
        return 0
    print(f"index {status.index} ({status.generation}): {len(status.files)} files, {status.passages} passages, "
          f"model {status.model} (dim {status.dim}), built {format_time(status.built)}, store {status.store}")
    for source, passages in status.files:
        print(f"  {source}: {passages} passages")
    for source, reason in status.skipped:
        print(f"  skipped {source}: {reason}")
    changes = recent(config.index, args.changes)
    if changes:
        print("recent changes from the page:")
    for change in changes:
        print(f"  {change.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
