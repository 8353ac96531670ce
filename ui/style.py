"""The page's one stylesheet and its small script.

Colours come from Gradio's theme variables, or from the few `--brief-*` variables below, which
have a light and a `.dark` value: the same rules read well in both modes.
"""

from __future__ import annotations

CSS = """
:root {
  --brief-warn-border: #d97706; --brief-warn-bg: #fffbeb; --brief-warn-text: #78350f;
  --brief-mark-bg: #fde68a; --brief-mark-text: #1c1917; --brief-note-text: #92400e;
  --brief-info-border: #3b82f6; --brief-ok-text: #166534;
}
.dark {
  --brief-warn-bg: #2b2111; --brief-warn-text: #fde68a; --brief-mark-bg: #a16207;
  --brief-mark-text: #fefce8; --brief-note-text: #fbbf24; --brief-info-border: #60a5fa;
  --brief-ok-text: #86efac;
}
#chat .answer, #chat .refusal, #chat .error, #chat .notice, #chat .nomatch { line-height: 1.5; }
#chat .answer p { margin: 0 0 .5em; }
#chat .answer ul, #chat .answer ol { margin: .2em 0 .5em 1.4em; }
:is(#chat, #brief-out) sup.cite a.cite-link { font-weight: 600; color: var(--color-accent);
  text-decoration: none; cursor: pointer; }
:is(#chat, #brief-out) sup.cite a.cite-link:hover,
:is(#chat, #brief-out) sup.cite a.cite-link:focus { text-decoration: underline; }
#chat .cursor { opacity: .6; }
:is(#chat, #brief-out) .refusal, :is(#chat, #brief-out) .nomatch {
  border-left: 4px solid var(--brief-warn-border);
  padding: .4em .8em; background: var(--brief-warn-bg); color: var(--brief-warn-text); }
#chat .refusal .hint, #chat .nomatch .hint { display: block; font-size: .9em; margin-top: .3em; }
#chat .error { border-left: 4px solid var(--error-border-color, #dc2626); padding: .4em .8em;
  background: var(--error-background-fill); color: var(--error-text-color); }
#chat .notice { font-size: .9em; color: var(--brief-note-text); margin-top: .4em; }
#chat .searched, #chat .filters-line { font-size: .85em; opacity: .8; margin-top: .3em;
  color: var(--body-text-color); }
#chat .stopped-label { font-size: .85em; margin-top: .3em; color: var(--brief-note-text);
  font-weight: 600; }
#chat .asof, #chat .uncovered { font-size: .85em; margin-top: .3em;
  color: var(--body-text-color); opacity: .8; }
#chat .disagreement { margin-top: .6em; padding: .4em .8em; border-radius: 4px;
  border: 1px solid var(--border-color-primary); border-left: 4px solid var(--brief-warn-border);
  background: var(--background-fill-primary); color: var(--body-text-color); }
#chat .disagreement.update { border-left-color: var(--brief-info-border); }
#chat .disagreement-head { font-weight: 600; }
#chat .disagreement ul, #chat .removed ul, #chat .uncited ul { margin: .2em 0 0 1.2em;
  padding: 0; }
#chat .disagreement .side-label { opacity: .8; }
#chat .removed, #chat .uncited { font-size: .88em; margin-top: .5em;
  color: var(--body-text-color); opacity: .9; }
#chat .removed-head, #chat .uncited-head { font-weight: 600; }
#chat .removed del { font-style: italic; }
:is(#chat, #brief-out) .sources { margin-top: .8em;
  border-top: 1px solid var(--border-color-primary);
  padding-top: .4em; font-size: .92em; }
:is(#chat, #brief-out) .sources-head { font-weight: 600; margin-bottom: .2em; }
:is(#chat, #brief-out) details.source { margin: .35em 0; border-radius: 4px;
  transition: outline-color .3s; }
:is(#chat, #brief-out) details.source.flash { outline: 2px solid var(--color-accent);
  outline-offset: 2px; }
:is(#chat, #brief-out) details.source summary { cursor: pointer; }
:is(#chat, #brief-out) details.source .quote { display: block; margin: .15em 0 0 1.6em;
  font-style: italic; }
:is(#chat, #brief-out) details.source .passage { margin: .4em 0 .4em 1.6em;
  padding: .5em .7em;
  border-left: 3px solid var(--color-accent); background: var(--background-fill-secondary);
  color: var(--body-text-color); }
:is(#chat, #brief-out) mark { background: var(--brief-mark-bg); color: var(--brief-mark-text);
  padding: 0 .1em; }
#chat .reply-tools { margin-top: .5em; }
#chat button.copy-reply { font-size: .8em; padding: .1em .7em; border-radius: 4px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
  color: var(--body-text-color); cursor: pointer; }
#chat .asked { white-space: pre-wrap; }
#brief-out .brief h3 { margin: .8em 0 .3em; }
#brief-out .brief ul { margin: .2em 0 .5em 1.2em; }
#brief-out .brief-meta { opacity: .8; font-size: .9em; }
#chat .copy-text { display: none; }
#suggestions button { font-size: .85em; }
#docs .docs-scroll { max-height: 340px; overflow: auto; }
#docs table.docs { font-size: .85em; width: 100%; }
#docs table.docs thead th { position: sticky; top: 0; background: var(--background-fill-primary); }
#docs td.num, #docs td.nowrap { white-space: nowrap; }
#docs td.title { min-width: 14em; }
#upload-status ul.ingest { font-size: .9em; margin: 0; }
#upload-status li.failed { color: var(--error-text-color); }
#upload-status .removed-docs { color: var(--brief-ok-text); }
#remove-confirm .confirm-remove { padding: .4em .6em; border-left: 4px solid
  var(--error-border-color, #dc2626); background: var(--error-background-fill);
  color: var(--error-text-color); }
#conversations { max-height: 50vh; overflow-y: auto; }
@media (max-width: 768px) {
  #chat { height: min(58dvh, 520px) !important; max-height: min(58dvh, 520px) !important; }
  #question { position: sticky; bottom: 0; z-index: 5; background: var(--body-background-fill); }
  #docs .docs-scroll { max-height: 260px; }
  #docs table.docs { font-size: .8em; }
}
"""

