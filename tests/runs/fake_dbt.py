"""A stand-in for the dbt executable, for tests of the run manager that need no real dbt.

It follows the scenario in ``fake_dbt.json`` in its working directory (the project folder):
prints ``lines`` (recorded dbt JSON log lines or plain text) with ``line_delay`` seconds
between them, writes ``files`` into the ``--target-path`` it was given, sleeps ``sleep``
seconds, and exits with ``exit``. Signals listed in ``ignore`` are ignored. Each call appends
its argv, working directory, pid and start/end times to ``fake_dbt_calls.jsonl``.
"""

import json
import os
import signal
import sys
import time
from pathlib import Path

scenario = json.loads(Path("fake_dbt.json").read_text())
for name in scenario.get("ignore", []):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
calls = Path("fake_dbt_calls.jsonl")
call = {"argv": sys.argv[1:], "cwd": str(Path.cwd()), "pid": os.getpid(), "start": time.time()}


def record(**extra):
    with calls.open("a") as handle:
        handle.write(json.dumps({**call, **extra}) + "\n")


def interrupted(signum, frame):
    print(json.dumps({"info": {"name": "CancelLine", "level": "error", "msg": "cancelled"}}))
    record(end=time.time(), signal=signum)
    sys.exit(2)


if "SIGINT" not in scenario.get("ignore", []):
    signal.signal(signal.SIGINT, interrupted)
record()
for line in scenario.get("lines", []):
    print(line, flush=True)
    time.sleep(scenario.get("line_delay", 0))
if "--target-path" in sys.argv:
    target = Path(sys.argv[sys.argv.index("--target-path") + 1])
    for name, content in scenario.get("files", {}).items():
        (target / name).write_text(content)
time.sleep(scenario.get("sleep", 0))
record(end=time.time())
sys.exit(scenario.get("exit", 0))
