"""Token-aware chunks cut at sentence and paragraph boundaries, with overlap and exact offsets.

MiniLM reads at most 256 word pieces and ignores the rest, so chunks stay well under that
(about 1.3 word pieces per cl100k token for news English).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from assistant.models import Chunk, Document
from assistant.text import count_tokens, sentence_spans


def _units(text: str, max_tokens: int) -> list[tuple[int, int, int, bool]]:
    """(start, end, tokens, starts_paragraph) per sentence; over-long sentences split on spaces."""
    units: list[tuple[int, int, int, bool]] = []
    para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    for s, e in sentence_spans(text):
        # A paragraph starts in the blank run just before the sentence (linear, not quadratic:
        # a large file must not stall the ingest).
        gap = s
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        at = bisect_left(para_starts, gap)
        new_para = at < len(para_starts) and para_starts[at] <= s
        n = count_tokens(text[s:e])
        if n <= max_tokens:
            units.append((s, e, n, new_para))
            continue
        # Split a run-on "sentence" at whitespace into pieces that fit.
        words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
        piece_start, piece_tokens = words[0][0], 0
        prev_end = words[0][0]
        for ws, we in words:
            t = count_tokens(text[ws:we]) + 1
            if piece_tokens + t > max_tokens and piece_tokens:
                units.append((piece_start, prev_end, piece_tokens, new_para))
                new_para = False
                piece_start, piece_tokens = ws, 0
            piece_tokens += t
            prev_end = we
        units.append((piece_start, prev_end, piece_tokens, new_para))
    return units


def chunk_document(doc: Document, max_tokens: int, overlap: int) -> list[Chunk]:
    text = doc.text
    units = _units(text, max_tokens)
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j, total = i, 0
        while j < len(units) and total + units[j][2] <= max_tokens:
            # Prefer to end at a paragraph when the chunk is already mostly full.
            if j > i and units[j][3] and total >= max_tokens * 0.6:
                break
            total += units[j][2]
            j += 1
        j = max(j, i + 1)
        start, end = units[i][0], units[j - 1][1]
        chunks.append(
            Chunk(
                chunk_id=f"{doc.meta.doc_id}:{len(chunks)}",
                doc_id=doc.meta.doc_id,
                index=len(chunks),
                text=text[start:end],
                start=start,
                end=end,
            )
        )
        if j >= len(units):
            break
        # Step back over whole sentences that fit in the overlap, never to where we began.
        back, k = 0, j
        while k - 1 > i and back + units[k - 1][2] <= overlap:
            back += units[k - 1][2]
            k -= 1
        i = k
    return chunks
