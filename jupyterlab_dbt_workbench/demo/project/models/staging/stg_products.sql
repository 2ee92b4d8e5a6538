with source as (
    select * from {{ ref('products') }}
),

renamed as (
    select
        product_id,
        sku,
        product_name,
        category,
        {{ to_money('unit_price') }} as unit_price,
        {{ to_money('unit_cost') }} as unit_cost,
        is_seasonal,
        launched_on
    from source
)

select * from renamed
