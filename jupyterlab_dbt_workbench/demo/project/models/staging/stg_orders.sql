with source as (
    select * from {{ ref('orders') }}
),

renamed as (
    select
        order_id,
        customer_id,
        shop_id,
        campaign_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        channel,
        channel <> 'in_store' as is_online,
        status
    from source
)

select * from renamed
