with products as (
    select * from {{ ref('stg_products') }}
),

lines as (
    select * from {{ ref('int_order_lines') }}
),

orders as (
    select order_id, status from {{ ref('stg_orders') }}
),

stock as (
    select * from {{ ref('int_latest_stock') }}
),

sold as (
    select
        lines.product_id,
        cast(sum(lines.quantity) as integer) as units_sold,
        {{ to_money('sum(lines.line_revenue)') }} as revenue,
        {{ to_money('sum(lines.line_margin)') }} as margin
    from lines
    inner join orders on lines.order_id = orders.order_id
    where orders.status in ('placed', 'completed')
    group by lines.product_id
),

on_hand as (
    select
        product_id,
        cast(sum(quantity_on_hand) as integer) as units_on_hand,
        count(case when is_out_of_stock then 1 end) as shops_out_of_stock
    from stock
    group by product_id
)

select
    products.product_id,
    products.sku,
    products.product_name,
    products.category,
    products.unit_price,
    products.unit_cost,
    {{ to_money('products.unit_price - products.unit_cost') }} as unit_margin,
    products.is_seasonal,
    coalesce(sold.units_sold, 0) as units_sold,
    coalesce(sold.revenue, 0) as revenue,
    coalesce(sold.margin, 0) as margin,
    coalesce(on_hand.units_on_hand, 0) as units_on_hand,
    coalesce(on_hand.shops_out_of_stock, 0) as shops_out_of_stock,
    dense_rank() over (
        partition by products.category order by coalesce(sold.revenue, 0) desc
    ) as rank_in_category
from products
left join sold on products.product_id = sold.product_id
left join on_hand on products.product_id = on_hand.product_id