# Clicks inside chat messages: a [n] marker opens its source card; Copy puts the reply's plain
# text (and its numbered sources) on the clipboard. Delegated from the document, so it works for
# messages rendered later; the last copied text is kept in window.__briefingCopied.
HEAD = """<script>
(() => {
  const copyText = async (text) => {
    window.__briefingCopied = text;
    try { await navigator.clipboard.writeText(text); return true; } catch (e) {
      const area = document.createElement('textarea');
      area.value = text; area.style.position = 'fixed'; area.style.opacity = '0';
      document.body.appendChild(area); area.select();
      let ok = false; try { ok = document.execCommand('copy'); } catch (_) {}
      area.remove(); return ok;
    }
  };
  document.addEventListener('click', (ev) => {
    const cite = ev.target.closest && ev.target.closest('a.cite-link');
    if (cite) {
      ev.preventDefault(); ev.stopPropagation();
      const msg = cite.closest('[data-testid=bot]') || cite.closest('.message')
        || cite.closest('.brief') || document;
      const n = (cite.getAttribute('href') || '').replace('#source-', '');
      const card = msg.querySelector('details.source.source-' + n);
      if (!card) return;
      card.open = true;
      card.scrollIntoView({block: 'nearest'});
      card.classList.add('flash');
      setTimeout(() => card.classList.remove('flash'), 1500);
      return;
    }
    const copy = ev.target.closest && ev.target.closest('button.copy-reply');
    if (copy) {
      ev.preventDefault(); ev.stopPropagation();
      const holder = copy.parentElement.querySelector('.copy-text');
      copyText(holder ? holder.textContent : '').then((ok) => {
        copy.textContent = ok ? 'Copied' : 'Copy failed';
        setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
      });
    }
  }, true);
})();
</script>"""

# On a narrow screen the side panels start closed, so the conversation and its input come first.
NARROW_JS = """() => {
  if (window.innerWidth > 768) return;
  document.querySelectorAll('.sidebar.open .toggle-button, .sidebar.open button.toggle-button')
    .forEach((b) => b.click());
  document.querySelectorAll('#side-panel button.label-wrap.open').forEach((b) => b.click());
}"""
