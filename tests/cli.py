"""The `workcred` command in tests: in-process (its `main()`, on a thread of its own, since each
command runs its own event loop), or as a real subprocess for the few tests that are about the
process itself. Both read the suite's settings (tests/suite.py)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.suite import suite_environment

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def workcred(database_url: str, *args: str, **settings: str) -> Ran:
    """`workcred ARGS` run by its `main()` in this process, on `database_url`; `settings`:
    further variables (`WORKCRED_…`) over the suite's."""
    return run_main(list(args), {**suite_environment(database_url), **settings})


def run_main(args: list[str], environment: dict[str, str], directory: Path | None = None) -> Ran:
    """The CLI's `main(args)` with settings from `environment` only, in `directory` (where the
    default database lives) if given."""
    from workcred.cli import main

    out, err = io.StringIO(), io.StringIO()

    def run() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(directory or Path.cwd()):
            try:
                return main(args, environ=environment)
            except SystemExit as exit_:  # argparse refusing the arguments
                return int(exit_.code or 0)

    with ThreadPoolExecutor(max_workers=1) as pool:
        code = pool.submit(run).result()
    return Ran(code, out.getvalue(), err.getvalue())


def workcred_process(database_url: str, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`workcred ARGS` as a real process (`python -m workcred.cli`)."""
    environment = {**os.environ, **suite_environment(database_url), **settings}
    return subprocess.run(
        [sys.executable, "-m", "workcred.cli", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
