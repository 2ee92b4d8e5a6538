with source as (
    select * from {{ ref('shops') }}
),

renamed as (
    select
        shop_id,
        shop_name,
        city,
        region,
        opened_on,
        seats
    from source
)

select * from renamed
