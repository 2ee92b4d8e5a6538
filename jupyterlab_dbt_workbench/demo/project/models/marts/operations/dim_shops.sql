with shops as (
    select * from {{ ref('stg_shops') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

stock as (
    select * from {{ ref('int_latest_stock') }}
),

sales as (
    select
        shop_id,
        count(*) as order_count,
        {{ to_money('sum(recognized_revenue)') }} as revenue,
        {{ to_money('sum(recognized_margin)') }} as margin,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date
    from orders
    group by shop_id
),

stock_outs as (
    select
        shop_id,
        count(case when is_out_of_stock then 1 end) as products_out_of_stock
    from stock
    group by shop_id
)

select
    shops.shop_id,
    shops.shop_name,
    shops.city,
    shops.region,
    shops.opened_on,
    shops.seats,
    coalesce(sales.order_count, 0) as order_count,
    coalesce(sales.revenue, 0) as revenue,
    coalesce(sales.margin, 0) as margin,
    sales.first_order_date,
    sales.last_order_date,
    coalesce(stock_outs.products_out_of_stock, 0) as products_out_of_stock,
    rank() over (order by coalesce(sales.revenue, 0) desc) as revenue_rank,
    round(
        coalesce(sales.revenue, 0)
        / sum(coalesce(sales.revenue, 0)) over (partition by shops.region),
        3
    ) as share_of_region_revenue
from shops
left join sales on shops.shop_id = sales.shop_id
left join stock_outs on shops.shop_id = stock_outs.shop_id
