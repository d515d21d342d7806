"""What every stage script shares: logging, the variant argument, and the error contract."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from .errors import LatentlabError


def run_stage(main: Callable[[], None]) -> None:
    """Run a stage's main(); a LatentlabError becomes one sentence on stderr and exit code 1."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    try:
        main()
    except LatentlabError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(1) from None


def variant_argument(description: str, argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("variant", help="a key of `variants` in params.yaml")
    return parser.parse_args(argv).variant
