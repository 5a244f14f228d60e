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

/* The meetings tab (qa/app/meetings_view.py): a grid of rows on a wide screen, cards on a phone. */
#qa-meet-count { min-height: 0; }
.qa-meet { border: 1px solid var(--border-color-primary); border-radius: 8px; font-size: 14px; line-height: 1.45; }
.qa-meet-head, .qa-meet-row > summary { display: grid; column-gap: 10px; padding: 0 10px;
  grid-template-columns: 2.2em 6.6em minmax(9em, 2.4fr) minmax(7em, 1.6fr) minmax(8.5em, 2fr) minmax(7.8em, 1fr)
                         minmax(6em, 1fr) 11.5em; }
.qa-meet-head { background: var(--background-fill-secondary); border-bottom: 1px solid var(--border-color-primary);
  border-radius: 8px 8px 0 0; }
.qa-meet-sort { all: unset; cursor: pointer; white-space: nowrap; font-weight: 600; padding: 7px 0; }
.qa-meet-sort:hover { color: var(--link-text-color, #2563eb); }
.qa-meet-sort[aria-sort=ascending]::after { content: " ▲"; font-size: .7em; }
.qa-meet-sort[aria-sort=descending]::after { content: " ▼"; font-size: .7em; }
.qa-meet-rows { max-height: max(300px, calc(100vh - 380px)); overflow-y: auto; }
.qa-meet-row { border-bottom: 1px solid var(--border-color-primary); }
.qa-meet-row:last-child { border-bottom: none; }
.qa-meet-row > summary { list-style: none; cursor: pointer; padding-top: 5px; padding-bottom: 5px; }
.qa-meet-row > summary::-webkit-details-marker { display: none; }
.qa-meet-row > summary:hover, .qa-meet-row[open] > summary { background: var(--background-fill-secondary); }
.qa-meet-cell { min-width: 0; }
.qa-meet-value { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden;
  overflow-wrap: anywhere; }
.qa-c-n .qa-meet-value { color: var(--body-text-color-subdued); }
.qa-c-source .qa-meet-value { white-space: nowrap; display: block; overflow: hidden; text-overflow: ellipsis; }
.qa-c-date time { white-space: nowrap; }
.qa-c-date .qa-tag { display: inline-block; margin-left: 0; }
.qa-c-name .qa-meet-value { font-weight: 600; }
.qa-meet-label { display: none; }
.qa-tag { font-size: .72em; font-weight: 600; border-radius: 4px; padding: 0 4px; margin-left: 3px;
  background: var(--background-fill-secondary); color: var(--body-text-color-subdued); white-space: nowrap;
  border: 1px solid var(--border-color-primary); vertical-align: .1em; }
.qa-relative { font-style: italic; }
.qa-more { font-size: .85em; color: var(--body-text-color-subdued); }
.qa-meet-quotes { padding: 2px 12px 8px 3.2em; }
.qa-meet-quotes .qa-quote { margin: 6px 0; }
.qa-meet-none { padding: 10px 12px; }

.qa-tl { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px 4px; font-size: 13px; }
.qa-tl-title { font-weight: 600; margin-bottom: 6px; }
.qa-tl-lane { display: grid; grid-template-columns: minmax(4.5em, 10.5em) 1fr; align-items: center; gap: 8px;
  min-height: 24px; border-bottom: 1px dashed var(--border-color-primary); }
.qa-tl-who { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.qa-tl-key { display: inline-block; width: .7em; height: .7em; border-radius: 50%; margin-right: .35em; }
.qa-tl-track { position: relative; height: 24px; }
.qa-tl-point { position: absolute; top: 50%; width: 14px; height: 14px; border-radius: 50%; transform: translate(-50%, -50%);
  color: #fff; font-size: 10px; line-height: 14px; text-align: center; cursor: default; }
.qa-tl-axis { border-bottom: none; color: var(--body-text-color-subdued); }
.qa-tl-tick { position: absolute; top: 3px; transform: translateX(-50%); white-space: nowrap; font-size: 12px; }

@media (max-width: 640px) {
  .qa-meet-head { display: flex; flex-wrap: wrap; gap: 2px 14px; padding: 4px 12px; }
  .qa-meet-head::before { content: "排序 Sort:"; color: var(--body-text-color-subdued); padding: 4px 0; }
  .qa-meet-sort { padding: 4px 0; }
  .qa-meet-head .qa-c-n { display: none; }
  .qa-meet-rows { max-height: none; overflow: visible; }
  .qa-meet-row > summary { display: flex; flex-direction: column; gap: 2px; padding: 8px 12px; }
  .qa-meet-cell { display: flex; gap: 8px; align-items: baseline; }
  .qa-meet-cell.qa-empty, .qa-meet-row .qa-c-n { display: none; }
  .qa-meet-label { display: block; flex: 0 0 8.4em; white-space: nowrap; color: var(--body-text-color-subdued);
    font-size: .85em; line-height: 1.7; }
  .qa-meet-row .qa-c-name { order: -1; }
  .qa-c-name .qa-meet-label { display: none; }
  .qa-meet-value { flex: 1; -webkit-line-clamp: 3; }
  .qa-meet-quotes { padding: 2px 12px 8px; }
  .qa-tl-lane { grid-template-columns: 5.5em 1fr; }
}
"""

THEME = gr.themes.Soft(
    primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
    # System fonts only: the page must not fetch web fonts.
    font=("system-ui", "-apple-system", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
          "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"),
    font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"),
)
