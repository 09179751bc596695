"""The local Hub stand-in (tests/fakes/hub.py) in a process of its own, filled with generated
repositories, for benchmarks: `python bench/fake_hub.py --port 8900 --models 10000 --owners 5`."""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.hub import FakeHub  # noqa: E402

README = """---
license: apache-2.0
datasets: [wikitext]
---
# {name}

## Intended uses
Benchmark model number {i}.

## Limitations
None known; it is generated.
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--owners", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    hub = FakeHub(page_size=args.page_size)
    hub.record = False
    for i in range(args.models):
        name = f"owner{i % args.owners}/model-{i:05d}"
        hub.add(name, likes=i % 500, downloads=i * 3, pipeline_tag="text-generation", library_name="transformers",
                license="apache-2.0", readme=README.format(name=name, i=i))
    hub.start(port=args.port)
    print(f"fake hub on {hub.url} with {args.models} models", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
