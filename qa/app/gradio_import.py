"""Importing Gradio without the type-stub writing it does on every import (half its import time).

Every Gradio component class goes through ``gradio.component_meta.ComponentMeta``, which calls
``create_or_modify_pyi``: it reads the class's source file, parses it with :mod:`ast` and rewrites
the ``.pyi`` stub beside it in site-packages when it differs. That keeps Gradio's own stubs in
step while its developers edit the components; in an installed package it only costs time (about
1.2 of 2.5 s of ``import gradio`` on a 2-core machine, the largest single part of ``qa serve``'s
cold start) and tries to write into the installation. The stubs are read by type checkers only,
never at run time, and the shipped ones stay as they are.

:func:`skip_stub_writing` makes that one function a no-op in the module as it loads, before any
component class is made. It touches nothing else, does nothing once Gradio is imported, and
leaves a Gradio without that function (older or newer) as it is.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

_MODULE = "gradio.component_meta"
_FUNCTION = "create_or_modify_pyi"


def _no_stub(*args: object, **kwargs: object) -> None:
    """Gradio's stub writer, skipped: the installed stubs are kept as shipped."""


class _SkipStubWriting(importlib.abc.MetaPathFinder):
    """Finds ``gradio.component_meta`` as usual, then swaps the stub writer out as it loads."""

    def find_spec(self, name: str, path=None, target=None):  # noqa: ANN001 (importlib's signature)
        if name != _MODULE:
            return None
        _remove(self)  # one module, once
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            if callable(getattr(module, _FUNCTION, None)):
                setattr(module, _FUNCTION, _no_stub)

        loader.exec_module = exec_module  # this spec's own loader object, made for this import
        return spec


def skip_stub_writing() -> None:
    """Have the coming ``import gradio`` (wherever it happens) skip the ``.pyi`` rewriting."""
    if _MODULE in sys.modules or any(isinstance(f, _SkipStubWriting) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _SkipStubWriting())


def _remove(finder: importlib.abc.MetaPathFinder) -> None:
    try:
        sys.meta_path.remove(finder)
    except ValueError:
        pass
