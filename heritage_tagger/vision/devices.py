"""Choosing the torch device ("auto", "cpu", "cuda", "cuda:N") and sensible CPU thread counts."""

from __future__ import annotations

import contextlib
import os
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.settings import AUTO, DEFAULT_DEVICE

if TYPE_CHECKING:
    import torch


DEVICE_CHOICES = (AUTO, "cpu", "cuda")  # what a list of devices offers ("cuda:N" is accepted too)


class DeviceError(HeritageTaggerError):
    """The requested device does not exist on this computer."""


def resolve_device(name: str = DEFAULT_DEVICE) -> torch.device:
    """``auto`` gives CUDA when a GPU is usable, else the CPU; ``cuda`` without a GPU is an error."""
    import torch

    key = (name or AUTO).strip().lower()
    if key == AUTO:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if key == "cpu":
        return torch.device("cpu")
    if key == "cuda" or key.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise DeviceError(
                f"The device {name!r} was asked for, but no CUDA GPU is usable on this computer "
                "(or this torch build has no CUDA support). Use --device cpu or --device auto."
            )
        if key.startswith("cuda:"):
            try:
                index = int(key.split(":", 1)[1])
            except ValueError:
                raise DeviceError(f"{name!r} is not a device name: write cuda:0, cuda:1, ...") from None
            count = torch.cuda.device_count()
            if not 0 <= index < count:
                raise DeviceError(
                    f"There is no GPU {index}: this computer has {count} (cuda:0 to cuda:{count - 1})."
                )
            return torch.device("cuda", index)
        return torch.device("cuda")
    raise DeviceError(f"{name!r} is not a device name: use {AUTO}, cpu, cuda or cuda:N.")


def cpu_count() -> int:
    """CPUs this process may use (the affinity mask where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def default_num_workers(device: torch.device, n_images: int) -> int:
    """DataLoader workers for decoding: none for small jobs, else one per four cores (two to four on a GPU).

    Decoding, resizing and cropping a photo costs a few CPU-milliseconds against tens for the
    EfficientNet-Lite0 forward pass on a CPU (hundreds for VGG16), so a few workers keep the
    backbone busy. Measured on a 2-core CPU (scripts/bench_features.py): one worker plus a
    one-thread forward pass beats decoding in the main process (about 2x images/s and half the
    CPU time per image); extract_features gives the forward pass the cores the workers leave.
    """
    cores = cpu_count()
    if n_images < 64 or cores < 2:
        return 0
    if device.type == "cuda":
        return max(2, min(4, cores // 2))
    return max(1, cores // 4)


def autocast(device: torch.device, enabled: bool = True) -> AbstractContextManager[object]:
    """Mixed precision on CUDA (bfloat16 where the GPU has it, else float16); a no-op on the CPU, whose
    results stay exactly float32."""
    import torch

    if device.type != "cuda" or not enabled:
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.autocast(device_type="cuda", dtype=dtype)
