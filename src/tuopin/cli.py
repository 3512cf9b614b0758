"""The ``tuopin`` command: one entry point over Tuopin's own commands and Django's.

``tuopin demo``, ``tuopin serve``, ``tuopin areas ...`` are Tuopin's; ``tuopin manage ...``
passes through to Django's management commands (migrate, shell, createsuperuser ...).
"""

from __future__ import annotations

import os
import sys

# Tuopin's commands, in the order ``tuopin --help`` lists them.
COMMANDS = {
    "demo": "set up SQLite, load the Alxa demonstration data and serve it",
    "serve": "run the production web server on the configured database",
    "worker": "run background jobs (imports, sweeps) beside the web server",
    "areas": "export or import the administrative tree and its yearly figures",
    "import": "import a household file (xlsx or csv) into the registry",
    "export": "export households as a household file, as of a date",
    "evaluate": "evaluate a household file under the policy; writes the evaluation CSV",
    "sweep": "evaluate the stored registry under the policy; opens clues for new candidates",
    "generate": "write synthetic household files at any scale (deterministic per seed)",
    "snapshot": "export the registry as of a date for the statistics (Parquet)",
    "stats": "indicators for an area as of a date (json, csv or a table)",
    "mpi": "Alkire–Foster multidimensional poverty of a CSV file or of the registry",
    "fgt": "FGT poverty measures (P0, P1, P2), Watts and Sen of incomes in a CSV file",
    "bench": "measure speed on synthetic data (import, sweep, stats, snapshot)",
    "cases": "list identification and risk-elimination cases (overdue, by area)",
    "publicity": "export the publicity lists of every gaqa under an area (xlsx)",
    "users": "create accounts and grant roles over areas from the console",
    "token": "issue or revoke API tokens",
    "manage": "run a Django management command (migrate, shell, ...)",
}


def _usage() -> str:
    lines = ["usage: tuopin <command> [options]", "", "commands:"]
    lines += [f"  {name:<10} {text}" for name, text in COMMANDS.items()]
    lines += ["", "tuopin <command> --help shows a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_usage())
        return
    command = args[0]
    if command not in COMMANDS:
        print(f"tuopin: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        raise SystemExit(2)

    # Imported late: DJANGO_SETTINGS_MODULE must be set first.
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    try:
        if command == "manage":
            execute_from_command_line(["tuopin manage", *args[1:]])
        else:
            execute_from_command_line(["tuopin", *args])
    except BrokenPipeError:
        # The reader (``head``, a closed pager) went away: not an error of ours.
        sys.stderr.close()
        raise SystemExit(0) from None


if __name__ == "__main__":
    main()
