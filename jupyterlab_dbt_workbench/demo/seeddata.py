"""Deterministic data for the demo project: Copper Kettle, a small chain of tea shops.

The dbt seeds (``seeds/*.csv``) and the raw files behind the project's external sources
(``raw_data/*.csv``) are generated rather than committed. A fixed random seed makes every run
write the same rows, so the demo, its tests and its screenshots are reproducible. Only the
``loaded_at`` columns of the raw files depend on the time of generation: they are anchored to
``now`` so that ``dbt source freshness`` finds one source fresh and one late right after the demo
is prepared.
"""

from __future__ import annotations

import bisect
import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

__all__ = [
    "DELETED_ACCOUNT_IDS",
    "EVENTS_LAST_LOAD_AGE",
    "INVENTORY_LAST_LOAD_AGE",
    "UNDERPAID_ORDER_COUNT",
    "write_seed_data",
]

# The newest web event is loaded this long before `now`: inside the source's warn_after (6 hours).
EVENTS_LAST_LOAD_AGE = timedelta(minutes=12)
# The newest stock count is loaded this long before `now`: past warn_after (24 hours) but inside
# error_after (7 days), so freshness warns without failing.
INVENTORY_LAST_LOAD_AGE = timedelta(hours=30)

# Completed orders whose till recorded less than the order total: the warn-level singular test
# assert_completed_orders_are_fully_paid reports exactly these.
UNDERPAID_ORDER_COUNT = 6
# Web sessions of accounts deleted since: their customer ids no longer exist, which the
# warn-level relationships test on stg_web_events.customer_id reports.
DELETED_ACCOUNT_IDS = (9001, 9002, 9003)

# A CSV file's header and rows.
_Table = tuple[list[str], list[list[object]]]

_RANDOM_SEED = 20250611
_YEAR_START = date(2025, 1, 1)
_YEAR_DAYS = 365
_ORDER_COUNT = 3000
_CUSTOMER_COUNT = 800
_SESSION_COUNT = 1400
_INVENTORY_WEEKS = 4

_SHOPS = (
    ("Harbourside", "Portwick", "coast", date(2019, 4, 12), 42),
    ("Old Mill", "Portwick", "coast", date(2020, 9, 1), 28),
    ("Station Square", "Elmbridge", "central", date(2021, 3, 15), 36),
    ("Market Hall", "Elmbridge", "central", date(2021, 11, 20), 24),
    ("Canal Walk", "Ashford Vale", "central", date(2022, 6, 4), 30),
    ("Northgate", "Hollin Moor", "north", date(2023, 2, 10), 20),
    ("University Quarter", "Hollin Moor", "north", date(2023, 9, 18), 48),
    ("Riverside Kiosk", "Ashford Vale", "central", date(2024, 5, 1), 8),
)

# (name, category, price in cents, cost in cents, seasonal). Prices are multiples of 10 cents
# so that 10% and 20% discounts stay whole cents.
_PRODUCTS = (
    ("Breakfast Blend Pot", "tea", 340, 60, False),
    ("Earl Grey Pot", "tea", 360, 70, False),
    ("Jasmine Green Pot", "tea", 380, 80, False),
    ("Rooibos Vanilla Pot", "tea", 370, 75, False),
    ("Masala Chai Latte", "tea", 420, 110, False),
    ("Matcha Latte", "tea", 450, 140, False),
    ("Iced Peach Oolong", "tea", 400, 90, True),
    ("Mulled Apple Infusion", "tea", 390, 85, True),
    ("Espresso", "coffee", 250, 45, False),
    ("Flat White", "coffee", 340, 70, False),
    ("Cappuccino", "coffee", 330, 70, False),
    ("Oat Latte", "coffee", 370, 95, False),
    ("Cold Brew", "coffee", 380, 80, True),
    ("Butter Croissant", "pastry", 260, 90, False),
    ("Almond Croissant", "pastry", 320, 120, False),
    ("Cardamom Bun", "pastry", 310, 100, False),
    ("Cinnamon Swirl", "pastry", 300, 95, False),
    ("Lemon Drizzle Slice", "pastry", 290, 85, False),
    ("Scone with Jam", "pastry", 280, 80, False),
    ("Pumpkin Spice Muffin", "pastry", 300, 100, True),
    ("Mince Pie", "pastry", 220, 70, True),
    ("Cheddar and Chutney Toastie", "food", 590, 210, False),
    ("Hummus Wrap", "food", 560, 190, False),
    ("Tomato Soup", "food", 520, 150, False),
    ("Smoked Salmon Bagel", "food", 690, 280, False),
    ("Granola Pot", "food", 430, 140, False),
    ("Loose Leaf Tin 100g", "retail", 1290, 480, False),
    ("Tea Sampler Box", "retail", 1890, 720, False),
    ("Copper Kettle Mug", "retail", 1100, 350, False),
    ("Glass Teapot", "retail", 2400, 950, False),
    ("Festive Gift Set", "retail", 3200, 1300, True),
    ("Reusable Cup", "retail", 900, 260, False),
)
_PRODUCT_LAUNCH = date(2019, 4, 12)

