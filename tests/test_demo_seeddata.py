"""The demo project's generated data: reproducible, coherent, and anchored to the given time."""

from __future__ import annotations

import csv
import fnmatch
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from jupyterlab_dbt_workbench.demo import seeddata
from jupyterlab_dbt_workbench.demo.seeddata import write_seed_data

PROJECT = Path(seeddata.__file__).parent / "project"
NOW = datetime(2026, 3, 14, 15, 9, 26, 535897, tzinfo=timezone.utc)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def column(rows: list[dict[str, str]], name: str) -> set[str]:
    return {row[name] for row in rows}


def file_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.csv")}


def timestamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("demo")
    return root, write_seed_data(root, now=NOW)


@pytest.fixture(scope="module")
def tables(generated: tuple[Path, dict[str, int]]) -> dict[str, list[dict[str, str]]]:
    root, counts = generated
    return {Path(relative).stem: read_rows(root / relative) for relative in counts}


def test_same_now_writes_byte_identical_files(
    generated: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, counts = generated
    assert write_seed_data(tmp_path, now=NOW) == counts
    assert file_bytes(tmp_path) == file_bytes(root)


def test_a_later_now_changes_only_the_loaded_at_columns(
    generated: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, counts = generated
    write_seed_data(tmp_path, now=NOW + timedelta(days=40, seconds=7))
    changed = [rel for rel in counts if (tmp_path / rel).read_bytes() != (root / rel).read_bytes()]
    assert sorted(changed) == ["raw_data/inventory_counts.csv", "raw_data/web_events.csv"]
    for relative in changed:
        before, after = read_rows(root / relative), read_rows(tmp_path / relative)
        assert [{**row, "loaded_at": ""} for row in before] == [
            {**row, "loaded_at": ""} for row in after
        ]
        shifts = {
            timestamp(b["loaded_at"]) - timestamp(a["loaded_at"])
            for a, b in zip(before, after, strict=True)
        }
        assert shifts == {timedelta(days=40, seconds=7)}


def test_counts_describe_enough_seeds_and_rows(generated: tuple[Path, dict[str, int]]) -> None:
    root, counts = generated
    seeds = [relative for relative in counts if relative.startswith("seeds/")]
    assert len(seeds) >= 5
    assert sum(counts[relative] for relative in seeds) >= 5000
    assert counts["seeds/orders.csv"] >= 2000
    assert counts["raw_data/web_events.csv"] >= 1000
    for relative, count in counts.items():
        assert len(read_rows(root / relative)) == count, relative


def test_every_reference_points_at_an_existing_row(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    customers = column(tables["customers"], "customer_id")
    shops = column(tables["shops"], "shop_id")
    products = column(tables["products"], "product_id")
    campaigns = column(tables["campaigns"], "campaign_id")
    orders = column(tables["orders"], "order_id")
    assert column(tables["orders"], "customer_id") <= customers
    assert column(tables["orders"], "shop_id") <= shops
    assert column(tables["orders"], "campaign_id") - {""} <= campaigns
    assert column(tables["order_items"], "order_id") == orders
    assert column(tables["order_items"], "product_id") <= products
    assert column(tables["payments"], "order_id") <= orders
    assert column(tables["inventory_counts"], "shop_id") == shops
    assert column(tables["inventory_counts"], "product_id") == products
    assert column(tables["web_events"], "campaign_id") - {""} <= campaigns
    for name, key in [("customers", "customer_id"), ("orders", "order_id"),
                      ("order_items", "order_item_id"), ("payments", "payment_id"),
                      ("web_events", "event_id")]:  # fmt: skip
        assert len(column(tables[name], key)) == len(tables[name]), name


def test_no_order_predates_its_customer(tables: dict[str, list[dict[str, str]]]) -> None:
    signed_up = {row["customer_id"]: row["signed_up_on"] for row in tables["customers"]}
    late = [o for o in tables["orders"] if o["ordered_at"][:10] < signed_up[o["customer_id"]]]
    assert late == []


def test_only_the_deliberate_anomalies_break_the_rules(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    # These anomalies make two tests of the project warn; everything else must be clean.
    customers = column(tables["customers"], "customer_id")
    unknown = column(tables["web_events"], "customer_id") - customers - {""}
    assert unknown == {str(account) for account in seeddata.DELETED_ACCOUNT_IDS}

    prices = {row["order_item_id"]: row for row in tables["order_items"]}
    owed: dict[str, int] = {}
    for item in prices.values():
        line = int(item["quantity"]) * round(float(item["unit_price"]) * 100)
        owed[item["order_id"]] = (
            owed.get(item["order_id"], 0) + line * (100 - int(item["discount_pct"])) // 100
        )
    charged: dict[str, int] = {}
    refunded: dict[str, int] = {}
    for payment in tables["payments"]:
        target = charged if payment["payment_type"] == "charge" else refunded
        target[payment["order_id"]] = target.get(payment["order_id"], 0) + round(
            float(payment["amount"]) * 100
        )
    status = {row["order_id"]: row["status"] for row in tables["orders"]}
    short = {o for o, s in status.items() if s == "completed" and charged[o] < owed[o]}
    assert len(short) == seeddata.UNDERPAID_ORDER_COUNT
    assert all(
        charged[o] == owed[o] for o, s in status.items() if s != "cancelled" and o not in short
    )
    assert not any(o in charged for o, s in status.items() if s == "cancelled")
    assert {o: -cents for o, cents in refunded.items()} == {
        o: owed[o] for o, s in status.items() if s == "returned"
    }


def freshness_of(source: str) -> tuple[timedelta, timedelta]:
    spec = yaml.safe_load((PROJECT / "models/staging/_sources.yml").read_text())
    (entry,) = [s for s in spec["sources"] if s["name"] == source]
    assert entry["config"]["loaded_at_field"] == "loaded_at"
    freshness = entry["config"]["freshness"]
    units = {"minute": "minutes", "hour": "hours", "day": "days"}
    warn, error = (
        timedelta(**{units[freshness[k]["period"]]: freshness[k]["count"]})
        for k in ("warn_after", "error_after")
    )
    return warn, error


def test_freshness_passes_for_events_and_warns_for_stock_right_after_generation(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    now = NOW.replace(microsecond=0)
    events_age = now - max(timestamp(row["loaded_at"]) for row in tables["web_events"])
    stock_age = now - max(timestamp(row["loaded_at"]) for row in tables["inventory_counts"])
    assert events_age == seeddata.EVENTS_LAST_LOAD_AGE
    assert stock_age == seeddata.INVENTORY_LAST_LOAD_AGE

    events_warn, _ = freshness_of("web_tracking")
    stock_warn, stock_error = freshness_of("shop_systems")
    assert events_age < events_warn
    # Warns, with days of margin before it would fail `dbt source freshness`.
    assert stock_warn < stock_age < stock_error - timedelta(days=5)


def test_default_now_is_the_current_time(tmp_path: Path) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    write_seed_data(tmp_path)
    after = datetime.now(timezone.utc)
    newest = max(timestamp(r["loaded_at"]) for r in read_rows(tmp_path / "raw_data/web_events.csv"))
    assert before <= newest + seeddata.EVENTS_LAST_LOAD_AGE <= after


def test_an_aware_now_in_another_zone_means_the_same_instant(
    generated: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    root, _ = generated
    write_seed_data(tmp_path, now=NOW.astimezone(timezone(timedelta(hours=-5))))
    assert file_bytes(tmp_path) == file_bytes(root)


def test_a_naive_now_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        write_seed_data(tmp_path, now=datetime(2026, 1, 1, 12, 0))
    assert list(tmp_path.iterdir()) == []


def test_generated_files_are_ignored_by_git(generated: tuple[Path, dict[str, int]]) -> None:
    _, counts = generated
    patterns = [
        line.strip()
        for line in (PROJECT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for relative in counts:
        assert any(
            relative.startswith(p) if p.endswith("/") else fnmatch.fnmatch(relative, p)
            for p in patterns
        ), relative


def test_every_seed_file_has_properties_in_the_project(
    generated: tuple[Path, dict[str, int]],
) -> None:
    _, counts = generated
    spec = yaml.safe_load((PROJECT / "seeds/_seeds.yml").read_text())
    documented = {seed["name"] for seed in spec["seeds"] if seed.get("description")}
    assert {Path(r).stem for r in counts if r.startswith("seeds/")} == documented
