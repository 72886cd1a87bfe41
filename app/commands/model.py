"""``luch model list|activate V|rollback``: the station's AI model versions."""

from __future__ import annotations

import argparse
import getpass
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "model", help="list, activate or roll back the AI model versions of this station",
        description="The shipped model (read-only) and the versions fine-tuned here with "
                    "'luch train --site'. Only a version that passed its gate can be activated.")
    sub = parser.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the versions, the active one marked")
    listing.add_argument("--json", action="store_true", help="print JSON")
    activate = sub.add_parser("activate", help="use version V for new pre-reads")
    activate.add_argument("version", metavar="V")
    sub.add_parser("rollback", help="return to the version active before")
    parser.set_defaults(run=run)


def describe(registry) -> list[dict]:
    active = registry.active().version
    out = []
    for v in registry.versions():
        gate = v.sidecar.get("gate", {})
        out.append({"version": v.version, "active": v.version == active, "shipped": v.shipped,
                    "parent": v.sidecar.get("parent_version"),
                    "created": v.sidecar.get("created") or v.sidecar.get("trained"),
                    "gate": "shipped" if v.shipped else gate.get("state", "?"),
                    "reasons": gate.get("reasons", []),
                    "held_apart": v.sidecar.get("metrics", {}).get("held_apart")})
    return out


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from inference.registry import ModelRegistry

    registry = ModelRegistry()
    if args.model_command == "list":
        rows = describe(registry)
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        for r in rows:
            mark = "*" if r["active"] else " "
            kind = "shipped, read-only" if r["shipped"] else f"from {r['parent']}"
            print(f"{mark} {r['version']:<20} {kind:<22} gate: {r['gate']}  {r['created'] or ''}")
            for reason in r["reasons"]:
                print(f"      {reason}")
        return 0
    if args.model_command == "activate":
        v = registry.activate(args.version, getpass.getuser())
    else:
        v = registry.rollback(getpass.getuser())
    print(f"active model: {v.version}")
    return 0