_FIRST_NAMES = (
    "Ada", "Bilal", "Carmen", "Dmitri", "Elif", "Farah", "Gus", "Hana", "Ines", "Jonah",
    "Kofi", "Lena", "Mateo", "Nadia", "Oren", "Priya", "Quinn", "Rosa", "Sami", "Tomas",
    "Uma", "Viktor", "Wren", "Xavi", "Yara", "Zoltan", "Amara", "Bruno", "Chloe", "Dev",
    "Esme", "Felix", "Greta", "Hugo", "Isla", "Jun", "Keira", "Luca", "Maya", "Noor",
)  # fmt: skip
_LAST_NAMES = (
    "Abbott", "Bianchi", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes",
    "Ibrahim", "Jansen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quinlan", "Rossi", "Santos", "Tanaka", "Usman", "Varga", "Walsh", "Yilmaz", "Zhou",
    "Byrne", "Costa", "Dalton", "Ellis", "Ferreira",
)  # fmt: skip
_CUSTOMER_CITIES = (
    "Portwick", "Elmbridge", "Ashford Vale", "Hollin Moor", "Kestrel Bay", "Lowfield",
)  # fmt: skip

# (name, channel, start, length in days, budget)
_CAMPAIGNS = (
    ("New Year Reset", "email", date(2025, 1, 6), 28, 1500),
    ("Pancake Day Pastries", "social", date(2025, 2, 24), 14, 900),
    ("Spring Matcha", "social", date(2025, 3, 24), 35, 2200),
    ("Loyalty Double Points", "email", date(2025, 5, 5), 21, 1200),
    ("Iced Tea Summer", "search", date(2025, 6, 16), 56, 4000),
    ("Back to Campus", "social", date(2025, 9, 8), 28, 2500),
    ("Autumn Spice", "search", date(2025, 10, 1), 42, 3100),
    ("Refer a Friend", "email", date(2025, 10, 20), 30, 800),
    ("Black Friday Tins", "search", date(2025, 11, 24), 8, 3500),
    ("Festive Gifting", "social", date(2025, 12, 1), 24, 4200),
)


@dataclass(frozen=True)
class _Order:
    order_id: int
    customer_id: int
    shop_id: int
    ordered_at: datetime
    channel: str
    status: str
    campaign_id: int | None
    total_cents: int


@dataclass(frozen=True)
class _Customers:
    """Customer rows, ordered by signup date so that eligible customers are a prefix."""

    rows: list[list[object]]
    signup_dates: list[date]


def write_seed_data(project_dir: Path, *, now: datetime | None = None) -> dict[str, int]:
    """Write the generated CSV files into project_dir; return {relative file path: row count}.

    ``now`` must be timezone-aware (it defaults to the current UTC time). It only anchors the
    ``loaded_at`` columns of the raw source files; every other byte is the same on every call.
    Existing files are overwritten.
    """
    anchor = _utc_anchor(now)
    tables = _generate(anchor)
    counts: dict[str, int] = {}
    for relative, (header, rows) in tables.items():
        counts[relative] = _write_csv(Path(project_dir) / relative, header, rows)
    return counts


def _utc_anchor(now: datetime | None) -> datetime:
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware, for example datetime.now(timezone.utc)")
    # Whole seconds in naive UTC: dbt reads naive timestamps as UTC when it computes freshness.
    return now.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)


