-- A table for the same reason as stg_web_events: the raw file path is relative.
{{ config(materialized='table', tags=['operations']) }}

with source as (
    select * from {{ source('shop_systems', 'inventory_counts') }}
),

renamed as (
    select
        cast(count_id as integer) as count_id,
        cast(shop_id as integer) as shop_id,
        cast(product_id as integer) as product_id,
        cast(counted_on as date) as counted_on,
        cast(quantity_on_hand as integer) as quantity_on_hand,
        cast(loaded_at as timestamp) as loaded_at
    from source
)

select * from renamed
