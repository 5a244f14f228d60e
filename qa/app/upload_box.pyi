"""The page's file box: Gradio's ``gr.File`` without the empty file it leaves behind per upload.

Gradio 6's ``File`` hands an uploaded file over as a path (``type="filepath"``) after creating a
``NamedTemporaryFile`` in its cache folder that it never writes, closes or deletes: every upload
left a 0-byte ``tmpXXXXXXXX`` there. This box returns the uploaded path alone; the upload itself
is deleted by the handler once saved into the corpus (handlers._discard).
"""

from __future__ import annotations

import gradio as gr
import gradio_client.utils as client_utils
from gradio.data_classes import FileData
from gradio.exceptions import Error
from gradio.utils import NamedString

from gradio.events import Dependency

class UploadBox(gr.File):
    #: Drawn by the browser as Gradio's own File component ("template" components share its front end).
    is_template = True

    def _process_single_file(self, f: FileData) -> NamedString | bytes:
        if self.type != "filepath":
            return super()._process_single_file(f)
        if self.file_types and not client_utils.is_valid_file(f.path, self.file_types):
            raise Error(f"Invalid file type. Please upload a file that is one of these formats: {self.file_types}")
        return NamedString(f.path)
    from typing import Callable, Literal, Sequence, Any, TYPE_CHECKING
    from gradio.blocks import Block
    if TYPE_CHECKING:
        from gradio.components import Timer
        from gradio.components.base import Component