def _generate(anchor: datetime) -> dict[str, _Table]:
    rng = random.Random(_RANDOM_SEED)
    shops = _shops()
    products = _products()
    customers = _customers(rng)
    campaigns = _campaigns()
    orders = _orders(rng, customers)
    items, totals = _order_items(rng, orders)
    orders = [replace(order, total_cents=totals[order.order_id]) for order in orders]
    payments = _payments(rng, orders)
    events = _web_events(rng, customers, anchor)
    inventory = _inventory_counts(rng, anchor)
    return {
        "seeds/shops.csv": shops,
        "seeds/products.csv": products,
        "seeds/customers.csv": _customers_table(customers),
        "seeds/campaigns.csv": campaigns,
        "seeds/orders.csv": _orders_table(orders),
        "seeds/order_items.csv": items,
        "seeds/payments.csv": payments,
        "raw_data/web_events.csv": events,
        "raw_data/inventory_counts.csv": inventory,
    }


def _shops() -> _Table:
    header = ["shop_id", "shop_name", "city", "region", "opened_on", "seats"]
    rows: list[list[object]] = [
        [shop_id, f"Copper Kettle {name}", city, region, opened.isoformat(), seats]
        for shop_id, (name, city, region, opened, seats) in enumerate(_SHOPS, start=1)
    ]
    return header, rows


def _products() -> _Table:
    header = [
        "product_id",
        "sku",
        "product_name",
        "category",
        "unit_price",
        "unit_cost",
        "is_seasonal",
        "launched_on",
    ]
    rows: list[list[object]] = []
    for product_id, (name, category, price, cost, seasonal) in enumerate(_PRODUCTS, start=1):
        sku = f"{category[:3].upper()}-{product_id:03d}"
        launched = _PRODUCT_LAUNCH + timedelta(days=40 * (product_id - 1))
        rows.append(
            [
                product_id,
                sku,
                name,
                category,
                _money(price),
                _money(cost),
                _bool(seasonal),
                launched.isoformat(),
            ]
        )
    return header, rows


def _customers(rng: random.Random) -> _Customers:
    first_signup = date(2023, 1, 1)
    span = (date(2025, 11, 30) - first_signup).days
    signups = sorted(
        first_signup + timedelta(days=rng.randrange(span)) for _ in range(_CUSTOMER_COUNT)
    )
    rows: list[list[object]] = []
    for customer_id, signup in enumerate(signups, start=1):
        first = rng.choice(_FIRST_NAMES)
        last = rng.choice(_LAST_NAMES)
        email = f"{first}.{last}{customer_id}@example.com".lower()
        tier = rng.choices(("bronze", "silver", "gold"), weights=(70, 22, 8))[0]
        rows.append(
            [
                customer_id,
                first,
                last,
                email,
                rng.choice(_CUSTOMER_CITIES),
                signup.isoformat(),
                tier,
                _bool(rng.random() < 0.62),
            ]
        )
    return _Customers(rows=rows, signup_dates=signups)


def _customers_table(customers: _Customers) -> _Table:
    header = [
        "customer_id",
        "first_name",
        "last_name",
        "email",
        "city",
        "signed_up_on",
        "loyalty_tier",
        "marketing_opt_in",
    ]
    return header, customers.rows


def _campaigns() -> _Table:
    header = ["campaign_id", "campaign_name", "channel", "starts_on", "ends_on", "budget"]
    rows: list[list[object]] = [
        [
            campaign_id,
            name,
            channel,
            start.isoformat(),
            (start + timedelta(days=length - 1)).isoformat(),
            _money(budget * 100),
        ]
        for campaign_id, (name, channel, start, length, budget) in enumerate(_CAMPAIGNS, start=1)
    ]
    return header, rows


def _active_campaign(day: date, channels: Iterable[str]) -> int | None:
    wanted = set(channels)
    for campaign_id, (_name, channel, start, length, _budget) in enumerate(_CAMPAIGNS, start=1):
        if channel in wanted and start <= day < start + timedelta(days=length):
            return campaign_id
    return None


def _eligible_customer(rng: random.Random, customers: _Customers, day: date) -> int:
    """Pick a customer who had signed up by `day`; long-standing customers come back more."""
    eligible = bisect.bisect_right(customers.signup_dates, day)
    return 1 + int(eligible * rng.random() ** 1.7)


