-- Every returned order is refunded in full, and only returned orders are refunded.
{{ config(tags=['finance']) }}

select
    order_id,
    status,
    order_total,
    amount_refunded
from {{ ref('fct_orders') }}
where (status = 'returned' and amount_refunded <> order_total)
    or (status <> 'returned' and amount_refunded <> 0)
