-- Ephemeral: every mart that needs line-level money inlines this as a CTE.
{{ config(materialized='ephemeral') }}

with items as (
    select * from {{ ref('stg_order_items') }}
),

products as (
    select * from {{ ref('stg_products') }}
),

priced as (
    select
        items.order_item_id,
        items.order_id,
        items.product_id,
        products.category,
        items.quantity,
        items.unit_price,
        items.discount_pct,
        {{ to_money('items.quantity * items.unit_price * (100 - items.discount_pct) / 100') }}
            as line_revenue,
        {{ to_money('items.quantity * products.unit_cost') }} as line_cost
    from items
    inner join products on items.product_id = products.product_id
)

select
    *,
    line_revenue - line_cost as line_margin
from priced
