"""One measurement in a fresh process: `python -m bench.worker TASK '{json kwargs}'`.

Progress goes to stderr; the last line of stdout is the result as JSON.
"""

from __future__ import annotations

import json
import sys

from bench import measure, startup

TASKS = {
    "build": measure.build,
    "ingest": measure.ingest,
    "retrieval": measure.retrieval,
    "answers": measure.answers,
    "peer": measure.peer_retrieval,
    "validate": measure.validate_composed,
    "cold_ask": startup.cold_ask,
    "cold_web": startup.cold_web,
    "chain": startup.chain_overhead,
}


def main() -> None:
    task, kwargs = sys.argv[1], json.loads(sys.argv[2])
    result = TASKS[task](**kwargs)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
