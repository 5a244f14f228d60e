"""The fast encoder path: the same sentence-transformers model run by ONNX Runtime, int8.

sentence-transformers' own ``backend="onnx"`` needs ``optimum``, whose current release pins
``transformers<5`` and would downgrade the rest of the stack; so the export is done here, with
the tools optimum uses underneath: ``torch.onnx.export`` of the model's transformer, ONNX
Runtime's transformer optimizer (fused Attention, SkipLayerNorm, BiasGelu), then
``onnxruntime.quantization.quantize_dynamic`` (per-channel int8 weights, dynamic int8
activations for every MatMul and Attention; uses VNNI where the CPU has it). Mean pooling and L2 normalisation, which the ST folder declares in ``1_Pooling`` and
``2_Normalize``, are done in numpy afterwards.

Everything is built offline from the local model folder (the rebuilt default model, or any
local sentence-transformers folder) and cached beside it as ``<folder>.onnx-v<N>/`` (written
to a temporary sibling and renamed, under a file lock, so a crash leaves nothing that looks
complete). Each text is one run, never a batch: dynamic quantisation scales a batch's
activations together (a vector would then depend on its batch-mates: cosine 0.997 with itself
encoded alone), and measured on the 2-core machine one text per run was also faster than
length-sorted batches of 8 or 16 (27.7 against 22.0 passages/s for 8).

Many texts (indexing) run as one stream per core: a second session with one thread, shared by
``threads`` worker threads that each run one text at a time (ONNX Runtime releases the GIL and
its ``Run`` is thread-safe). One two-thread run per text synchronises its threads after every
one of its ~200 small ops, a cost that grows with the cores; streams never wait for each other,
and the vectors are the same as from one run per text (integer matrix products; tested). A
single text (a question) keeps the multi-threaded session, for latency.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from filelock import FileLock

log = logging.getLogger(__name__)

#: Bump when the export or the quantisation changes, so cached exports are rebuilt.
EXPORT_VERSION = 1
#: The encoder paths: plain sentence-transformers (torch, any device) and this module's.
ENCODERS = ("torch", "onnx-int8")


def export_folder(model_dir: Path) -> Path:
    """The ONNX export of ``model_dir`` (``model_int8.onnx`` + tokenizer), built on first use."""
    model_dir = Path(model_dir)
    target = model_dir.parent / f"{model_dir.name}.onnx-v{EXPORT_VERSION}"
    if target.is_dir():
        return target
    with FileLock(str(model_dir.parent / f"{target.name}.lock")):
        if target.is_dir():
            return target
        tmp = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=model_dir.parent))
        try:
            _export(model_dir, tmp)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return target


#: The same model with its weights in a side file, which ONNX Runtime memory-maps instead of
#: parsing and copying (the fp32 word-embedding table alone is 384 MB): the session opens in
#: ~0.1 s instead of ~1 s, and only the embedding rows in use take memory. Same graph, same
#: weights, so the same vectors to the bit (tests/test_startup.py).
MAPPED = "model_int8.mapped.onnx"


def mapped_model(folder: Path) -> Path:
    """``folder/MAPPED`` (with ``MAPPED.data``), written once from ``model_int8.onnx``."""
    target = folder / MAPPED
    if target.is_file():
        return target
    with FileLock(str(folder.parent / f"{folder.name}.mapped.lock")):
        if target.is_file():
            return target
        import onnx

        model = onnx.load(str(folder / "model_int8.onnx"))
        tmp = folder / f"{MAPPED}.tmp-{os.getpid()}"
        try:
            # The .data file is named after the final model, so it is written under its final name;
            # the model file appears last, atomically, and only then is the pair used.
            onnx.save_model(model, str(tmp), save_as_external_data=True, all_tensors_to_one_file=True,
                            location=f"{MAPPED}.data", size_threshold=1024)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


def _export(model_dir: Path, out: Path) -> None:
    # Said on stderr whatever the logging set-up, like the model build: the first run would sit silent.
    print(f"qa: exporting the model to int8 ONNX into {out.parent} (about a minute, once)", file=sys.stderr, flush=True)
    with warnings.catch_warnings(), _quiet_root_logger():  # the exporters' advice is not for our users
        warnings.simplefilter("ignore")
        _export_quietly(model_dir, out)


@contextlib.contextmanager
def _quiet_root_logger():
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _export_quietly(model_dir: Path, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel

    # Eager attention exports as plain MatMul/Softmax, which the optimizer fuses into one Attention op.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class _Hidden(torch.nn.Module):  # only the last hidden state: pooling is done in numpy
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    fp32 = out / "fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            _Hidden(model), (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                          "last_hidden_state": {0: "batch", 1: "seq"}},
        )
    fused = out / "fused.onnx"
    config = model.config
    optimizer.optimize_model(str(fp32), model_type="bert", num_heads=config.num_attention_heads,
                             hidden_size=config.hidden_size, opt_level=1).save_model_to_file(str(fused))
    fp32.unlink()
    # Per-channel int8 weights: per-tensor scales cost ~1.5 points of cosine on this model.
    quantize_dynamic(str(fused), str(out / "model_int8.onnx"), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul", "Attention", "Gemm"],
                     extra_options={"DefaultTensorType": 1})  # 1 = FLOAT, for outputs of fused ops
    fused.unlink()
    for name in ("tokenizer.json", "sentence_bert_config.json", "config_sentence_transformers.json"):
        if (model_dir / name).exists():
            shutil.copy2(model_dir / name, out / name)
    pooling = model_dir / "1_Pooling" / "config.json"
    if pooling.exists():
        shutil.copy2(pooling, out / "pooling.json")
    (out / "export.json").write_text(json.dumps({"source": str(model_dir), "version": EXPORT_VERSION}),
                                     encoding="utf-8")


class OnnxEncoder:
    """Encodes with ONNX Runtime; same interface as the part of SentenceTransformer we use.

    Opening is cheap, because ``qa serve`` and ``qa ask`` should not wait for the model before
    they can do anything else: the session (memory-mapped, see :data:`MAPPED`) is created on a
    background thread at once (ONNX Runtime releases the GIL while it loads, so the index and
    the page are prepared meanwhile), and the tokenizer (~1 s building a 250k-piece vocabulary,
    holding the GIL) on first use or :meth:`warm`. ``dim`` comes from the model's config.
    """

    def __init__(self, model_dir: Path, threads: int = 0, max_tokens: int = 512):
        folder = export_folder(model_dir)
        self._check_pooling(folder)
        self._folder = folder
        st = _read_json(folder / "sentence_bert_config.json")
        self.max_tokens = min(int(st.get("max_seq_length", max_tokens)), max_tokens)
        self.prompts: dict[str, str] = _read_json(folder / "config_sentence_transformers.json").get("prompts", {})
        self._tokenizer = None
        self._lock = threading.Lock()
        self._session_ready = threading.Event()
        self._session = self._session_error = None
        self.streams = threads or cores()
        self._bulk: tuple[object, ThreadPoolExecutor] | None = None  # (1-thread session, workers), on demand
        # Not a daemon: a process that ends before the session is built must wait for it, as ONNX
        # Runtime aborts the process when torn down in the middle of loading (~0.1 s).
        threading.Thread(target=self._open_session, args=(threads,), name="qa-onnx-session").start()
        hidden = _read_json(Path(model_dir) / "config.json").get("hidden_size")
        self.dim = int(hidden) if hidden else self._output_dim()

    def _open_session(self, threads: int) -> None:
        try:
            self._session = self._new_session(threads or cores())
        except BaseException as exc:  # raised again in the thread that needs the session
            self._session_error = exc
        finally:
            self._session_ready.set()

    def _new_session(self, threads: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # No busy-waiting between ops: on a shared machine spinning threads steal each other's cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(mapped_model(self._folder)), options, providers=["CPUExecutionProvider"])

    def _streams(self) -> tuple[object, ThreadPoolExecutor]:
        """The one-thread session and the workers that share it (built on the first bulk encode)."""
        with self._lock:
            if self._bulk is None:
                self._bulk = (self._new_session(1), ThreadPoolExecutor(self.streams, thread_name_prefix="qa-encode"))
            return self._bulk

    @property
    def session(self):
        self._session_ready.wait()
        if self._session_error is not None:
            raise RuntimeError(f"cannot load the ONNX model in {self._folder}: {self._session_error}") \
                from self._session_error
        return self._session

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    from tokenizers import Tokenizer

                    tokenizer = Tokenizer.from_file(str(self._folder / "tokenizer.json"))
                    tokenizer.no_padding()
                    tokenizer.enable_truncation(self.max_tokens)
                    self._tokenizer = tokenizer
        return self._tokenizer

    def warm(self) -> None:
        """Load the tokenizer and wait for the session (checking the dimension), so the next
        encode costs only the encoding."""
        _ = self.tokenizer
        if self._output_dim() != self.dim:
            raise ValueError(f"the ONNX model in {self._folder} gives vectors of {self._output_dim()} dimensions, "
                             f"not {self.dim}")

    def _output_dim(self) -> int:
        shape = self.session.get_outputs()[0].shape[-1]
        return int(shape) if isinstance(shape, int) else self._probe_dim()

    def encode(self, texts: Sequence[str], prompt_name: str | None = None) -> np.ndarray:
        """Normalised, mean-pooled vectors, in the order of ``texts``; one run per text."""
        prefix = self.prompts.get(prompt_name, "") if prompt_name else ""
        encodings = self.tokenizer.encode_batch([prefix + t for t in texts])
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if len(texts) == 1 or self.streams == 1:
            for i, e in enumerate(encodings):
                out[i] = _pooled(self.session, e.ids)
            return out
        session, workers = self._streams()
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))  # longest first: even finish

        def one(i: int) -> None:
            out[i] = _pooled(session, encodings[i].ids)

        for _ in workers.map(one, order):
            pass
        return out

    def _probe_dim(self) -> int:
        hidden = self.session.run(None, {"input_ids": np.zeros((1, 2), np.int64),
                                         "attention_mask": np.ones((1, 2), np.int64)})[0]
        return int(hidden.shape[-1])

    @staticmethod
    def _check_pooling(folder: Path) -> None:
        pooling = _read_json(folder / "pooling.json")
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
        if modes and modes != ["pooling_mode_mean_tokens"]:
            raise ValueError(f"the ONNX path only does mean pooling; this model uses {modes}: set QA_ENCODER=torch")


def cores() -> int:
    """The cores this process may run on (a container's or ``taskset``'s limit, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _pooled(session, ids: list[int]) -> np.ndarray:
    """One text's vector: last hidden state, mean over its tokens (no padding), L2-normalised."""
    row = np.asarray([ids], dtype=np.int64)
    hidden = session.run(None, {"input_ids": row, "attention_mask": np.ones_like(row)})[0][0]
    pooled = hidden.mean(axis=0)
    return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
