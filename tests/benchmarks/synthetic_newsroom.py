"""A synthetic newsroom of any size, for measuring how builds scale.

Articles are shaped like the real ones (front matter, emoji headings, a pull
quote, stats, Key Takeaways) with words drawn from a Zipf-like vocabulary so
term and tag frequencies look like a real archive's.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

SECTIONS = ["World", "Trade", "Technology", "Economy", "Climate"]
AUTHORS = ["Mara Lindqvist", "Tomás Okafor", "Priya Raman"]
EMOJI = ["🎯", "📊", "🌍", "🔎", "⚖️", "🧭"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(size * 2)}
    return sorted(words)[:size]


def write_newsroom(folder: Path, articles: int, seed: int = 7, authors_file: Path | None = None) -> Path:
    """Write ``articles`` Markdown articles (and author profiles) under ``folder``; return it."""
    rng = random.Random(seed)
    words = vocabulary(5000, rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    tags = [f"topic {word}" for word in words[:400]]
    tag_weights = weights[:400]
    start = datetime(2016, 1, 1, 7, 0)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "pages").mkdir(parents=True)
    if authors_file is not None:
        shutil.copy(authors_file, folder / "authors.toml")

    def sentence(length: int) -> str:
        return " ".join(rng.choices(words, weights, k=length)).capitalize() + "."

    for number in range(articles):
        date = start + timedelta(minutes=int(number * 525600 * 10 / max(articles, 1)))
        slug = f"story-{number:06d}"
        chosen_tags = sorted(set(rng.choices(tags, tag_weights, k=rng.randint(0, 4))))
        body = [sentence(40), sentence(35)]
        for heading in range(3):
            body.append(f"## {rng.choice(EMOJI)} {sentence(4)[:-1]}")
            body += [sentence(45), sentence(30)]
            if heading == 1:
                body.append(f'🗣️ "{sentence(14)[:-1]}," said {rng.choice(AUTHORS)}, an analyst.')
                body.append("\n".join(f"- **{rng.randint(2, 99)}%** {sentence(6)}" for _ in range(3)))
        body.append("## 🔑 Key Takeaways")
        body.append("\n".join(f"- {sentence(8)}" for _ in range(3)))
        header = [
            f"Title: {sentence(8)[:-1]}",
            f"Date: {date:%Y-%m-%d %H:%M}",
            f"Category: {rng.choice(SECTIONS)}",
            f"Tags: {', '.join(chosen_tags)}" if chosen_tags else "",
            f"Authors: {rng.choice(AUTHORS)}",
            f"Slug: {slug}",
            f"Summary: {sentence(18)}",
        ]
        path = folder / "articles" / f"{date:%Y}" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(line for line in header if line) + "\n\n" + "\n\n".join(body) + "\n", "utf-8")
    return folder
