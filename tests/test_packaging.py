"""The package as pip builds it: every module and the reader's model files, without setuptools warnings."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_wheel_holds_every_module_and_the_models_without_warnings(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "embeddings", "data", "*.egg-info",
                                                             "build", "test-artifacts", "__pycache__"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
                           "-w", str(tmp_path / "wheel"), str(src)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    log = proc.stdout + proc.stderr
    assert "absent from the `packages` configuration" not in log
    (wheel,) = (tmp_path / "wheel").glob("qa_zh-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "qa").rglob("*.py")}
    models = {p.relative_to(ROOT).as_posix() for p in (ROOT / "qa" / "answer" / "models").iterdir() if p.is_file()}
    assert any(m.endswith(".npz") for m in models) and modules <= names and models <= names
    assert not any(n.startswith("tests/") for n in names)
