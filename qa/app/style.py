"""The page's look: CSS and a Gradio theme (system fonts only: the page fetches no web fonts)."""

import gradio as gr

CSS = """
#qa-header { margin-bottom: 2px; }
.qa-header { padding: 4px 2px 0; }
.qa-header-title { font-size: 1.45rem; font-weight: 700; letter-spacing: .02em; }
.qa-header-en { font-weight: 400; color: var(--body-text-color-subdued); font-size: 1.05rem; margin-left: .3em; }
.qa-header-sub { color: var(--body-text-color-subdued); font-size: .92rem; margin-top: 2px; }
.qa-muted { color: var(--body-text-color-subdued); font-size: .88em; }
.qa-empty-question { color: var(--body-text-color-subdued); font-style: italic; }

#qa-chat .qa-reply { line-height: 1.75; font-size: 15px; }
.qa-short { display: flex; align-items: baseline; gap: .6em; margin: 2px 0 10px; flex-wrap: wrap; }
.qa-label { font-size: .75em; font-weight: 600; color: #fff; background: #16a34a; border-radius: 4px;
            padding: 1px 7px; white-space: nowrap; }
.qa-short-text { font-size: 1.22em; font-weight: 700; }
.qa-short-none { color: var(--body-text-color-subdued); }
.qa-resolved { font-size: .85em; color: var(--body-text-color-subdued); margin-bottom: 6px; }
.qa-resolved-text { color: var(--body-text-color); font-weight: 600; }

.qa-quote { border-left: 3px solid #f59e0b; background: var(--background-fill-secondary);
            border-radius: 0 8px 8px 0; padding: 8px 12px; margin: 8px 0; }
.qa-quote-text { color: var(--body-text-color); }
.qa-num { display: inline-block; min-width: 1.4em; height: 1.4em; line-height: 1.4em; text-align: center;
          font-size: .75em; font-weight: 700; border-radius: 50%; background: #f59e0b; color: #fff;
          margin-right: .5em; vertical-align: .1em; }
.qa-context { color: var(--body-text-color-subdued); }
.qa-quote-text .qa-around { color: var(--body-text-color-subdued); }
.qa-sentence { color: var(--body-text-color); }
.qa-paragraph-text .qa-sentence { background: rgba(253, 224, 71, .18); border-radius: 3px; }
.qa-reply mark, .qa-paragraph-text mark { background: #fde047; color: #1f2937; padding: 0 2px; border-radius: 3px;
            font-weight: 600; }
.qa-sources { font-size: .82em; color: var(--body-text-color-subdued); margin-top: 4px; }
.qa-sources ul { list-style: none; padding: 0 !important; margin: 0 !important; }
.qa-sources li { margin: 0 !important; padding: 0 !important; }
.qa-sources li::before { content: none !important; }
.qa-file { font-family: var(--font-mono); font-size: .95em; word-break: break-all; }
.qa-reprint { font-weight: 600; color: #b45309; }
.qa-paragraph { margin-top: 4px; font-size: .9em; }
.qa-paragraph summary { cursor: pointer; color: var(--link-text-color, #2563eb); user-select: none; }
.qa-paragraph-text { margin-top: 6px; padding: 8px 10px; border-radius: 6px; background: var(--background-fill-primary);
                     border: 1px solid var(--border-color-primary); white-space: pre-wrap; }

.qa-notfound .qa-notice, .qa-invalid .qa-notice { border: 1px dashed #9ca3af;
            background: var(--background-fill-secondary);
            border-radius: 8px; padding: 8px 12px; color: var(--body-text-color-subdued); }
.qa-notfound-title { font-weight: 700; margin-right: .6em; color: var(--body-text-color); }
.qa-invalid .qa-notice { border-color: #f59e0b; }
.qa-nearest { margin-top: 8px; }

#qa-side .qa-status { font-size: .88em; }
.qa-facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; }
.qa-facts dt { color: var(--body-text-color-subdued); }
.qa-facts dd { margin: 0; font-weight: 600; }
.qa-wrap { word-break: break-all; }
.qa-files { max-height: 220px; overflow: auto; border: 1px solid var(--border-color-primary); border-radius: 6px; }
.qa-files table { width: 100%; border-collapse: collapse; margin: 0; }
.qa-files th, .qa-files td { padding: 3px 8px !important; text-align: left; border: none !important;
                             border-bottom: 1px solid var(--border-color-primary) !important; }
.qa-files tr:last-child td { border-bottom: none !important; }
.qa-files th { position: sticky; top: 0; background: var(--background-fill-secondary); font-weight: 600; }
.qa-count { text-align: right !important; font-variant-numeric: tabular-nums; }
.qa-skipped { margin-top: 8px; color: #b45309; }
.qa-skipped-title { font-weight: 600; }
.qa-skipped ul, .qa-uploads { margin: 4px 0; padding-left: 1.1em; }
.qa-upload-result { font-size: .88em; }
.qa-uploads { list-style: none; padding-left: 0 !important; }
.qa-uploads li { margin: 4px 0; }
.qa-badge { font-size: .8em; font-weight: 700; border-radius: 4px; padding: 0 6px; color: #fff; background: #6b7280; }
.qa-ok .qa-badge { background: #16a34a; }
.qa-warn .qa-badge { background: #d97706; }
.qa-same .qa-badge { background: #6b7280; }
.qa-bad .qa-badge { background: #dc2626; }
div.qa-bad, li.qa-bad { color: #b91c1c; }
.qa-report { margin-top: 6px; color: var(--body-text-color-subdued); }
#qa-examples { margin-top: 4px; }
"""

THEME = gr.themes.Soft(
    primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
    # System fonts only: the page must not fetch web fonts.
    font=("system-ui", "-apple-system", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
          "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"),
    font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"),
)
