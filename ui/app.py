"""The web chat's page: a streaming chat with checkable sources, and a side panel for the index.

`build_app` takes a ready `Briefing` and `Settings` (tests pass their own); `launch` serves it.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.ingest.load import SUPPORTED
from assistant.pipeline import Briefing
from assistant.settings import Settings
from ui import render
from ui.handlers import Conversation, WebChat, parse_auth
from ui.login import LoginGuard, LoginThrottle, login_message

UPLOAD_TYPES = sorted(SUPPORTED)  # what ingest reads, so the picker offers no less
# Answers stream from a shared pipeline; index writes run one at a time.
CHAT_CONCURRENCY = 4

CSS = """
#chat .answer, #chat .refusal, #chat .error, #chat .notice { line-height: 1.5; }
#chat sup.cite { font-weight: 600; color: var(--color-accent); }
#chat .cursor { opacity: .6; }
#chat .refusal { border-left: 4px solid #d97706; padding: .4em .8em; background: #fffbeb;
  color: #78350f; }
#chat .refusal .hint { display: block; font-size: .9em; margin-top: .3em; }
#chat .error { border-left: 4px solid #dc2626; padding: .4em .8em; background: #fef2f2;
  color: #7f1d1d; }
#chat .notice { font-size: .9em; color: #92400e; margin-top: .4em; }
#chat .searched { font-size: .85em; opacity: .75; margin-top: .3em; }
#chat .asof, #chat .uncovered { font-size: .85em; margin-top: .3em;
  color: var(--body-text-color); opacity: .75; }
#chat .disagreement { margin-top: .6em; padding: .4em .8em; border-radius: 4px;
  border: 1px solid var(--border-color-primary); border-left: 4px solid #d97706;
  background: var(--background-fill-primary); color: var(--body-text-color); }
#chat .disagreement.update { border-left-color: #3b82f6; }
#chat .disagreement-head { font-weight: 600; }
#chat .disagreement ul, #chat .removed ul, #chat .uncited ul { margin: .2em 0 0 1.2em;
  padding: 0; }
#chat .disagreement .side-label { opacity: .75; }
#chat .removed, #chat .uncited { font-size: .88em; margin-top: .5em;
  color: var(--body-text-color); opacity: .85; }
#chat .removed-head, #chat .uncited-head { font-weight: 600; }
.dark #chat .notice { color: #fbbf24; }
#chat .removed del { font-style: italic; }
#chat .sources { margin-top: .8em; border-top: 1px solid var(--border-color-primary);
  padding-top: .4em; font-size: .92em; }
#chat .sources-head { font-weight: 600; margin-bottom: .2em; }
#chat details.source { margin: .35em 0; }
#chat details.source summary { cursor: pointer; }
#chat details.source .quote { display: block; margin: .15em 0 0 1.6em; font-style: italic; }
#chat details.source .passage { margin: .4em 0 .4em 1.6em; padding: .5em .7em;
  border-left: 3px solid var(--color-accent); background: var(--background-fill-secondary); }
