"""Benchmarks: programs that print numbers (medians and ratios), separate from the tests.

Every module here with a ``main()`` is run by ``python -m benchmarks`` (``./dev bench``);
``python -m benchmarks tree`` runs one.
"""
