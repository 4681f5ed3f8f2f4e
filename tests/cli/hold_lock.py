"""Run a command while another connection holds a database's write lock.

    python3 hold_lock.py DB COMMAND [ARG...]

The lock is held from before the command starts until it has ended; the
command's output and exit status pass through.
"""
import sqlite3
import subprocess
import sys

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE conference SET tz = tz")
rc = subprocess.run(sys.argv[2:]).returncode
db.execute("ROLLBACK")
db.close()
sys.exit(rc)
