"""The page's layout: :func:`build_app` places the components and wires events to the handlers."""

from __future__ import annotations

import gradio as gr

from ..bot import Bot
from .access import Access
from .handlers import Handlers
from .meetings_tab import MeetingsTab
from .render import status_title
from .upload_box import UploadBox

PRIVATE = {"api_visibility": "private"}  # the page's own events; only /ask is an API


def build_app(bot: Bot, access: Access | None = None) -> gr.Blocks:
    """The whole page over ``bot``. Launch it with :func:`launch` (it adds the styles and the login).

    ``access`` says who may log in and change the corpus (default: served on loopback, no login).
    """
    access = access or Access.from_config(bot.config)
    h = Handlers(bot, access)
    editable = access.anyone_may_edit()  # until the page knows who is there (app.load)
    config = bot.config
    with gr.Blocks(title="文档问答 · Document QA", analytics_enabled=False, fill_width=True) as app:
        gr.HTML(_HEADER, elem_id="qa-header")
        with gr.Tabs(elem_id="qa-tabs"):
            with gr.Tab("问答 Chat", elem_id="qa-tab-chat"):
                turns = gr.State([])
                pending = gr.State("")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=7, min_width=420):
                        chat = gr.Chatbot(
                            label="对话 Conversation",
                            show_label=False,
                            elem_id="qa-chat",
                            height="66vh",
                            min_height=360,
                            layout="panel",
                            placeholder=_PLACEHOLDER,
                            autoscroll=False,  # SCROLL_JS instead
                            # Our HTML is built from escaped text; no Markdown or LaTeX re-reading of it,
                            # and the browser-side sanitizer stays on as a second line of defence.
                            render_markdown=False,
                            sanitize_html=True,
                            latex_delimiters=[],
                            allow_tags=False,
                            feedback_options=None,
                            buttons=[],
                            group_consecutive_messages=False,
                        )
                        with gr.Row(equal_height=True, elem_id="qa-ask-row"):
                            question = gr.Textbox(
                                show_label=False,
                                placeholder="输入问题，按回车提问 · Ask a question about the documents",
                                max_lines=4,
                                scale=6,
                                elem_id="qa-question",
                                autofocus=True,
                                submit_btn=False,
                            )
                            ask = gr.Button("提问 Ask", variant="primary", scale=1, min_width=90, elem_id="qa-ask")
                        examples = gr.Dataset(
                            label="示例问题 Example questions",
                            components=[gr.Textbox(visible=False)],
                            samples=[[q] for q in bot.examples()],
                            type="values",
                            elem_id="qa-examples",
                            layout="gallery",
                        )
                    with gr.Column(scale=3, min_width=300, elem_id="qa-side"):
                        with gr.Accordion("设置 Settings", open=True):
                            top_k = gr.Slider(1, 10, value=config.top_k, step=1, label="引文数量 Quotes shown (top-k)")
                            follow_ups = gr.Checkbox(
                                value=True, label="结合上文理解追问 Use the conversation for follow-ups"
                            )
                            clear = gr.Button("新对话 New conversation", size="sm")
                        edit_notice = gr.HTML(elem_id="qa-edit-notice", visible=False)
                        with gr.Accordion("添加文件 Add documents", open=True, visible=editable,
                                          elem_id="qa-add-panel") as adding:
                            files = UploadBox(
                                label=f"{' '.join(config.extensions)} · ≤ {config.max_file_mb:g} MB",
                                file_count="multiple",
                                file_types=list(config.extensions),
                                type="filepath",
                                elem_id="qa-files",
                                height=120,
                            )
                            replace = gr.Checkbox(
                                value=False, label="替换同名文件 Replace files with the same name", elem_id="qa-replace"
                            )
                            add = gr.Button(
                                "添加并更新索引 Add and index", variant="primary", size="sm", elem_id="qa-add"
                            )
                            upload_result = gr.HTML(elem_id="qa-upload-result")
                        with gr.Accordion(status_title(bot.status()), open=False, elem_id="qa-status-panel") as panel:
                            status = gr.HTML(elem_id="qa-status")
                            refresh = gr.Button("刷新 Refresh", size="sm")
                            with gr.Group(visible=editable, elem_id="qa-edit-index") as editing:
                                rebuild = gr.Button(
                                    "全部重建 Rebuild all", size="sm", variant="stop", elem_id="qa-rebuild"
                                )
                                with gr.Row(equal_height=True):
                                    doomed = gr.Dropdown(
                                        label="删除文件 Remove a file",
                                        choices=[],
                                        value=None,
                                        scale=3,
                                        elem_id="qa-remove-file",
                                        allow_custom_value=False,
                                    )
                                    remove = gr.Button(
                                        "删除 Remove", size="sm", variant="stop", scale=1, elem_id="qa-remove"
                                    )
                            confirmed = gr.Checkbox(visible=False)
            with gr.Tab("会议 Meetings", elem_id="qa-tab-meetings") as meetings_tab:
                MeetingsTab(bot).build(meetings_tab)

        def answer_after(shown: gr.events.Dependency) -> None:
            """Asked (question echoed) → scroll to it → answer → scroll to the question again."""
            shown.then(None, js=SCROLL_JS, **PRIVATE).then(
                h.answer,
                [pending, chat, turns, top_k, follow_ups],
                [chat, turns],
                show_progress="minimal",
                concurrency_id="ask",
                **PRIVATE,
            ).then(None, js=SCROLL_JS, **PRIVATE)

        for trigger in (question.submit, ask.click):
            answer_after(trigger(h.show_question, [question, chat], [chat, question, pending], queue=False, **PRIVATE))
        answer_after(examples.click(h.example, [examples, chat], [chat, question, pending], queue=False, **PRIVATE))
        clear.click(h.clear, None, [chat, turns], queue=False, **PRIVATE)

        indexing = dict(concurrency_id="index", concurrency_limit=1, **PRIVATE)
        add.click(lambda: "", None, upload_result, queue=False, **PRIVATE).then(
            h.upload, [files, replace], [upload_result, status, panel, doomed, files], **indexing
        )
        rebuild.click(h.rebuild, None, [upload_result, status, panel, doomed], **indexing)
        remove.click(
            h.remove, [doomed, confirmed], [upload_result, status, panel, doomed], js=CONFIRM_REMOVE_JS, **indexing
        )
        refresh.click(h.status_panel, None, [status, panel, doomed], **PRIVATE)
        app.load(h.status_panel, None, [status, panel, doomed], **PRIVATE)
        app.load(h.permissions, None, [adding, editing, edit_notice], queue=False, **PRIVATE)

        gr.api(
            h.ask_api,
            api_name="ask",
            concurrency_id="ask",
            api_description="Answer a question with quotes: the JSON of `qa ask --json` plus `history`, "
            "the [question, answer] turns to pass back with a follow-up question.",
        )
    app.qa_bot = bot  # for launch() and tests
    app.qa_access = access
    return app


#: Brings the latest question (and the top of its answer) into view inside the conversation box:
#: a long answer should be read from its short answer down, not from its last quote up.
SCROLL_JS = """
() => {
  const rows = document.querySelectorAll('#qa-chat .user-row');
  const row = rows[rows.length - 1];
  const box = document.querySelector('#qa-chat [role="log"]');
  if (!row || !box) return;
  const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
  box.scrollTo({top: Math.max(0, top), behavior: 'smooth'});
}
"""

#: Asks the person before a file is deleted; the handler removes nothing unless this said yes.
CONFIRM_REMOVE_JS = """
(source, _) => [source, !!source && window.confirm(`从文件夹中删除 “${source}” 并更新索引？\\nRemove “${source}” from the corpus folder and re-index?`)]
"""

_HEADER = """
<div class="qa-header">
  <div class="qa-header-title">文档问答 <span class="qa-header-en">Document QA</span></div>
  <div class="qa-header-sub">每个答案都直接引自文档，并标明出处 · Every answer is quoted from the documents, with its source.</div>
</div>
"""

_PLACEHOLDER = (
    "**问一个关于文档的问题** · Ask a question about the documents  \n"
    "可以追问，例如“他还参加了哪些会议？” · Follow-up questions work too."
)
