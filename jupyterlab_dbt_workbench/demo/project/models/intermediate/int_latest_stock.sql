with counts as (
    select * from {{ ref('stg_inventory_counts') }}
),

ranked as (
    select
        shop_id,
        product_id,
        counted_on,
        quantity_on_hand,
        row_number() over (
            partition by shop_id, product_id order by counted_on desc
        ) as recency_rank
    from counts
)

select
    shop_id,
    product_id,
    counted_on,
    quantity_on_hand,
    quantity_on_hand = 0 as is_out_of_stock
from ranked
where recency_rank = 1
