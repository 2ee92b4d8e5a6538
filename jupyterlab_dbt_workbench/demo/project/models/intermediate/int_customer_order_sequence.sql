with orders as (
    select
        order_id,
        customer_id,
        ordered_at
    from {{ ref('stg_orders') }}
    where status <> 'cancelled'
),

sequenced as (
    select
        order_id,
        customer_id,
        ordered_at,
        row_number() over (
            partition by customer_id order by ordered_at, order_id
        ) as customer_order_number,
        lag(ordered_at) over (
            partition by customer_id order by ordered_at, order_id
        ) as previous_ordered_at
    from orders
)

select
    order_id,
    customer_id,
    ordered_at,
    customer_order_number,
    previous_ordered_at,
    date_diff('day', previous_ordered_at, ordered_at) as days_since_previous_order
from sequenced
