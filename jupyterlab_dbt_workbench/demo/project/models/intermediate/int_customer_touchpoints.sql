with orders as (
    select
        customer_id,
        ordered_at as touched_at,
        'order' as touchpoint_type,
        channel,
        campaign_id,
        cast(order_id as varchar) as reference_id
    from {{ ref('stg_orders') }}
    where status <> 'cancelled'
),

web_events as (
    select
        customer_id,
        occurred_at as touched_at,
        'web_' || event_type as touchpoint_type,
        'web' as channel,
        campaign_id,
        event_id as reference_id
    from {{ ref('stg_web_events') }}
    where customer_id is not null
),

unioned as (
    select * from orders
    union all
    select * from web_events
)

select
    customer_id,
    touched_at,
    touchpoint_type,
    channel,
    campaign_id,
    reference_id,
    row_number() over (
        partition by customer_id order by touched_at, reference_id
    ) as touchpoint_number
from unioned
