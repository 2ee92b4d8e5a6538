with orders as (
    select * from {{ ref('stg_orders') }}
),

lines as (
    select * from {{ ref('int_order_lines') }}
),

payments as (
    select * from {{ ref('int_order_payments') }}
),

sequence as (
    select * from {{ ref('int_customer_order_sequence') }}
),

order_totals as (
    select
        order_id,
        count(*) as line_count,
        cast(sum(quantity) as integer) as item_count,
        {{ to_money('sum(line_revenue)') }} as order_total,
        {{ to_money('sum(line_cost)') }} as order_cost,
        {{ to_money("sum(case when category = 'retail' then line_revenue else 0 end)") }}
            as retail_total
    from lines
    group by order_id
)

select
    orders.order_id,
    orders.customer_id,
    orders.shop_id,
    orders.campaign_id,
    orders.ordered_at,
    orders.order_date,
    orders.channel,
    orders.is_online,
    orders.status,
    sequence.customer_order_number,
    coalesce(sequence.customer_order_number = 1, false) as is_first_order,
    sequence.days_since_previous_order,
    order_totals.line_count,
    order_totals.item_count,
    order_totals.order_total,
    order_totals.order_cost,
    order_totals.retail_total,
    {{ to_money('coalesce(payments.amount_charged, 0)') }} as amount_paid,
    {{ to_money('coalesce(payments.amount_refunded, 0)') }} as amount_refunded,
    case
        when orders.status in ('placed', 'completed') then order_totals.order_total
        else 0
    end as recognized_revenue,
    case
        when orders.status in ('placed', 'completed')
            then order_totals.order_total - order_totals.order_cost
        else 0
    end as recognized_margin
from orders
inner join order_totals on orders.order_id = order_totals.order_id
left join payments on orders.order_id = payments.order_id
left join sequence on orders.order_id = sequence.order_id
