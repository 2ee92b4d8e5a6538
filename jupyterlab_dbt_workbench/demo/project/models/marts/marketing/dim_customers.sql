with customers as (
    select * from {{ ref('stg_customers') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    where status <> 'cancelled'
),

touchpoints as (
    select * from {{ ref('int_customer_touchpoints') }}
),

order_history as (
    select
        customer_id,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at,
        count(*) as order_count,
        {{ to_money('sum(recognized_revenue)') }} as lifetime_revenue,
        round(avg(days_since_previous_order), 1) as average_days_between_orders
    from orders
    group by customer_id
),

web_activity as (
    select
        customer_id,
        count(*) as web_event_count,
        max(touched_at) as last_web_event_at
    from touchpoints
    where touchpoint_type like 'web_%'
    group by customer_id
)

select
    customers.customer_id,
    customers.full_name,
    customers.email,
    customers.city,
    customers.signed_up_on,
    customers.loyalty_tier,
    customers.marketing_opt_in,
    order_history.first_ordered_at,
    order_history.last_ordered_at,
    coalesce(order_history.order_count, 0) as order_count,
    coalesce(order_history.lifetime_revenue, 0) as lifetime_revenue,
    order_history.average_days_between_orders,
    coalesce(web_activity.web_event_count, 0) as web_event_count,
    web_activity.last_web_event_at,
    case
        when order_history.order_count is null then 'new'
        when order_history.order_count = 1 then 'one_time'
        when order_history.order_count <= 5 then 'regular'
        else 'champion'
    end as customer_segment
from customers
left join order_history on customers.customer_id = order_history.customer_id
left join web_activity on customers.customer_id = web_activity.customer_id
