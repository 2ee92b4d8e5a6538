{{ config(materialized='ephemeral', tags=['finance']) }}

with payments as (
    select * from {{ ref('stg_payments') }}
)

select
    order_id,
    sum(case when payment_type = 'charge' then amount else 0 end) as amount_charged,
    -sum(case when payment_type = 'refund' then amount else 0 end) as amount_refunded,
    count(*) as payment_count,
    count(distinct payment_method) as payment_method_count,
    max(paid_at) as last_paid_at
from payments
group by order_id
