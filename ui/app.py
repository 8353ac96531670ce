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
from assistant.sources.schedule import start_feed_schedule
from ui import render, style
from ui.brief import brief_tab
from ui.chat import SUGGESTIONS, ChatFlow, no_suggestions
from ui.conversations import ConversationStore
from ui.handlers import WebChat, parse_auth
from ui.history import History, export_dir
from ui.login import LoginGuard, LoginThrottle, login_message
from ui.session import Conversation, browser_secret

UPLOAD_TYPES = sorted(SUPPORTED)  # what ingest reads, so the picker offers no less
# Answers stream from a shared pipeline; index writes run one at a time.
CHAT_CONCURRENCY = 4
CSS = style.CSS


def build_app(briefing: Briefing, settings: Settings) -> gr.Blocks:
    """The whole page, wired to one shared pipeline; each browser tab has its own conversation,
    and each user (login name, or this browser) their own list of conversations."""
    chat = WebChat(briefing, settings)
    store = ConversationStore(settings.data_dir / "conversations.sqlite3")
    flow = ChatFlow(briefing, store)
    history = History(store, flow, export_dir())
    with gr.Blocks(
        title="Conflict briefing assistant", analytics_enabled=False, delete_cache=(3600, 3600)
    ) as demo:
        conv = gr.State(Conversation())  # copied for each browser session
        browser_id = gr.BrowserState(
            None, storage_key="briefing-browser", secret=browser_secret(settings.data_dir)
        )
        with gr.Sidebar(position="left", open=True, elem_id="history-panel", width=300):
            gr.Markdown("### Conversations")
            conv_list = gr.Radio(choices=[], show_label=False, elem_id="conversations")
            conv_title = gr.Textbox(label="Name", elem_id="conv-title", max_lines=1)
            with gr.Row():
                rename = gr.Button("Rename", elem_id="rename", size="sm")
                delete = gr.Button("Delete", elem_id="delete", size="sm", variant="stop")
            export = gr.DownloadButton(
                "Export as Markdown", value=None, elem_id="export", size="sm"
            )
            history_status = gr.Markdown(elem_id="history-status")
        with gr.Tabs(elem_id="tabs"):  # noqa: SIM117 (other tabs go beside the chat)
            with gr.Tab("Chat", id="chat-tab"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=340):
                    gr.Markdown(
                        "## Conflict briefing assistant\nAnswers quote the indexed "
                        "articles; click a [n] to open the passage it comes from."
                    )
                    chatbot = gr.Chatbot(
                        elem_id="chat",
                        label="Conversation",
                        height=620,
                        latex_delimiters=[],
                        buttons=[],
                        group_consecutive_messages=False,
                        feedback_options=("Like", "Dislike"),
                        placeholder="Ask a question about the indexed articles.",
                    )
                    with gr.Row(elem_id="suggestions"):
                        suggestions = [
                            gr.Button(visible=False, size="sm", elem_id=f"suggest-{i}")
                            for i in range(SUGGESTIONS)
                        ]
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
                        stop = gr.Button("■ Stop", elem_id="stop", size="sm", min_width=80)
                        regenerate = gr.Button(
                            "↻ Regenerate", elem_id="regenerate", size="sm", min_width=80
                        )
                        clear = gr.Button(
                            "New conversation", elem_id="clear", size="sm", min_width=80
                        )
                    comment = gr.Textbox(
                        elem_id="comment",
                        show_label=False,
                        placeholder="Optional comment, sent with your thumbs up or down",
                    )
                    rating_status = gr.Markdown(elem_id="rating-status")
                with gr.Column(scale=2, min_width=320, elem_id="side-panel"):
                    with gr.Row():
                        gr.HTML(
                            render.generator_html(briefing.generator.name),
                            elem_id="generator",
                        )
                        if settings.auth:  # only this browser's session ends
                            gr.Button(
                                "Log out",
                                link="logout?all_session=false",
                                elem_id="logout",
                                size="sm",
                                scale=0,
                                min_width=90,
                            )
                    with gr.Accordion("Filters", open=True, elem_id="filters"):
                        publishers = gr.Dropdown(
                            label="Publishers",
                            multiselect=True,
                            choices=[],
                            elem_id="publishers",
                        )
                        with gr.Row():
                            date_from = gr.Textbox(
                                label="From (YYYY-MM-DD)", elem_id="date-from", min_width=120
                            )
                            date_to = gr.Textbox(
                                label="To (YYYY-MM-DD)", elem_id="date-to", min_width=120
                            )
                    with gr.Accordion("Documents", open=True, elem_id="documents"):
                        upload = gr.File(
                            label="Add articles (.txt .md .html .pdf .docx)",
                            file_count="multiple",
                            file_types=UPLOAD_TYPES,
                            elem_id="upload",
                            height=110,
                        )
                        with gr.Row(equal_height=True):
                            url_box = gr.Textbox(
                                placeholder="Or paste article URLs (https://…)",
                                show_label=False,
                                elem_id="add-url",
                                max_lines=4,
                                scale=3,
                            )
                            add_url = gr.Button("Add", elem_id="add-url-button", size="sm")
                        upload_status = gr.HTML(elem_id="upload-status")
                        with gr.Row(equal_height=False):
                            to_remove = gr.Dropdown(
                                label="Remove documents",
                                multiselect=True,
                                choices=[],
                                elem_id="remove-choice",
                                scale=3,
                            )
                            remove = gr.Button(
                                "Remove…",
                                elem_id="remove",
                                variant="stop",
                                size="sm",
                                scale=1,
                                min_width=90,
                            )
                        with gr.Group(visible=False, elem_id="remove-confirm") as confirm:
                            confirm_text = gr.HTML()
                            with gr.Row():
                                remove_yes = gr.Button(
                                    "Yes, remove", elem_id="remove-yes", variant="stop"
                                )
                                remove_no = gr.Button("Cancel", elem_id="remove-no")
                        doc_search = gr.Textbox(
                            placeholder="Search documents by title, publisher or date",
                            show_label=False,
                            elem_id="doc-search",
                            max_lines=1,
                        )
                        docs = gr.HTML(elem_id="docs")
            # More tabs are added here, each from its own module.
            brief_tab(briefing, export_dir())

        # ---- the conversation ------------------------------------------------------------
        shown = [question, chatbot]
        after = [conv_list, conv_title, export, *suggestions]
        filters = [publishers, date_from, date_to]
        asking = question.submit(
            flow.ask,
            [question, chatbot, conv, *filters],
            shown,
            api_name="ask",
            concurrency_limit=CHAT_CONCURRENCY,
            concurrency_id="chat",
            show_progress="minimal",
        )
        asking.then(history.after_answer, conv, after, queue=False)
        redoing = regenerate.click(
            flow.regenerate,
            [chatbot, conv],
            shown,
            concurrency_limit=CHAT_CONCURRENCY,
            concurrency_id="chat",
            show_progress="minimal",
        )
        redoing.then(history.after_answer, conv, after, queue=False)
        running = [asking, redoing]
        for button in suggestions:
            taken = button.click(
                flow.ask,
                [button, chatbot, conv, *filters],
                shown,
                concurrency_limit=CHAT_CONCURRENCY,
                concurrency_id="chat",
                show_progress="minimal",
            )
            taken.then(history.after_answer, conv, after, queue=False)
            running.append(taken)
        stop.click(flow.stop, conv, None, queue=False)
        # Leaving a conversation first stops an answer being written into it, then shows the
        # next one: a piece of the answer already on its way lands before, not after.
        opened = [conv, chatbot, conv_list, conv_title, export]

        for leaving in (clear.click, chatbot.clear):
            leaving(history.leave, conv, None, cancels=running, queue=False).then(
                history.new, conv, [*opened, rating_status]
            ).then(no_suggestions, None, suggestions)
        conv_list.input(history.leave, conv, None, cancels=running, queue=False).then(
            history.open, [conv_list, conv], opened
        ).then(no_suggestions, None, suggestions)
        rename.click(history.rename, [conv_title, conv], [conv_list, history_status])
        delete.click(history.delete, conv, [*opened, history_status], cancels=running).then(
            no_suggestions, None, suggestions
        )
        chatbot.like(chat.rate, [conv, comment], [rating_status, comment], queue=False)

        # ---- the index -------------------------------------------------------------------
        panel = [docs, to_remove, publishers]
        upload.upload(
            chat.upload,
            upload,
            [upload, upload_status, *panel],
            api_name="upload",
            concurrency_limit=1,
            concurrency_id="index",
            show_progress_on=[upload_status],
        )
        for adding in (add_url.click, url_box.submit):
            adding(
                chat.add_urls,
                url_box,
                [url_box, upload_status, *panel],
                concurrency_limit=1,
                concurrency_id="index",
                show_progress_on=[upload_status],
            )
        remove.click(chat.confirm_remove, to_remove, [confirm, confirm_text, upload_status])
        remove_no.click(lambda: gr.Group(visible=False), None, confirm, queue=False)
        remove_yes.click(
            chat.remove,
            to_remove,
            [upload_status, confirm, *panel],
            concurrency_limit=1,
            concurrency_id="index",
            show_progress_on=[upload_status],
        ).then(chat.search, doc_search, docs)
        doc_search.change(chat.search, doc_search, docs, show_progress="hidden")
        demo.load(chat.panel, None, panel)
        demo.load(history.start, [browser_id, conv], [browser_id, *opened])
        demo.load(None, js=style.NARROW_JS)
    demo.queue(default_concurrency_limit=CHAT_CONCURRENCY)
    # Feeds updated in the background when BRIEFING_FEED_INTERVAL_MIN is set (off by default);
    # `demo.feed_updates.stop()` ends it, and it ends with the process.
    demo.feed_updates = start_feed_schedule(briefing, settings.feed_interval_min)
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
        css=style.CSS,
        head=style.HEAD,
        ssr_mode=False,
    )
