import signal

from decision_tree.cli import main

# `python -m decision_tree paths | head`: when the reader goes away, stop quietly, as Unix tools do
# (Python's default turns the closed pipe into a BrokenPipeError traceback).
if hasattr(signal, "SIGPIPE"):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)

raise SystemExit(main())
