with source as (
    select * from {{ ref('order_items') }}
),

renamed as (
    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        {{ to_money('unit_price') }} as unit_price,
        discount_pct
    from source
)

select * from renamed