def _orders(rng: random.Random, customers: _Customers) -> list[_Order]:
    moments: list[datetime] = []
    for _ in range(_ORDER_COUNT):
        day = _YEAR_START + timedelta(days=rng.randrange(_YEAR_DAYS))
        minute = rng.randrange(7 * 60, 19 * 60)
        moments.append(datetime.combine(day, time(minute // 60, minute % 60, rng.randrange(60))))
    moments.sort()
    last_day = moments[-1].date()
    orders: list[_Order] = []
    for order_id, ordered_at in enumerate(moments, start=1):
        day = ordered_at.date()
        channel = rng.choices(("in_store", "web", "app"), weights=(60, 25, 15))[0]
        campaign_id = None
        if channel != "in_store" and rng.random() < 0.45:
            campaign_id = _active_campaign(day, ("email", "social", "search"))
        status = rng.choices(("completed", "returned", "cancelled"), weights=(93, 4, 3))[0]
        if (last_day - ordered_at.date()).days < 2 and status == "completed":
            status = "placed"
        orders.append(
            _Order(
                order_id=order_id,
                customer_id=_eligible_customer(rng, customers, day),
                shop_id=1 + int(len(_SHOPS) * rng.random() ** 1.3),
                ordered_at=ordered_at,
                channel=channel,
                status=status,
                campaign_id=campaign_id,
                total_cents=0,
            )
        )
    return orders


def _orders_table(orders: Sequence[_Order]) -> _Table:
    header = [
        "order_id",
        "customer_id",
        "shop_id",
        "ordered_at",
        "channel",
        "status",
        "campaign_id",
    ]
    rows: list[list[object]] = [
        [
            order.order_id,
            order.customer_id,
            order.shop_id,
            _timestamp(order.ordered_at),
            order.channel,
            order.status,
            "" if order.campaign_id is None else order.campaign_id,
        ]
        for order in orders
    ]
    return header, rows


def _order_items(rng: random.Random, orders: Sequence[_Order]) -> tuple[_Table, dict[int, int]]:
    header = ["order_item_id", "order_id", "product_id", "quantity", "unit_price", "discount_pct"]
    rows: list[list[object]] = []
    totals: dict[int, int] = {}
    drinks_and_food = [i for i, p in enumerate(_PRODUCTS, start=1) if p[1] != "retail"]
    retail = [i for i, p in enumerate(_PRODUCTS, start=1) if p[1] == "retail"]
    for order in orders:
        line_count = rng.choices((1, 2, 3, 4), weights=(30, 38, 22, 10))[0]
        online = order.channel != "in_store"
        total = 0
        for _ in range(line_count):
            use_retail = (online and rng.random() < 0.5) or rng.random() < 0.06
            pool = retail if use_retail else drinks_and_food
            product_id = rng.choice(pool)
            quantity = rng.choices((1, 2, 3), weights=(78, 17, 5))[0]
            discount = 0 if order.campaign_id is None else rng.choice((10, 20))
            price = _PRODUCTS[product_id - 1][2]
            total += quantity * price * (100 - discount) // 100
            rows.append(
                [len(rows) + 1, order.order_id, product_id, quantity, _money(price), discount]
            )
        totals[order.order_id] = total
    return (header, rows), totals


def _payments(rng: random.Random, orders: Sequence[_Order]) -> _Table:
    header = ["payment_id", "order_id", "payment_method", "payment_type", "amount", "paid_at"]
    rows: list[list[object]] = []

    def pay(order: _Order, method: str, kind: str, cents: int, at: datetime) -> None:
        rows.append([len(rows) + 1, order.order_id, method, kind, _money(cents), _timestamp(at)])

    completed = [o.order_id for o in orders if o.status == "completed"]
    underpaid = set(rng.sample(completed, UNDERPAID_ORDER_COUNT))
    for order in orders:
        if order.status == "cancelled":
            continue
        due = order.total_cents
        if order.order_id in underpaid:
            due -= rng.choice((50, 100, 150, 200))
        at = order.ordered_at + timedelta(seconds=rng.randrange(20, 900))
        if order.channel == "in_store":
            method = rng.choices(("card", "cash", "mobile_wallet"), weights=(60, 15, 25))[0]
        else:
            method = rng.choices(("card", "mobile_wallet"), weights=(70, 30))[0]
        if due > 1000 and rng.random() < 0.08:
            pay(order, "gift_card", "charge", 1000, at)
            due -= 1000
        pay(order, method, "charge", due, at)
        if order.status == "returned":
            refund_at = order.ordered_at + timedelta(days=rng.randrange(2, 21), hours=3)
            pay(order, method, "refund", -order.total_cents, refund_at)
    return header, rows


def _web_events(rng: random.Random, customers: _Customers, anchor: datetime) -> _Table:
    header = [
        "event_id",
        "session_id",
        "customer_id",
        "event_type",
        "page_path",
        "campaign_id",
        "occurred_at",
        "loaded_at",
    ]
    product_pages = [f"/menu/{i}" for i in range(1, len(_PRODUCTS) + 1)]
    deleted = {rng.randrange(_SESSION_COUNT): account for account in DELETED_ACCOUNT_IDS}
    events: list[tuple[datetime, str, object, str, str, object]] = []
    for session in range(_SESSION_COUNT):
        day = _YEAR_START + timedelta(days=rng.randrange(_YEAR_DAYS))
        start = datetime.combine(day, time(rng.randrange(6, 23), rng.randrange(60)))
        customer: object = ""
        if session in deleted:
            customer = deleted[session]
        elif rng.random() < 0.55:
            customer = _eligible_customer(rng, customers, day)
        campaign = _active_campaign(day, ("email", "social", "search"))
        campaign_id: object = campaign if campaign and rng.random() < 0.35 else ""
        steps = [("page_view", "/")]
        steps += [("product_view", rng.choice(product_pages)) for _ in range(rng.randrange(4))]
        if len(steps) > 1 and rng.random() < 0.5:
            steps.append(("add_to_cart", "/basket"))
            if rng.random() < 0.6:
                steps.append(("checkout", "/checkout"))
        if customer == "" and rng.random() < 0.08:
            steps.append(("signup", "/account/new"))
        moment = start
        for event_type, page in steps:
            events.append((moment, f"s{session + 1:05d}", customer, event_type, page, campaign_id))
            moment += timedelta(seconds=rng.randrange(5, 240))
    events.sort(key=lambda event: (event[0], event[1]))
    last_load = anchor - EVENTS_LAST_LOAD_AGE
    rows: list[list[object]] = []
    for index, (occurred, session_id, customer, event_type, page, campaign_id) in enumerate(events):
        # The tracker ships events in order, one every three minutes, ending just before `now`.
        loaded = last_load - timedelta(minutes=3 * (len(events) - 1 - index))
        rows.append(
            [
                f"evt_{index + 1:06d}",
                session_id,
                customer,
                event_type,
                page,
                campaign_id,
                _timestamp(occurred),
                _timestamp(loaded),
            ]
        )
    return header, rows


def _inventory_counts(rng: random.Random, anchor: datetime) -> _Table:
    header = ["count_id", "shop_id", "product_id", "counted_on", "quantity_on_hand", "loaded_at"]
    rows: list[list[object]] = []
    last_count = date(2025, 12, 29)
    for week in range(_INVENTORY_WEEKS - 1, -1, -1):
        counted_on = last_count - timedelta(weeks=week)
        batch_loaded = anchor - INVENTORY_LAST_LOAD_AGE - timedelta(weeks=week)
        position = 0
        for shop_id in range(1, len(_SHOPS) + 1):
            for product_id in range(1, len(_PRODUCTS) + 1):
                on_hand = 0 if rng.random() < 0.04 else rng.randrange(1, 80)
                # Rows of a batch are loaded one second apart; the last one at batch_loaded.
                loaded = batch_loaded - timedelta(
                    seconds=len(_SHOPS) * len(_PRODUCTS) - 1 - position
                )
                position += 1
                rows.append(
                    [
                        len(rows) + 1,
                        shop_id,
                        product_id,
                        counted_on.isoformat(),
                        on_hand,
                        _timestamp(loaded),
                    ]
                )
    return header, rows


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Explicit newline and encoding keep the files byte-identical on every platform.
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")
