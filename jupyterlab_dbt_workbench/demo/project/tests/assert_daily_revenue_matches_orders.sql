-- The daily shop table and the order table must agree on revenue, shop by shop.
{{ config(tags=['finance']) }}

with daily as (
    select
        shop_id,
        sum(revenue) as revenue
    from {{ ref('fct_daily_shop_revenue') }}
    group by shop_id
),

orders as (
    select
        shop_id,
        sum(recognized_revenue) as revenue
    from {{ ref('fct_orders') }}
    group by shop_id
)

select
    orders.shop_id,
    orders.revenue as order_revenue,
    daily.revenue as daily_revenue
from orders
left join daily on orders.shop_id = daily.shop_id
where daily.revenue is null
    or abs(orders.revenue - daily.revenue) > 0.005
