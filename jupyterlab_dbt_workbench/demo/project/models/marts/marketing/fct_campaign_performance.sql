with campaigns as (
    select * from {{ ref('stg_campaigns') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    where campaign_id is not null
),

touchpoints as (
    select * from {{ ref('int_customer_touchpoints') }}
    where campaign_id is not null
),

web_events as (
    select * from {{ ref('stg_web_events') }}
    where campaign_id is not null
),

attributed_orders as (
    select
        campaign_id,
        count(*) as order_count,
        count(distinct customer_id) as customer_count,
        {{ to_money('sum(recognized_revenue)') }} as revenue,
        {{ to_money('sum(order_total - recognized_revenue)') }} as lost_revenue
    from orders
    group by campaign_id
),

visits as (
    select
        campaign_id,
        count(distinct session_id) as session_count,
        count(case when event_type = 'checkout' then 1 end) as checkout_count
    from web_events
    group by campaign_id
),

reached as (
    select
        campaign_id,
        count(distinct customer_id) as known_customers_reached
    from touchpoints
    group by campaign_id
)

select
    campaigns.campaign_id,
    campaigns.campaign_name,
    campaigns.campaign_channel,
    campaigns.starts_on,
    campaigns.ends_on,
    campaigns.budget,
    coalesce(visits.session_count, 0) as session_count,
    coalesce(visits.checkout_count, 0) as checkout_count,
    coalesce(reached.known_customers_reached, 0) as known_customers_reached,
    coalesce(attributed_orders.order_count, 0) as order_count,
    coalesce(attributed_orders.customer_count, 0) as customer_count,
    coalesce(attributed_orders.revenue, 0) as revenue,
    coalesce(attributed_orders.lost_revenue, 0) as lost_revenue,
    {{ to_money('campaigns.budget / nullif(attributed_orders.order_count, 0)') }} as cost_per_order,
    round(coalesce(attributed_orders.revenue, 0) / campaigns.budget, 3) as return_on_spend,
    rank() over (order by coalesce(attributed_orders.revenue, 0) desc) as revenue_rank
from campaigns
left join attributed_orders on campaigns.campaign_id = attributed_orders.campaign_id
left join visits on campaigns.campaign_id = visits.campaign_id
left join reached on campaigns.campaign_id = reached.campaign_id
