"""CPU seconds used over a window by processes, grouped by name (/proc/PID/comm).

Usage: cpu_split.py SECONDS NAME... -> prints "NAME=SECONDS" per name. Work of processes
that exit during the window is not counted; processes started in it count whole."""
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def snapshot(names):
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            if comm not in names:
                continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            found[pid] = (comm, int(fields[11]) + int(fields[12]))
        except OSError:
            continue
    return found


seconds, names = float(sys.argv[1]), set(sys.argv[2:])
before = snapshot(names)
time.sleep(seconds)
after = snapshot(names)
used = dict.fromkeys(sorted(names), 0)
for pid, (comm, ticks) in after.items():
    used[comm] += ticks - before.get(pid, (comm, 0))[1]
print(" ".join(f"{name}={ticks / TICK:.2f}" for name, ticks in used.items()))