#chat mark { background: #fde68a; color: inherit; padding: 0 .1em; }
#docs table.docs { font-size: .85em; width: 100%; }
#docs td.num, #docs td.nowrap { white-space: nowrap; }
#upload-status ul.ingest { font-size: .9em; margin: 0; }
#upload-status li.failed { color: #b91c1c; }
"""


def build_app(briefing: Briefing, settings: Settings) -> gr.Blocks:
    """The whole page, wired to one shared pipeline; each browser tab has its own conversation."""
    chat = WebChat(briefing, settings)
    with gr.Blocks(
        title="Conflict briefing assistant", analytics_enabled=False, delete_cache=(3600, 3600)
    ) as demo:
        conv = gr.State(Conversation())  # copied for each browser session
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                gr.Markdown(
                    "## Conflict briefing assistant\nAnswers quote the indexed "
                    "articles; open a source to see the passage it comes from."
                )
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    label="Conversation",
                    height=620,
                    latex_delimiters=[],
                    buttons=["copy"],
                    group_consecutive_messages=False,
                    feedback_options=("Like", "Dislike"),
                    placeholder="Ask a question about the indexed articles.",
                )
                question = gr.Textbox(
                    elem_id="question",
                    show_label=False,
                    lines=1,
                    max_lines=6,
                    submit_btn="Ask",
                    autofocus=True,
                    placeholder="e.g. Who led the US delegation in Saudi Arabia?",
                )
                with gr.Row():
                    comment = gr.Textbox(
                        elem_id="comment",
                        show_label=False,
                        scale=4,
                        placeholder="Optional comment, sent with your thumbs up or down",
                    )
                    clear = gr.Button("Clear conversation", elem_id="clear", scale=1)
                rating_status = gr.Markdown(elem_id="rating-status")
            with gr.Column(scale=2, min_width=320):
                with gr.Row():
                    gr.HTML(render.generator_html(briefing.generator.name), elem_id="generator")
                    if settings.auth:  # only this browser's session ends, not other people's
                        gr.Button(
                            "Log out",
                            link="logout?all_session=false",
                            elem_id="logout",
                            size="sm",
                            scale=0,
                            min_width=90,
                        )
                with gr.Accordion("Filters", open=True):
                    publishers = gr.Dropdown(
                        label="Publishers", multiselect=True, choices=[], elem_id="publishers"
                    )
                    with gr.Row():
                        date_from = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="date-from")
                        date_to = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="date-to")
                with gr.Accordion("Documents", open=True):
                    docs = gr.HTML(elem_id="docs")
                    upload = gr.File(
                        label="Add articles (.txt .md .html .pdf .docx)",
                        file_count="multiple",
                        file_types=UPLOAD_TYPES,
                        elem_id="upload",
                    )
                    upload_status = gr.HTML(elem_id="upload-status")
                    with gr.Row():
                        to_remove = gr.Dropdown(
                            label="Remove a document", choices=[], elem_id="remove-choice", scale=3
                        )
                        remove = gr.Button("Remove", elem_id="remove", variant="stop", scale=1)

        panel = [docs, to_remove, publishers]
        asking = question.submit(
            chat.ask,
            [question, chatbot, conv, publishers, date_from, date_to],
            [question, chatbot],
            concurrency_limit=CHAT_CONCURRENCY,
            concurrency_id="chat",
            show_progress="minimal",
        )
        # Clearing first stops an answer being written, then empties the chat: a piece of the
        # answer already on its way lands before the chat is emptied, not after.
        for clearing in (clear.click, chatbot.clear):
            clearing(chat.close, conv, None, cancels=[asking], queue=False).then(
                chat.clear, conv, [chatbot, conv, rating_status]
            )
        chatbot.like(chat.rate, [conv, comment], [rating_status, comment], queue=False)
        upload.upload(
            chat.upload,
            upload,
            [upload, upload_status, *panel],
            concurrency_limit=1,
            concurrency_id="index",
        )
        remove.click(
            chat.remove,
            to_remove,
            [upload_status, *panel],
            concurrency_limit=1,
            concurrency_id="index",
        )
        demo.load(chat.panel, None, panel)
    demo.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    return demo


def launch(
    demo: gr.Blocks, settings: Settings, *, port: int | None = None, block: bool = True
) -> Any:
    """Serve on settings.host:port (127.0.0.1:7860 by default), with login when auth is set.

    With login on, failed attempts are slowed down per name and address (ui/login.py).
    """
    auth = parse_auth(settings.auth)
    guard = LoginGuard(
        settings.login_free_attempts, settings.login_delay_s, settings.login_max_delay_s
    )
    return demo.launch(
        server_name=settings.host,
        server_port=port or settings.port,
        share=False,
        auth=auth,
        auth_message=login_message(guard) if auth else None,
        app_kwargs={"middleware": [Middleware(LoginThrottle, guard=guard)]} if auth else None,
        prevent_thread_lock=not block,
        quiet=True,
        show_error=False,
        max_file_size=int(settings.max_file_mb * 1_000_000),
        footer_links=[],
        css=CSS,
        ssr_mode=False,
    )
