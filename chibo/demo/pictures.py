"""Drawn pictures of a session for the demo cell and the benchmark's data.

Neither has real photos to show, and a gallery or an annual report without
any would not show what those pages look like. These are plain drawings (a
hall with its red banner, the audience from behind, a stage), recognisably
not photographs, in a few kinds: a meeting, a contest, a prize-giving.
"""

import io
import math
import random

from PIL import Image, ImageDraw

MEETING = "meeting"
CONTEST = "contest"
AWARDS = "awards"

WALL = (236, 226, 206)
FLOOR = (150, 104, 72)
BANNER = (178, 24, 32)
GOLD = (250, 214, 40)
SKIN = (232, 190, 160)
HAIR = (40, 32, 28)


def draw_scene(seed: str, kind: str = MEETING, size: tuple[int, int] = (960, 640)) -> Image.Image:
    """A drawing of a session of ``kind``; the same ``seed`` gives the same picture."""
    rng = random.Random(seed)
    width, height = size
    unit = width / 960  # everything is laid out on a 960-wide canvas
    image = Image.new("RGB", size, WALL)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 0.55, width, height), fill=FLOOR)
    _banner(draw, width, unit)
    stage_top = height * 0.42
    draw.rectangle((width * 0.08, stage_top, width * 0.92, height * 0.6), fill=(120, 20, 28))
    if kind == CONTEST:
        _team_desks(draw, rng, width, stage_top, unit)
    elif kind == AWARDS:
        _prize_line(draw, rng, width, stage_top, unit)
    else:
        _lectern(draw, width, stage_top, unit)
    _audience(draw, rng, width, height, unit)
    return image


def scene_jpeg(seed: str, kind: str = MEETING, size: tuple[int, int] = (960, 640)) -> bytes:
    content = io.BytesIO()
    draw_scene(seed, kind, size).save(content, "JPEG", quality=82)
    return content.getvalue()


def _star(draw, cx, cy, radius, fill):
    """A five-pointed star, point up: outer and inner corners in turn."""
    points = []
    for n in range(10):
        r = radius if n % 2 == 0 else radius * 0.4
        angle = math.radians(-90 + n * 36)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _banner(draw, width, unit):
    top, bottom = 28 * unit, 128 * unit
    draw.rectangle((width * 0.06, top, width * 0.94, bottom), fill=BANNER)
    _star(draw, width * 0.06 + 60 * unit, (top + bottom) / 2, 36 * unit, GOLD)
    # Two lines of lettering, as bars: the words are not the point.
    left = width * 0.06 + 120 * unit
    right = width * 0.94 - 40 * unit
    draw.rectangle((left, top + 26 * unit, right, top + 44 * unit), fill=GOLD)
    draw.rectangle(
        (left + 80 * unit, top + 60 * unit, right - 80 * unit, top + 74 * unit), fill=GOLD
    )


def _person(draw, x, y, scale, clothes, standing=False, from_behind=False):
    """A person at (x, y) (top of the head), facing the viewer or seen from behind."""
    head = 16 * scale
    draw.ellipse((x - head, y, x + head, y + 2 * head), fill=HAIR if from_behind else SKIN)
    if not from_behind:
        draw.chord((x - head, y - 2, x + head, y + 2 * head), 180, 360, fill=HAIR)
    body = 3.2 * head if standing else 2.2 * head
    draw.rounded_rectangle(
        (x - 1.6 * head, y + 2 * head, x + 1.6 * head, y + 2 * head + body),
        radius=int(head * 0.8),
        fill=clothes,
    )


def _clothes(rng):
    return rng.choice([(245, 245, 245), (60, 80, 140), (30, 40, 60), (200, 60, 60), (90, 120, 90)])


def _lectern(draw, width, stage_top, unit):
    x = width * 0.5
    _person(draw, x, stage_top - 110 * unit, 1.5 * unit, (245, 245, 245), standing=True)
    draw.rectangle(
        (x - 50 * unit, stage_top - 40 * unit, x + 50 * unit, stage_top + 40 * unit),
        fill=(110, 70, 40),
    )
    _star(draw, x, stage_top, 14 * unit, GOLD)


def _team_desks(draw, rng, width, stage_top, unit):
    colours = [(40, 110, 200), (220, 140, 30), (40, 150, 80), (150, 60, 170)]
    for n, colour in enumerate(colours):
        x = width * (0.2 + n * 0.2)
        for seat in (-1, 1):
            _person(draw, x + seat * 28 * unit, stage_top - 78 * unit, 1.1 * unit, _clothes(rng))
        draw.rectangle(
            (x - 70 * unit, stage_top - 20 * unit, x + 70 * unit, stage_top + 30 * unit),
            fill=colour,
        )
        # A bell on every desk: the contest's buzzer.
        draw.pieslice(
            (x - 14 * unit, stage_top - 36 * unit, x + 14 * unit, stage_top - 8 * unit),
            180,
            360,
            fill=GOLD,
        )


def _prize_line(draw, rng, width, stage_top, unit):
    for n in range(6):
        x = width * (0.17 + n * 0.132)
        _person(draw, x, stage_top - 120 * unit, 1.3 * unit, _clothes(rng), standing=True)
        # The certificate held in front, and flowers for every second one.
        draw.rectangle(
            (x - 26 * unit, stage_top - 30 * unit, x + 26 * unit, stage_top + 6 * unit),
            fill=(255, 250, 235),
            outline=GOLD,
            width=max(1, int(3 * unit)),
        )
        if n % 2:
            draw.ellipse(
                (x + 20 * unit, stage_top - 46 * unit, x + 44 * unit, stage_top - 22 * unit),
                fill=(230, 60, 110),
            )


def _audience(draw, rng, width, height, unit):
    rows = 3
    for row in range(rows):
        scale = (1.6 + row * 0.45) * unit
        y = height * (0.6 + row * 0.12)
        spacing = 62 * scale
        offset = (row % 2) * spacing / 2
        x = offset + spacing / 2
        while x < width:
            _person(draw, x + rng.uniform(-6, 6) * unit, y, scale, _clothes(rng), from_behind=True)
            x += spacing
