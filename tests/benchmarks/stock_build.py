"""Build with stock Pelican and print how long reading and writing took.

``python -m tests.benchmarks.stock_build SETTINGS CONTENT OUTPUT`` runs Pelican
exactly as its command line does (same settings reader, same generators, no
plugins) and prints one line, ``timings: {...}``, with the seconds spent
reading (until every generator has its context) and writing.
"""

from __future__ import annotations

import json
import logging
import sys
import time


def main(settings_file: str, content: str, output: str) -> None:
    from pelican import Pelican, signals
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING)
    started = time.perf_counter()
    marks: dict[str, float] = {}

    def reading_done(generators: object) -> None:
        marks.setdefault("read", time.perf_counter())

    signals.all_generators_finalized.connect(reading_done)
    settings = read_settings(settings_file, override={"PATH": content, "OUTPUT_PATH": output})
    Pelican(settings).run()
    finished = time.perf_counter()
    read_done = marks.get("read", finished)
    print(
        "timings: "
        + json.dumps({"read": read_done - started, "write": finished - read_done, "total": finished - started})
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
