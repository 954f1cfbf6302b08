#!/usr/bin/env python3
"""tests/tools/persona-run-overlay-200m.py [--build DIR] - a 200 MiB file
through scripts/persona-run --overlay arrives whole (md5sum inside and on
the host), with the memory raised to hold it; see persona-run-overlay.py."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
os.execv(sys.executable, [sys.executable, os.path.join(HERE, "persona-run-overlay.py"), "--size", "200"] + sys.argv[1:])
