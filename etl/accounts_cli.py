"""Account commands of the command line: the first administrator, unlocking, the demo users."""

from __future__ import annotations

import getpass
import secrets
import sys

from sqlalchemy import Engine, select

from data.auth import users
from data.auth.passwords import password_problem
from data.auth.roles import Role
from data.db import unit_of_work
from data.models.auth import AppUser
from data.models.reference import Facility
from etl.pipeline import cli_actor


def create_admin(engine: Engine, username: str, display_name: str, from_stdin: bool) -> int:
    """Create a system administrator; the password is typed (twice) or read from stdin."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu / Password: ")
        if getpass.getpass("Nhập lại / Repeat: ") != password:
            print("passwords differ", file=sys.stderr)
            return 2
    try:
        with unit_of_work(engine) as conn:
            users.create_user(conn, cli_actor(), username, display_name, password,
                              [(Role.SYSTEM_ADMIN, None)], must_change_password=False)
    except users.AccountError as err:
        print(f"refused: {err.key}", file=sys.stderr)
        return 2
    print(f"administrator {username.strip().lower()} created")
    return 0


def unlock_user(engine: Engine, username: str) -> int:
    """Lift every sign-in lock of an account (all client addresses); exit code."""
    name = username.strip().lower()
    with unit_of_work(engine) as conn:
        user_id = conn.execute(select(AppUser.id).where(AppUser.username == name)).scalar()
        if user_id is None:
            print(f"no account {name}", file=sys.stderr)
            return 2
        cleared = users.unlock(conn, cli_actor(), user_id)
    print(f"{name} unlocked ({cleared} address(es) cleared)")
    return 0


def _demo_password(username: str) -> str:
    """A random password that passes the password rules (a draw can be all letters)."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password, username) is None:
            return password


def create_demo_users(engine: Engine) -> list[tuple[str, str, str]]:
    """One user per role (random passwords, returned once to be printed); existing names skip."""
    with engine.connect() as conn:
        facility = conn.execute(select(Facility.code).where(
            Facility.district_code == "760", Facility.status == "ACTIVE")
            .order_by(Facility.code)).scalar()
    plan = [("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, None),
            ("bo.yte", "Lãnh đạo Bộ Y tế", Role.MINISTRY_LEADER, None),
            ("tinh.79", "Sở Y tế TP. Hồ Chí Minh", Role.PROVINCE_OFFICER, "79"),
            ("huyen.760", "TTYT Quận 1", Role.DISTRICT_OFFICER, "760")]
    if facility:
        plan.append(("coso.760", "Cơ sở tiêm Quận 1", Role.FACILITY_STAFF, facility))
    created = []
    for username, name, role, scope in plan:
        password = _demo_password(username)
        try:
            with unit_of_work(engine) as conn:
                users.create_user(conn, cli_actor(), username, name, password, [(role, scope)],
                                  must_change_password=False)
        except users.AccountError:
            continue  # already there from an earlier demo
        created.append((username, str(role), password))
    return created
