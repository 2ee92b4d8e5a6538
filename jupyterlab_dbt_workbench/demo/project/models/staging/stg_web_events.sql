-- A table, not a view: the raw file path is relative to the project folder, and a view would
-- only resolve it for readers whose working directory is that folder.
{{ config(materialized='table', tags=['marketing']) }}

with source as (
    select * from {{ source('web_tracking', 'web_events') }}
),

renamed as (
    select
        event_id,
        session_id,
        cast(customer_id as integer) as customer_id,
        event_type,
        page_path,
        cast(campaign_id as integer) as campaign_id,
        cast(occurred_at as timestamp) as occurred_at,
        cast(loaded_at as timestamp) as loaded_at
    from source
)

select * from renamed
