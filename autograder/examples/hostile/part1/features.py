"""A hostile features.py: escapes (network, processes, other files), bombs and crashes, one per input value."""

import ctypes
import os
import socket
import subprocess
import threading

import torch


def _attack(kind: int):
    if kind == 0:
        socket.create_connection(("127.0.0.1", 80), timeout=1)
    elif kind == 1:
        subprocess.Popen(["sleep", "1000"])
    elif kind == 2:
        with open("/tmp/llmuth-escaped", "w") as escaped:
            escaped.write("escaped")
    elif kind == 3:
        for pid in range(2, 5000):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
    elif kind == 4:
        hog = []
        while True:
            hog.append(bytearray(50 * 2**20))
    elif kind == 5:
        ctypes.string_at(0)  # segfault
    elif kind == 6:
        threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=True).start()
    elif kind == 7:
        while True:
            print("flood " * 1000)


def xor_features(x):
    _attack(int(x.sum().item()) % 8)
    x1, x2 = x[:, 0], x[:, 1]
    return torch.stack([x1 + x2, x1 * x2], dim=1)
