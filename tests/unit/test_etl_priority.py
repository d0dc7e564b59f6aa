"""Loads lower their own CPU priority (etl.nice) so dashboards keep the CPU."""

from __future__ import annotations

import os
import subprocess
import sys

from data.settings import load_settings

ASK = ("import os; from etl.priority import lower_priority; "
       "print(lower_priority({n}), os.getpriority(os.PRIO_PROCESS, 0))")


def _child(code: str, **popen: object) -> list[int]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, **popen).stdout  # type: ignore[call-overload]
    return [int(x) for x in out.split()]


def test_a_load_process_runs_at_the_configured_nice_value() -> None:
    base = os.nice(0)
    want = max(base, 7)
    assert _child(ASK.format(n=7)) == [want, want]


def test_nice_zero_leaves_the_priority_alone() -> None:
    base = os.nice(0)
    assert _child(ASK.format(n=0)) == [base, base]


def test_a_session_leader_lowers_its_autogroup_too() -> None:
    # cron and `setsid` start the loader as the leader of its own session: Linux shares CPU
    # between sessions' autogroups, so the process's own nice alone would change nothing.
    code = ("from pathlib import Path; from etl.priority import lower_priority; "
            "lower_priority(9); print(Path('/proc/self/autogroup').read_text().split()[-1])")
    assert _child(code, start_new_session=True) == [9]


def test_setting_comes_from_config_and_environment() -> None:
    assert load_settings(env={}).etl_nice == 10
    assert load_settings(env={"VX_ETL_NICE": "0"}).etl_nice == 0
