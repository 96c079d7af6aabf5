"""Run a notebook headless, as Jupyter would, and keep its outputs.

    /usr/bin/python3 test/notebook/execute.py NOTEBOOK [--out FILE]
    /usr/bin/python3 test/notebook/execute.py NOTEBOOK --in-place

The kernel starts in the notebook's folder, as Jupyter starts it. Cells
run in order; a cell tagged "raises-exception" may fail, any other failure
stops the run (exit 1). Prints one JSON line: the seconds each code cell
took and the whole run's. Needs Debian's python3-nbclient and
python3-nbformat (with jupyter-client), the tslab kernel registered
(`npx tslab install --python=python3`) and `tslab` on PATH.

--in-place saves the outputs into the notebook itself: how the example
notebooks get theirs. Timing metadata is left out, so that the same run
saves the same file.
"""

import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('notebook')
    parser.add_argument('--out', help='write the executed notebook here')
    parser.add_argument('--in-place', action='store_true',
                        help='write the outputs into NOTEBOOK')
    parser.add_argument('--kernel', default='tslab')
    parser.add_argument('--timeout', type=int, default=300,
                        help='most seconds one cell may take')
    args = parser.parse_args()

    notebook = nbformat.read(args.notebook, as_version=4)
    folder = os.path.dirname(os.path.abspath(args.notebook))

    started = {}
    seconds = []

    def on_execute(cell, cell_index, **_):
        started[cell_index] = time.monotonic()

    def on_executed(cell, cell_index, **_):
        seconds.append({
            'index': cell_index,
            'seconds': round(time.monotonic() - started[cell_index], 3),
        })

    client = NotebookClient(
        notebook,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        record_timing=False,
        resources={'metadata': {'path': folder}},
        on_cell_execute=on_execute,
        on_cell_executed=on_executed,
    )
    begun = time.monotonic()
    try:
        client.execute()
    except CellExecutionError:
        # tslab reports a failure on the cell's error stream, not in the
        # reply that nbclient quotes: show what the cell printed.
        index = max(started)
        cell = notebook.cells[index]
        printed = ''.join(output.get('text', '')
                          for output in cell.get('outputs', [])
                          if output.get('output_type') == 'stream')
        print(f'{args.notebook}: cell {index} failed:\n{cell.source}\n'
              f'{printed}', file=sys.stderr)
        return 1
    total = round(time.monotonic() - begun, 3)

    nbformat.validate(notebook)
    target = args.notebook if args.in_place else args.out
    if target:
        nbformat.write(notebook, target)
    print(json.dumps({'seconds': total, 'cells': seconds}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
