"""Review → sign chains drawn as SVG on the server (no JavaScript, no Graphviz).

A chain is a list of ranks (``schema:position``); steps of one rank have no order between them
(docs/model.md), so they sit side by side and every step of a rank points to the next rank.
Text is wrapped by an estimate of its width (CJK characters are one em, others about half),
which is all plain labels need. The SVG carries a ``<title>`` and a ``<desc>`` that says the
whole chain in words, for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BOX_W, GAP_X, GAP_Y, PAD, LINE_H, FONT = 220, 24, 46, 10, 18, 14


@dataclass
class Box:
    """One step: who (with a link), what they do, and when it applies."""

    who: list[tuple[str, str | None]]  # (label, href)
    action: str
    note: str = ""
    separator: str = "、"


def _width(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text) * FONT


def wrap(text: str, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels (by estimate)."""
    lines, current = [], ""
    for ch in text:
        if _width(current + ch) > width and current:
            cut = current.rfind(" ")
            if ch != " " and cut > 0 and not any(ord(c) > 0x2E80 for c in current[cut:]):
                lines.append(current[:cut])
                current = current[cut + 1:]
            else:
                lines.append(current.rstrip())
                current = ""
        current += ch
    if current.strip():
        lines.append(current.strip())
    return lines or [""]


def chain_svg(ranks: list[list[Box]], title: str, description: str, ident: str) -> str:
    """The SVG for ``ranks`` (top to bottom)."""
    inner = BOX_W - 2 * PAD
    laid: list[list[tuple[Box, list[str], list[str], list[str], float]]] = []
    for rank in ranks:
        row = []
        for box in rank:
            who = wrap(box.separator.join(label for label, _ in box.who), inner)
            action = wrap(box.action, inner)
            note = wrap(box.note, inner) if box.note else []
            height = (len(who) + len(action) + len(note)) * LINE_H + 2 * PAD
            row.append((box, who, action, note, height))
        laid.append(row)
    widest = max((len(row) for row in laid), default=1)
    width = widest * BOX_W + (widest - 1) * GAP_X + 2
    parts: list[str] = []
    y = 1.0
    previous: list[tuple[float, float]] = []  # bottom centres of the previous rank
    for row in laid:
        row_h = max(h for *_, h in row)
        row_w = len(row) * BOX_W + (len(row) - 1) * GAP_X
        x = (width - row_w) / 2
        tops = []
        for box, who, action, note, _h in row:
            cx = x + BOX_W / 2
            tops.append((cx, y))
            parts.append(f'<rect class="step" x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" '
                         f'height="{row_h:.0f}" rx="6"/>')
            ty = y + PAD + FONT
            link = next((href for _, href in box.who if href), None)
            text = "".join(
                f'<tspan x="{cx:.0f}" y="{ty + i * LINE_H:.0f}">{escape(s)}</tspan>'
                for i, s in enumerate(who))
            who_svg = f'<text class="who" text-anchor="middle">{text}</text>'
            if link:
                who_svg = f'<a href="{escape(link)}">{who_svg}</a>'
            parts.append(who_svg)
            ty += len(who) * LINE_H
            parts.append('<text class="action" text-anchor="middle">' + "".join(
                f'<tspan x="{cx:.0f}" y="{ty + i * LINE_H:.0f}">{escape(s)}</tspan>'
                for i, s in enumerate(action)) + "</text>")
            ty += len(action) * LINE_H
            if note:
                parts.append('<text class="note" text-anchor="middle">' + "".join(
                    f'<tspan x="{cx:.0f}" y="{ty + i * LINE_H:.0f}">{escape(s)}</tspan>'
                    for i, s in enumerate(note)) + "</text>")
            x += BOX_W + GAP_X
        for px, py in previous:
            for cx, cy in tops:
                parts.append(f'<line class="arrow" x1="{px:.0f}" y1="{py:.0f}" x2="{cx:.0f}" '
                             f'y2="{cy - 2:.0f}" marker-end="url(#{ident}-head)"/>')
        previous = [(cx, y + row_h) for cx, _ in tops]
        y += row_h + GAP_Y
    height = y - GAP_Y + 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
        f'<defs><marker id="{ident}-head" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0 0L10 5L0 10z" class="head"/></marker></defs>'
        + "".join(parts) + "</svg>"
    )
