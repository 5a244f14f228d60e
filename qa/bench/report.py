"""Writing ``qa bench`` results: one JSON, a Markdown report and a PNG plot."""

from __future__ import annotations

import json
from pathlib import Path

MB = 1024 * 1024


def write(results: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "bench.json", out / "bench.md"]
    paths[0].write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    paths[1].write_text(markdown(results), encoding="utf-8")
    if results.get("scale"):
        paths.append(out / "bench.png")
        plot(results, paths[2])
    return paths


def markdown(r: dict) -> str:
    lines = [f"# qa bench ({r['machine']})", "", r.get("note", ""), ""]
    if r.get("indexing"):
        from .indexing import markdown as indexing_markdown

        lines += indexing_markdown(r["indexing"])
    enc = r.get("encoders")
    if enc:
        lines += ["## Encoder paths", "",
                  f"Throughput on {enc['throughput'][0]['passages']} passages cut from the dev contexts "
                  "(≤ max_passage_chars each), the two paths taking turns chunk by chunk, no cache:", "",
                  "| encoder | passages/s | speed-up |", "|---|---|---|"]
        base = enc["throughput"][0]["per_second"]
        for t in enc["throughput"]:
            lines.append(f"| {t['encoder']} | {t['per_second']:.2f} | {t['per_second'] / base:.2f}× |")
        if enc.get("recall"):
            lines += ["", "| dataset | encoder | questions | R@1 | R@5 |", "|---|---|---|---|---|"]
            for x in enc["recall"]:
                lines.append(f"| {x['dataset']} | {x['encoder']} | {x['questions']} | {100 * x['r1']:.2f} | "
                             f"{100 * x['r5']:.2f} |")
        lines.append("")
    scale = r.get("scale")
    if scale:
        lines += ["## Ask latency by stage (ms, p50 / p95)", "", r.get("corpus_note", ""), "",
                  "| passages | vectors | dense index | embed | dense | bm25 | fusion | reader | total | recall@10 "
                  "| load avg |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for s in scale:
            kinds = dict(s["latency"])
            if s.get("latency_milvus"):
                kinds["milvus-lite"] = s["latency_milvus"]
            for kind, lat in kinds.items():
                cells = " | ".join(f"{lat[st]['p50']:.1f} / {lat[st]['p95']:.1f}"
                                   for st in ("embed", "dense", "bm25", "fusion", "reader", "total"))
                rec = s["recall_at_10"] if kind == "ivf" else 1.0  # flat and Milvus FLAT are exact
                load = f"{s['load_average']:.1f}" if "load_average" in s else "–"
                lines.append(f"| {s['passages']:,} | {s['vectors']} | {kind} | {cells} | {rec:.3f} | {load} |")
        lines += ["", "Serving memory: RSS of a fresh process that opened the index as `qa serve` does and "
                  "asked 50 questions (index files are memory-mapped: what asking touched counts); per passage: "
                  "its growth from the size before, over the passages added.", "",
                  "| passages | build s | RSS serving (MB) | bytes/passage in RAM | disk: meta / dense (kind "
                  "built) / lexical (MB) | disk bytes/passage | IVF serialized (MB) |",
                  "|---|---|---|---|---|---|---|"]
        previous = None
        for s in scale:
            d = s["disk_bytes"]
            rss = s.get("rss_serving")
            per = (rss - previous[1]) / (s["passages"] - previous[0]) if rss and previous else None
            lines.append(f"| {s['passages']:,} | {s['build_seconds']:.0f} | "
                         f"{f'{rss / MB:.0f}' if rss else '–'} | {f'{per:.0f}' if per is not None else '–'} | "
                         f"{d['meta'] / MB:.0f} / {d['dense'] / MB:.0f} ({s['dense_kind']}) / {d['lexical'] / MB:.0f} | "
                         f"{sum(d.values()) / s['passages']:.0f} | {s['ivf_bytes'] / MB:.0f} |")
            previous = (s["passages"], rss) if rss else None
        milvus = [s for s in scale if s.get("milvus")]
        if milvus:
            lines += ["", "Milvus Lite (`QA_STORE=milvus`, FLAT index, BM25 as sparse vectors):", "",
                      "| passages | build s | disk: meta / Milvus Lite file (MB) |", "|---|---|---|"]
            for s in milvus:
                d = s["milvus"]["disk_bytes"]
                lines.append(f"| {s['passages']:,} | {s['milvus']['build_seconds']:.0f} | {d['meta'] / MB:.0f} / "
                             f"{d['dense'] / MB:.0f} |")
        lines.append("")
    if r.get("cold_start"):
        c = r["cold_start"]
        lines += ["## Cold start", "",
                  f"`qa serve` on {c['passages']:,} passages, fresh process, model cached: the page served (its HTML "
                  f"fetched over HTTP) after best {c['best']:.2f} s, median {c['median']:.2f} s (runs: "
                  f"{', '.join(f'{t:.2f}' for t in c['runs'])})."]
        if "warm_median" in c:
            lines += ["", f"The model and tokenizer, jieba's dictionary and tagger (loaded after the page is up) "
                      f"ready after {c['warm_median']:.2f} s, the first answer after {c['first_answer_median']:.2f} s "
                      f"(medians; runs: {', '.join(f'{t:.2f}' for t in c['first_answer_runs'])}). "
                      f"Heavy modules imported: {c['heavy_modules'].replace('-', 'none')}. "
                      + (f"Peak RSS of the serving process: {c['peak_rss'] / MB:.0f} MB. " if "peak_rss" in c else "") +
                      f"Load average meanwhile: {c['load_average']:.1f}."]
        lines.append("")
    lines += [f"Peak memory of the benchmark process: {r['peak_rss'] / MB:.0f} MB.", ""]
    return "\n".join(lines)


def plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = r["scale"]
    sizes = [s["passages"] for s in scale]
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4))
    for kind, style in (("flat", "-o"), ("ivf", "--s")):
        for q in ("p50", "p95"):
            ys = [s["latency"].get(kind, {}).get("total", {}).get(q) for s in scale]
            if any(y is not None for y in ys):
                a.plot(sizes, ys, style, label=f"{kind} {q}")
    for q in ("p50", "p95"):
        ys = [s.get("latency_milvus", {}).get("total", {}).get(q) for s in scale]
        if any(y is not None for y in ys):
            a.plot(sizes, ys, ":^", label=f"milvus-lite {q}")
    a.set_xscale("log"), a.set_xlabel("passages"), a.set_ylabel("ask latency (ms)"), a.legend()
    a.set_title("ask latency")
    if all(s.get("rss_serving") for s in scale):
        b.plot(sizes, [s["rss_serving"] / MB for s in scale], "-o", label="RSS serving")
    b.plot(sizes, [sum(s["disk_bytes"].values()) / MB for s in scale], "--s", label="index on disk")
    b.set_xscale("log"), b.set_xlabel("passages"), b.set_ylabel("MB"), b.legend(), b.set_title("memory")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
