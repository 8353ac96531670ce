"""all-MiniLM-L6-v2 on torch with bf16 matrix products, for ingest batches.

On a CPU with native bf16 instructions (x86 `avx512_bf16` or `amx_bf16`) torch's autocast runs the
model's matrix products in bf16 (oneDNN), several times the fp32 rate of chunk batches, while layer
norms, softmax and the pooling here stay in fp32. The vectors are not bitwise today's: their cosine
to the fp32 vectors is above 0.9999 on the corpus's chunks. Only ingest uses this route; questions
are encoded in fp32 through ONNX Runtime, which imports no torch.

Tokenising, runs and pooling are the ONNX route's (`PooledMiniLM`), so only the model differs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.onnx_encoder import PooledMiniLM, model_dir

# The CPU flags that give native bf16 dot products; without them autocast emulates bf16 slowly.
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def cpu_has_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether the CPU lists a native bf16 instruction set (False where there is no cpuinfo)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            return bool(BF16_FLAGS & set(value.split()))
    return False


class Bf16MiniLM(PooledMiniLM):
    """The transformer on torch under bf16 autocast; threads are torch's (every core)."""

    def __init__(self, source: Path) -> None:
        super().__init__(source)
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self._torch = torch
        self.model = AutoModel.from_pretrained(str(source)).eval()

    def _hidden(self, ids: np.ndarray, mask: np.ndarray, small: bool) -> np.ndarray:
        torch = self._torch
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
            tokens = torch.from_numpy(ids)
            hidden = self.model(
                input_ids=tokens,
                attention_mask=torch.from_numpy(mask),
                token_type_ids=torch.zeros_like(tokens),
            ).last_hidden_state
        return hidden.float().numpy()


def load() -> Bf16MiniLM:
    """The packaged weights on torch in bf16 (needs torch and transformers)."""
    return Bf16MiniLM(model_dir())
