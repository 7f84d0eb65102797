"""The HTML link chart renders in headless Chromium, from local assets only, and its nodes are drawn."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from puente.network import link_chart
from puente.network.chart import COLORS
from puente.store import Workspace

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1200,1100",
    "--virtual-time-budget=15000",
]


def _chromium() -> str | None:
    """Chromium from Debian packages, installed with apt-get when missing (CI runs as root); None if impossible."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if shutil.which("apt-get"):
        try:
            subprocess.run(["apt-get", "install", "-y", "chromium"], check=True, capture_output=True, timeout=600)
        except (subprocess.SubprocessError, OSError):
            return None
    return shutil.which("chromium")


def _png_rgb(data: bytes) -> np.ndarray:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) without an imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + width * channels)
    out = np.zeros((height, width * channels), dtype=np.int32)
    prev = np.zeros(width * channels, dtype=np.int32)
    for y in range(height):  # PNG filters are defined row by row
        f, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if f == 0:
            row = line
        elif f == 2:
            row = (line + prev) % 256
        else:
            row = np.zeros_like(line)
            for x in range(len(line)):
                a = row[x - channels] if x >= channels else 0
                b = prev[x]
                c = prev[x - channels] if x >= channels else 0
                if f == 1:
                    pred = a
                elif f == 3:
                    pred = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[x] = (line[x] + pred) % 256
        out[y], prev = row, row
    return out.reshape(height, width, channels)[:, :, :3]


@pytest.mark.slow
def test_link_chart_renders_nodes_in_headless_chromium(analysed: tuple[Workspace, Path], tmp_path: Path) -> None:
    ws, _ = analysed
    net = str(ws.con.execute("SELECT min(network_id) FROM networks").fetchall()[0][0])
    page = link_chart(ws, net, tmp_path / "charts")
    html = page.read_text(encoding="utf-8")
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert sources == ["assets/plotly.min.js"]  # the only script loaded is the local copy: no CDN
    assert (page.parent / "assets" / "plotly.min.js").stat().st_size > 1_000_000
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed and cannot be installed here")
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=False,  # judged by the screenshot below, with Chromium's stderr as the message
    )
    assert shot.exists(), result.stderr.decode(errors="replace")[-2000:]
    rgb = _png_rgb(shot.read_bytes())
    red = tuple(int(COLORS["member"][i : i + 2], 16) for i in (1, 3, 5))
    blue = tuple(int(COLORS["infrastructure"][i : i + 2], 16) for i in (1, 3, 5))
    members = int((np.abs(rgb - np.array(red)).sum(axis=2) < 30).sum())
    assets = int((np.abs(rgb - np.array(blue)).sum(axis=2) < 30).sum())
    n_members = ws.con.execute("SELECT count(*) FROM network_members WHERE network_id = ?", [net]).fetchall()[0][0]
    assert members > 20 * min(n_members, 10), members  # member markers are drawn (size 14 px discs)
    assert assets > 100, assets
