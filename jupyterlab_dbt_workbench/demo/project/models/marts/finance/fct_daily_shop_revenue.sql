-- Incremental: each run recomputes the last three days already loaded (late refunds and
-- status changes land within that window) and appends newer days.
{{
    config(
        materialized='incremental',
        unique_key='shop_day_id',
        on_schema_change='append_new_columns'
    )
}}

with orders as (
    select * from {{ ref('fct_orders') }}
    {% if is_incremental() %}
    where order_date >= (select max(order_date) - interval 3 day from {{ this }})
    {% endif %}
)

select
    cast(shop_id as varchar) || '-' || cast(order_date as varchar) as shop_day_id,
    shop_id,
    order_date,
    count(*) as order_count,
    count(distinct customer_id) as customer_count,
    count(case when is_online then 1 end) as online_order_count,
    count(case when status = 'cancelled' then 1 end) as cancelled_order_count,
    {{ to_money('sum(recognized_revenue)') }} as revenue,
    {{ to_money('sum(recognized_margin)') }} as margin,
    {{ to_money(
        'sum(recognized_revenue) / nullif(count(case when recognized_revenue > 0 then 1 end), 0)'
    ) }} as average_order_value
from orders
group by shop_id, order_date
